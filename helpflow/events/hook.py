"""`flow.on_event(callback)`: the same events the server records, for any other UI driving
the engine from Python (a chat bot, a desktop app). Callbacks run synchronously in the
caller's thread; keep them quick (queue to a store, as `EventStore.record` does).

The Python API has no visits of its own: set `VISIT` (a context variable) to your visit id
around the calls that belong to one reader, or events carry an empty visit.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING

from helpflow.events.model import Event, EventType

if TYPE_CHECKING:
    from helpflow.engine import CompiledFlow
    from helpflow.session import Session

Listener = Callable[[Event], None]
VISIT: ContextVar[str] = ContextVar("helpflow_visit", default="")


def emit(
    flow: CompiledFlow,
    listeners: list[Listener],
    kind: EventType,
    session: Session,
    node: str | None = None,
    choice: str | None = None,
) -> None:
    """Tell every listener that `kind` happened; `reached` events carry the outcome."""
    resolution = flow.outcome(session) if kind == "reached" else None
    event = Event(kind, flow.id, flow.version, VISIT.get(), node, choice, resolution).stamped()
    for listener in listeners:
        listener(event)
