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

Page keys, paths and the plan's data live in `helpflow_html.pagekeys` (re-exported here).
"""

from __future__ import annotations

from collections import deque

from helpflow.conditions import Answered, settle
from helpflow_html._reask import plan_asking_again
from helpflow_html.pagekeys import (
    Known,
    PageKey,
    PagePlan,
    Table,
    encode,
    page_folder,
    page_path,
    relevant_answers,
    size,
    successors,
    transition_table,
)

#: Pages allowed per node and choice of the flow before the site asks again instead.
PAGES_PER_ITEM = 4
#: Answers one page may carry in its path: 8 * (64 + 1 + 64) characters stays far below
#: every file system's path limit.
MAX_CARRIED = 8


def plan_pages(table: Table, *, per_item: int = PAGES_PER_ITEM) -> PagePlan:
    """The site's pages: carrying answers while that keeps within `per_item` pages per node
    and choice, else asking again."""
    relevant = relevant_answers(table)
    plan = _plan_carrying(table, relevant, per_item * size(table))
    if plan is None:
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


__all__ = [
    "MAX_CARRIED",
    "PAGES_PER_ITEM",
    "Known",
    "PageKey",
    "PagePlan",
    "Table",
    "encode",
    "page_folder",
    "page_path",
    "plan_pages",
    "relevant_answers",
    "size",
    "successors",
    "transition_table",
]
