"""The hand-off packet: what a reader who escalates hands to the support agent, so the agent
does not ask again what the wizard already knows.

Built for escalate outcomes only: the flow and version, each question with the reader's answer
in words, each fix tried that did not work, and a reference that resolves to the session (the
token). Contact URLs may carry `{handoff.summary}` and `{handoff.reference}`, URL-encoded, so a
`mailto:` link opens with the summary as its body.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from helpflow.model import FixNode
from helpflow.routes import NOT_SOLVED

if TYPE_CHECKING:
    from helpflow.engine import CompiledFlow
    from helpflow.session import Session
    from helpflow.step import ContactView

PLACEHOLDERS = ("{handoff.summary}", "{handoff.reference}")


@dataclass(frozen=True, slots=True)
class HandoffAnswer:
    node_id: str
    choice_id: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class FixTried:
    node_id: str
    title: str


@dataclass(frozen=True, slots=True)
class Handoff:
    summary: str
    answers: tuple[HandoffAnswer, ...]
    fixes_tried: tuple[FixTried, ...]
    reference: str


#: A question ending in one of these gets no colon before its answer (Latin, Arabic, CJK).
QUESTION_MARKS = ("?", "\u061f", "\uff1f")


def build_handoff(flow: CompiledFlow, session: Session, reference: str) -> Handoff:
    answers: list[HandoffAnswer] = []
    fixes: list[FixTried] = []
    for answer in session.answers:
        content = flow.content(answer.node)
        label = content.choice_labels.get(answer.choice, answer.choice)
        if isinstance(flow.flow.nodes[answer.node], FixNode):
            if answer.choice == NOT_SOLVED:
                fixes.append(FixTried(answer.node, content.title))
            continue
        answers.append(HandoffAnswer(answer.node, answer.choice, content.title, label))
    info, _ = flow.info, flow.ui.gettext  # in the reader's language: they copy it, support reads it
    lines = [_("%(title)s (version %(version)s)") % {"title": info.title, "version": info.version}]
    lines += [
        f"- {a.question}{'' if a.question.endswith(QUESTION_MARKS) else ':'} {a.answer}"
        for a in answers
    ]
    if fixes:
        lines.append(_("Tried, and it did not work:"))
        lines += [f"- {f.title}" for f in fixes]
    lines.append(_("Ended at: %(title)s") % {"title": flow.content(session.node).title})
    lines.append(_("Reference: %(reference)s") % {"reference": reference})
    return Handoff("\n".join(lines), tuple(answers), tuple(fixes), reference)


def fill_contacts(contacts: tuple[ContactView, ...], handoff: Handoff) -> tuple[ContactView, ...]:
    """Contacts with `{handoff.summary}`/`{handoff.reference}` in their URL or email filled in,
    URL-encoded (the placeholders are only meaningful there)."""
    values = {
        "{handoff.summary}": quote(handoff.summary, safe=""),
        "{handoff.reference}": quote(handoff.reference, safe=""),
    }

    def fill(text: str | None) -> str | None:
        if text is None or "{handoff." not in text:
            return text
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        return text

    return tuple(
        dataclasses.replace(c, url=fill(c.url), email=fill(c.email))
        if (c.url and "{handoff." in c.url) or (c.email and "{handoff." in c.email)
        else c
        for c in contacts
    )
