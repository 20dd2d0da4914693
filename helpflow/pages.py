"""Which distinct pages a flow needs when every page must work without a server.

A page is a node plus the earlier answers that what it shows and where its choices lead depend
on: the `when` rules of the node and of everything reachable from it. The bundled flow's
"what's going wrong?" question exists once per purchase channel because the escalation at the
end depends on it; its "recover your Google account" page exists once. Nothing more is made.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from helpflow import graph
from helpflow.engine import CompiledFlow
from helpflow.nodecontent import answers_shown
from helpflow.session import Answer, Session

Known = tuple[tuple[str, str], ...]


class PageKey(NamedTuple):
    """A node and the earlier answers its page depends on. A named tuple: planning hashes and
    compares tens of thousands of these."""

    node: str
    known: Known = ()

    @property
    def slug(self) -> str:
        """A stable, readable path: `problem/purchase_channel-retail`."""
        return "/".join([self.node, *(f"{n}-{c}" for n, c in self.known)])


@dataclass
class PagePlan:
    start: PageKey
    relevant: dict[str, frozenset[str]]
    pages: list[PageKey] = field(default_factory=list)
    #: (choice id, page it leads to) for each page, in the node's choice order.
    links: dict[PageKey, list[tuple[str, PageKey]]] = field(default_factory=dict)
    predecessors: dict[PageKey, set[PageKey]] = field(default_factory=dict)


def relevant_answers(flow: CompiledFlow) -> dict[str, frozenset[str]]:
    """For each node, the nodes whose answers any `when` at or after it looks at."""
    specs = graph.all_choices(flow.flow)
    adjacency = graph.adjacency(specs)
    own: dict[str, set[str]] = {}
    for node_id, node_specs in specs.items():
        refs: set[str] = set()
        for spec in node_specs:
            refs.update(n for n, _ in graph.referenced_answers(spec.when))
        for edge in adjacency[node_id]:
            refs.update(n for n, _ in graph.referenced_answers(edge.when))
        own[node_id] = refs | answers_shown(flow.flow.nodes[node_id])
    incoming: dict[str, set[str]] = {n: set() for n in specs}
    for node_id, edges in adjacency.items():
        for edge in edges:
            if edge.target in incoming:
                incoming[edge.target].add(node_id)
    result = {n: set(refs) for n, refs in own.items()}
    queue = deque(specs)
    while queue:  # propagate backwards until nothing changes (loops included)
        node_id = queue.popleft()
        for source in incoming[node_id]:
            before = len(result[source])
            result[source] |= result[node_id]
            if len(result[source]) != before:
                queue.append(source)
    return {n: frozenset(refs) for n, refs in result.items()}


def session_for(flow: CompiledFlow, key: PageKey) -> Session:
    """A session standing at the page's node with just the answers the page depends on."""
    return Session(flow.id, flow.version, key.node, tuple(Answer(n, c) for n, c in key.known))


def _project(answers: Mapping[str, str], keep: frozenset[str]) -> Known:
    return tuple(sorted((n, c) for n, c in answers.items() if n in keep))


def plan_pages(flow: CompiledFlow) -> PagePlan:
    relevant = relevant_answers(flow)
    start = PageKey(flow.flow.start)
    plan = PagePlan(start, relevant, [start], {}, {start: set()})
    queue = deque([start])
    while queue:
        key = queue.popleft()
        session = session_for(flow, key)
        out: list[tuple[str, PageKey]] = []
        if not flow.is_finished(session):
            for choice in flow.available(session):
                answers = {**dict(key.known), key.node: choice}
                node = flow.fixed_target(key.node, choice) or flow.choose(session, choice).node
                target = PageKey(node, _project(answers, relevant[node]))
                out.append((choice, target))
                if target not in plan.predecessors:
                    plan.predecessors[target] = set()
                    plan.pages.append(target)
                    queue.append(target)
                plan.predecessors[target].add(key)
        plan.links[key] = out
    plan.pages.sort(key=lambda k: (k != start, k))
    return plan
