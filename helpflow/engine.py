"""The engine: a flow compiled once into a state machine, and the operations on sessions.

`CompiledFlow` is immutable and shared by every session and thread. Sessions are plain data
(see `helpflow.session`); every operation takes one and returns a new one, or raises a
`HelpflowError` subclass and leaves the given session as it was.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from helpflow import tokens, uitext
from helpflow._core import Core
from helpflow._gcpause import collector_paused
from helpflow._machine import follow
from helpflow._steps import StepParts, step_parts
from helpflow.assets import Asset
from helpflow.content import Prose
from helpflow.diagnostics import did_you_mean
from helpflow.errors import (
    AnswerError,
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
from helpflow.resume import Resumed, continue_walk, resume, settle
from helpflow.session import Answer, Replay, Session
from helpflow.step import AnswerView, FlowInfo, Step, with_token
from helpflow.versioning import flow_version

if TYPE_CHECKING:
    from helpflow.paths import FlowPath


class CompiledFlow:
    """A flow ready to run, bound to the vars of one embedding site (and optionally a secret
    that signs its tokens). Build it with `helpflow.load()` or `compile_flow()`."""

    def __init__(
        self,
        core: Core,
        *,
        vars: Mapping[str, str] | None = None,
        secret: bytes | None = None,
    ) -> None:
        self.core = core
        self.flow = core.flow
        self.id = core.flow.id
        self.version = core.version
        #: The language of the flow's text: its declared `lang` (default "en"), or the language
        #: it was translated into (see `helpflow.i18n`).
        self.lang = core.flow.lang or "en"
        #: The language of the flow this one was translated from (its own if not translated).
        self.source_lang = core.source_lang
        self.secret = secret
        self.vars = _bind_vars(core.flow, vars or {})
        #: Interface strings in the flow's language, with the flow's own `ui:` wording.
        self.ui = uitext.for_flow(self)
        self._texts = Texts(self.vars, core.templates, ui=self.ui.gettext)
        self._content: dict[str, NodeContent] = {}
        self._parts: dict[str, StepParts] = {}
        #: id of a shared Answer (see `Core.tokens`) → how the reader saw it.
        self._views: dict[int, AnswerView] = {}
        self.info = FlowInfo(
            id=self.id,
            title=self._texts.plain(self.flow.title),
            version=self.version,
            intro=self._texts.prose(self.flow.intro),
            applies_to=tuple(self._texts.plain(t) for t in self.flow.applies_to),
        )

    @property
    def assets(self) -> dict[str, Asset]:
        """The flow's local images (src as written → Asset) for publishing."""
        return self.core.assets

    def with_options(
        self, *, vars: Mapping[str, str] | None = None, secret: bytes | None = None
    ) -> CompiledFlow:
        """The same compiled flow for another site: other var values and/or token secret."""
        merged = {**self.vars, **(vars or {})}
        return CompiledFlow(self.core, vars=merged, secret=secret or self.secret)

    # --- sessions ----------------------------------------------------------------------------

    def start(self, *, record: bool = True) -> Session:
        """A session at the flow's first node. `record=False` for walks that are not a
        reader's (replays, analysis): listeners hear nothing of them."""
        fresh = Session(self.id, self.version, self.flow.start)
        return self._emit("started", fresh) if record else fresh

    def on_event(self, callback: Listener) -> None:
        """Call `callback(event)` for what readers do through this flow and its variants:
        started, answered, back, restart, changed, and reached for every step shown."""
        self.core.listeners.append(callback)

    def _emit(
        self, kind: EventType, session: Session, node: str | None = None, choice: str | None = None
    ) -> Session:
        if self.core.listeners:  # nothing to do, and no cost, for flows nobody listens to
            emit(self, self.core.listeners, kind, session, node, choice)
        return session

    def is_finished(self, session: Session) -> bool:
        return not self.core.options.get(session.node)

    def outcome(self, session: Session) -> Resolution | None:
        node = self.flow.nodes[session.node]
        return node.resolution if isinstance(node, OutcomeNode) else None

    def available(self, session: Session) -> tuple[str, ...]:
        """Ids of the choices the reader can make now."""
        self._check(session)
        latest = session.latest()
        options = self.core.options[session.node].values()
        return tuple(o.id for o in options if o.available(latest))

    def choose(self, session: Session, choice: str, *, record: bool = True) -> Session:
        """The session after `choice`, decided by the flow's state machine (`record`: as for
        `start`)."""
        self._check(session)
        latest = session.latest()
        self._allowed(session, choice, latest)
        after = self._moved(
            session, choice, self.core.machine.advance(session.node, latest, choice)
        )
        return self._emit("answered", after, session.node, choice) if record else after

    def advance(self, session: Session, choice: str) -> Session:
        """What `choose` returns, read from the transition table derived from the machine: for
        servers, which pay per request (tests prove the two agree on every path)."""
        self._check(session)
        latest = session.latest()
        self._allowed(session, choice, latest)
        after = self._moved(session, choice, follow(self.core.table, session.node, latest, choice))
        return self._emit("answered", after, session.node, choice)

    def _allowed(self, session: Session, choice: str, latest: Mapping[str, str]) -> None:
        options = self.core.options[session.node]
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
        if len(session.answers) >= tokens.MAX_ANSWERS:
            raise AnswerError(
                f"a session holds at most {tokens.MAX_ANSWERS} answers; go back or start again"
            )

    def _moved(self, session: Session, choice: str, dest: str | None) -> Session:
        if dest is None:  # pragma: no cover - lint guarantees every rule list has a default
            raise UnavailableChoiceError(f"choice {choice!r} of '{session.node}' leads nowhere")
        answer = self.core.answer(session.node, choice)
        moved = Session(self.id, self.version, dest, (*session.answers, answer))
        return settle(self, moved, session.pending) if session.pending else moved

    def fixed_target(self, node: str, choice: str) -> str | None:
        """Where `choice` at `node` leads whatever was answered before, or None when that
        depends on earlier answers. For bulk analysis (static site planning), which would
        otherwise run the state machine once per page and choice."""
        return self.core.fixed.get((node, choice))

    def back(self, session: Session) -> Session:
        self._check(session)
        if not session.answers:
            raise NotAnsweredError("already at the first question; there is nothing to go back to")
        return self._emit("back", self._before(session, len(session.answers) - 1))

    def restart(self, session: Session) -> Session:
        self._check(session)
        return self._emit("restart", self.start(record=False))

    def asked(self, session: Session, node: str) -> Session:
        """The session as it was when `node` was last asked: what a "change this answer"
        screen shows. Raises `NotAnsweredError` if `node` was never answered."""
        self._check(session)
        return self._before(session, self._answer_index(session, node))

    def change(self, session: Session, node: str, choice: str) -> Replay:
        """Answer `node` differently. Later answers that still lie on the new path are kept;
        the rest are dropped and listed in the result."""
        self._check(session)
        index = self._answer_index(session, node)
        changed = self.choose(self._before(session, index), choice, record=False)
        result = continue_walk(self, changed, session.answers[index + 1 :])
        self._emit("changed", result.session, node, choice)
        return result

    def _before(self, session: Session, index: int) -> Session:
        """The session just before answer `index` was given: that answer's node, the answers
        before it. Exact, since each answer was given at the node it names; no replay."""
        answers = session.answers
        return Session(self.id, self.version, answers[index].node, answers[:index])

    @staticmethod
    def _answer_index(session: Session, node: str) -> int:
        for index in range(len(session.answers) - 1, -1, -1):
            if session.answers[index].node == node:
                return index
        raise NotAnsweredError(f"'{node}' has not been answered in this session")

    def replay(self, answers: Sequence[Answer]) -> Replay:
        """Rebuild a session from answers, keyed by node: each answer is applied when the walk
        reaches its node and the choice is still available there."""
        return continue_walk(self, self.start(record=False), answers)

    def review(self, session: Session) -> tuple[AnswerView, ...]:
        """The answers so far as the reader saw them, for a "check your answers" summary."""
        self._check(session)
        return self._reviews(session.answers)

    def _review(self, answer: Answer) -> AnswerView:
        view = self.parts(answer.node).reviews[answer.choice]
        if self.core.answer(answer.node, answer.choice) is answer:
            # Only the engine's own answers, which live as long as the flow: their ids are
            # never reused while the entry exists.
            self._views[id(answer)] = view
        return view

    def _reviews(self, answers: tuple[Answer, ...]) -> tuple[AnswerView, ...]:
        get, slow = self._views.get, self._review
        return tuple([get(id(answer)) or slow(answer) for answer in answers])

    # --- tokens ------------------------------------------------------------------------------

    def token(self, session: Session) -> str:
        self._check(session)
        core = self.core
        get, slow = core.entry_of.get, core.entry
        entries = [get(id(a)) or slow(a) for a in session.answers]
        pending = [slow(a) for a in session.pending]
        node = core.node_index[session.node]
        return tokens.encode(
            self.id, self.version, core.widths, node, entries, pending, secret=self.secret
        )

    def resume(self, token: str) -> Resumed:
        """The session a token describes. A token this flow signed for its current version is
        taken as it is; others are replayed (see `helpflow.resume`). Raises `TokenError` for
        anything that is not a token of this flow (or, with a secret, not signed with it)."""
        return resume(self, token)

    # --- what renderers see ------------------------------------------------------------------

    def content(self, node: str) -> NodeContent:
        """The node's text with vars filled in and Markdown rendered (cached per node)."""
        cached = self._content.get(node)
        if cached is None:
            cached = self._texts.node(self.flow.nodes[node], self._labels(node))
            self._content[node] = cached
        return cached

    def _labels(self, node: str) -> dict[str, str]:
        return {o.id: o.label for o in self.core.options[node].values()}

    def content_for(self, session: Session) -> NodeContent:
        """The content of the session's node as this reader sees it: recalled answers filled
        in, only the steps whose `when` holds."""
        content = self.content(session.node)
        if not content.personal:
            return content
        latest = session.latest()
        recalled = {
            node: self.content(node).choice_labels.get(choice, choice)
            for node, choice in latest.items()
        }
        texts = Texts(self.vars, self.core.templates, recalled, ui=self.ui.gettext)
        return texts.node(self.flow.nodes[session.node], self._labels(session.node), latest)

    def parts(self, node: str) -> StepParts:
        """What every step at `node` shows whatever the answers (cached per node)."""
        cached = self._parts.get(node)
        if cached is None:
            cached = step_parts(
                node,
                self.flow.nodes[node],
                self.content(node),
                self.core.options[node],
                when=node in self.core.conditional,
            )
            self._parts[node] = cached
        return cached

    def prerender(self, *, tokens: bool = False) -> None:
        """Render every node's text now instead of on first use: for servers that want no
        first-visit cost, and for static builds, which show every node anyway. With `tokens`
        (servers), also build the tables that read tokens of older versions, so the first
        such token costs no more than any other."""
        for node in self.flow.nodes:
            self.parts(node)
        if tokens:
            self.core.by_hash(b"")

    def step(self, session: Session) -> Step:
        self._check(session)
        parts = self.parts(session.node)
        content = parts.content
        if content.personal:  # recalled answers or per-variant steps: this reader's version
            content = self.content_for(session)
        self._emit("reached", session, session.node)
        handoff = None
        contacts = content.contacts
        if parts.outcome == "escalate":  # what the reader would otherwise be asked again
            handoff = build_handoff(self, session, self.token(session))
            contacts = fill_contacts(contacts, handoff)
        answers = session.answers
        step = Step(
            flow=self.info,
            node_id=session.node,
            kind=parts.kind,
            title=content.title,
            body=content.body,
            steps=content.steps,
            links=content.links,
            contacts=contacts,
            choices=parts.offered(session.latest() if parts.conditions else None),
            answers=self._reviews(answers),
            can_go_back=bool(answers),
            outcome=parts.outcome,
            after=content.after,
            ask=content.ask,
            links_title=content.links_title,
            handoff=handoff,
            lang=self.lang,
        )
        return with_token(step, lambda: self.token(session))

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
        if session.node not in self.core.node_index:
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
    return CompiledFlow(Core(flow, base_dir, version=version), vars=vars, secret=secret)


def load(
    path: str | os.PathLike[str],
    *,
    vars: Mapping[str, str] | None = None,
    secret: bytes | None = None,
    strict: bool = False,
    lang: str | None = None,
) -> CompiledFlow:
    """Load, check and compile a flow file. Raises `FlowFileError` listing every error (and,
    with `strict`, every warning); `todo` findings never stop a load.

    `lang`: the flow's text in that language, from its gettext catalog (see `helpflow.i18n`);
    same version and tokens as the source. Raises `TranslationError` for a language without
    a catalog."""
    if lang is not None:
        from helpflow import i18n  # i18n compiles through this module

        return i18n.load(path, lang, vars=vars, secret=secret, strict=strict)
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
        compiled = compile_flow(flow, vars=vars, secret=secret, base_dir=Path(path).parent)
    return compiled


__all__ = ["CompiledFlow", "Prose", "Resumed", "compile_flow", "flow_version", "load"]
