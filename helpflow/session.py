"""A session: which flow, which version, where the reader is, and what they answered.

Plain, small, immutable data. Every operation returns a new session, so a rejected choice can
never leave a half-changed one behind, and any session can be rebuilt from its answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpflow.errors import NotAnsweredError


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

    def before(self, index: int) -> Session:
        """The session just before answer `index` was given: that answer's node, the answers
        before it. Exact, since each answer was given at the node it names; no replay."""
        return Session(self.flow_id, self.version, self.answers[index].node, self.answers[:index])

    def index_of(self, node: str) -> int:
        """Where the latest answer at `node` is; `NotAnsweredError` if there is none."""
        for index in range(len(self.answers) - 1, -1, -1):
            if self.answers[index].node == node:
                return index
        raise NotAnsweredError(f"'{node}' has not been answered in this session")

    def latest(self) -> dict[str, str]:
        """Latest answer per node id: what `when` conditions look at."""
        return {a.node: a.choice for a in self.answers}


@dataclass(frozen=True, slots=True)
class Replay:
    """A session rebuilt from answers that may no longer all fit: what `change`, `replay` and
    `resume` return.

    `dropped` are the answers that could not be applied (the path changed under them);
    `diverged_at` is the node where answers stopped fitting. `version_changed` says they were
    given in another version of the flow (an older token); `unread` counts the token's entries
    that name no answer of this version at all (a removed choice, a format 1 hash), which
    cannot be listed as answers.
    """

    session: Session
    dropped: tuple[Answer, ...] = ()
    diverged_at: str | None = None
    version_changed: bool = False
    unread: int = 0

    @property
    def lost(self) -> int:
        """How many of the given answers were not kept, listed or not."""
        return len(self.dropped) + self.unread
