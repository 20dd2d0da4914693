"""Pages for a flow whose answers would multiply pages if carried: ask again where it matters.

Every node's page exists once (or once per set of choices its own `when` rules can offer).
A choice whose destination depends on earlier answers leads to a short chain of pages that
ask those questions again, one per page, until the rules are decided; a node whose offered
choices depend on earlier answers is entered through such a chain too. A chain's pages are
shared by every answer that leaves the same rules undecided, so a chain has at most one page
per question per distinct leftover: linear in the rules' size for the rule shapes flows use.

Which questions a chain asks is decided per node from the graph: a question that cannot have
been answered before the node counts as unanswered (asked nowhere); one answered on every way
to the node is asked again as it was; one answered on some ways only is asked again with an
extra link, "I wasn't asked this".
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable
from functools import cache
from typing import Any

from helpflow.conditions import Answered, Cond, freeze, nodes_in, settle
from helpflow_html.pagekeys import PageKey, PagePlan, Table, encode, successors

#: The choice id of the "I wasn't asked this" link on a page asking a question again.
NOT_ASKED = ""

#: A chain's state: what is left to decide; its result once decided.
State = tuple[Any, ...]


class _Reach:
    """Which questions can, must or cannot have been answered before a node."""

    def __init__(self, table: Table) -> None:
        self.table = table

    @cache  # noqa: B019 - one instance per build, dropped with it
    def _from(self, sources: frozenset[str], avoid: str | None) -> frozenset[str]:
        seen: set[str] = set()
        queue = deque(s for s in sources if s != avoid)
        seen.update(queue)
        while queue:
            for there in successors(self.table, queue.popleft()):
                if there not in seen and there != avoid:
                    seen.add(there)
                    queue.append(there)
        return frozenset(seen)

    def status(self, question: str, at: str) -> str:
        """'never', 'always' or 'maybe' answered when the reader is at `at`."""
        after = self._from(frozenset(successors(self.table, question)), None)
        if at not in after:
            return "never"
        avoiding = self._from(frozenset([self.table["start"]]), question)
        return "maybe" if at == question or at in avoiding else "always"


class _Planner:
    def __init__(self, table: Table, plan: PagePlan) -> None:
        self.nodes = table["nodes"]
        self.reach = _Reach(table)
        self.plan = plan
        self.queue: deque[PageKey] = deque()
        self.entries: dict[str, PageKey] = {}
        self.chains: dict[tuple[str, str, Hashable], PageKey] = {}
        self.variants: dict[tuple[str, tuple[str, ...]], PageKey] = {}
        self.offered: dict[PageKey, tuple[str, ...]] = {}
        self.counts: dict[tuple[str, str], int] = {}

    # --- chains ------------------------------------------------------------------------------

    def _static(self, at: str, conds: list[Cond]) -> dict[str, str | None]:
        """Questions that cannot have been answered yet at `at`: known to be unanswered."""
        return {q: None for c in conds for q in nodes_in(c) if self.reach.status(q, at) == "never"}

    def _chain(
        self,
        at: str,
        tag: str,
        state: State,
        narrow: Callable[[State, dict[str, str | None]], State],
        result: Callable[[State], PageKey | None],
        first: Callable[[State], str],
    ) -> PageKey:
        """The page deciding `state` (asking its first open question), or the page it leads
        to once decided. Equal leftovers share one page."""
        done = result(state)
        if done is not None:
            return done
        memo = (at, tag, freeze(state))
        key = self.chains.get(memo)
        if key is not None:
            return key
        question = first(state)
        count = self.counts[at, tag] = self.counts.get((at, tag), -1) + 1
        key = PageKey(at, (), f"{tag}.{count}", question)
        self.chains[memo] = key
        options = [c["id"] for c in self.nodes[question]["choices"]]
        if self.reach.status(question, at) == "maybe":
            options.append(NOT_ASKED)
        links = []
        for option in options:
            later = narrow(state, {question: option or None})
            links.append((option, self._chain(at, tag, later, narrow, result, first)))
        self._register(key, links)
        return key

    def _register(self, key: PageKey, links: list[tuple[str, PageKey]]) -> None:
        self.plan.add(key, None)
        self.plan.links[key] = links
        for _, target in links:
            self.plan.add(target, key)

    # --- where a node is entered, and where its choices lead ---------------------------------

    def entry(self, node: str, *, first_visit: bool = False) -> PageKey:
        """The page a link to `node` goes to: the node's page, or the chain that works out
        which of its choices to offer. `first_visit`: nothing has been answered yet."""
        if not first_visit and node in self.entries:
            return self.entries[node]
        choices = self.nodes[node]["choices"]
        known = Answered() if first_visit else self._static(node, [c["when"] for c in choices])
        state = tuple((c["id"], settle(c["when"], known)) for c in choices)

        def narrow(state: State, answer: dict[str, str | None]) -> State:
            return tuple((cid, settle(cond, answer)) for cid, cond in state)

        def result(state: State) -> PageKey | None:
            if any(not isinstance(cond, bool) for _, cond in state):
                return None
            return self._variant(node, tuple(cid for cid, cond in state if cond))

        def first(state: State) -> str:
            return next(nodes_in(next(c for _, c in state if not isinstance(c, bool))))

        key = self._chain(node, "offer", state, narrow, result, first)
        if not first_visit:
            self.entries[node] = key
        return key

    def _variant(self, node: str, offered: tuple[str, ...]) -> PageKey:
        key = self.variants.get((node, offered))
        if key is None:
            count = self.counts[node, ""] = self.counts.get((node, ""), -1) + 1
            key = PageKey(node, (), "index" if count == 0 else f"choices.{count}")
            self.variants[node, offered] = key
            self.offered[key] = offered
            self.plan.add(key, None)
            self.queue.append(key)
        return key

    def target(self, node: str, choice: dict[str, Any]) -> PageKey:
        """Where `choice` at `node` leads: the next node's entry, or a chain deciding it."""
        rules = choice["to"]
        known = self._static(node, [r["when"] for r in rules])
        state = self._narrow_rules(tuple((r["when"], r["to"]) for r in rules), known)

        def result(state: State) -> PageKey | None:
            return self.entry(state[0][1]) if state[0][0] is True else None

        def first(state: State) -> str:
            return next(nodes_in(state[0][0]))

        return self._chain(
            node, f"then.{encode(choice['id'])}", state, self._narrow_rules, result, first
        )

    @staticmethod
    def _narrow_rules(state: State, answer: dict[str, str | None]) -> State:
        narrowed = ((settle(cond, answer), to) for cond, to in state)
        return tuple((cond, to) for cond, to in narrowed if cond is not False)

    def run(self) -> None:
        while self.queue:
            key = self.queue.popleft()
            links = []
            by_id = {c["id"]: c for c in self.nodes[key.node]["choices"]}
            for choice_id in self.offered[key]:
                links.append((choice_id, self.target(key.node, by_id[choice_id])))
            self._register(key, links)


def plan_asking_again(table: Table, relevant: dict[str, frozenset[str]]) -> PagePlan:
    plan = PagePlan(PageKey(table["start"]), relevant, asks_again=True)
    planner = _Planner(table, plan)
    plan.start = planner.entry(table["start"], first_visit=True)
    planner.run()
    plan.predecessors[plan.start].discard(plan.start)
    return plan
