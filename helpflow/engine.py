"""The engine: a flow compiled once into a state machine, and the operations on sessions.

`CompiledFlow` is immutable and shared by every session and thread. Sessions are plain data
(see `helpflow.session`); every operation takes one and returns a new one, or raises a
`HelpflowError` subclass and leaves the given session as it was.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from helpflow import graph, tokens
from helpflow._gcpause import collector_paused
from helpflow._machine import Arc, StateMachine
from helpflow.conditions import Predicate, compile_when
from helpflow.content import Prose
from helpflow.diagnostics import did_you_mean
from helpflow.errors import (
    FinishedError,
    FlowFileError,
    NotAnsweredError,
    TokenError,
    UnavailableChoiceError,
    UnknownChoiceError,
    VarError,
)
from helpflow.events.hook import Listener, emit
from helpflow.events.model import EventType
from helpflow.handoff import build_handoff, fill_contacts
from helpflow.lint import lint
from helpflow.loader import load_file
from helpflow.model import Flow, OutcomeNode, Resolution
from helpflow.nodecontent import NodeContent, Texts
from helpflow.session import Answer, Replay, Session
from helpflow.step import AnswerView, ChoiceView, FlowInfo, Step
from helpflow.versioning import flow_version

if TYPE_CHECKING:
    from helpflow.paths import FlowPath


@dataclass(frozen=True, slots=True)
class _Option:
    id: str
    label: str
    available: Predicate


@dataclass(frozen=True, slots=True)
class Resumed:
    """A session rebuilt from a token.

    `version_changed` says the token was made for another version of the flow; its answers
    were replayed against this one. If they stopped fitting, `diverged_at` is the node where
    that happened and `dropped` counts the answers that could not be kept.
    """

    session: Session
    version_changed: bool
    diverged_at: str | None = None
    dropped: int = 0


class _Core:
    """What all bindings of one flow version share: the machine and the choice tables."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.version = flow_version(flow)
        self._hashes: dict[str, dict[bytes, str]] = {}
        self.options: dict[str, dict[str, _Option]] = {}
        #: (node, choice) → target, for choices that always lead to the same node.
        self.fixed: dict[tuple[str, str], str] = {}
        arcs: list[Arc] = []
        for node_id, specs in graph.all_choices(flow).items():
            table: dict[str, _Option] = {}
            for spec in specs:
                table[spec.id] = _Option(spec.id, spec.label, compile_when(spec.when))
                arcs.extend(
                    Arc(node_id, spec.id, rule.to, compile_when(rule.when))
                    for rule in graph.rules(spec.target)
                )
                if spec.when is None and isinstance(spec.target, str):
                    self.fixed[node_id, spec.id] = spec.target
            self.options[node_id] = table
        self.machine = StateMachine(flow.nodes, flow.start, arcs)
        self.listeners: list[Listener] = []  # flow.on_event callbacks, shared by variants

    def choice_for_hash(self, node: str, digest: bytes) -> str | None:
        """The choice at `node` whose token hash is `digest`: filled per node on first use,
        so resuming a token costs a dict look-up per answer, not a hash per choice."""
        table = self._hashes.get(node)
        if table is None:
            table = {tokens.answer_hash(node, choice): choice for choice in self.options[node]}
            self._hashes[node] = table
        return table.get(digest)


