"""SQL both backends run, written once with the dialect's placeholder."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

from helpflow.events.migrations import Dialect
from helpflow.events.model import COLUMNS, Event, EventType
from helpflow.events.store import Query


def insert(dialect: Dialect) -> str:
    marks = ", ".join([dialect.placeholder] * len(COLUMNS))
    return f"INSERT INTO helpflow_events ({', '.join(COLUMNS)}) VALUES ({marks})"


def select(query: Query, dialect: Dialect) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if query.flow is not None:
        where.append(f"flow = {dialect.placeholder}")
        params.append(query.flow)
    if query.since is not None:
        where.append(f"at >= {dialect.placeholder}")
        params.append(query.since)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return f"SELECT {', '.join(COLUMNS)} FROM helpflow_events{clause} ORDER BY id", params


def purge(dialect: Dialect) -> str:
    return f"DELETE FROM helpflow_events WHERE at < {dialect.placeholder}"


def purge_references(dialect: Dialect) -> str:
    return f"DELETE FROM helpflow_handoffs WHERE at < {dialect.placeholder}"


def save_reference(dialect: Dialect) -> str:
    """Store a reference unless it is stored already (the same escalation shown again, or,
    rarely, another token with the same code: `references.chosen` tells them apart)."""
    p = dialect.placeholder
    return (
        f"INSERT INTO helpflow_handoffs (reference, flow, token, at) VALUES ({p}, {p}, {p}, {p})"
        " ON CONFLICT (reference) DO NOTHING"
    )


def lookup_reference(dialect: Dialect) -> str:
    return f"SELECT flow, token FROM helpflow_handoffs WHERE reference = {dialect.placeholder}"


def events(rows: Iterable[tuple[Any, ...]]) -> Iterator[Event]:
    for at, visit, type_, flow, version, node, choice, resolution, helpful, comment in rows:
        yield Event(
            cast(EventType, type_),
            flow,
            version,
            visit,
            node,
            choice,
            resolution,
            None if helpful is None else bool(helpful),
            comment,
            int(at),
        )
