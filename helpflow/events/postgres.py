"""Events in PostgreSQL, for several server processes and machines writing at once.

psycopg 3 with a small connection pool: the writer thread takes a connection per batch;
reports and purges take their own. Needs the `postgres` extra: `pip install 'helpflow[postgres]'`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

try:
    import psycopg
    from psycopg_pool import ConnectionPool
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "storing events in PostgreSQL needs psycopg 3: pip install 'helpflow[postgres]'"
    ) from exc

from helpflow.events import _sql
from helpflow.events.migrations import POSTGRES, VERSIONS_TABLE, pending
from helpflow.events.model import COLUMNS, Event, now_ms
from helpflow.events.references import chosen, short_reference
from helpflow.events.store import ALL, BatchWriter, EventStoreError, Query

_COPY = f"COPY helpflow_events ({', '.join(COLUMNS)}) FROM STDIN"
#: Any constant: the advisory lock id that serialises migrations across processes.
_MIGRATION_LOCK = 0x68656C70


class PostgresStore(BatchWriter):
    def __init__(self, url: str, *, pool_size: int = 4) -> None:
        self.pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=False)
        try:
            self.pool.open(wait=True, timeout=10)
            with self.pool.connection() as db:
                _migrate(db)
        except (psycopg.Error, Exception) as exc:
            self.pool.close()
            raise EventStoreError(f"cannot use the events database: {_redacted(exc)}") from exc
        super().__init__("postgresql")

    def write(self, batch: Sequence[Event]) -> None:
        # COPY: one statement per batch, rows encoded by psycopg's C code (INSERTs cost the
        # server process several times the CPU per event).
        with self.pool.connection() as db, db.cursor() as cursor, cursor.copy(_COPY) as copy:
            for event in batch:
                copy.write_row(event.row())

    def close(self) -> None:
        super().close()
        self.pool.close()

    def events(self, query: Query = ALL) -> Iterator[Event]:
        sql, params = _sql.select(query, POSTGRES)
        with self.pool.connection() as db, db.cursor(name="helpflow_report") as cursor:
            cursor.execute(sql, params)  # a server-side cursor: no whole table in memory
            yield from _sql.events(cursor)

    def purge(self, before: int) -> int:
        with self.pool.connection() as db:
            db.execute(_sql.purge_references(POSTGRES), (before,))
            return db.execute(_sql.purge(POSTGRES), (before,)).rowcount

    def save_reference(self, flow: str, token: str) -> str:
        # Written at once, not queued: the reader may read the code out to support next.
        reference = short_reference(token)
        with self.pool.connection() as db:
            db.execute(_sql.save_reference(POSTGRES), (reference, flow, token, now_ms()))
            row = db.execute(_sql.lookup_reference(POSTGRES), (reference,)).fetchone()
        return chosen(reference, token, str(row[1]) if row else None)

    def lookup_reference(self, reference: str) -> tuple[str, str] | None:
        with self.pool.connection() as db:
            row = db.execute(_sql.lookup_reference(POSTGRES), (reference,)).fetchone()
        return (str(row[0]), str(row[1])) if row else None


def _migrate(db: psycopg.Connection[tuple[object, ...]]) -> None:
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        db.execute(VERSIONS_TABLE)
        applied = {int(str(row[0])) for row in db.execute("SELECT version FROM helpflow_schema")}
        for version, statements in pending(applied, POSTGRES):
            for statement in statements:
                db.execute(statement.encode())
            db.execute(
                "INSERT INTO helpflow_schema VALUES (%s, %s)", (version, int(time.time() * 1000))
            )


def _redacted(exc: BaseException) -> str:
    """The error without the connection string's password, which psycopg may echo."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text
