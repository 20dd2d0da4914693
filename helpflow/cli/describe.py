"""`helpflow paths` and `helpflow schema`: what a flow allows, and the published schemas."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from helpflow.cli.common import EXIT_OK, Subparsers, add_flow_options, load_flow


def add_parsers(sub: Subparsers) -> None:
    p = sub.add_parser(
        "schema", help="print a JSON Schema: flow, include fragment, scenarios, step"
    )
    p.add_argument("--of", choices=("flow", "fragment", "scenarios", "step"), default="flow")
    p.set_defaults(func=schema)

    p = sub.add_parser("paths", help="list every path from the start to an outcome")
    p.add_argument("flow", metavar="FLOW")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_flow_options(p)
    p.set_defaults(func=paths)


def schema(args: argparse.Namespace, out: TextIO) -> int:
    if args.of == "step":
        from helpflow.renderers import get_renderer

        document = get_renderer("json").schema()
    else:
        from helpflow.schema import SCHEMAS

        document = SCHEMAS[args.of]()
    out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def paths(args: argparse.Namespace, out: TextIO) -> int:
    flow = load_flow(args.flow, args)
    found = flow.paths()
    if args.format == "json":
        data = [
            {
                "answers": [{"node": a.node, "choice": a.choice} for a in p.answers],
                "end": p.end,
                "outcome": p.outcome,
            }
            for p in found
        ]
        out.write(json.dumps(data, indent=2) + "\n")
    else:
        width = len(str(len(found)))
        for number, p in enumerate(found, 1):
            hops = [f"{a.node}[{a.choice}]" for a in p.answers]
            out.write(f"{number:>{width}}. {' → '.join([*hops, p.end])}  ({p.outcome})\n")
        kinds: dict[str, int] = {}
        for p in found:  # each resolution counted apart: an `info` ending is not "solved"
            kinds[p.outcome] = kinds.get(p.outcome, 0) + 1
        counted = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        print(f"{len(found)} paths ({counted})", file=sys.stderr)
    return EXIT_OK
