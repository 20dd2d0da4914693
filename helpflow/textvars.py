"""`{var}` and `{answers.NODE}` placeholders in flow text: the only templating authors get.

Deliberately not `str.format`: that would expose attribute and index look-ups (`{x.__class__}`)
to untrusted flow text. `{{` and `}}` write literal braces.

Values are text, never source: Markdown is rendered once with an opaque placeholder where each
value goes (`mark`), and the value is put in afterwards (`fill_marks`), escaped for the form it
lands in. So a value costs linear time whatever it holds, and a new value needs no new render.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from helpflow.diagnostics import did_you_mean
from helpflow.errors import VarError
from helpflow.model import ID_CHARS

if TYPE_CHECKING:
    from helpflow.model import Flow

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|\{answers\.(" + ID_CHARS + r")\}")

#: What a placeholder stands for: a var by name, or the label of the answer at a node.
Slot = tuple[Literal["var", "answer"], str]


def names_in(text: str) -> Iterator[str]:
    """The var names a text uses."""
    if "{" not in text:
        return
    for match in _TOKEN.finditer(text):
        if match.group(1):
            yield match.group(1)


def answers_in(text: str) -> Iterator[str]:
    """The nodes whose answer a text recalls with `{answers.NODE}`."""
    if "{answers." not in text:
        return
    for match in _TOKEN.finditer(text):
        if match.group(2):
            yield match.group(2)


def fill(text: str, values: Mapping[str, str], answers: Mapping[str, str] | None = None) -> str:
    """Replace every `{name}` (and `{answers.NODE}` when `answers` is given); unknown names
    stay as written (lint reports them). For plain-text fields, never for Markdown."""
    if "{" not in text and "}" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        name, node = match.group(1), match.group(2)
        if name is not None:
            return values.get(name, match.group(0))
        if node is not None:
            return match.group(0) if answers is None else answers.get(node, "")
        return match.group(0)[0]

    return _TOKEN.sub(replace, text)


@dataclass(frozen=True, slots=True)
class Marked:
    """Source text with each known placeholder replaced by `{prefix}{index}x`."""

    text: str
    prefix: str
    slots: tuple[Slot, ...]


def _prefix_for(text: str) -> str:
    # Letters only, so Markdown, HTML and URLs pass it through untouched; chosen so that it
    # does not occur in the source, so only our placeholders match.
    prefix = "hfvq"
    while prefix in text:
        prefix += "q"
    return prefix


def mark(text: str, known: Container[str]) -> Marked:
    """`text` ready for Markdown: known vars and every answer recall become placeholders,
    `{{`/`}}` become braces, unknown vars stay as written."""
    if "{" not in text and "}" not in text:
        return Marked(text, "", ())
    prefix = _prefix_for(text)
    slots: list[Slot] = []

    def replace(match: re.Match[str]) -> str:
        name, node = match.group(1), match.group(2)
        if name is not None and name not in known:
            return match.group(0)
        if name is None and node is None:
            return match.group(0)[0]
        slot: Slot = ("var", name) if name is not None else ("answer", node)
        if slot not in slots:
            slots.append(slot)
        return f"{prefix}{slots.index(slot)}x"

    marked = _TOKEN.sub(replace, text)
    return Marked(marked, prefix if slots else "", tuple(slots))


def fill_marks(text: str, prefix: str, values: Sequence[str], escape: Callable[[str], str]) -> str:
    """Put `values` (escaped with `escape`) where `mark` left placeholders."""
    if not prefix:
        return text
    return re.sub(re.escape(prefix) + r"(\d+)x", lambda m: escape(values[int(m.group(1))]), text)


def has_marks(text: str, prefix: str) -> bool:
    return bool(prefix) and prefix in text


def bind_vars(flow: Flow, overrides: Mapping[str, str]) -> dict[str, str]:
    """The flow's var values with a site's `overrides`; `VarError` names an unknown var."""
    values = {name: var.default for name, var in flow.vars.items()}
    for name, value in overrides.items():
        if name not in values:
            raise VarError(
                f"flow {flow.id!r} has no var {name!r}{did_you_mean(name, list(values))}; "
                f"it has: {', '.join(values) or 'none'}"
            )
        if not isinstance(value, str):
            raise VarError(f"var {name!r} must be text")
        values[name] = value
    return values
