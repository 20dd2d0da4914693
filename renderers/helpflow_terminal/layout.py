"""A step laid out as lines: the one place that decides what the terminal shows.

The interactive wizard, the plain (piped) mode and the printable transcript all print these
lines; only the styling differs. All text comes from the Step's plain-text fields, which the
engine has already stripped of escape and control sequences.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpflow.step import Step

OUTCOME_MARKS = {
    "solved": ("✔ Solved", "bold green"),
    "escalate": ("☎ Get help", "bold yellow"),
    "external": ("↗ Continue elsewhere", "bold cyan"),
}


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    style: str = ""
    link: str | None = None
    indent: int = 0


def step_lines(step: Step) -> list[Line]:
    lines: list[Line] = []
    if step.outcome:
        mark, style = OUTCOME_MARKS[step.outcome]
        lines.append(Line(mark, style))
    lines.append(Line(step.title, "bold"))
    if step.body.text:
        lines.extend(Line(paragraph) for paragraph in step.body.text.split("\n"))
    for number, item in enumerate(step.steps, 1):
        lines.append(Line(f"{number}. {item.text}", indent=2))
    for link in step.links:
        lines.append(Line(f"{link.label}: {link.url}", "underline", link.url, indent=2))
    for contact in step.contacts:
        lines.append(Line(contact.name, "bold", contact.url, indent=2))
        details = [contact.url, contact.phone, contact.email, contact.hours, contact.note]
        lines.extend(
            Line(d, link=contact.url if d == contact.url else None, indent=4) for d in details if d
        )
    if step.handoff is not None:  # what to tell support, so nobody asks again
        lines.append(Line("Details for the support team", "bold"))
        lines.extend(Line(text, indent=2) for text in step.handoff.summary.split("\n"))
    if step.kind == "fix" and {c.id for c in step.choices} == {"solved", "not_solved"}:
        lines.append(Line("Did this solve it?", "bold"))
    for number, choice in enumerate(step.choices, 1):
        lines.append(Line(f"{number}) {choice.label}", "cyan", indent=2))
    return lines


def plain_text(lines: list[Line]) -> str:
    return "\n".join(" " * line.indent + line.text for line in lines)
