"""From a token (or a list of answers) back to a session.

Three ways, cheapest first:
- a token this flow signed, for its current version: trusted as it is. Its answers are looked
  up by position, no walk through the flow: the cost is building the answers list.
- an unsigned token for the current version: the same look-up, then a replay through the
  engine, which must land exactly where the token says (else the token was made up).
- a token from another version (or format 1): replayed by node, each answer applied when the
  walk reaches its node and the choice is still offered there; the result says where the path
  diverged and how many answers could not be kept.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from helpflow import tokens
from helpflow.errors import TokenError
from helpflow.session import Answer, Replay, Session

if TYPE_CHECKING:
    from helpflow.engine import CompiledFlow

Pick = Callable[[str, tuple[str, ...]], "str | None"]


def resume(flow: CompiledFlow, token: str) -> Replay:
    data = tokens.decode(token, secret=flow.secret)
    if data.flow_id != flow.id:
        raise TokenError(f"session token is for flow {data.flow_id!r}, not {flow.id!r}")
    current = flow.version.startswith(data.version_prefix)
    if isinstance(data, tokens.LegacyTokenData):
        return _legacy(flow, data.answer_hashes, changed=not current)
    if not current:
        return _older(flow, data.entries)
    session = _exact(flow, data)
    if flow.secret is None:
        # Unsigned: anyone could have written it, so it must be a walk the engine would take.
        replay = continue_walk(flow, flow.start(record=False), session.answers)
        if (replay.session.node, replay.session.answers) != (session.node, session.answers):
            raise TokenError(
                "session token does not fit this flow: it was changed or made elsewhere"
            )
    return Replay(session)


def _exact(flow: CompiledFlow, data: tokens.TokenData) -> Session:
    """The session a current-version token names: each entry looked up whole (its positions
    and its hash must all match), no walk."""
    codes = flow.compiled.codes
    by_entry = codes.by_entry
    answers = [by_entry.get(written) or codes.from_entry(written) for written in data.entries]
    # all(), not `None in answers`: that would call Answer.__eq__ once per answer.
    if data.widths != codes.widths or data.node >= len(codes.node_ids) or not all(answers):
        raise TokenError("session token does not fit this flow: it was changed or made elsewhere")
    found = cast("list[Answer]", answers)
    given, pending = tuple(found[: data.answered]), tuple(found[data.answered :])
    return Session(flow.id, flow.version, codes.node_ids[data.node], given, pending)


def _older(flow: CompiledFlow, entries: Sequence[bytes]) -> Replay:
    # Positions mean nothing in another version: only the hash (the last bytes) is read.
    known = [flow.compiled.codes.by_hash(written[-tokens.HASH_BYTES :]) for written in entries]
    answers = [answer for answer in known if answer is not None]
    session, dropped = _placed(continue_walk(flow, flow.start(record=False), answers))
    unread = len(entries) - len(answers)
    lost = unread + len(dropped)
    return Replay(session, dropped, session.node if lost else None, True, unread)


def settle(flow: CompiledFlow, session: Session, pending: Sequence[Answer]) -> Session:
    """`session` after applying the `pending` answers that fit from where it stands."""
    return _placed(continue_walk(flow, session, pending))[0]


def _placed(replay: Replay) -> tuple[Session, tuple[Answer, ...]]:
    """The replayed session, holding as pending the answers for nodes it has not reached (a
    question inserted before them stopped the walk), and how many were dropped: those for
    nodes passed already, or for the node it stopped at, whose choice is not offered there."""
    session = replay.session
    passed = {answer.node for answer in session.answers}
    passed.add(session.node)
    pending = tuple(a for a in replay.dropped if a.node not in passed)
    if pending:
        session = Session(session.flow_id, session.version, session.node, session.answers, pending)
    return session, tuple(a for a in replay.dropped if a.node in passed)


def _legacy(flow: CompiledFlow, hashes: Sequence[bytes], *, changed: bool) -> Replay:
    """Format 1: each answer is a 16-bit hash of (node, choice). Keyed by node: at each node the
    earliest unused answer naming one of its choices applies, if that choice is offered; a
    hash two choices of the node share is never guessed."""
    waiting: dict[bytes, deque[int]] = {}
    for position, digest in enumerate(hashes):
        waiting.setdefault(digest, deque()).append(position)

    def pick(node: str, offered: tuple[str, ...]) -> str | None:
        best: tuple[int, bytes, str | None] | None = None
        for digest, choice in flow.compiled.codes.legacy_choices(node).items():
            queue = waiting.get(digest)
            if queue and (best is None or queue[0] < best[0]):
                best = (queue[0], digest, choice)
        if best is None or best[2] is None or best[2] not in offered:
            return None
        waiting[best[1]].popleft()
        return best[2]

    session = walk(flow, flow.start(record=False), pick, limit=len(hashes))
    unread = len(hashes) - len(session.answers)  # 16-bit hashes name no answer for certain
    return Replay(session, (), session.node if unread else None, changed, unread)


def continue_walk(flow: CompiledFlow, session: Session, answers: Sequence[Answer]) -> Replay:
    """Apply `answers` from `session` on, keyed by node: each applies when the walk reaches its
    node and its choice is offered there."""
    # Positions, not the answers themselves: sessions share Answer objects, and a loop can
    # hold the same one twice.
    pending: dict[str, deque[int]] = {}
    for position, answer in enumerate(answers):
        pending.setdefault(answer.node, deque()).append(position)
    used: set[int] = set()

    def pick(node: str, offered: tuple[str, ...]) -> str | None:
        queue = pending.get(node)
        if queue and answers[queue[0]].choice in offered:
            position = queue.popleft()
            used.add(position)
            return answers[position].choice
        return None

    session = walk(flow, session, pick, limit=len(answers))
    dropped = tuple(a for i, a in enumerate(answers) if i not in used)
    return Replay(session, dropped, session.node if dropped else None)


def walk(flow: CompiledFlow, session: Session, pick: Pick, *, limit: int) -> Session:
    for _ in range(limit):
        if flow.is_finished(session):
            break
        choice = pick(session.node, flow.available(session))
        if choice is None:
            break
        session = flow.choose(session, choice, record=False)
    return session
