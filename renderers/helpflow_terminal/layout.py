"""A step laid out as lines: the one place that decides what the terminal shows.

The interactive wizard, the plain (piped) mode and the printable transcript all print these
lines; only the styling differs. All text comes from the Step's plain-text fields, which the
engine has already stripped of escape and control sequences.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

from helpflow import uitext
from helpflow.content import Prose
from helpflow.step import Step
from helpflow.uitext import N_, UiText

#: (mark, label, style) of each outcome; the label in the reader's language.
OUTCOME_MARKS = {
    "solved": ("✔", N_("Solved"), "bold green"),
    "escalate": ("☎", N_("Get help"), "bold yellow"),
    "external": ("↗", N_("Continue elsewhere"), "bold cyan"),
    "info": ("◆", N_("Good to know"), "bold blue"),
}
#: Code blocks and table rows are never re-flowed: a command must stay copyable.
_VERBATIM = ("    ", "│     ")
#: Inline emphasis in the HTML form, shown as rich styles on the matching text.
_EMPHASIS = re.compile(r"<(strong|b|em|i|code)>([^<]+)</\1>")
_STYLES = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "code": "bold"}


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    style: str = ""
    link: str | None = None
    indent: int = 0
    #: False for code and tables: shown as written, never wrapped.
    wrap: bool = True
    #: (start, end, style) within `text`: bold and italic words of the prose.
    spans: tuple[tuple[int, int, str], ...] = ()


def _spans(row: str, emphasis: list[tuple[str, str]]) -> tuple[tuple[int, int, str], ...]:
    found = []
    for phrase, style in emphasis:
        start = row.find(phrase)
        if start >= 0:
            found.append((start, start + len(phrase), style))
    return tuple(found)


def prose_lines(prose: Prose, *, indent: int = 0) -> list[Line]:
    """A Prose as lines: code blocks (indented four spaces by the text form) verbatim in a
    monospace style, callouts marked, bold and italic as styles, the rest wrapped."""
    emphasis = [
        (html.unescape(m.group(2)), _STYLES[m.group(1)]) for m in _EMPHASIS.finditer(prose.html)
    ]
    lines = []
    for row in prose.text.split("\n"):
        if row.startswith(_VERBATIM) or "  " in row.strip():
            lines.append(Line(row, "bright_white on grey15", indent=indent, wrap=False))
        elif row.startswith("│"):
            style = "yellow" if row.strip() != "│" else ""
            lines.append(Line(row, style, indent=indent, spans=_spans(row, emphasis)))
        else:
            lines.append(Line(row, indent=indent, spans=_spans(row, emphasis)))
    return lines


def step_lines(step: Step, ui: UiText | None = None) -> list[Line]:
    """`ui`: the interface strings (those in effect when not given)."""
    _ = (ui or uitext.active()).gettext
    lines: list[Line] = []
    if step.outcome:
        mark, label, style = OUTCOME_MARKS[step.outcome]
        lines.append(Line(f"{mark} {_(label)}", style))
    lines.append(Line(step.title, "bold"))
    if step.body.text:
        lines.extend(prose_lines(step.body))
    for number, item in enumerate(step.steps, 1):
        first, *rest = prose_lines(item, indent=2) or [Line("", indent=2)]
        mark = f"{number}. "
        shifted = tuple((a + len(mark), b + len(mark), st) for a, b, st in first.spans)
        lines.append(replace(first, text=mark + first.text, spans=shifted))
        lines.extend(replace(r, indent=5) for r in rest)
    if step.after.text:
        lines.append(Line(""))
        lines.extend(prose_lines(step.after))
    if step.links:
        lines.append(Line(f"{step.links_title}:", "bold"))
    for link in step.links:
        lines.append(Line(f"{link.label}: {link.url}", "underline", link.url, indent=2))
    for contact in step.contacts:
        # Each address once, as the line a reader can click (not also behind the name).
        lines.append(Line(contact.name, "bold", indent=2))
        if contact.url:
            lines.append(Line(contact.url, "underline", contact.url, indent=4))
        if contact.phone:
            lines.append(Line(f"{_('Phone:')} {contact.phone}", link=contact.phone_href, indent=4))
        if contact.email:
            lines.append(Line(f"{_('Email:')} {contact.email}", link=contact.email_href, indent=4))
        lines.extend(Line(d, indent=4) for d in (contact.hours, contact.note) if d)
    if step.handoff is not None:  # what to tell support, so nobody asks again
        lines.append(Line(_("Details for the support team"), "bold"))
        lines.extend(Line(text, indent=2) for text in step.handoff.summary.split("\n"))
    if step.ask:
        lines.append(Line(""))
        lines.append(Line(step.ask, "bold"))
    for number, choice in enumerate(step.choices, 1):
        lines.append(Line(f"{number}) {choice.label}", "cyan", indent=2))
    return lines


def plain_text(lines: list[Line]) -> str:
    return "\n".join(" " * line.indent + line.text for line in lines)
