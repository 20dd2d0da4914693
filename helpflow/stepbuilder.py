"""The Step, built in one place from the compiled flow.

What depends only on the node (its rendered content, its choices, how each answer reads in a
summary) is worked out once per node and vars (`StepParts`). A step is then these parts plus
what depends on the session: the choices whose `when` holds (only at nodes that have a `when`)
and the answers so far, each an `AnswerView` made once per (node, choice) and shared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from helpflow.compiledversion import CompiledVersion, Option
from helpflow.handoff import Handoff, fill_contacts
from helpflow.model import AnyNode, OutcomeNode
from helpflow.noderender import NodeContent, NodeRenderer
from helpflow.session import Answer, Session
from helpflow.step import AnswerView, ChoiceView, FlowInfo, Kind, Resolution, Step, with_token


@dataclass(frozen=True, slots=True)
class StepParts:
    kind: Kind
    content: NodeContent
    outcome: Resolution | None
    #: Every choice of the node, in order; `conditions` filters them where some have a `when`.
    choices: tuple[ChoiceView, ...]
    conditions: tuple[Option, ...] | None
    reviews: Mapping[str, AnswerView]

    def offered(self, latest: Mapping[str, str] | None) -> tuple[ChoiceView, ...]:
        if self.conditions is None or latest is None:
            return self.choices
        return tuple(
            view
            for view, option in zip(self.choices, self.conditions, strict=True)
            if option.available(latest)
        )


def step_parts(
    node_id: str, node: AnyNode, content: NodeContent, options: Mapping[str, Option], *, when: bool
) -> StepParts:
    labels = content.choice_labels
    choices = tuple(ChoiceView(choice, labels[choice]) for choice in options)
    reviews = {
        choice: AnswerView(node_id, content.title, choice, labels.get(choice, choice))
        for choice in options
    }
    return StepParts(
        kind=node.kind,
        content=content,
        outcome=node.resolution if isinstance(node, OutcomeNode) else None,
        choices=choices,
        conditions=tuple(options.values()) if when else None,
        reviews=reviews,
    )


class StepBuilder:
    """Steps of one compiled flow (one set of var values), with the per-node caches."""

    def __init__(
        self,
        compiled: CompiledVersion,
        vars: Mapping[str, str],
        ui: Callable[[str], str] | None = None,
    ) -> None:
        self.compiled = compiled
        self.vars = vars
        #: Interface strings in the flow's language (see `helpflow.uitext`).
        self.ui = ui
        #: The language of the flow's text (its declared `lang`, or a translation's).
        self.lang = compiled.flow.lang or "en"
        self.texts = NodeRenderer(vars, compiled.templates, ui=ui)
        self._content: dict[str, NodeContent] = {}
        self._parts: dict[str, StepParts] = {}
        #: id of a shared Answer (see `tokens.AnswerCodes`) → how the reader saw it.
        self._views: dict[int, AnswerView] = {}
        flow = compiled.flow
        self.info = FlowInfo(
            id=flow.id,
            title=self.texts.plain(flow.title),
            version=compiled.version,
            intro=self.texts.prose(flow.intro),
            applies_to=tuple(self.texts.plain(t) for t in flow.applies_to),
        )

    def content(self, node: str) -> NodeContent:
        cached = self._content.get(node)
        if cached is None:
            cached = self.texts.node(self.compiled.flow.nodes[node], self._labels(node))
            self._content[node] = cached
        return cached

    def _labels(self, node: str) -> dict[str, str]:
        return {o.id: o.label for o in self.compiled.options[node].values()}

    def content_for(self, session: Session) -> NodeContent:
        content = self.content(session.node)
        if not content.personal:
            return content
        latest = session.latest()
        recalled = {
            node: self.content(node).choice_labels.get(choice, choice)
            for node, choice in latest.items()
        }
        texts = NodeRenderer(self.vars, self.compiled.templates, recalled, ui=self.ui)
        return texts.node(
            self.compiled.flow.nodes[session.node], self._labels(session.node), latest
        )

    def parts(self, node: str) -> StepParts:
        cached = self._parts.get(node)
        if cached is None:
            compiled = self.compiled
            cached = step_parts(
                node,
                compiled.flow.nodes[node],
                self.content(node),
                compiled.options[node],
                when=node in compiled.conditional,
            )
            self._parts[node] = cached
        return cached

    def reviews(self, answers: tuple[Answer, ...]) -> tuple[AnswerView, ...]:
        get, slow = self._views.get, self._review
        return tuple([get(id(answer)) or slow(answer) for answer in answers])

    def _review(self, answer: Answer) -> AnswerView:
        view = self.parts(answer.node).reviews[answer.choice]
        if self.compiled.codes.is_shared(answer):
            # Only the shared answers, which live as long as the flow: their ids are never
            # reused while the entry exists.
            self._views[id(answer)] = view
        return view

    def step(
        self,
        session: Session,
        token: Callable[[], str],
        handoff: Callable[[Session], Handoff],
    ) -> Step:
        """The step `session` shows. `token` makes its token (only when a face asks for it);
        `handoff` the summary an escalation carries."""
        parts = self.parts(session.node)
        content = parts.content
        if content.personal:  # recalled answers or per-variant steps: this reader's version
            content = self.content_for(session)
        made = None
        contacts = content.contacts
        if parts.outcome == "escalate":  # what the reader would otherwise be asked again
            made = handoff(session)
            contacts = fill_contacts(contacts, made)
        answers = session.answers
        step = Step(
            flow=self.info,
            node_id=session.node,
            kind=parts.kind,
            title=content.title,
            body=content.body,
            steps=content.steps,
            links=content.links,
            contacts=contacts,
            choices=parts.offered(session.latest() if parts.conditions else None),
            answers=self.reviews(answers),
            can_go_back=bool(answers),
            outcome=parts.outcome,
            after=content.after,
            ask=content.ask,
            links_title=content.links_title,
            handoff=made,
            lang=self.lang,
        )
        return with_token(step, token)
