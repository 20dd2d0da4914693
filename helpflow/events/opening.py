"""Opening the store a target names. Apart from `store`, which the backends build on, so the
backends need not import the module that picks them."""

from __future__ import annotations

from helpflow.events.store import EventStore, EventStoreError


def open_store(target: str) -> EventStore:
    """The store `target` names: a `postgresql://` URL, or else a SQLite file path."""
    if target.startswith(("postgresql://", "postgres://")):
        try:
            from helpflow.events.postgres import PostgresStore
        except ImportError as exc:  # the postgres extra is not installed
            raise EventStoreError(str(exc)) from None
        return PostgresStore(target)
    from helpflow.events.sqlite import SqliteStore

    return SqliteStore(target)
