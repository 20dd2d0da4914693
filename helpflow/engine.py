"""The engine: a flow compiled once into a state machine, and the operations on sessions.

`CompiledFlow` is immutable and shared by every session and thread. Sessions are plain data
(`helpflow.session`); every operation takes one and returns a new one, or raises a
`HelpflowError` subclass and leaves the given session as it was. It keeps the sessions and
the machine; the rest is offered from elsewhere: what a version compiles to
(`compiledversion`), replays (`resume`), tokens, the Step (`stepbuilder`), `paths`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from helpflow import uitext
from helpflow.assets import Asset
from helpflow.compiledversion import CompiledVersion
from helpflow.content import Prose
from helpflow.errors import NotAnsweredError, TokenError, UnavailableChoiceError
from helpflow.events.hook import Listener, emit
from helpflow.events.model import EventType
from helpflow.handoff import build_handoff
from helpflow.model import Flow, OutcomeNode, Resolution
from helpflow.noderender import NodeContent
from helpflow.paths import FlowPath, all_paths
from helpflow.resume import continue_walk, resume, settle
from helpflow.session import Answer, Replay, Session
from helpflow.statemachine import follow
from helpflow.step import AnswerView, Step
from helpflow.stepbuilder import StepBuilder, StepParts
from helpflow.textvars import bind_vars
from helpflow.versioning import flow_version


class CompiledFlow:
    """A flow ready to run, bound to the vars of one embedding site (and optionally a secret
    that signs its tokens). Build it with `helpflow.load()` or `compile_flow()`."""

    def __init__(
        self,
        compiled: CompiledVersion,
        *,
        vars: Mapping[str, str] | None = None,
        secret: bytes | None = None,
    ) -> None:
        self.compiled = compiled
        self.flow = compiled.flow
        self.id = compiled.flow.id
        self.version = compiled.version
        #: The text's language (default "en") and its source's, if translated (`helpflow.i18n`).
        self.lang, self.source_lang = compiled.flow.lang or "en", compiled.source_lang
        self.secret = secret
        self.vars = bind_vars(compiled.flow, vars or {})
        #: Interface strings in the flow's language, with the flow's own `ui:` wording.
        self.ui = uitext.for_flow(self)
        self.step_builder = StepBuilder(compiled, self.vars, ui=self.ui.gettext)
        self.info = self.step_builder.info

    @property
    def assets(self) -> dict[str, Asset]:
        """The flow's local images (src as written → Asset) for publishing."""
        return self.compiled.assets

    def with_options(
        self, *, vars: Mapping[str, str] | None = None, secret: bytes | None = None
    ) -> CompiledFlow:
        """The same compiled flow for another site: other var values and/or token secret."""
        merged = {**self.vars, **(vars or {})}
        return CompiledFlow(self.compiled, vars=merged, secret=secret or self.secret)

    def start(self, *, record: bool = True) -> Session:
        """A session at the flow's first node. `record=False` for walks that are not a
        reader's (replays, analysis): listeners hear nothing of them."""
        fresh = Session(self.id, self.version, self.flow.start)
        return self._emit("started", fresh) if record else fresh

    def on_event(self, callback: Listener) -> None:
        """Call `callback(event)` for what readers do through this flow and its variants:
        started, answered, back, restart, changed, and reached for every step shown."""
        self.compiled.listeners.append(callback)

    def on_handoff(self, reference: Callable[[str, str], str]) -> None:
        """Hand-off references made by `reference(flow_id, token)`, not the token itself (for
        this flow, its variants and translations; see helpflow.events.references)."""
        self.compiled.handoff_reference[:] = [reference]

    def _emit(
        self, kind: EventType, session: Session, node: str | None = None, choice: str | None = None
    ) -> Session:
        if self.compiled.listeners:  # nothing to do, and no cost, for flows nobody listens to
            emit(self, self.compiled.listeners, kind, session, node, choice)
        return session

    def is_finished(self, session: Session) -> bool:
        return not self.compiled.options.get(session.node)

    def outcome(self, session: Session) -> Resolution | None:
        node = self.flow.nodes[session.node]
        return node.resolution if isinstance(node, OutcomeNode) else None

    def available(self, session: Session) -> tuple[str, ...]:
        """Ids of the choices the reader can make now."""
        self._check(session)
        latest = session.latest()
        options = self.compiled.options[session.node].values()
        return tuple(o.id for o in options if o.available(latest))

    def choose(self, session: Session, choice: str, *, record: bool = True) -> Session:
        """The session after `choice`, decided by the flow's state machine (`record`: as for
        `start`)."""
        self._check(session)
        latest = session.latest()
        self.compiled.check_choice(session.node, choice, latest, len(session.answers))
        after = self._moved(
            session, choice, self.compiled.machine.advance(session.node, latest, choice)
        )
        return self._emit("answered", after, session.node, choice) if record else after

    def advance(self, session: Session, choice: str) -> Session:
        """What `choose` returns, read from the transition table derived from the machine: for
        servers, which pay per request (tests prove the two agree on every path)."""
        self._check(session)
        latest = session.latest()
        self.compiled.check_choice(session.node, choice, latest, len(session.answers))
        after = self._moved(
            session, choice, follow(self.compiled.table, session.node, latest, choice)
        )
        return self._emit("answered", after, session.node, choice)

    def _moved(self, session: Session, choice: str, dest: str | None) -> Session:
        if dest is None:  # pragma: no cover - lint guarantees every rule list has a default
            raise UnavailableChoiceError(f"choice {choice!r} of '{session.node}' leads nowhere")
        answer = self.compiled.codes.answer(session.node, choice)
        moved = Session(self.id, self.version, dest, (*session.answers, answer))
        return settle(self, moved, session.pending) if session.pending else moved

    def fixed_target(self, node: str, choice: str) -> str | None:
        """Where `choice` at `node` leads whatever was answered before, or None when that
        depends on earlier answers. For bulk analysis (static site planning), which would
        otherwise run the state machine once per page and choice."""
        return self.compiled.fixed.get((node, choice))

    def back(self, session: Session) -> Session:
        self._check(session)
        if not session.answers:
            raise NotAnsweredError("already at the first question; there is nothing to go back to")
        return self._emit("back", session.before(len(session.answers) - 1))

    def restart(self, session: Session) -> Session:
        self._check(session)
        return self._emit("restart", self.start(record=False))

    def rewound_to(self, session: Session, node: str) -> Session:
        """The session as it was when `node` was last asked: what a "change this answer"
        screen shows. Raises `NotAnsweredError` if `node` was never answered."""
        self._check(session)
        return session.before(session.index_of(node))

    def change(self, session: Session, node: str, choice: str) -> Replay:
        """Answer `node` differently. Later answers that still lie on the new path are kept;
        the rest are dropped and listed in the result."""
        self._check(session)
        index = session.index_of(node)
        changed = self.choose(session.before(index), choice, record=False)
        result = continue_walk(self, changed, session.answers[index + 1 :])
        self._emit("changed", result.session, node, choice)
        return result

    def replay(self, answers: Sequence[Answer]) -> Replay:
        """Rebuild a session from answers, keyed by node: each answer is applied when the walk
        reaches its node and the choice is still available there."""
        return continue_walk(self, self.start(record=False), answers)

    def review(self, session: Session) -> tuple[AnswerView, ...]:
        """The answers so far as the reader saw them, for a "check your answers" summary."""
        self._check(session)
        return self.step_builder.reviews(session.answers)

    def token(self, session: Session) -> str:
        self._check(session)
        return self.compiled.codes.token(session, secret=self.secret)

    def resume(self, token: str) -> Replay:
        """The session a token describes. A token this flow signed for its current version is
        taken as it is; others are replayed (see `helpflow.resume`). Raises `TokenError` for
        anything that is not a token of this flow (or, with a secret, not signed with it)."""
        return resume(self, token)

    def content(self, node: str) -> NodeContent:
        """The node's text with vars filled in and Markdown rendered (cached per node)."""
        return self.step_builder.content(node)

    def content_for(self, session: Session) -> NodeContent:
        """The node's content as this reader sees it (answers recalled, steps whose `when` hold)."""
        return self.step_builder.content_for(session)

    def parts(self, node: str) -> StepParts:
        """What every step at `node` shows whatever the answers (cached per node)."""
        return self.step_builder.parts(node)

    def prerender(self, *, tokens: bool = False) -> None:
        """Render every node's text now, not on first use (servers: no first-visit cost; static
        builds show every node anyway). `tokens` (servers): also build the tables that read
        older versions' tokens, so the first such token costs no more than any other."""
        for node in self.flow.nodes:
            self.step_builder.parts(node)
        if tokens:
            self.compiled.codes.by_hash(b"")

    def step(self, session: Session) -> Step:
        self._check(session)
        self._emit("reached", session, session.node)
        return self.step_builder.step(
            session,
            lambda: self.token(session),
            lambda at: build_handoff(self, at, self.compiled.reference(self.id, self.token(at))),
        )

    def paths(self, *, limit: int = 100_000) -> list[FlowPath]:
        """Every way from the start to an outcome that the `when` rules allow, loops excluded.
        Stops after `limit` paths."""
        return all_paths(self, limit=limit)

    def _check(self, session: Session) -> None:
        if session.flow_id != self.id:
            raise TokenError(f"session is for flow {session.flow_id!r}, not {self.id!r}")
        if session.version != self.version:
            raise TokenError(
                f"session is for version {session.version} of {self.id!r}, not {self.version}; "
                "resume it from its token to replay the answers"
            )
        if session.node not in self.compiled.options:
            raise TokenError(f"session is at {session.node!r}, which is not a node of {self.id!r}")


def compile_flow(
    flow: Flow,
    *,
    vars: Mapping[str, str] | None = None,
    secret: bytes | None = None,
    base_dir: Path | None = None,
    version: str | None = None,
) -> CompiledFlow:
    """Compile a validated flow. Run `lint` first: the engine trusts that targets exist.
    `base_dir`: the flow file's folder, where its local images are. `version`: a translation
    passes its source's, so that sessions and tokens are shared by every language."""
    return CompiledFlow(CompiledVersion(flow, base_dir, version=version), vars=vars, secret=secret)


__all__ = ["CompiledFlow", "Prose", "Replay", "compile_flow", "flow_version"]
