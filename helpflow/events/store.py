"""The one small interface every event store has, and the background writer they share.

Recording must never slow a reader down: `record` puts the event on a queue and returns; one
writer thread per store takes what has piled up and writes it as one batch, in one
transaction. `close` (called on server shutdown, including SIGTERM) writes everything queued
before returning, so an event the server acknowledged is never lost to a clean stop.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from helpflow.errors import HelpflowError
from helpflow.events.model import Event

log = logging.getLogger(__name__)
BATCH = 500
#: Seconds the writer waits for more events before writing a batch.
LINGER = 0.1


class EventStoreError(HelpflowError):
    """An event store cannot be opened or used as asked."""


@dataclass(frozen=True, slots=True)
class Query:
    flow: str | None = None
    since: int | None = None  # milliseconds since the epoch


ALL = Query()


class EventStore(Protocol):
    def record(self, event: Event) -> None:
        """Queue an event for writing; never blocks on the database."""

    def flush(self) -> None:
        """Return once every event recorded so far is written."""

    def close(self) -> None:
        """Write what is queued and release the database."""

    def events(self, query: Query = ALL) -> Iterator[Event]:
        """Stored events, oldest first."""

    def purge(self, before: int) -> int:
        """Delete events (and hand-off references) older than `before` (ms since the
        epoch); how many events went."""

    def save_reference(self, flow: str, token: str) -> str:
        """A short reference for the session `token` of `flow`, stored before it returns
        (a reader may read it out to support at once); see helpflow.events.references."""

    def lookup_reference(self, reference: str) -> tuple[str, str] | None:
        """(flow, token) a reference stands for, or None."""


class BatchWriter:
    """A queue drained by one thread into `write(batch)`; the base of every store."""

    def __init__(self, name: str) -> None:
        self._queue: queue.Queue[Event | threading.Event | None] = queue.Queue()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=f"helpflow-events-{name}")
        self._thread.daemon = True
        self._thread.start()

    def write(self, batch: Sequence[Event]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def finished(self) -> None:
        """Called in the writer thread after its last batch: release what it holds."""

    def record(self, event: Event) -> None:
        if self._closed:
            raise EventStoreError("the event store is closed")
        self._queue.put(event.stamped())

    def flush(self) -> None:
        done = threading.Event()
        self._queue.put(done)
        done.wait()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        stop = False
        while not stop:
            batch: list[Event] = []
            waiting: list[threading.Event] = []
            item = self._queue.get()
            if isinstance(item, Event):
                # Sleep rather than wait on the queue, which would wake this thread (and take
                # the GIL from request handlers) once per event: a busy server then writes
                # one transaction per LINGER instead of one per request.
                time.sleep(LINGER)
            while True:
                if item is None:
                    stop = True
                elif isinstance(item, threading.Event):
                    waiting.append(item)
                else:
                    batch.append(item)
                if stop or len(batch) >= BATCH:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                self._write_retrying(batch)
            for done in waiting:
                done.set()
        self.finished()

    def _write_retrying(self, batch: list[Event]) -> None:
        # A database that is briefly unavailable (a restart, a lock) must not drop events.
        for attempt in range(5):
            try:
                self.write(batch)
                return
            except Exception:  # the writer thread must survive any database error
                log.exception("writing %d events failed (attempt %d)", len(batch), attempt + 1)
                threading.Event().wait(0.2 * 2**attempt)
        log.error("dropped %d events after 5 failed attempts", len(batch))


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
