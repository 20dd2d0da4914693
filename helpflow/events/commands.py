"""`helpflow events purge`, `helpflow events lookup` and `helpflow report`: the command-line
side of the support loop, kept here so the CLI module only wires arguments to them."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import TextIO

from helpflow.errors import HelpflowError
from helpflow.events.opening import open_store
from helpflow.events.store import EventStore, Query


class DateError(HelpflowError):
    pass


class UnknownReferenceError(HelpflowError):
    """A hand-off reference that is malformed or not stored."""


def parse_date(text: str) -> int:
    """A `YYYY-MM-DD` date (UTC midnight) as milliseconds since the epoch."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise DateError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    return int(midnight.timestamp() * 1000)


def purge(args: argparse.Namespace, out: TextIO) -> int:
    before = parse_date(args.before)
    store = _existing_store(args.events)
    try:
        deleted = store.purge(before)
    finally:
        store.close()
    print(f"deleted {deleted} event{'s' if deleted != 1 else ''} before {args.before}", file=out)
    return 0


def lookup(args: argparse.Namespace, out: TextIO) -> int:
    """The flow and session token a short hand-off reference stands for."""
    from helpflow.events.references import normalised

    code = normalised(args.reference)
    if code is None:
        raise UnknownReferenceError(
            f"{args.reference!r} is not a hand-off reference (10 letters and digits, "
            "e.g. 7K2QF9MXPD)"
        )
    store = _existing_store(args.events)
    try:
        found = store.lookup_reference(code)
    finally:
        store.close()
    if found is None:
        raise UnknownReferenceError(f"no hand-off {code} in {_shown(args.events)}")
    flow, token = found
    print(f"reference: {code}\nflow: {flow}\ntoken: {token}", file=out)
    print(f"packet: GET /api/v1/flows/{flow}/handoff?reference={code}", file=out)
    return 0


def _existing_store(target: str) -> EventStore:
    """The store a reading command (report, lookup, purge) works on. A SQLite path that does
    not exist is an error: opening it would create an empty database, and a mistyped path
    would report nothing and exit 0."""
    if "://" not in target and not Path(target).exists():
        raise HelpflowError(
            f"{target}: no such events database (helpflow serve --events creates it)"
        )
    return open_store(target)


def _shown(target: str) -> str:
    """The store named without a password a PostgreSQL URL may carry."""
    return re.sub(r"://[^@/]*@", "://…@", target)


def report(args: argparse.Namespace, out: TextIO) -> int:
    from helpflow.report import build
    from helpflow.report.formats import render

    query = Query(flow=args.flow, since=parse_date(args.since) if args.since else None)
    store = _existing_store(args.events)
    try:
        # Titles are words for readers: in --lang on the HTML page; JSON and CSV stay as written.
        lang = args.lang if args.format == "html" else None
        data = build(store.events(query), flows=args.flows, lang=lang)
    finally:
        store.close()
    text = render(data, args.format, args.lang)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        out.write(text)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("events", help="manage stored events")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    purge_p = actions.add_parser("purge", help="delete events older than a date")
    purge_p.add_argument("--events", required=True, metavar="TARGET")
    purge_p.add_argument("--before", required=True, metavar="YYYY-MM-DD")
    purge_p.set_defaults(func=purge)
    lookup_p = actions.add_parser("lookup", help="what a short hand-off reference stands for")
    lookup_p.add_argument("reference", metavar="REF")
    lookup_p.add_argument("--events", required=True, metavar="TARGET")
    lookup_p.set_defaults(func=lookup)

    p = sub.add_parser("report", help="outcome analytics from stored events")
    p.add_argument("--events", required=True, metavar="TARGET")
    p.add_argument("--flow", metavar="ID", help="only this flow")
    p.add_argument("--since", metavar="YYYY-MM-DD")
    p.add_argument("--format", choices=["json", "csv", "html"], default="json")
    p.add_argument("--out", metavar="FILE")
    p.add_argument(
        "--lang",
        help="html: the page in this language, its numbers and dates in its locale (fr, ar)",
    )
    p.add_argument(
        "--flows", metavar="PATH", help="flow file or folder, for titles and the diagram"
    )
    p.set_defaults(func=report)