class CompiledFlow:
    """A flow ready to run, bound to the vars of one embedding site (and optionally a secret
    that signs its tokens). Build it with `helpflow.load()` or `compile_flow()`."""

    def __init__(
        self,
        core: _Core,
        *,
        vars: Mapping[str, str] | None = None,
        secret: bytes | None = None,
    ) -> None:
        self._core = core
        self.flow = core.flow
        self.id = core.flow.id
        self.version = core.version
        self.secret = secret
        self.vars = _bind_vars(core.flow, vars or {})
        self._texts = Texts(self.vars)
        self._content: dict[str, NodeContent] = {}
        self.info = FlowInfo(
            id=self.id,
            title=self._texts.plain(self.flow.title),
            version=self.version,
            intro=self._texts.prose(self.flow.intro),
            applies_to=tuple(self._texts.plain(t) for t in self.flow.applies_to),
        )

    def with_options(
        self, *, vars: Mapping[str, str] | None = None, secret: bytes | None = None
    ) -> CompiledFlow:
        """The same compiled flow for another site: other var values and/or token secret."""
        merged = {**self.vars, **(vars or {})}
        return CompiledFlow(self._core, vars=merged, secret=secret or self.secret)

    # --- sessions ----------------------------------------------------------------------------

    def start(self) -> Session:
        return self._emit("started", self._fresh())

    def _fresh(self) -> Session:
        return Session(self.id, self.version, self.flow.start)

    def on_event(self, callback: Listener) -> None:
        """Call `callback(event)` for what readers do through this flow and its variants:
        started, answered, back, restart, changed, and reached for every step shown."""
        self._core.listeners.append(callback)

    def _emit(
        self, kind: EventType, session: Session, node: str | None = None, choice: str | None = None
    ) -> Session:
        if self._core.listeners:  # nothing to do, and no cost, for flows nobody listens to
            emit(self, self._core.listeners, kind, session, node, choice)
        return session

    def is_finished(self, session: Session) -> bool:
        return not self._core.options.get(session.node)

    def outcome(self, session: Session) -> Resolution | None:
        node = self.flow.nodes[session.node]
        return node.resolution if isinstance(node, OutcomeNode) else None

    def available(self, session: Session) -> tuple[str, ...]:
        """Ids of the choices the reader can make now."""
        self._check(session)
        latest = session.latest()
        options = self._core.options[session.node].values()
        return tuple(o.id for o in options if o.available(latest))

    def choose(self, session: Session, choice: str) -> Session:
        self._check(session)
        after = self._advance(session, choice, session.latest())
        return self._emit("answered", after, session.node, choice)

    def _advance(self, session: Session, choice: str, latest: dict[str, str]) -> Session:
        options = self._core.options[session.node]
        if not options:
            raise FinishedError(f"'{session.node}' is an outcome; there is nothing to choose")
        option = options.get(choice)
        if option is None:
            offered = [o.id for o in options.values() if o.available(latest)]
            raise UnknownChoiceError(
                f"'{session.node}' has no choice {choice!r}{did_you_mean(choice, offered)}; "
                f"choose one of: {', '.join(offered)}"
            )
        if not option.available(latest):
            raise UnavailableChoiceError(
                f"choice {choice!r} of '{session.node}' is not available after the answers given"
            )
        dest = self._core.machine.advance(session.node, latest, choice)
        if dest is None:  # pragma: no cover - lint guarantees every rule list has a default
            raise UnavailableChoiceError(f"choice {choice!r} of '{session.node}' leads nowhere")
        return Session(
            self.id, self.version, dest, (*session.answers, Answer(session.node, choice))
        )

    def fixed_target(self, node: str, choice: str) -> str | None:
        """Where `choice` at `node` leads whatever was answered before, or None when that
        depends on earlier answers. For bulk analysis (static site planning), which would
        otherwise run the state machine once per page and choice."""
        return self._core.fixed.get((node, choice))

    def back(self, session: Session) -> Session:
        self._check(session)
        if not session.answers:
            raise NotAnsweredError("already at the first question; there is nothing to go back to")
        return self._emit("back", self.replay(session.answers[:-1]).session)

    def restart(self, session: Session) -> Session:
        self._check(session)
        return self._emit("restart", self._fresh())

    def asked(self, session: Session, node: str) -> Session:
        """The session as it was when `node` was last asked: what a "change this answer"
        screen shows. Raises `NotAnsweredError` if `node` was never answered."""
        self._check(session)
        return self.replay(session.answers[: self._answer_index(session, node)]).session

    def change(self, session: Session, node: str, choice: str) -> Replay:
        """Answer `node` differently. Later answers that still lie on the new path are kept;
        the rest are dropped and listed in the result."""
        self._check(session)
        index = self._answer_index(session, node)
        before = self.replay(session.answers[:index]).session
        changed = self._advance(before, choice, before.latest())
        result = self._continue(changed, session.answers[index + 1 :])
        self._emit("changed", result.session, node, choice)
        return result

    @staticmethod
    def _answer_index(session: Session, node: str) -> int:
        for index in range(len(session.answers) - 1, -1, -1):
            if session.answers[index].node == node:
                return index
        raise NotAnsweredError(f"'{node}' has not been answered in this session")

    def replay(self, answers: Sequence[Answer]) -> Replay:
        """Rebuild a session from answers, keyed by node: each answer is applied when the walk
        reaches its node and the choice is still available there."""
        return self._continue(self._fresh(), answers)

    def _continue(self, session: Session, answers: Sequence[Answer]) -> Replay:
        pending: dict[str, deque[Answer]] = {}
        for answer in answers:
            pending.setdefault(answer.node, deque()).append(answer)
        used: set[int] = set()

        def pick(node: str, offered: tuple[str, ...]) -> str | None:
            queue = pending.get(node)
            if queue and queue[0].choice in offered:
                answer = queue.popleft()
                used.add(id(answer))
                return answer.choice
            return None

        session = self._walk(session, pick, limit=len(answers))
        dropped = tuple(a for a in answers if id(a) not in used)
        return Replay(session, dropped, session.node if dropped else None)

    def _walk(
        self, session: Session, pick: Callable[[str, tuple[str, ...]], str | None], *, limit: int
    ) -> Session:
        for _ in range(limit):
            if self.is_finished(session):
                break
            choice = pick(session.node, self.available(session))
            if choice is None:
                break
            session = self._advance(session, choice, session.latest())
        return session

    def review(self, session: Session) -> tuple[AnswerView, ...]:
        """The answers so far as the reader saw them, for a "check your answers" summary."""
        self._check(session)
        views = []
        for answer in session.answers:
            content = self.content(answer.node)
            label = content.choice_labels.get(answer.choice, answer.choice)
            views.append(AnswerView(answer.node, content.title, answer.choice, label))
        return tuple(views)

    # --- tokens ------------------------------------------------------------------------------

    def token(self, session: Session) -> str:
        self._check(session)
        return tokens.encode(self.id, self.version, session.answers, secret=self.secret)

    def resume(self, token: str) -> Resumed:
        """The session a token describes. A token from an older version of this flow is
        replayed; see `Resumed`. Raises `TokenError` for anything that is not a token of this
        flow (or, with a secret, not signed with it)."""
        data = tokens.decode(token, secret=self.secret)
        if data.flow_id != self.id:
            raise TokenError(f"session token is for flow {data.flow_id!r}, not {self.id!r}")
        hashes = data.answer_hashes
        position = 0

        def pick(node: str, offered: tuple[str, ...]) -> str | None:
            nonlocal position
            if position >= len(hashes):
                return None
            choice = self._core.choice_for_hash(node, hashes[position])
            if choice is None or choice not in offered:
                return None
            position += 1
            return choice

        session = self._walk(self._fresh(), pick, limit=len(hashes))
        changed = not self.version.startswith(data.version_prefix)
        dropped = len(hashes) - position
        if dropped and not changed:
            raise TokenError(
                "session token does not fit this flow: it was changed or made elsewhere"
            )
        return Resumed(session, changed, session.node if dropped else None, dropped)

    # --- what renderers see ------------------------------------------------------------------

    def content(self, node: str) -> NodeContent:
        """The node's text with vars filled in and Markdown rendered (cached per node)."""
        cached = self._content.get(node)
        if cached is None:
            labels = {o.id: o.label for o in self._core.options[node].values()}
            cached = self._texts.node(self.flow.nodes[node], labels)
            self._content[node] = cached
        return cached

    def prerender(self) -> None:
        """Render every node's text now instead of on first use: for servers that want no
        first-visit cost, and for static builds, which show every node anyway."""
        for node in self.flow.nodes:
            self.content(node)

    def step(self, session: Session) -> Step:
        self._check(session)
        node = self.flow.nodes[session.node]
        content = self.content(session.node)
        choices = tuple(
            ChoiceView(choice, content.choice_labels[choice]) for choice in self.available(session)
        )
        self._emit("reached", session, session.node)
        token = self.token(session)
        handoff = None
        contacts = content.contacts
        if isinstance(node, OutcomeNode) and node.resolution == "escalate":
            handoff = build_handoff(self, session, token)
            contacts = fill_contacts(contacts, handoff)
        return Step(
            flow=self.info,
            node_id=session.node,
            kind=node.kind,
            title=content.title,
            body=content.body,
            steps=content.steps,
            links=content.links,
            contacts=contacts,
            choices=choices,
            answers=self.review(session),
            can_go_back=bool(session.answers),
            outcome=node.resolution if isinstance(node, OutcomeNode) else None,
            token=token,
            handoff=handoff,
        )

    # --- analysis ----------------------------------------------------------------------------

    def paths(self, *, limit: int = 100_000) -> list[FlowPath]:
        """Every way from the start to an outcome that the `when` rules allow, loops excluded.
        Stops after `limit` paths."""
        from helpflow.paths import all_paths

        return all_paths(self, limit=limit)

    def _check(self, session: Session) -> None:
        if session.flow_id != self.id:
            raise TokenError(f"session is for flow {session.flow_id!r}, not {self.id!r}")
        if session.version != self.version:
            raise TokenError(
                f"session is for version {session.version} of {self.id!r}, not {self.version}; "
                "resume it from its token to replay the answers"
            )
        if session.node not in self._core.machine:
            raise TokenError(f"session is at {session.node!r}, which is not a node of {self.id!r}")


