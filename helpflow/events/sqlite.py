"""Events in a SQLite file: the embedded default for one server process (or a few on one
machine). WAL mode so reports can read while the server writes."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from helpflow.events import _sql
from helpflow.events.migrations import SQLITE, VERSIONS_TABLE, pending
from helpflow.events.model import Event, now_ms
from helpflow.events.references import chosen, short_reference
from helpflow.events.store import ALL, BatchWriter, EventStoreError, Query


class SqliteStore(BatchWriter):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise EventStoreError(f"{self.path}: the folder for the events database does not exist")
        try:
            with self._connect() as db:
                db.execute("PRAGMA journal_mode=WAL")
                _migrate(db)
        except sqlite3.DatabaseError as exc:
            raise EventStoreError(f"{self.path}: cannot use as an events database: {exc}") from exc
        self._writer: sqlite3.Connection | None = None
        super().__init__("sqlite")

    def _connect(self) -> sqlite3.Connection:
        # A generous busy timeout: several processes may share the file.
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA busy_timeout=30000")
        return db

    def write(self, batch: Sequence[Event]) -> None:
        if self._writer is None:  # opened in the writer thread, which alone uses it
            self._writer = self._connect()
            self._writer.execute("PRAGMA synchronous=NORMAL")
        db = self._writer
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(_sql.insert(SQLITE), [e.row() for e in batch])
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def finished(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def events(self, query: Query = ALL) -> Iterator[Event]:
        sql, params = _sql.select(query, SQLITE)
        db = self._connect()
        try:
            yield from _sql.events(db.execute(sql, params))
        finally:
            db.close()

    def purge(self, before: int) -> int:
        db = self._connect()
        try:
            db.execute(_sql.purge_references(SQLITE), (before,))
            return db.execute(_sql.purge(SQLITE), (before,)).rowcount
        finally:
            db.close()

    def save_reference(self, flow: str, token: str) -> str:
        # Written at once, not queued: the reader may read the code out to support next.
        reference = short_reference(token)
        db = self._connect()
        try:
            db.execute(_sql.save_reference(SQLITE), (reference, flow, token, now_ms()))
            row = db.execute(_sql.lookup_reference(SQLITE), (reference,)).fetchone()
        finally:
            db.close()
        return chosen(reference, token, row[1] if row else None)

    def lookup_reference(self, reference: str) -> tuple[str, str] | None:
        db = self._connect()
        try:
            row = db.execute(_sql.lookup_reference(SQLITE), (reference,)).fetchone()
        finally:
            db.close()
        return (str(row[0]), str(row[1])) if row else None


def _migrate(db: sqlite3.Connection) -> None:
    db.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait and find it done
    try:
        db.execute(VERSIONS_TABLE)
        applied = {row[0] for row in db.execute("SELECT version FROM helpflow_schema")}
        for version, statements in pending(applied, SQLITE):
            for statement in statements:
                db.execute(statement)
            db.execute(
                "INSERT INTO helpflow_schema VALUES (?, ?)", (version, int(time.time() * 1000))
            )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
