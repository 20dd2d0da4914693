"""Which pages the static site has, and where each of their links goes.

Planned from the compiled transition table (`transition_table`), never by running the
state machine once per page. Two ways, chosen per flow:

- carrying: a node's page exists once per combination of the earlier answers that what it
  shows and where its choices lead depend on (the `when` rules of the node and of everything
  after it). The bundled flow's "what's going wrong?" page exists once per purchase channel
  because the escalation at the end depends on it. Used while the pages stay within a budget
  linear in the flow's size.
- asking again (`helpflow_html._reask`): every node's page exists once and a choice whose
  destination depends on earlier answers leads through pages that ask those questions again,
  right where the answer matters. Used when carrying would multiply pages: a flow with five
  intake questions feeding one "who to contact" rule.

Page paths are injective: ids are `[A-Za-z0-9_-]`, so `=`, `.` and `~` separate the parts,
an upper-case letter is spelled `~` + lower case (case-insensitive file systems), and every
file the site has besides node pages has a `.` in its name, which no node folder has.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from helpflow import graph
from helpflow.engine import CompiledFlow
from helpflow.nodecontent import answers_shown
from helpflow_html._when import Answered, nodes_in, settle
from helpflow_html.table import TABLE_FORMAT, condition_data

Known = tuple[tuple[str, str], ...]
Table = dict[str, Any]

#: Pages allowed per node and choice of the flow before the site asks again instead.
PAGES_PER_ITEM = 4
#: Answers one page may carry in its path: 8 * (64 + 1 + 64) characters stays far below
#: every file system's path limit.
MAX_CARRIED = 8


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
    for node_id, specs in graph.all_choices(flow.flow).items():
        choices = []
        for spec in specs:
            rules = graph.rules(spec.target)
            to = [{"when": condition_data(r.when), "to": r.to} for r in rules]
            choices.append({"id": spec.id, "when": condition_data(spec.when), "to": to})
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


def plan_pages(table: Table, *, per_item: int = PAGES_PER_ITEM) -> PagePlan:
    """The site's pages: carrying answers while that keeps within `per_item` pages per node
    and choice, else asking again."""
    relevant = relevant_answers(table)
    plan = _plan_carrying(table, relevant, per_item * size(table))
    if plan is None:
        from helpflow_html._reask import plan_asking_again

        plan = plan_asking_again(table, relevant)
    plan.pages.sort(key=lambda k: (k != plan.start, k))
    return plan


def _plan_carrying(
    table: Table, relevant: dict[str, frozenset[str]], limit: int
) -> PagePlan | None:
    """Pages carrying the answers they depend on, or None once they would exceed `limit`."""
    nodes = table["nodes"]
    start = PageKey(table["start"])
    plan = PagePlan(start, relevant)
    plan.add(start, None)
    queue = deque([start])
    while queue:
        key = queue.popleft()
        answers = Answered(key.known)
        out = []
        for choice in nodes[key.node]["choices"]:
            when, rules = choice["when"], choice["to"]
            if when is not None and settle(when, answers) is not True:
                continue
            node = (
                rules[0]["to"]  # the common case: one plain target
                if rules[0]["when"] is None
                else next(r["to"] for r in rules if settle(r["when"], answers) is True)
            )
            keep = relevant[node]
            if keep:
                after = {**answers, key.node: choice["id"]}
                known = tuple(sorted((n, after[n]) for n in keep if after.get(n)))
                if len(known) > MAX_CARRIED:
                    return None
                target = PageKey(node, known)
            else:
                target = PageKey(node)
            out.append((choice["id"], target))
            if plan.add(target, key):
                if len(plan.pages) > limit:
                    return None
                queue.append(target)
        plan.links[key] = out
    return plan
