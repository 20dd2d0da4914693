"""The view model every renderer receives: one `Step` per screen.

Everything a renderer needs is here, already decided by the engine (which choices are
available, where back goes, which contact applies) and already made safe (prose as sanitized
HTML and as control-free text, links with unsafe schemes dropped). Renderers only format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from helpflow.content import Prose
from helpflow.handoff import Handoff

Kind = Literal["question", "fix", "outcome"]
Resolution = Literal["solved", "escalate", "external"]


@dataclass(frozen=True, slots=True)
class FlowInfo:
    id: str
    title: str
    version: str
    intro: Prose
    applies_to: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LinkView:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class ContactView:
    name: str
    url: str | None = None
    phone: str | None = None
    email: str | None = None
    hours: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ChoiceView:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class AnswerView:
    """An answer so far, as the reader saw it: for a "check your answers" summary."""

    node_id: str
    question: str
    choice_id: str
    label: str


@dataclass(frozen=True, slots=True)
class Step:
    flow: FlowInfo
    node_id: str
    kind: Kind
    title: str
    body: Prose
    steps: tuple[Prose, ...]
    links: tuple[LinkView, ...]
    contacts: tuple[ContactView, ...]
    choices: tuple[ChoiceView, ...]
    answers: tuple[AnswerView, ...]
    can_go_back: bool
    outcome: Resolution | None
    token: str
    handoff: Handoff | None = None  # escalate outcomes only: see helpflow.handoff

    @property
    def finished(self) -> bool:
        return self.outcome is not None
