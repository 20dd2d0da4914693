"""The routes through a flow: which choices each node offers and where they can lead.

Lint, the engine, path enumeration and graph drawings all read the flow through these few
functions, so a fix node's implicit "did this solve it?" choices are defined in one place.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from helpflow.model import (
    AnyNode,
    FixNode,
    Flow,
    QuestionNode,
    Rule,
    Target,
    When,
)
from helpflow.uitext import N_

Loc = tuple[str | int, ...]

#: The choices of a fix that asks "did this solve it?".
SOLVED, NOT_SOLVED = "solved", "not_solved"
#: The implicit choices of a fix node, as (id, field, label).
#: (Interface strings: `helpflow.noderender` shows them in the flow's language.)
FIX_CHOICES: tuple[tuple[str, str, str], ...] = (
    ("next", "next", N_("Continue")),
    (SOLVED, "solved", N_("Yes, that fixed it")),
    (NOT_SOLVED, "not_solved", N_("No, I still need help")),
)


def asks_if_solved(choice_ids: Iterable[str]) -> bool:
    """Whether a step offering these choices asks "did this solve it?" (faces show it as a
    yes/no question rather than a list of answers)."""
    return set(choice_ids) == {SOLVED, NOT_SOLVED}


class ChoiceSpec(NamedTuple):
    """A choice as the engine sees it, whether written out (questions) or implied (fixes).

    Named tuples, not dataclasses: lint builds one per choice of 10,000-node flows, and a
    frozen dataclass costs several times more to create."""

    id: str
    label: str
    target: Target
    when: When | None
    loc: Loc  # where the choice's target is written


class Edge(NamedTuple):
    source: str
    choice: str
    target: str
    when: When | None  # the rule's condition; None for a plain target or the default rule
    loc: Loc


def choices(node_id: str, node: AnyNode) -> tuple[ChoiceSpec, ...]:
    if isinstance(node, QuestionNode):
        return tuple(
            ChoiceSpec(c.id, c.label, c.to, c.when, ("nodes", node_id, "choices", i, "to"))
            for i, c in enumerate(node.choices)
        )
    if isinstance(node, FixNode):
        found = []
        for choice_id, field, label in FIX_CHOICES:
            target = getattr(node, field)
            if target is not None:
                # `solved_label` / `not_solved_label` reword the answers ("Yes, it's green").
                label = getattr(node, f"{field}_label", None) or label
                found.append(ChoiceSpec(choice_id, label, target, None, ("nodes", node_id, field)))
        return tuple(found)
    return ()


def rules(target: Target) -> tuple[Rule, ...]:
    """A target as rules: a plain node id is one default rule."""
    if isinstance(target, str):
        return (Rule(to=target),)
    return target


def edges(node_id: str, specs: Iterable[ChoiceSpec]) -> Iterator[Edge]:
    for spec in specs:
        if isinstance(spec.target, str):
            yield Edge(node_id, spec.id, spec.target, None, spec.loc)
        else:
            for i, rule in enumerate(spec.target):
                yield Edge(node_id, spec.id, rule.to, rule.when, (*spec.loc, i, "to"))


def all_choices(flow: Flow) -> dict[str, tuple[ChoiceSpec, ...]]:
    return {node_id: choices(node_id, node) for node_id, node in flow.nodes.items()}


def adjacency(specs: Mapping[str, tuple[ChoiceSpec, ...]]) -> dict[str, list[Edge]]:
    return {node_id: list(edges(node_id, node_specs)) for node_id, node_specs in specs.items()}


Parents = dict[str, "tuple[str, str] | None"]


def search(start: str, graph: Mapping[str, Iterable[Edge]], *, avoid: str | None = None) -> Parents:
    """Breadth-first search; each reached node maps to (previous node, choice) or None."""
    if start == avoid or start not in graph:
        return {}
    parents: Parents = {start: None}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for edge in graph.get(here, ()):
            there = edge.target
            if there not in parents and there != avoid and there in graph:
                parents[there] = (here, edge.choice)
                queue.append(there)
    return parents


def witness(parents: Parents, node: str) -> tuple[str, ...]:
    """The shortest path to `node` as `node[choice]` hops, ending at `node` itself."""
    hops = [node]
    step = parents.get(node)
    while step is not None:
        previous, choice = step
        hops.append(f"{previous}[{choice}]")
        step = parents.get(previous)
    return tuple(reversed(hops))
