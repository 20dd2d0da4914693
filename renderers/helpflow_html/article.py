"""The flow as one nested article: each question, then under each of its answers what
follows. Shared nodes (the happy ending, the contacts) are written out once and linked to
after that, so the article stays finite for any graph, loops included."""

from __future__ import annotations

from dataclasses import dataclass, field

from helpflow import graph
from helpflow.engine import CompiledFlow
from helpflow.model import AllOf, AnyOf, NotOf, OutcomeNode, When
from helpflow.nodecontent import NodeContent


@dataclass
class Branch:
    label: str
    condition: str | None
    target: ArticleNode | None = None
    ref_anchor: str = ""
    ref_title: str = ""


@dataclass
class ArticleNode:
    node_id: str
    anchor: str
    content: NodeContent
    resolution: str | None
    branches: list[Branch] = field(default_factory=list)


def describe(flow: CompiledFlow, condition: When) -> str:
    """A condition in words, from the labels the reader saw."""
    if isinstance(condition, AllOf):
        return " and ".join(describe(flow, c) for c in condition.all)
    if isinstance(condition, AnyOf):
        return " or ".join(describe(flow, c) for c in condition.any)
    if isinstance(condition, NotOf):
        return f"unless {describe(flow, condition.not_)}"
    parts = []
    for node, wanted in condition.items():
        content = flow.content(node)
        choices = [wanted] if isinstance(wanted, str) else list(wanted)
        labels = " or ".join(f"“{content.choice_labels.get(c, c)}”" for c in choices)
        parts.append(f"if you answered {labels}")
    return " and ".join(parts)


def build_tree(flow: CompiledFlow) -> ArticleNode:
    shown: dict[str, ArticleNode] = {}

    def visit(node_id: str) -> ArticleNode:
        node = flow.flow.nodes[node_id]
        item = ArticleNode(
            node_id,
            f"hf-{node_id}",
            flow.content(node_id),
            node.resolution if isinstance(node, OutcomeNode) else None,
        )
        shown[node_id] = item
        for spec in graph.choices(node_id, node):
            label = item.content.choice_labels[spec.id]
            availability = describe(flow, spec.when) if spec.when is not None else None
            for rule in graph.rules(spec.target):
                condition = describe(flow, rule.when) if rule.when is not None else None
                if condition is None and len(graph.rules(spec.target)) > 1:
                    condition = "otherwise"
                words = [w for w in (availability, condition) if w]
                item.branches.append(branch(label, "; ".join(words) or None, rule.to))
        return item

    def branch(label: str, condition: str | None, target: str) -> Branch:
        if target in shown:
            seen = shown[target]
            return Branch(label, condition, None, seen.anchor, seen.content.title)
        return Branch(label, condition, visit(target))

    return visit(flow.flow.start)
