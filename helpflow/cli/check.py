"""`helpflow validate` (alias `lint`) and `helpflow test`: is this flow right?"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from helpflow.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Subparsers,
    add_flow_options,
    load_flow,
    parse_vars,
)

if TYPE_CHECKING:
    from helpflow.engine import CompiledFlow
    from helpflow.paths import FlowPath
    from helpflow.renderer import Renderer


def add_parsers(sub: Subparsers) -> None:
    for name in ("validate", "lint"):
        p = sub.add_parser(
            name,
            help="check flow files: schema, references, graph"
            + (" (same as validate)" if name == "lint" else ""),
        )
        p.add_argument("flows", nargs="+", metavar="FLOW")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument("--format", choices=("text", "json"), default="text")
        p.set_defaults(func=validate)

    p = sub.add_parser(
        "test",
        help="walk every path, render every step (in every language the flow has a catalog "
        "for); fail on nodes never reached",
    )
    p.add_argument("flow", metavar="FLOW")
    p.add_argument("--limit", type=int, default=100_000, help="stop after this many paths")
    p.add_argument(
        "--min-coverage",
        type=float,
        default=0,
        metavar="N",
        help="fail when scenarios exercise less than N%% of nodes and choices",
    )
    add_flow_options(p)
    p.set_defaults(func=test)


def validate(args: argparse.Namespace, out: TextIO) -> int:
    from helpflow.diagnostics import Diagnostic, capped, to_json
    from helpflow.errors import FlowFileError
    from helpflow.lint import lint
    from helpflow.loader import load_file

    findings: list[Diagnostic] = []
    counts = dict.fromkeys(("error", "warning", "todo"), 0)
    for path in args.flows:
        try:
            findings.extend(capped(lint(load_file(path))))
        except FlowFileError as exc:
            findings.extend(exc.diagnostics)  # capped by the loader
    failing = {"error", "warning"} if args.strict else {"error"}
    if args.format == "json":
        out.write(to_json(findings) + "\n")
    else:
        for finding in findings:
            out.write(finding.format() + "\n")
    more = sum(f.code == "too-many" for f in findings)
    for finding in findings:
        counts[finding.severity] += finding.code != "too-many"
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
    if more:
        summary += "; more problems were not shown"
    print(
        f"{len(args.flows)} flow{'s' if len(args.flows) != 1 else ''} checked: {summary}",
        file=sys.stderr,
    )
    return EXIT_FINDINGS if any(f.severity in failing for f in findings) else EXIT_OK


def _render_paths(flow: CompiledFlow, paths: list[FlowPath], renderers: list[Renderer]) -> int:
    """Renders every step of `paths` with each renderer; how many steps there were."""
    from helpflow.paths import iter_steps

    steps = 0
    for path in paths:
        for step in iter_steps(flow, path):
            steps += 1
            for renderer in renderers:
                renderer.render(step)
    return steps


def test(args: argparse.Namespace, out: TextIO) -> int:
    """Walk every path and render every step with every renderer that renders steps, in the
    flow's language and each it has a catalog for; fail if a node is never exercised
    (smart-answers' regression habit)."""
    from helpflow import i18n
    from helpflow.paths import all_paths
    from helpflow.renderers import get_renderer, renderers_that
    from helpflow.scenarios import check_flow

    flow = load_flow(args.flow, args)
    paths = all_paths(flow, limit=args.limit)
    # Only renderers of single steps; article and graphs render whole flows.
    renderers = [get_renderer(name) for name in renderers_that("render")]
    exercised = {flow.flow.start}
    for path in paths:
        exercised.update(a.node for a in path.answers)
        exercised.add(path.end)
    steps = _render_paths(flow, paths, renderers)
    # The structure is one, so the same paths walk every translation: each catalog loads
    # and every step renders in its language (`i18n check` judges the translations).
    vars_ = parse_vars(args.var)
    translated = []
    for lang in i18n.languages(args.flow):
        other = i18n.translated(flow, args.flow, lang, vars=vars_)
        translated.append(f"{lang}: {_render_paths(other, paths, renderers)} steps")
    missing = [node for node in flow.flow.nodes if node not in exercised]
    names = ", ".join(r.name for r in renderers)
    print(
        f"{len(paths)} paths, {steps} steps rendered with {names}; "
        f"{len(exercised)} of {len(flow.flow.nodes)} nodes exercised",
        file=out,
    )
    if translated:
        print(f"rendered in every translation too: {', '.join(translated)}", file=out)
    for node in missing:
        print(f"never exercised: {node}", file=out)
    if len(paths) >= args.limit:
        print(f"stopped after {args.limit} paths (--limit)", file=out)
    scenarios_ok = check_flow(flow, args.flow, out, min_coverage=args.min_coverage)
    return EXIT_FINDINGS if missing or not scenarios_ok else EXIT_OK
