"""The flow as one nested article: each question, then under each of its answers what
follows. Shared nodes (the happy ending, the contacts) are written out once and linked to
after that, so the article stays finite for any graph, loops included, and nesting stops at
`MAX_DEPTH` so it stays readable for any depth."""

from __future__ import annotations

from collections import deque
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


#: Deeper than this, a branch continues in a section of its own instead of nesting further:
#: readers lose their place in deep nesting, and so would a recursive template.
MAX_DEPTH = 8


def build_article(flow: CompiledFlow) -> list[ArticleNode]:
    """The article's top-level sections: the tree from the start, then any branch that was
    too deep to nest, each written out once."""
    shown: dict[str, ArticleNode] = {}
    queued: set[str] = set()
    pending: deque[str] = deque([flow.flow.start])

    def visit(node_id: str, depth: int) -> ArticleNode:
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
            rules = graph.rules(spec.target)
            for rule in rules:
                condition = describe(flow, rule.when) if rule.when is not None else None
                if condition is None and len(rules) > 1:
                    condition = "otherwise"
                words = "; ".join(w for w in (availability, condition) if w) or None
                item.branches.append(branch(label, words, rule.to, depth))
        return item

    def branch(label: str, condition: str | None, target: str, depth: int) -> Branch:
        if target in shown or target in queued or depth >= MAX_DEPTH:
            if target not in shown and target not in queued:
                queued.add(target)
                pending.append(target)
            return Branch(label, condition, None, f"hf-{target}", flow.content(target).title)
        return Branch(label, condition, visit(target, depth + 1))

    sections = []
    while pending:
        node_id = pending.popleft()
        if node_id not in shown:
            sections.append(visit(node_id, 0))
    return sections
