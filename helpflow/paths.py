"""Every way through a flow: what `helpflow paths` lists, what the golden files and the
widget conformance test walk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from helpflow.model import Resolution
from helpflow.session import Answer, Session

if TYPE_CHECKING:  # the engine offers `flow.paths()`, so this module must not import it
    from helpflow.engine import CompiledFlow
    from helpflow.step import Step


@dataclass(frozen=True, slots=True)
class FlowPath:
    """One way through the flow: the answers given and the outcome node reached."""

    answers: tuple[Answer, ...]
    end: str
    outcome: Resolution


def all_paths(flow: CompiledFlow, *, limit: int = 100_000) -> list[FlowPath]:
    """Every path from the start to an outcome that the `when` rules allow, through the
    engine itself (so conditions apply exactly as for a reader), loops excluded. Stops after
    `limit` paths."""
    found: list[FlowPath] = []
    stack: list[tuple[Session, frozenset[str]]] = [(flow.start(record=False), frozenset())]
    while stack and len(found) < limit:
        session, seen = stack.pop()
        resolution = flow.outcome(session)
        if resolution is not None:
            found.append(FlowPath(session.answers, session.node, resolution))
            continue
        for choice in reversed(flow.available(session)):
            nxt = flow.choose(session, choice, record=False)
            if nxt.node not in seen and nxt.node != session.node:
                stack.append((nxt, seen | {session.node}))
    return found


def iter_steps(flow: CompiledFlow, path: FlowPath) -> Iterator[Step]:
    """Each step a reader sees along `path`, from the first question to the outcome."""
    session = flow.start(record=False)
    yield flow.step(session)
    for answer in path.answers:
        session = flow.choose(session, answer.choice, record=False)
        yield flow.step(session)
