"""The `helpflow` command.

Exit codes: 0 success, 1 findings or a rejected action, 2 usage errors. Every error a user can
cause is a `HelpflowError`, shown as one message on stderr: never a traceback. Heavy modules
(the engine, renderers) are imported inside the commands, so `helpflow --help` stays quick.

Each module of this package is one group of commands: `add_parsers(sub)` declares their
arguments and points each at the function that runs it, `(args, out) -> exit code`. A new
group is one more entry in `_GROUPS`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from helpflow import __version__
from helpflow.cli import author, check, describe, publish, serve, walk
from helpflow.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Command, Subparsers
from helpflow.errors import HelpflowError


def _event_parsers(sub: Subparsers) -> None:
    from helpflow.events.commands import add_commands

    add_commands(sub)


def _i18n_parsers(sub: Subparsers) -> None:
    from helpflow.i18n.cli import add_parser

    add_parser(sub)


#: Every command group, in the order `helpflow --help` lists them.
_GROUPS: tuple[Callable[[Subparsers], None], ...] = (
    check.add_parsers,  # validate, lint, test
    describe.add_parsers,  # schema, paths
    walk.add_parsers,  # run, step
    publish.add_parsers,  # build, render, graph
    serve.add_parsers,  # serve
    author.add_parsers,  # new, import, preview
    _event_parsers,  # events, report
    _i18n_parsers,  # i18n extract, init, update, check
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"helpflow: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="helpflow",
        description="Guided troubleshooting wizards from YAML decision trees.",
    )
    parser.add_argument("--version", action="version", version=f"helpflow {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for add_parsers in _GROUPS:
        add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Command = args.func
    try:
        code = command(args, sys.stdout)
        sys.stdout.flush()
        return code
    except HelpflowError as exc:
        _error(str(exc))
        return EXIT_FINDINGS
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            return _closed_pipe()
        # A folder that cannot be made, a page name past the file system's limit, a full disk:
        # the user's to fix, so one line naming the file rather than a traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}")
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130


def _closed_pipe() -> int:
    # Output piped into `head` and closed: not an error of ours or the user's.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_OK


def _error(message: str) -> None:
    """One `helpflow: error:` message on stderr; paths, ids and values in it can come from
    flow files and the command line, so escape sequences are stripped."""
    from helpflow.content import strip_control

    print(f"helpflow: error: {strip_control(message)}", file=sys.stderr)
