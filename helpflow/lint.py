"""Graph checks on a loaded flow, each finding pinned to the file and, for graph findings, a
witness path from the start that shows it happening.

Errors make a flow unusable (the engine refuses it); warnings are probably mistakes; `todo`
findings are gaps the author declared on purpose and never fail `--strict`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path

from helpflow import contentlint, routes, textvars, uitext
from helpflow.conditions import referenced_answers
from helpflow.diagnostics import Diagnostic, did_you_mean, sort_key
from helpflow.fields import step_texts
from helpflow.model import (
    CONDITION_WORDS,
    AnyNode,
    FixNode,
    Flow,
    OutcomeNode,
    QuestionNode,
    When,
)
from helpflow.routes import Edge, Loc
from helpflow.sanitize import url_is_safe
from helpflow.sourcemap import LoadedFlow, SourceMap


def lint(loaded: LoadedFlow) -> list[Diagnostic]:
    return sorted(_Linter(loaded).run(), key=sort_key)


class _Linter:
    def __init__(self, loaded: LoadedFlow) -> None:
        self.flow: Flow = loaded.flow
        self.sources: SourceMap = loaded.sources
        self.specs = routes.all_choices(self.flow)
        self.graph = routes.adjacency(self.specs)
        self.found: list[Diagnostic] = []

    def _report(
        self,
        loc: Loc,
        code: str,
        message: str,
        *,
        severity: str = "error",
        node: str | None = None,
        witness: tuple[str, ...] = (),
        key: bool = False,
    ) -> None:
        self.found.append(
            self.sources.diagnostic(
                loc, code, message, severity=severity, node=node, witness=witness, key=key
            )
        )

    def run(self) -> list[Diagnostic]:
        self._ids()
        self._targets()
        self._conditions()
        self._text_checks()
        self._todos()
        self._empty()
        self._content()
        self._ui_strings()
        if self.flow.start in self.flow.nodes:
            self._reachability()
            self._answers_given_before_use()
            self._report_all(contentlint.recalled_answers(self.flow, self._texts(), self.graph))
        return self.found

    def _report_all(self, findings: Iterator[contentlint.Finding]) -> None:
        for f in findings:
            self._report(
                f.loc, f.code, f.message, severity=f.severity, node=f.node, witness=f.witness
            )

    def _content(self) -> None:
        self._report_all(contentlint.dropped_content(self.flow))
        self._report_all(contentlint.outcomes(self.flow))
        self._report_all(contentlint.overridable_urls(self.flow))
        base_dir = Path(self.sources.main.path).parent
        self._report_all(contentlint.images(self.flow, base_dir))

    def _ui_strings(self) -> None:
        """`ui:` rewords helpflow's interface strings by their English msgid; a key that is
        not one would silently change nothing."""
        if not self.flow.ui:
            return
        known = uitext.msgids()
        for msgid in self.flow.ui:
            if msgid not in known:
                self._report(
                    ("ui", msgid),
                    "unknown-ui-string",
                    f"ui: {msgid!r} is not one of helpflow's interface strings, so it changes "
                    "nothing" + did_you_mean(msgid, sorted(known)),
                    severity="warning",
                    key=True,
                )

    # --- errors ----------------------------------------------------------------------------

    def _ids(self) -> None:
        nodes = self.flow.nodes
        if self.flow.start not in nodes:
            self._report(
                ("start",),
                "unknown-start",
                f"start {self.flow.start!r} is not a node"
                + did_you_mean(self.flow.start, list(nodes)),
            )
        for node_id in nodes:
            if node_id in CONDITION_WORDS:
                self._report(
                    ("nodes", node_id),
                    "reserved-id",
                    f"node id {node_id!r} is a word of the 'when' grammar; rename the node",
                    node=node_id,
                    key=True,
                )
            seen: set[str] = set()
            for spec in self.specs[node_id]:
                if spec.id in seen:
                    self._report(
                        spec.loc[:-1],
                        "duplicate-choice",
                        f"node {node_id!r}: choice id {spec.id!r} is used twice",
                        node=node_id,
                    )
                seen.add(spec.id)

    def _targets(self) -> None:
        names = list(self.flow.nodes)
        for node_id, out in self.graph.items():
            for edge in out:
                if edge.target not in self.flow.nodes:
                    self._report(
                        edge.loc,
                        "unknown-target",
                        f"node {node_id!r}: target {edge.target!r} is not a node"
                        + did_you_mean(edge.target, names),
                        node=node_id,
                    )

    def _conditions_of(self) -> Iterator[tuple[str, When, Loc]]:
        for node_id, specs in self.specs.items():
            for spec in specs:
                if spec.when is not None:
                    yield node_id, spec.when, (*spec.loc[:-1], "when")
            for edge in self.graph[node_id]:
                if edge.when is not None:
                    yield node_id, edge.when, (*edge.loc[:-1], "when")
            node = self.flow.nodes[node_id]
            if isinstance(node, FixNode):
                for i, step in enumerate(node.steps):
                    if not isinstance(step, str):
                        yield node_id, step.when, ("nodes", node_id, "steps", i, "when")

    def _conditions(self) -> None:
        nodes = self.flow.nodes
        for node_id, condition, loc in self._conditions_of():
            for asked, wanted in referenced_answers(condition):
                if asked not in nodes:
                    self._report(
                        loc,
                        "unknown-when-node",
                        f"node {node_id!r}: 'when' looks at {asked!r}, which is not a node"
                        + did_you_mean(asked, list(nodes)),
                        node=node_id,
                    )
                    continue
                if asked == node_id:
                    self._report(
                        loc,
                        "when-on-self",
                        f"node {node_id!r}: 'when' looks at this node's own answer, which is "
                        "not given yet",
                        node=node_id,
                    )
                offered = [c.id for c in self.specs[asked]]
                for choice_id in wanted:
                    if choice_id not in offered:
                        self._report(
                            loc,
                            "unknown-when-choice",
                            f"node {node_id!r}: 'when' expects {asked!r} = {choice_id!r}, but "
                            f"{asked!r} has no such choice{did_you_mean(choice_id, offered)}",
                            node=node_id,
                        )

    def _texts(self) -> Iterator[tuple[Loc, str]]:
        flow = self.flow
        yield ("title",), flow.title
        yield ("intro",), flow.intro
        for i, note in enumerate(flow.applies_to):
            yield ("applies_to", i), note
        for node_id, node in flow.nodes.items():
            yield from _node_texts(node_id, node)

    def _text_checks(self) -> None:
        """Vars used but not defined (and defined but unused), and unsafe link targets: one
        pass over every text field."""
        defined = self.flow.vars
        defaults = {name: var.default for name, var in defined.items()}
        used: set[str] = set()
        for loc, text in self._texts():
            node = str(loc[1]) if loc[0] == "nodes" else None
            for name in textvars.names_in(text):
                used.add(name)
                if name not in defined:
                    self._report(
                        loc,
                        "unknown-var",
                        f"{{{name}}} is not defined in 'vars'{did_you_mean(name, list(defined))}",
                        node=node,
                    )
            if loc[-1] == "url":
                url = textvars.fill(text, defaults)
                if not url_is_safe(url):
                    self._report(
                        loc,
                        "unsafe-url",
                        f"link {url!r} does not use http, https, mailto or tel",
                        node=node,
                    )
        for name, value in defaults.items():
            if name not in used:
                self._report(
                    ("vars", name),
                    "unused-var",
                    f"var {name!r} is never used",
                    severity="warning",
                    key=True,
                )
            if name.endswith("_url") and not url_is_safe(value):
                self._report(
                    ("vars", name, "default"),
                    "unsafe-url",
                    f"var {name!r}: {value!r} does not use http, https, mailto or tel",
                )

    # --- declared gaps -----------------------------------------------------------------------

    def _todos(self) -> None:
        for node_id, node in self.flow.nodes.items():
            if node.todo:
                self._report(
                    ("nodes", node_id, "todo"),
                    "todo",
                    f"node {node_id!r}: {node.todo}",
                    severity="todo",
                    node=node_id,
                )
        for name, var in self.flow.vars.items():
            if var.todo:
                self._report(
                    ("vars", name, "todo"), "todo", f"var {name!r}: {var.todo}", severity="todo"
                )

    # --- warnings ----------------------------------------------------------------------------

    def _empty(self) -> None:
        for node_id, node in self.flow.nodes.items():
            empty = False
            if isinstance(node, QuestionNode):
                empty = not node.prompt.strip()
            elif isinstance(node, FixNode):
                empty = not (node.body.strip() or node.steps)
            if empty:
                self._report(
                    ("nodes", node_id),
                    "empty-node",
                    f"node {node_id!r} has no text to show",
                    severity="warning",
                    node=node_id,
                )

    def _reachability(self) -> None:
        start = self.flow.start
        parents = routes.search(start, self.graph)
        for node_id in self.flow.nodes:
            if node_id not in parents:
                self._report(
                    ("nodes", node_id),
                    "unreachable",
                    f"node {node_id!r} cannot be reached from {start!r}",
                    severity="warning",
                    node=node_id,
                    key=True,
                )
        for node_id, specs in self.specs.items():
            if specs and all(s.when is not None for s in specs) and node_id in parents:
                self._report(
                    ("nodes", node_id),
                    "dead-end",
                    f"node {node_id!r}: every choice has a 'when'; "
                    "when none holds the reader is stuck",
                    severity="warning",
                    node=node_id,
                    witness=routes.witness(parents, node_id),
                    key=True,
                )
        finishing = self._can_finish()
        for node_id in parents:
            step = parents[node_id]
            if node_id in finishing or (step is not None and step[0] not in finishing):
                continue  # report only where a reader first enters a region with no way out
            self._report(
                ("nodes", node_id),
                "no-outcome",
                f"node {node_id!r}: no path from here reaches an outcome "
                "(dead end or endless loop)",
                severity="warning",
                node=node_id,
                witness=routes.witness(parents, node_id),
                key=True,
            )

    def _can_finish(self) -> set[str]:
        incoming: dict[str, list[str]] = {}
        for out in self.graph.values():
            for edge in out:
                incoming.setdefault(edge.target, []).append(edge.source)
        done = {n for n, node in self.flow.nodes.items() if isinstance(node, OutcomeNode)}
        queue = deque(done)
        while queue:
            for source in incoming.get(queue.popleft(), ()):
                if source not in done:
                    done.add(source)
                    queue.append(source)
        return done

    def _answers_given_before_use(self) -> None:
        users: dict[str, list[tuple[str, Loc]]] = {}
        for node_id, condition, loc in self._conditions_of():
            for asked, _ in referenced_answers(condition):
                if asked in self.flow.nodes and asked != node_id:
                    users.setdefault(asked, []).append((node_id, loc))
        for asked, uses in users.items():
            # One search per answered node, not per use: flows with thousands of conditions
            # usually look at a handful of answers.
            parents = routes.search(self.flow.start, self.graph, avoid=asked)
            for node_id, loc in uses:
                if node_id in parents:
                    self._report(
                        loc,
                        "answer-maybe-missing",
                        f"node {node_id!r}: 'when' looks at {asked!r}, but a reader can get here "
                        f"without answering it",
                        severity="warning",
                        node=node_id,
                        witness=routes.witness(parents, node_id),
                    )


def _node_texts(node_id: str, node: AnyNode) -> Iterator[tuple[Loc, str]]:
    base: Loc = ("nodes", node_id)
    if isinstance(node, QuestionNode):
        yield (*base, "prompt"), node.prompt
        yield (*base, "help"), node.help
        for i, choice in enumerate(node.choices):
            yield (*base, "choices", i, "label"), choice.label
        return
    yield (*base, "title"), node.title
    yield (*base, "body"), node.body
    if isinstance(node, FixNode):
        yield from step_texts(base, node)
    yield from contentlint.node_texts_extra(node_id, node)
    for i, link in enumerate(node.links):
        yield (*base, "links", i, "label"), link.label
        yield (*base, "links", i, "url"), link.url
    if isinstance(node, OutcomeNode):
        for i, contact in enumerate(node.contacts):
            for field in ("name", "url", "phone", "email", "hours", "note"):
                value = getattr(contact, field)
                if value is not None:
                    yield (*base, "contacts", i, field), value


__all__ = ["Edge", "lint"]