def _bind_vars(flow: Flow, overrides: Mapping[str, str]) -> dict[str, str]:
    values = {name: var.default for name, var in flow.vars.items()}
    for name, value in overrides.items():
        if name not in values:
            raise VarError(
                f"flow {flow.id!r} has no var {name!r}{did_you_mean(name, list(values))}; "
                f"it has: {', '.join(values) or 'none'}"
            )
        if not isinstance(value, str):
            raise VarError(f"var {name!r} must be text")
        values[name] = value
    return values


def compile_flow(
    flow: Flow, *, vars: Mapping[str, str] | None = None, secret: bytes | None = None
) -> CompiledFlow:
    """Compile a validated flow. Run `lint` first: the engine trusts that targets exist."""
    return CompiledFlow(_Core(flow), vars=vars, secret=secret)


def load(
    path: str | os.PathLike[str],
    *,
    vars: Mapping[str, str] | None = None,
    secret: bytes | None = None,
    strict: bool = False,
) -> CompiledFlow:
    """Load, check and compile a flow file. Raises `FlowFileError` listing every error (and,
    with `strict`, every warning); `todo` findings never stop a load."""
    with collector_paused():
        loaded = load_file(path)
        blocking = {"error", "warning"} if strict else {"error"}
        problems = [d for d in lint(loaded) if d.severity in blocking]
        if problems:
            raise FlowFileError(problems)
        flow = loaded.flow
        # Free the YAML node tree (most of what was allocated) before the collector is back,
        # so its first pass does not walk millions of objects that are garbage anyway.
        del loaded
        compiled = compile_flow(flow, vars=vars, secret=secret)
    return compiled


__all__ = ["CompiledFlow", "Prose", "Resumed", "compile_flow", "flow_version", "load"]
