"""The static site's pages as data: page keys and their paths, the plan that lists them, and
the table and answer analysis both ways of planning read (see `helpflow_html.plan`).

Page paths are injective: ids are `[A-Za-z0-9_-]`, so `=`, `.` and `~` separate the parts,
an upper-case letter is spelled `~` + lower case (case-insensitive file systems), and every
file the site has besides node pages has a `.` in its name, which no node folder has.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from helpflow import routes
from helpflow.conditions import nodes_in, normal_form
from helpflow.engine import CompiledFlow
from helpflow.noderender import answers_shown
from helpflow_html.table import TABLE_FORMAT

Known = tuple[tuple[str, str], ...]
Table = dict[str, Any]


class PageKey(NamedTuple):
    """One page: the node whose folder it is in, the answers it carries, its file name
    (without `.html`) and, on a page asking a question again, that question."""

    node: str
    known: Known = ()
    name: str = "index"
    shows: str = ""

    @property
    def shown(self) -> str:
        """The node whose content the page shows."""
        return self.shows or self.node


def encode(node_id: str) -> str:
    """A node or choice id as a path segment, one spelling per id even where the file system
    ignores case."""
    if node_id.islower() or not any(c.isupper() for c in node_id):
        return node_id
    return "".join(f"~{c.lower()}" if c.isupper() else c for c in node_id)


def page_folder(key: PageKey) -> str:
    return "/".join([encode(key.node), *(f"{encode(n)}={encode(c)}" for n, c in key.known)])


def page_path(key: PageKey) -> str:
    """`problem/purchase_channel=retail/index.html`: an explicit file, so links work opened
    from disk (file://) as well as served."""
    return f"{page_folder(key)}/{key.name}.html"


@dataclass
class PagePlan:
    start: PageKey
    relevant: dict[str, frozenset[str]]
    pages: list[PageKey] = field(default_factory=list)
    #: (choice id, page it leads to) for each page, in the node's choice order.
    links: dict[PageKey, list[tuple[str, PageKey]]] = field(default_factory=dict)
    predecessors: dict[PageKey, set[PageKey]] = field(default_factory=dict)
    #: True when the site asks questions again instead of carrying answers.
    asks_again: bool = False

    def add(self, key: PageKey, source: PageKey | None) -> bool:
        """Record a link to `key`; True the first time the page is seen."""
        new = key not in self.predecessors
        if new:
            self.predecessors[key] = set()
            self.pages.append(key)
        if source is not None:
            self.predecessors[key].add(source)
        return new


def transition_table(flow: CompiledFlow) -> Table:
    """`helpflow_html.table.flow_table` without the node content, which planning never reads and
    which cost as much as planning itself: each choice's `when` and `to` rules, same shape."""
    nodes = {}
    for node_id, specs in routes.all_choices(flow.flow).items():
        choices = []
        for spec in specs:
            rules = routes.rules(spec.target)
            to = [{"when": normal_form(r.when), "to": r.to} for r in rules]
            choices.append({"id": spec.id, "when": normal_form(spec.when), "to": to})
        # Answers the node's own text depends on (per-variant steps, recalled answers).
        shows = sorted(answers_shown(flow.flow.nodes[node_id]))
        nodes[node_id] = {"choices": choices, "shows": shows}
    return {"format": TABLE_FORMAT, "id": flow.id, "start": flow.flow.start, "nodes": nodes}


def successors(table: Table, node: str) -> set[str]:
    return {rule["to"] for choice in table["nodes"][node]["choices"] for rule in choice["to"]}


def relevant_answers(table: Table) -> dict[str, frozenset[str]]:
    """For each node, the nodes whose answers any `when` at or after it looks at."""
    nodes = table["nodes"]
    result: dict[str, set[str]] = {}
    incoming: dict[str, set[str]] = {n: set() for n in nodes}
    for node_id, node in nodes.items():
        refs: set[str] = set(node.get("shows", ()))
        for choice in node["choices"]:
            refs.update(nodes_in(choice["when"]))
            for rule in choice["to"]:
                refs.update(nodes_in(rule["when"]))
                incoming[rule["to"]].add(node_id)
        result[node_id] = refs
    queue = deque(nodes)
    while queue:  # propagate backwards until nothing changes (loops included)
        node_id = queue.popleft()
        for source in incoming[node_id]:
            before = len(result[source])
            result[source] |= result[node_id]
            if len(result[source]) != before:
                queue.append(source)
    return {n: frozenset(refs) for n, refs in result.items()}


def size(table: Table) -> int:
    """A flow's size for page budgets: its nodes and choices."""
    nodes = table["nodes"].values()
    return len(nodes) + sum(len(n["choices"]) for n in nodes)
