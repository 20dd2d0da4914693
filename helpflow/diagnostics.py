"""Findings about a flow file, in the `path:line:col: severity: message` form editors parse."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "todo"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem, pinned to a place in a file.

    `witness` is a path from the start node that shows a graph finding happening, as
    `node[choice]` hops, so an author can reproduce it by walking the wizard.
    """

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    node: str | None = None
    witness: tuple[str, ...] = field(default=())

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        if self.witness:
            text += "\n    path: " + " → ".join(self.witness)
        return text

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["witness"] = list(self.witness)
        return data


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.path, d.line, d.col, d.message)


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_dict() for d in diagnostics], indent=2, ensure_ascii=False)


def did_you_mean(word: str, candidates: Sequence[str]) -> str:
    """A ` (did you mean 'x'?)` suffix, or nothing when no candidate is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
