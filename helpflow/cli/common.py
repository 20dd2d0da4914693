"""What several commands share: exit codes, the options every flow command takes, loading a
flow from the command line and resuming a token.

A new option that several commands take (`--lang`, say) is added once here, in
`add_flow_options`, and read once, in `load_flow`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from helpflow.errors import VarError

if TYPE_CHECKING:
    from helpflow.engine import CompiledFlow
    from helpflow.session import Session

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
SECRET_ENV = "HELPFLOW_SECRET"

#: argparse's sub-parser action: private in typeshed, so named here once.
Subparsers = Any


class Command(Protocol):
    """What `set_defaults(func=...)` stores: a command run on parsed arguments."""

    def __call__(self, args: argparse.Namespace, out: TextIO, /) -> int: ...


def add_flow_options(p: argparse.ArgumentParser) -> None:
    """The options of every command that loads a flow."""
    p.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override one of the flow's vars (repeatable)",
    )


def parse_vars(pairs: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise VarError(f"--var takes NAME=VALUE, got {pair!r}")
        values[name.strip()] = value
    return values


def secret() -> bytes | None:
    value = os.environ.get(SECRET_ENV)
    return value.encode() if value else None


def load_flow(path: str, args: argparse.Namespace, *, strict: bool = False) -> CompiledFlow:
    """The flow at `path`, with the vars (and token secret) the command line gives."""
    from helpflow import load

    return load(path, vars=parse_vars(args.var), secret=secret(), strict=strict)


def resume(flow: CompiledFlow, token: str) -> Session:
    """The session a token carries; a note on stderr when the flow changed since."""
    resumed = flow.resume(token)
    if resumed.version_changed:
        note = "the flow changed since this token was made; its answers were replayed"
        if resumed.diverged_at:
            note += f", and {resumed.dropped} no longer fit from {resumed.diverged_at!r} on"
        from helpflow.content import strip_control

        print(f"helpflow: note: {strip_control(note)}", file=sys.stderr)
    return resumed.session
