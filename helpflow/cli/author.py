"""The author's commands: `helpflow new`, `helpflow import`, `helpflow preview`.

Each command imports its module only when it runs, so `helpflow --help` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from helpflow.cli.common import EXIT_OK, Subparsers


def add_parsers(sub: Subparsers) -> None:
    p = sub.add_parser("new", help="start a new flow: ID.yaml and ID.tests.yaml")
    p.add_argument("id", metavar="ID", help="the flow's id, also the file name")
    p.add_argument("--dir", default=".", help="folder to write in (default: here)")
    p.add_argument(
        "--schema-dir",
        default="",
        metavar="PATH",
        help="where helpflow.schema.json lives, relative to the new file (for the modeline)",
    )
    p.set_defaults(func=new)

    p = sub.add_parser("import", help="draft a flow from a help article (md, html, text)")
    p.add_argument("article", metavar="ARTICLE", help="the article file, or - for stdin")
    p.add_argument("--out", metavar="DRAFT.yaml", help="write here instead of standard output")
    p.add_argument(
        "--from",
        dest="source_format",
        choices=("md", "html", "text"),
        help="the article's format (default: from the file's extension)",
    )
    p.set_defaults(func=import_)

    p = sub.add_parser("preview", help="serve a flow locally, reloading the browser on save")
    p.add_argument("flow", metavar="FLOW")
    p.add_argument("--host", default="127.0.0.1", help="default: loopback only")
    p.add_argument("--port", type=int, default=8100)
    p.set_defaults(func=preview)


def new(args: argparse.Namespace, out: TextIO) -> int:
    from helpflow.scaffold import new_flow

    for path in new_flow(args.id, args.dir, schema_dir=args.schema_dir):
        print(f"wrote {path}", file=out)
    return EXIT_OK


def import_(args: argparse.Namespace, out: TextIO) -> int:
    from helpflow.importer import import_article

    draft = import_article(args.article, fmt=args.source_format)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(draft.text)
        print(f"wrote {args.out}: {draft.summary()}", file=sys.stderr)
    else:
        out.write(draft.text)
        print(draft.summary(), file=sys.stderr)
    return EXIT_OK


def preview(args: argparse.Namespace, out: TextIO) -> int:
    from helpflow.preview import serve

    serve(args.flow, host=args.host, port=args.port, out=out)
    return EXIT_OK
