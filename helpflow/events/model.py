"""One event: what happened in a visit, keyed by stable ids, with nothing about the reader.

No cookie, no IP address, no user agent: a visit is a random id the client (or the server
for its own pages) makes up when the visit starts, and nothing links it to a person.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import Literal, NamedTuple, get_args

EventType = Literal["started", "answered", "back", "restart", "changed", "reached", "feedback"]
EVENT_TYPES: frozenset[str] = frozenset(get_args(EventType))
MAX_COMMENT = 1000
VISIT_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def new_visit() -> str:
    """A fresh anonymous visit id (96 random bits)."""
    return secrets.token_urlsafe(12)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class Event(NamedTuple):
    """`node`/`choice` are node and choice ids; `resolution` is set on `reached` events for
    outcomes; `helpful`/`comment` only on `feedback`. `at` is milliseconds since the epoch.

    A named tuple rather than a frozen dataclass: the server makes two on every step it
    answers, and a frozen dataclass takes several times longer to build (one
    `object.__setattr__` per field)."""

    type: EventType
    flow: str
    version: str
    visit: str
    node: str | None = None
    choice: str | None = None
    resolution: str | None = None
    helpful: bool | None = None
    comment: str | None = None
    at: int = 0

    def stamped(self) -> Event:
        """This event with the time it happened, when none was given."""
        return self if self.at else self._replace(at=now_ms())

    def row(self) -> tuple[object, ...]:
        helpful = None if self.helpful is None else int(self.helpful)
        return (
            self.at,
            self.visit,
            self.type,
            self.flow,
            self.version,
            self.node,
            self.choice,
            self.resolution,
            helpful,
            self.comment,
        )


#: Column order of `Event.row()`, shared by every backend's INSERT.
COLUMNS = (
    "at",
    "visit",
    "type",
    "flow",
    "version",
    "node",
    "choice",
    "resolution",
    "helpful",
    "comment",
)
