"""`helpflow build`, `helpflow render` and `helpflow graph`: a flow's published faces."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

from helpflow.cli.common import EXIT_OK, Subparsers, add_flow_options, load_flow, parse_vars
from helpflow.errors import RendererError

if TYPE_CHECKING:
    from helpflow.engine import CompiledFlow
    from helpflow.renderers import Renderer


def add_parsers(sub: Subparsers) -> None:
    p = sub.add_parser(
        "build", help="write the static help site of a flow, or of every flow in a folder"
    )
    p.add_argument("flow", metavar="FLOW", help="a flow file, or a folder of flows")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write (replaced whole)")
    p.add_argument("--base-url", default="", metavar="URL", help="absolute URL the site lives at")
    face = p.add_mutually_exclusive_group()
    face.add_argument("--widget", action="store_true", help="write the embeddable widget instead")
    face.add_argument(
        "--embed", action="store_true", help="write the <help-flow> component, flow and snippet"
    )
    p.add_argument("--site-url", default="", metavar="URL", help="--embed: static site to link")
    p.add_argument(
        "--events-url",
        default="",
        metavar="URL",
        help='ask "Was this helpful?" on fix and outcome pages; answers go to this '
        "POST /api/v1/events endpoint (helpflow serve --events)",
    )
    p.add_argument("--format", default="html", help="site renderer (default: html)")
    p.add_argument("--strict", action="store_true", help="refuse warnings and open todos")
    p.add_argument("--allow-todo", action="store_true", help="with --strict, publish todos")
    p.add_argument(
        "--lang",
        help="build this language only (from the flow's catalog); default: every language the "
        "flow has a catalog for, the flow's own at the root and each other under <lang>/",
    )
    add_flow_options(p)
    p.set_defaults(func=build)

    p = sub.add_parser("render", help="render a whole flow at once (e.g. --format article)")
    p.add_argument("flow", metavar="FLOW")
    p.add_argument("--format", default="article", help="renderer (default: article)")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    add_flow_options(p)
    p.set_defaults(func=render)

    p = sub.add_parser("graph", help="draw the flow as a Mermaid or dot graph")
    p.add_argument("flow", metavar="FLOW")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    add_flow_options(p)
    p.set_defaults(func=render)


def build(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    from helpflow.content import strip_control
    from helpflow.renderers import get_renderer
    from helpflow.todos import check_todos, open_todos

    renderer = get_renderer(args.format)
    if not renderer.can("build"):
        raise RendererError(f"renderer {args.format!r} does not build sites; try --format html")
    if Path(args.flow).is_dir() and not (args.widget or args.embed):
        return _build_centre(renderer, args, out)
    from helpflow import i18n

    flow = load_flow(args.flow, args, strict=args.strict)
    if args.lang:
        flow = i18n.translated(flow, args.flow, args.lang, vars=parse_vars(args.var))
    todos = open_todos(args.flow)
    for todo in todos:  # published gaps are listed, never silent
        print(strip_control(todo.format()), file=sys.stderr)
    check_todos(todos, strict=args.strict, allow=args.allow_todo)
    options: dict[str, Any] = {"embed": True, "site_url": args.site_url} if args.embed else {}
    if args.events_url:
        options["events_url"] = args.events_url
    if not (args.lang or args.embed or args.widget):
        options.update(_translations(renderer, flow, args))
    report = renderer.build(
        flow, Path(args.out), base_url=args.base_url, widget=args.widget, **options
    )
    what = "embed" if args.embed else "widget" if args.widget else f"{report.pages} pages"
    print(strip_control(f"wrote {what} ({report.files} files) to {args.out}"), file=out)
    return EXIT_OK


def _translations(
    renderer: Renderer, flow: CompiledFlow, args: argparse.Namespace
) -> dict[str, Any]:
    """Without `--lang`, a site in every language the flow has a catalog for, where the
    renderer builds several (its `build` takes `translations=`)."""
    import inspect

    from helpflow import i18n

    if "translations" not in inspect.signature(renderer.build).parameters:
        return {}
    vars_ = parse_vars(args.var)
    langs = i18n.languages(args.flow)
    return (
        {
            "translations": {
                lang: i18n.translated(flow, args.flow, lang, vars=vars_) for lang in langs
            }
        }
        if langs
        else {}
    )


def _build_centre(renderer: Renderer, args: argparse.Namespace, out: TextIO) -> int:
    """`helpflow build FOLDER`: every flow in it as one help centre, rebuilt incrementally."""
    import time
    from pathlib import Path

    if not renderer.can("build_centre"):
        raise RendererError(f"renderer {args.format!r} does not build help centres")
    started = time.perf_counter()
    options = {"vars": parse_vars(args.var), "base_url": args.base_url}
    if args.events_url:
        options["events_url"] = args.events_url
    if sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("building flows", total=None)
            report = renderer.build_centre(
                Path(args.flow), Path(args.out), progress=lambda _: bar.advance(task), **options
            )
    else:
        report = renderer.build_centre(Path(args.flow), Path(args.out), **options)
    print(
        f"built {report.flows} flow{'' if report.flows == 1 else 's'} ({report.pages:,} pages) in "
        f"{time.perf_counter() - started:.1f} s: {report.built} rendered, {report.kept} "
        f"unchanged, {report.removed} removed; wrote {args.out}",
        file=out,
    )
    return EXIT_OK


def render(args: argparse.Namespace, out: TextIO) -> int:
    from helpflow.renderers import get_renderer

    renderer = get_renderer(args.format)
    if not renderer.can("render_flow"):
        raise RendererError(
            f"renderer {args.format!r} renders single steps, not whole flows; "
            "use `helpflow step --format` for those"
        )
    text = renderer.render_flow(load_flow(args.flow, args))
    if getattr(args, "out", None):
        # Like `build --out`, missing folders are made: `render --out docs/x.md` just works.
        os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        out.write(text)
    return EXIT_OK
