"""The one small interface every event store has, and the background writer they share.

Recording must never slow a reader down: `record` puts the event on a queue and returns; one
writer thread per store takes what has piled up and writes it as one batch, in one
transaction. `close` (called on server shutdown, including SIGTERM) writes everything queued
before returning, so an event the server acknowledged is never lost to a clean stop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
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
    """Events piled up in a deque, drained by one thread into `write(batch)`; the base of
    every store.

    A deque, not a queue.Queue: `record` runs on every step a server answers, and a
    deque's append takes no lock and wakes nobody. The writer is woken once per batch
    (`_pending`), then lingers to let more pile up."""

    def __init__(self, name: str) -> None:
        self._items: deque[Event | threading.Event | None] = deque()
        self._pending = threading.Event()
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
        self._put(event.stamped())

    def flush(self) -> None:
        done = threading.Event()
        self._put(done)
        done.wait()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._put(None)
        self._thread.join()

    def _put(self, item: Event | threading.Event | None) -> None:
        self._items.append(item)
        if not self._pending.is_set():  # a plain read; set() takes a lock, once per batch
            self._pending.set()

    def _run(self) -> None:
        stop = False
        while not stop:
            self._pending.wait()
            if self._items and isinstance(self._items[0], Event):
                # Sleep rather than wake per event, which would take the GIL from request
                # handlers: a busy server writes one transaction per LINGER, not per request.
                time.sleep(LINGER)
            # Cleared before draining: anything appended from here on sets it again.
            self._pending.clear()
            batch: list[Event] = []
            waiting: list[threading.Event] = []
            while self._items:
                item = self._items.popleft()
                if item is None:
                    stop = True
                elif isinstance(item, threading.Event):
                    waiting.append(item)
                else:
                    batch.append(item)
                    if len(batch) >= BATCH:
                        self._write_retrying(batch)
                        batch = []
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
