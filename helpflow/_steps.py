"""The parts of a Step that depend only on the node, worked out once per node and vars.

A step is then these parts plus what depends on the session: the choices whose `when` holds
(only at nodes that have a `when`) and the answers so far, each an `AnswerView` made once per
(node, choice) and shared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from helpflow._core import Option
from helpflow.model import AnyNode, OutcomeNode
from helpflow.nodecontent import NodeContent
from helpflow.step import AnswerView, ChoiceView, Kind, Resolution


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
