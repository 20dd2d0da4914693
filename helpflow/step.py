"""The view model every renderer receives: one `Step` per screen.

Everything a renderer needs is here, already decided by the engine (which choices are
available, where back goes, which contact applies) and already made safe (prose as sanitized
HTML and as control-free text, links with unsafe schemes dropped). Renderers only format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from helpflow.content import NO_PROSE, Prose
from helpflow.handoff import Handoff

Kind = Literal["question", "fix", "outcome"]
Resolution = Literal["solved", "escalate", "external", "info"]


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
    #: `tel:` link for `phone` (E.164 when the number has a country code).
    phone_href: str | None = None
    #: `mailto:` link for `email`.
    email_href: str | None = None


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


@dataclass(frozen=True)
class Step:
    """One screen. `token` (the session as a token, for the next request) is made on first use
    and kept: a static page or a terminal screen never pays for one."""

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
    #: Markdown shown after the steps of a fix.
    after: Prose = NO_PROSE
    #: The "did it work?" question of a fix that asks one ("" otherwise).
    ask: str = ""
    #: The heading over `links`.
    links_title: str = "Related"
    #: Escalate outcomes only: what to tell support (see helpflow.handoff).
    handoff: Handoff | None = None
    #: The language of the text (a BCP 47 tag: `en`, `fr`, `pt-BR`).
    lang: str = "en"

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    @cached_property
    def token(self) -> str:
        make: Callable[[], str] | None = self.__dict__.get("_make_token")
        return make() if make is not None else ""


def with_token(step: Step, make: Callable[[], str]) -> Step:
    """`step`, its token made by `make` when first read (the engine's way to build a Step)."""
    # Not a field: the payload and its schema stay those of the dataclass; frozen dataclasses
    # are set the way their own __init__ does.
    object.__setattr__(step, "_make_token", make)
    return step
