"""The event schema, one versioned migration at a time, the same for every backend.

A store applies the migrations it has not applied yet when it is first opened, inside one
transaction (PostgreSQL: under an advisory lock, so two servers starting at once do not race).
Append new migrations; never edit an applied one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    #: The auto-numbered primary key column.
    serial_key: str
    placeholder: str


SQLITE = Dialect("sqlite", "INTEGER PRIMARY KEY AUTOINCREMENT", "?")
POSTGRES = Dialect("postgresql", "BIGSERIAL PRIMARY KEY", "%s")

VERSIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS helpflow_schema (version INTEGER PRIMARY KEY, applied_at BIGINT)"
)

#: (version, statements); `{serial_key}` is filled per dialect.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            "CREATE TABLE helpflow_events ("
            " id {serial_key},"
            " at BIGINT NOT NULL,"
            " visit VARCHAR(64) NOT NULL,"
            " type VARCHAR(16) NOT NULL,"
            " flow VARCHAR(64) NOT NULL,"
            " version VARCHAR(64) NOT NULL,"
            " node VARCHAR(64),"
            " choice VARCHAR(64),"
            " resolution VARCHAR(16),"
            " helpful SMALLINT,"
            " comment TEXT)",
            "CREATE INDEX helpflow_events_flow_at ON helpflow_events (flow, at)",
            "CREATE INDEX helpflow_events_at ON helpflow_events (at)",
        ),
    ),
    (
        2,
        (
            # Short hand-off references (helpflow.events.references) and what they stand for.
            "CREATE TABLE helpflow_handoffs ("
            " reference VARCHAR(16) PRIMARY KEY,"
            " flow VARCHAR(64) NOT NULL,"
            " token TEXT NOT NULL,"
            " at BIGINT NOT NULL)",
            "CREATE INDEX helpflow_handoffs_at ON helpflow_handoffs (at)",
        ),
    ),
)

LATEST = MIGRATIONS[-1][0]


def pending(applied: set[int], dialect: Dialect) -> list[tuple[int, list[str]]]:
    """The migrations not applied yet, in order, as SQL for `dialect`."""
    return [
        (version, [s.format(serial_key=dialect.serial_key) for s in statements])
        for version, statements in MIGRATIONS
        if version not in applied
    ]
