"""`helpflow step` and `helpflow run`: walk a flow, one step at a time or interactively."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from helpflow.cli.common import (
    EXIT_OK,
    SECRET_ENV,
    Subparsers,
    add_flow_options,
    load_flow,
    parse_vars,
    resume,
)
from helpflow.errors import RendererError

if TYPE_CHECKING:
    from helpflow.engine import CompiledFlow


def add_parsers(sub: Subparsers) -> None:
    p = sub.add_parser("run", help="walk a flow interactively in the terminal")
    p.add_argument("flow", metavar="FLOW")
    p.add_argument("--token", help="resume where a previous run left off")
    p.add_argument(
        "--transcript", action="store_true", help="print the whole walk as plain text at the end"
    )
    p.add_argument("--format", default="terminal", help="interactive renderer (default: terminal)")
    _add_lang(p)
    add_flow_options(p)
    p.set_defaults(func=run)

    p = sub.add_parser("step", help="apply choices and print the step reached")
    p.add_argument("flow", metavar="FLOW")
    p.add_argument(
        "--go",
        nargs="+",
        action="extend",
        default=[],
        metavar="CHOICE_ID",
        help="choice ids to apply in order",
    )
    p.add_argument("--token", help=f"resume a session token (signed ones need ${SECRET_ENV})")
    p.add_argument("--format", default="json", help="renderer name (default: json)")
    _add_lang(p)
    add_flow_options(p)
    p.set_defaults(func=step)


def _add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        help="language of the flow's text (default: the environment's locale when the flow "
        "has a catalog for it, else the flow's own language)",
    )


def _reader_flow(args: argparse.Namespace) -> CompiledFlow:
    """The flow in `--lang`, else in the environment's locale when it has that language."""
    from helpflow.i18n.loading import for_reader

    return for_reader(load_flow(args.flow, args), args.flow, args.lang, vars=parse_vars(args.var))


def step(args: argparse.Namespace, out: TextIO) -> int:
    from helpflow.renderers import get_renderer

    renderer = get_renderer(args.format)
    flow = _reader_flow(args)
    session = resume(flow, args.token) if args.token else flow.start()
    for choice in args.go:
        session = flow.choose(session, choice)
    out.write(renderer.render(flow.step(session)).rstrip("\n") + "\n")
    return EXIT_OK


def run(args: argparse.Namespace, out: TextIO) -> int:
    from helpflow.renderers import get_renderer

    renderer = get_renderer(args.format)
    if not renderer.can("run"):
        raise RendererError(f"renderer {args.format!r} is not interactive; try --format terminal")
    flow = _reader_flow(args)
    session = resume(flow, args.token) if args.token else None
    hint = _resume_command(args.flow, args.var, args.lang)
    return renderer.run(flow, session, stdout=out, resume_hint=hint, transcript=args.transcript)


def _resume_command(flow_path: str, var_pairs: Sequence[str], lang: str | None = None) -> str:
    """The command that resumes a run, quoted for the shell (a value `;touch x` stays a
    value when pasted) and with no escape sequences (it is printed to the terminal)."""
    from helpflow.content import strip_control

    words = ["helpflow", "run", flow_path]
    for pair in var_pairs:
        words += ["--var", pair]
    if lang:
        words += ["--lang", lang]
    return shlex.join(strip_control(word) for word in words) + " "
