"""A session: which flow, which version, where the reader is, and what they answered.

Plain, small, immutable data. Every operation returns a new session, so a rejected choice can
never leave a half-changed one behind, and any session can be rebuilt from its answers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Answer:
    node: str
    choice: str


@dataclass(frozen=True, slots=True)
class Session:
    """`pending` holds answers carried over from a token of an older version of the flow for
    nodes the reader has not reached yet (a question was inserted before them): each is
    applied when the reader reaches its node, if its choice is still offered there. Going
    back, changing an answer or restarting lets them go."""

    flow_id: str
    version: str
    node: str
    answers: tuple[Answer, ...] = ()
    pending: tuple[Answer, ...] = ()

    def answer_for(self, node: str) -> str | None:
        """The latest choice made at `node`, if any."""
        for answer in reversed(self.answers):
            if answer.node == node:
                return answer.choice
        return None

    def latest(self) -> dict[str, str]:
        """Latest answer per node id: what `when` conditions look at."""
        return {a.node: a.choice for a in self.answers}


@dataclass(frozen=True, slots=True)
class Replay:
    """The result of rebuilding a session from answers that may no longer all fit.

    `dropped` are the answers that could not be applied (the path changed under them);
    `diverged_at` is the node where the first of them stopped fitting.
    """

    session: Session
    dropped: tuple[Answer, ...] = ()
    diverged_at: str | None = None
