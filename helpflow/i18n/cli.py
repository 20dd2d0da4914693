"""`helpflow i18n extract|init|update|check`: the translator's round trip on the command line.

Wired into the main CLI by `add_parser(subparsers)`; `run(args, out)` returns the exit code.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_FINDINGS = 0, 1


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `i18n` and its subcommands to the main parser's subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "i18n", help="translate a flow: extract, init, update and check gettext catalogs"
    )
    sub = parser.add_subparsers(dest="i18n_command", metavar="ACTION", required=True)
    p = sub.add_parser("extract", help="write the flow's catalog template (.pot)")
    p.add_argument("flow", metavar="FLOW")
    p.add_argument("--out", metavar="FILE.pot", help="write here instead of standard output")
    p = sub.add_parser("init", help="create locales/LANG/LC_MESSAGES/<flow id>.po next to FLOW")
    p.add_argument("flow", metavar="FLOW")
    p.add_argument("--lang", required=True, help="language tag: fr, ar, pt-BR")
    for name, about in (
        ("update", "merge the flow's current strings into its catalogs"),
        ("check", "fail on missing, fuzzy, stale or unsafe translations"),
    ):
        p = sub.add_parser(name, help=about)
        p.add_argument("flow", metavar="FLOW")
        p.add_argument(
            "--lang", action="append", help="only this language (repeatable; default: all)"
        )
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace, out: TextIO) -> int:
    from helpflow.i18n import template
    from helpflow.i18n.loading import languages

    command = args.i18n_command
    if command == "extract":
        from helpflow.loader import load_file

        pot = template.po_bytes(template.template(load_file(args.flow), args.flow))
        if args.out:
            Path(args.out).write_bytes(pot)
        else:
            out.write(pot.decode("utf-8"))
        return EXIT_OK
    if command == "init":
        _say(f"created {template.init(args.flow, args.lang)}")
        return EXIT_OK
    langs: list[str] = args.lang or languages(args.flow)
    if not langs:
        _say(f"no catalogs next to {args.flow}; start one with 'helpflow i18n init FLOW --lang L'")
        return EXIT_OK
    if command == "update":
        for lang in langs:
            _say(f"updated {template.update(args.flow, lang)}")
        return EXIT_OK
    return _check(args.flow, langs, out)


def _check(flow: str, langs: list[str], out: TextIO) -> int:
    from helpflow.content import strip_control
    from helpflow.i18n.check import check

    findings = check(flow, langs)
    for finding in findings:
        # Translations are untrusted text: no escape sequences reach the terminal.
        out.write(strip_control(finding.format()) + "\n")
    errors = sum(1 for f in findings if f.severity == "error")
    if errors:
        _say(f"{errors} problem(s) in the translations")
        return EXIT_FINDINGS
    _say(f"translations complete and valid ({', '.join(langs)})")
    return EXIT_OK


def _say(message: str) -> None:
    """A note on stderr; paths come from the command line, so escape sequences are dropped."""
    from helpflow.content import strip_control

    print(strip_control(message), file=sys.stderr)
