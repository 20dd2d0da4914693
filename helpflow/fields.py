"""Where a flow's Markdown is: the one list of Markdown fields that lint, the image finder and
anything else reading a flow's prose walk, with the location of each for diagnostics."""

from __future__ import annotations

from collections.abc import Iterator

from helpflow.model import FixNode, Flow, QuestionNode
from helpflow.routes import Loc


def step_texts(base: Loc, node: FixNode) -> Iterator[tuple[Loc, str]]:
    """Each step's Markdown: a plain step, or the `text` of a `{text, when}` step."""
    for i, step in enumerate(node.steps):
        if isinstance(step, str):
            yield (*base, "steps", i), step
        else:
            yield (*base, "steps", i, "text"), step.text


def markdown_fields(flow: Flow) -> Iterator[tuple[Loc, str]]:
    """Every field that is rendered as Markdown."""
    yield ("intro",), flow.intro
    for node_id, node in flow.nodes.items():
        base: Loc = ("nodes", node_id)
        if isinstance(node, QuestionNode):
            yield (*base, "help"), node.help
            continue
        yield (*base, "body"), node.body
        if isinstance(node, FixNode):
            yield from step_texts(base, node)
            yield (*base, "after"), node.after
