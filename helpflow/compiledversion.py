"""What every binding of one flow version shares: the machine, the table derived from it, the
choices each node offers, and how answers are written in tokens (`tokens.AnswerCodes`).

Built once per flow version and never changed after, except for the per-node caches of the
answer codes, filled on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpflow import routes
from helpflow.assets import flow_assets
from helpflow.conditions import Answers, Predicate, always, compile_when
from helpflow.diagnostics import did_you_mean
from helpflow.errors import AnswerError, FinishedError, UnavailableChoiceError, UnknownChoiceError
from helpflow.events.hook import Listener
from helpflow.model import Flow
from helpflow.noderender import Templates
from helpflow.statemachine import Arc, StateMachine, Table
from helpflow.tokens import MAX_ANSWERS, AnswerCodes
from helpflow.versioning import flow_version


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str
    available: Predicate


class CompiledVersion:
    def __init__(
        self, flow: Flow, base_dir: Path | None = None, *, version: str | None = None
    ) -> None:
        self.flow = flow
        #: Local images, when the flow came from a file (see `helpflow.assets`).
        self.assets = flow_assets(flow, base_dir) if base_dir is not None else {}
        #: Given for a translation: it keeps its source's version, so tokens work in every
        #: language.
        self.version = version or flow_version(flow)
        #: The language of the source flow (a translation's own is `flow.lang`).
        self.source_lang = flow.lang or "en"
        self.options: dict[str, dict[str, Option]] = {}
        #: Nodes where some choice has a `when`: only there is availability worked out per step.
        self.conditional: set[str] = set()
        #: (node, choice) → target, for choices that always lead to the same node.
        self.fixed: dict[tuple[str, str], str] = {}
        arcs: list[Arc] = []
        for node_id, specs in routes.all_choices(flow).items():
            table: dict[str, Option] = {}
            for spec in specs:
                available = compile_when(spec.when)
                table[spec.id] = Option(spec.id, spec.label, available)
                if available is not always:
                    self.conditional.add(node_id)
                arcs.extend(
                    Arc(node_id, spec.id, rule.to, compile_when(rule.when), rule.when)
                    for rule in routes.rules(spec.target)
                )
                if spec.when is None and isinstance(spec.target, str):
                    self.fixed[node_id, spec.id] = spec.target
            self.options[node_id] = table
        self.machine = StateMachine(flow.nodes, flow.start, arcs)
        self.listeners: list[Listener] = []  # flow.on_event callbacks, shared by variants
        #: (flow id, token) → hand-off reference (flow.on_handoff), shared by variants and
        #: translations like `listeners`; empty: the token itself is the reference.
        self.handoff_reference: list[Callable[[str, str], str]] = []
        #: Markdown rendered once per flow version, shared by every set of var values.
        self.templates = Templates(flow.vars, {a.src: a.href for a in self.assets.values()})
        self.table: Table = self.machine.transition_table()
        #: How this version's answers are written in tokens (and the shared Answer objects).
        self.codes = AnswerCodes({node: tuple(table) for node, table in self.options.items()})

    def reference(self, flow_id: str, token: str) -> str:
        """The hand-off reference of a session's token: the token, unless `on_handoff` set a
        maker of shorter ones."""
        made = self.handoff_reference
        return made[0](flow_id, token) if made else token

    def check_choice(self, node: str, choice: str, latest: Answers, answered: int) -> None:
        """Raise the error a reader gets for `choice` at `node` if it cannot be made now."""
        options = self.options[node]
        if not options:
            raise FinishedError(f"'{node}' is an outcome; there is nothing to choose")
        option = options.get(choice)
        if option is None:
            offered = [o.id for o in options.values() if o.available(latest)]
            raise UnknownChoiceError(
                f"'{node}' has no choice {choice!r}{did_you_mean(choice, offered)}; "
                f"choose one of: {', '.join(offered)}"
            )
        if not option.available(latest):
            raise UnavailableChoiceError(
                f"choice {choice!r} of '{node}' is not available after the answers given"
            )
        if answered >= MAX_ANSWERS:
            raise AnswerError(
                f"a session holds at most {MAX_ANSWERS} answers; go back or start again"
            )
