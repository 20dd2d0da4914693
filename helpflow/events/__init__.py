"""Anonymous outcome analytics: events keyed by stable ids, stored behind one interface.

    from helpflow.events import Event, open_store
    store = open_store("events.db")            # or "postgresql://user@host/db"
    store.record(Event("started", "account-login", flow.version, new_visit()))

See docs/analytics.md for what is recorded, what is not (anything about the reader), and how
reports are built.
"""

from __future__ import annotations

from helpflow.events.model import EVENT_TYPES, MAX_COMMENT, Event, EventType, new_visit
from helpflow.events.opening import open_store
from helpflow.events.store import EventStore, EventStoreError, Query

__all__ = [
    "EVENT_TYPES",
    "MAX_COMMENT",
    "Event",
    "EventStore",
    "EventStoreError",
    "EventType",
    "Query",
    "new_visit",
    "open_store",
]
