"""What every binding of one flow version shares: the machine, the table derived from it, and
the indexes that turn answers into token entries and back.

Built once per flow version and never changed after, except for per-node caches filled on first
use (token entries, hash tables): a 10,000-node flow pays for the nodes readers visit, not for
all of them at load time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpflow import graph, tokens
from helpflow._machine import Arc, StateMachine, Table
from helpflow.assets import flow_assets
from helpflow.conditions import Predicate, always, compile_when
from helpflow.events.hook import Listener
from helpflow.model import Flow
from helpflow.nodecontent import Templates
from helpflow.session import Answer
from helpflow.versioning import flow_version


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str
    available: Predicate


@dataclass(frozen=True, slots=True)
class NodeTokens:
    """One node's answers, shared by every session (a session holds references, not copies),
    each with its token entry and its version-independent hash."""

    answers: dict[str, Answer]
    by_index: tuple[Answer, ...]
    entries: dict[str, bytes]
    digests: tuple[bytes, ...]


class Core:
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
        for node_id, specs in graph.all_choices(flow).items():
            table: dict[str, Option] = {}
            for spec in specs:
                available = compile_when(spec.when)
                table[spec.id] = Option(spec.id, spec.label, available)
                if available is not always:
                    self.conditional.add(node_id)
                arcs.extend(
                    Arc(node_id, spec.id, rule.to, compile_when(rule.when), rule.when)
                    for rule in graph.rules(spec.target)
                )
                if spec.when is None and isinstance(spec.target, str):
                    self.fixed[node_id, spec.id] = spec.target
            self.options[node_id] = table
        self.machine = StateMachine(flow.nodes, flow.start, arcs)
        self.listeners: list[Listener] = []  # flow.on_event callbacks, shared by variants
        #: Markdown rendered once per flow version, shared by every set of var values.
        self.templates = Templates(flow.vars, {a.src: a.href for a in self.assets.values()})
        self.table: Table = self.machine.transition_table()
        self.node_ids = tuple(flow.nodes)
        self.node_index = {node: i for i, node in enumerate(self.node_ids)}
        most = max((len(table) for table in self.options.values()), default=1)
        self.widths = (tokens.width(len(self.node_ids)), tokens.width(most))
        #: Written token entry → answer, and back (by the shared answer's identity), for every
        #: node whose entries were made so far: the per-answer work of a token is one look-up.
        self.by_entry: dict[bytes, Answer] = {}
        self.entry_of: dict[int, bytes] = {}
        self._tokens: dict[str, NodeTokens] = {}
        self._by_hash: dict[bytes, Answer | None] | None = None
        self._legacy: dict[str, dict[bytes, str | None]] = {}

    def tokens(self, node: str) -> NodeTokens:
        cached = self._tokens.get(node)
        if cached is None:
            index = self.node_index[node]
            answers = {choice: Answer(node, choice) for choice in self.options[node]}
            digests = tuple(tokens.answer_hash(node, choice) for choice in answers)
            entries = {
                choice: tokens.entry(index, i, digest, self.widths)
                for i, (choice, digest) in enumerate(zip(answers, digests, strict=True))
            }
            cached = NodeTokens(answers, tuple(answers.values()), entries, digests)
            self.by_entry.update((entries[choice], answers[choice]) for choice in answers)
            self.entry_of.update((id(answers[choice]), entries[choice]) for choice in answers)
            self._tokens[node] = cached
        return cached

    def from_entry(self, written: bytes) -> Answer | None:
        """The answer a token entry of this version names; None if it names none."""
        found = self.by_entry.get(written)
        if found is None:
            node_index, _, _ = tokens.split_entry(written, self.widths)
            if node_index < len(self.node_ids):
                self.tokens(self.node_ids[node_index])  # makes that node's entries
                found = self.by_entry.get(written)
        return found

    def entry(self, answer: Answer) -> bytes:
        """How `answer` is written in a token (also for an Answer the engine did not make)."""
        return self.entry_of.get(id(answer)) or self.tokens(answer.node).entries[answer.choice]

    def answer(self, node: str, choice: str) -> Answer:
        return self.tokens(node).answers[choice]

    def by_hash(self, digest: bytes) -> Answer | None:
        """The answer of this version whose format 2 hash is `digest`; None if there is none,
        or if two answers share it (an old token's answer is then dropped, never guessed)."""
        if self._by_hash is None:
            found: dict[bytes, Answer | None] = {}
            for node in self.node_ids:
                own = self.tokens(node)
                for answer, key in zip(own.by_index, own.digests, strict=True):
                    # A third sharer must not undo the first clash: once None, None for good.
                    found[key] = None if key in found else answer
            self._by_hash = found
        return self._by_hash.get(digest)

    def legacy_choices(self, node: str) -> dict[bytes, str | None]:
        """Format 1 hash → choice at `node`; None where two of its choices share a hash."""
        table = self._legacy.get(node)
        if table is None:
            table = {}
            for choice in self.options[node]:
                digest = tokens.legacy_answer_hash(node, choice)
                table[digest] = None if digest in table else choice  # shared: never guessed
            self._legacy[node] = table
        return table
