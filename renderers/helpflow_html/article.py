"""The flow as a proofreading document: every node once, as a numbered section in reading
order (breadth-first from the start), with a table of contents. Each choice links to the
section it leads to ("→ 4. Restart your router"), a conditional target says its condition in
words, and the flow's `todo` gaps show where they are. Nothing nests deeper than a section, so
the document stays flat for any graph, loops and shared endings included."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from helpflow import routes, uitext
from helpflow.conditions import Leaf, fold
from helpflow.engine import CompiledFlow
from helpflow.model import When
from helpflow.noderender import NodeContent


@dataclass
class Branch:
    label: str
    condition: str | None
    target_id: str
    anchor: str
    number: int = 0
    title: str = ""


@dataclass
class Section:
    number: int
    node_id: str
    anchor: str
    content: NodeContent
    resolution: str | None
    todo: str | None
    step_conditions: tuple[str | None, ...]
    branches: list[Branch] = field(default_factory=list)
    #: The language of `todo` where it differs from the page's: notes to authors are never
    #: translated, so a translated flow shows them in its source language, marked as such.
    todo_lang: str = ""


def describe(flow: CompiledFlow, condition: When) -> str:
    """A condition in words, from the labels the reader saw, in the language in effect."""
    _ = uitext.gettext
    both, either = _("%(left)s and %(right)s"), _("%(left)s or %(right)s")

    def answered(leaf: Leaf) -> str:
        parts = []
        for node, choices in leaf.items():
            labels = flow.content(node).choice_labels
            quoted = [_("“%(label)s”") % {"label": labels.get(c, c)} for c in choices]
            parts.append(_("if you answered %(labels)s") % {"labels": _joined(quoted, either)})
        return _joined(parts, both)

    return fold(
        condition,
        answered=answered,
        all_of=lambda items: _joined(list(items), both),
        any_of=lambda items: _joined(list(items), either),
        not_of=lambda inner: _("unless %(condition)s") % {"condition": inner},
    )


def _joined(items: list[str], pattern: str) -> str:
    """`a and b and c`, by a translated `%(left)s and %(right)s`."""
    text = items[0]
    for item in items[1:]:
        text = pattern % {"left": text, "right": item}
    return text


def reading_order(flow: CompiledFlow) -> list[str]:
    """Node ids breadth-first from the start, then any node no path reaches."""
    adjacency = routes.adjacency(routes.all_choices(flow.flow))
    order = [flow.flow.start]
    seen = {flow.flow.start}
    queue = deque(order)
    while queue:
        for edge in adjacency.get(queue.popleft(), ()):
            if edge.target not in seen and edge.target in flow.flow.nodes:
                seen.add(edge.target)
                order.append(edge.target)
                queue.append(edge.target)
    order.extend(n for n in flow.flow.nodes if n not in seen)
    return order


def _branches(flow: CompiledFlow, node_id: str, content: NodeContent) -> list[Branch]:
    found = []
    for spec in routes.choices(node_id, flow.flow.nodes[node_id]):
        availability = describe(flow, spec.when) if spec.when is not None else None
        rules = routes.rules(spec.target)
        for rule in rules:
            condition = describe(flow, rule.when) if rule.when is not None else None
            if condition is None and len(rules) > 1:
                condition = uitext.gettext("otherwise")
            words = "; ".join(w for w in (availability, condition) if w) or None
            label = content.choice_labels[spec.id]
            found.append(Branch(label, words, rule.to, f"hf-{rule.to}"))
    return found


def build_article(flow: CompiledFlow) -> list[Section]:
    """The article's sections, numbered in reading order, each node exactly once."""
    sections: list[Section] = []
    for number, node_id in enumerate(reading_order(flow), 1):
        parts = flow.parts(node_id)  # what a step at the node shows, as every face sees it
        content = parts.content
        sections.append(
            Section(
                number,
                node_id,
                f"hf-{node_id}",
                content,
                parts.outcome,
                flow.flow.nodes[node_id].todo,  # author notes: in the model only
                tuple(describe(flow, w) if w is not None else None for w in content.step_whens),
                _branches(flow, node_id, content),
                todo_lang=flow.source_lang if flow.source_lang != flow.lang else "",
            )
        )
    by_id = {s.node_id: s for s in sections}
    for section in sections:
        for branch in section.branches:
            target = by_id[branch.target_id]
            branch.number, branch.title = target.number, target.content.title
    return sections
