"""Findings about a flow file, in the `path:line:col: severity: message` form editors parse."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal

from helpflow.sanitize import strip_control

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

    def __post_init__(self) -> None:
        # Paths, ids and keys in a message come from flow files and folders: whatever shows
        # a diagnostic (a terminal, an editor, a JSON reader) gets them without escapes.
        # (isprintable is False for every character strip_control removes: a quick way past.)
        for name in ("path", "message"):
            if not getattr(self, name).isprintable():
                object.__setattr__(self, name, strip_control(getattr(self, name)))
        if self.node is not None and not self.node.isprintable():
            object.__setattr__(self, "node", strip_control(self.node))
        if self.witness:
            object.__setattr__(self, "witness", tuple(strip_control(w) for w in self.witness))

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        if self.witness:
            text += "\n    path: " + " → ".join(self.witness)
        return text

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["witness"] = list(self.witness)
        return data


#: At most this many diagnostics are reported per file; past it, one more says how many were
#: left out. A file with 60,000 mistakes needs its first ones fixed, not a 60,000-line report.
MAX_REPORTED = 200
UNREPORTED = "unreported"


def capped(diagnostics: Sequence[Diagnostic], limit: int = MAX_REPORTED) -> list[Diagnostic]:
    """The first `limit` diagnostics in file order, and one saying how many more there are.

    Diagnostics with the code `unreported` (past the limit already when they were found, and
    given no message) are only counted.
    """
    ordered = sorted(diagnostics, key=sort_key)
    shown = [d for d in ordered if d.code != UNREPORTED][:limit]
    if len(shown) == len(ordered):
        return shown
    kept = {id(d) for d in shown}
    rest = [d for d in ordered if id(d) not in kept]
    errors = sum(1 for d in rest if d.severity == "error")
    first = rest[0]
    return [
        *shown,
        Diagnostic(
            first.path,
            first.line,
            first.col,
            "error" if errors else first.severity,
            "too-many",
            f"and {len(rest):,} more problems not shown ({errors:,} errors); fix these first",
        ),
    ]


def shown(text: object, limit: int = 40) -> str:
    """Text from a flow file as a message quotes it: no control characters, at most `limit`
    characters, in quotes. Keeps a message one short line whatever the file holds."""
    value = strip_control(str(text))
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return repr(value)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.path, d.line, d.col, d.message)


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_dict() for d in diagnostics], indent=2, ensure_ascii=False)


def did_you_mean(word: str, candidates: Sequence[str]) -> str:
    """A ` (did you mean 'x'?)` suffix, or nothing when no candidate is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
