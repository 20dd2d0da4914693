"""The `helpflow` command.

Exit codes: 0 success, 1 findings or a rejected action, 2 usage errors. Every error a user can
cause is a `HelpflowError`, shown as one message on stderr: never a traceback. Heavy modules
(the engine, renderers) are imported inside the commands, so `helpflow --help` stays quick.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from helpflow import __version__
from helpflow.errors import HelpflowError, RendererError, VarError

if TYPE_CHECKING:
    from helpflow.engine import CompiledFlow
    from helpflow.session import Session

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
SECRET_ENV = "HELPFLOW_SECRET"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"helpflow: error: {message}\n")


def _parse_vars(pairs: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise VarError(f"--var takes NAME=VALUE, got {pair!r}")
        values[name.strip()] = value
    return values


def _secret() -> bytes | None:
    value = os.environ.get(SECRET_ENV)
    return value.encode() if value else None


def _load(path: str, var_pairs: Sequence[str]) -> CompiledFlow:
    from helpflow.engine import load

    return load(path, vars=_parse_vars(var_pairs), secret=_secret())


def _load_for_reader(path: str, var_pairs: Sequence[str], lang: str | None) -> CompiledFlow:
    """The flow in `--lang`, else in the environment's locale when it has that language."""
    from helpflow.i18n.loading import for_reader

    return for_reader(_load(path, var_pairs), path, lang, vars=_parse_vars(var_pairs))


# --- commands --------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
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


def cmd_test(args: argparse.Namespace, out: TextIO) -> int:
    """Walk every path and render every step with every renderer that renders steps; fail if
    a node is never exercised (smart-answers' regression habit)."""
    from helpflow.paths import all_paths, iter_steps
    from helpflow.renderers import BaseRenderer, available_renderers, find_renderer

    flow = _load(args.flow, args.var)
    paths = all_paths(flow, limit=args.limit)
    renderers = []
    for name in available_renderers():
        cls = find_renderer(name)
        # Only renderers of single steps; article and graphs render whole flows.
        if cls is not None and getattr(cls, "render", None) is not BaseRenderer.render:
            renderers.append(cls())
    exercised = {flow.flow.start}
    steps = 0
    for path in paths:
        exercised.update(a.node for a in path.answers)
        exercised.add(path.end)
        for step in iter_steps(flow, path):
            steps += 1
            for renderer in renderers:
                renderer.render(step)
    missing = [node for node in flow.flow.nodes if node not in exercised]
    names = ", ".join(r.name for r in renderers)
    print(
        f"{len(paths)} paths, {steps} steps rendered with {names}; "
        f"{len(exercised)} of {len(flow.flow.nodes)} nodes exercised",
        file=out,
    )
    for node in missing:
        print(f"never exercised: {node}", file=out)
    if len(paths) >= args.limit:
        print(f"stopped after {args.limit} paths (--limit)", file=out)
    from helpflow.scenarios import check_flow

    scenarios_ok = check_flow(flow, args.flow, out, min_coverage=args.min_coverage)
    return EXIT_FINDINGS if missing or not scenarios_ok else EXIT_OK


def cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    if args.of == "step":
        from helpflow_json import generate_schema

        schema = generate_schema()
    else:
        from helpflow.schema import SCHEMAS

        schema = SCHEMAS[args.of]()
    out.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def cmd_paths(args: argparse.Namespace, out: TextIO) -> int:
    flow = _load(args.flow, args.var)
    paths = flow.paths()
    if args.format == "json":
        data = [
            {
                "answers": [{"node": a.node, "choice": a.choice} for a in p.answers],
                "end": p.end,
                "outcome": p.outcome,
            }
            for p in paths
        ]
        out.write(json.dumps(data, indent=2) + "\n")
    else:
        width = len(str(len(paths)))
        for number, p in enumerate(paths, 1):
            hops = [f"{a.node}[{a.choice}]" for a in p.answers]
            out.write(f"{number:>{width}}. {' → '.join([*hops, p.end])}  ({p.outcome})\n")
        kinds: dict[str, int] = {}
        for p in paths:  # each resolution counted apart: an `info` ending is not "solved"
            kinds[p.outcome] = kinds.get(p.outcome, 0) + 1
        counted = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        print(f"{len(paths)} paths ({counted})", file=sys.stderr)
    return EXIT_OK


def cmd_step(args: argparse.Namespace, out: TextIO) -> int:
    from helpflow.renderers import get_renderer

    renderer = get_renderer(args.format)
    flow = _load_for_reader(args.flow, args.var, args.lang)
    session = _resume(flow, args.token) if args.token else flow.start()
    for choice in args.go:
        session = flow.choose(session, choice)
    out.write(renderer.render(flow.step(session)).rstrip("\n") + "\n")
    return EXIT_OK


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    from helpflow.renderers import InteractiveRenderer, get_renderer

    renderer = get_renderer(args.format)
    if not isinstance(renderer, InteractiveRenderer):
        raise RendererError(f"renderer {args.format!r} is not interactive; try --format terminal")
    flow = _load_for_reader(args.flow, args.var, args.lang)
    session = _resume(flow, args.token) if args.token else None
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


def cmd_build(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    from helpflow.content import strip_control
    from helpflow.renderers import SiteBuilder, get_renderer

    renderer = get_renderer(args.format)
    if not isinstance(renderer, SiteBuilder):
        raise RendererError(f"renderer {args.format!r} does not build sites; try --format html")
    if Path(args.flow).is_dir() and not (args.widget or args.embed):
        return _build_centre(renderer, args, out)
    from helpflow.engine import load
    from helpflow.todos import check_todos, open_todos

    flow = load(
        args.flow, vars=_parse_vars(args.var), secret=_secret(), strict=args.strict, lang=args.lang
    )
    todos = open_todos(args.flow)
    for todo in todos:  # published gaps are listed, never silent
        print(strip_control(todo.format()), file=sys.stderr)
    check_todos(todos, strict=args.strict, allow=args.allow_todo)
    options: dict[str, object] = {"embed": True, "site_url": args.site_url} if args.embed else {}
    if not (args.lang or args.embed or args.widget):
        options.update(_translations(renderer, args))
    report = renderer.build(
        flow, Path(args.out), base_url=args.base_url, widget=args.widget, **options
    )
    what = "embed" if args.embed else "widget" if args.widget else f"{report.pages} pages"
    print(strip_control(f"wrote {what} ({report.files} files) to {args.out}"), file=out)
    return EXIT_OK


def _translations(renderer: object, args: argparse.Namespace) -> dict[str, object]:
    """Without `--lang`, a site in every language the flow has a catalog for, where the
    renderer builds several (`translations=`)."""
    import inspect

    from helpflow import i18n

    build = getattr(renderer, "build", None)
    if build is None or "translations" not in inspect.signature(build).parameters:
        return {}
    langs = i18n.languages(args.flow)
    if not langs:
        return {}
    vars_ = _parse_vars(args.var)
    flows = {lang: i18n.load(args.flow, lang, vars=vars_, secret=_secret()) for lang in langs}
    return {"translations": flows}


def _build_centre(renderer: object, args: argparse.Namespace, out: TextIO) -> int:
    """`helpflow build FOLDER`: every flow in it as one help centre, rebuilt incrementally."""
    import time
    from pathlib import Path

    build_centre = getattr(renderer, "build_centre", None)
    if build_centre is None:
        raise RendererError(f"renderer {args.format!r} does not build help centres")
    started = time.perf_counter()
    options = {"vars": _parse_vars(args.var), "base_url": args.base_url}
    if sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("building flows", total=None)
            report = build_centre(
                Path(args.flow), Path(args.out), progress=lambda _: bar.advance(task), **options
            )
    else:
        report = build_centre(Path(args.flow), Path(args.out), **options)
    print(
        f"built {report.flows} flow{'' if report.flows == 1 else 's'} ({report.pages:,} pages) in "
        f"{time.perf_counter() - started:.1f} s: {report.built} rendered, {report.kept} "
        f"unchanged, {report.removed} removed; wrote {args.out}",
        file=out,
    )
    return EXIT_OK


def cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    from helpflow.renderers import FlowRenderer, get_renderer

    renderer = get_renderer(args.format)
    if not isinstance(renderer, FlowRenderer):
        raise RendererError(
            f"renderer {args.format!r} renders single steps, not whole flows; "
            "use `helpflow step --format` for those"
        )
    text = renderer.render_flow(_load(args.flow, args.var))
    if getattr(args, "out", None):
        # Like `build --out`, missing folders are made: `render --out docs/x.md` just works.
        os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        out.write(text)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    import importlib.util

    if importlib.util.find_spec("uvicorn") is None or importlib.util.find_spec("starlette") is None:
        raise RendererError("helpflow serve needs the serve extra: pip install 'helpflow[serve]'")
    if args.workers < 1 or args.timeout < 1:
        raise HelpflowError("--workers and --timeout must be at least 1")
    options = {
        "vars": _parse_vars(args.var),
        "cors_origins": args.cors_origin,
        "frame_ancestors": args.frame_ancestor or ["'self'"],
        "production": True if args.production else None,
        "client_timeout": args.timeout,
        "events": args.events,
        "store_comments": args.store_comments,
        "handoff_webhook": args.handoff_webhook,
    }
    # Fail here, with a message, rather than in each worker: the factory below rebuilds the
    # app in every worker process from the same settings (passed through the environment).
    from helpflow.content import strip_control
    from helpflow.server import create_app
    from helpflow.server.factory import log_to_stderr
    from helpflow.server.run import serve

    log_to_stderr()
    app = create_app(args.path, **options)
    if not os.environ.get(SECRET_ENV):
        print(
            f"helpflow: warning: ${SECRET_ENV} is not set: tokens are NOT signed, so any client "
            "can forge a session; set it to a long random value (the same in every process)",
            file=sys.stderr,
        )
    os.environ["HELPFLOW_SERVE_PATH"] = args.path
    os.environ["HELPFLOW_SERVE_OPTIONS"] = json.dumps(options)
    print(strip_control(f"serving {args.path} on http://{args.host}:{args.port}/"), file=sys.stderr)
    # One process serves the app already built; workers and reloads each build their own.
    single = args.workers == 1 and not args.reload
    serve(
        app if single else "helpflow.server.factory:app_from_environment",
        factory=not single,
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=args.reload,
        timeout=args.timeout,
    )
    return EXIT_OK


def _resume(flow: CompiledFlow, token: str) -> Session:
    resumed = flow.resume(token)
    if resumed.version_changed:
        note = "the flow changed since this token was made; its answers were replayed"
        if resumed.diverged_at:
            note += f", and {resumed.dropped} no longer fit from {resumed.diverged_at!r} on"
        from helpflow.content import strip_control

        print(f"helpflow: note: {strip_control(note)}", file=sys.stderr)
    return resumed.session


# --- wiring ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="helpflow",
        description="Guided troubleshooting wizards from YAML decision trees.",
    )
    parser.add_argument("--version", action="version", version=f"helpflow {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def add_vars(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--var",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="override one of the flow's vars (repeatable)",
        )

    def add_lang(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--lang",
            help="language of the flow's text (default: the environment's locale when the "
            "flow has a catalog for it, else the flow's own language)",
        )

    for name in ("validate", "lint"):
        p = sub.add_parser(
            name,
            help="check flow files: schema, references, graph"
            + (" (same as validate)" if name == "lint" else ""),
        )
        p.add_argument("flows", nargs="+", metavar="FLOW")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument("--format", choices=("text", "json"), default="text")
        p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "test", help="walk every path, render every step; fail on nodes never reached"
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
    add_vars(p)
    p.set_defaults(func=cmd_test)

    p = sub.add_parser(
        "schema", help="print a JSON Schema: flow, include fragment, scenarios, step"
    )
    p.add_argument("--of", choices=("flow", "fragment", "scenarios", "step"), default="flow")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("paths", help="list every path from the start to an outcome")
    p.add_argument("flow", metavar="FLOW")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_vars(p)
    p.set_defaults(func=cmd_paths)

    p = sub.add_parser("run", help="walk a flow interactively in the terminal")
    p.add_argument("flow", metavar="FLOW")
    p.add_argument("--token", help="resume where a previous run left off")
    p.add_argument(
        "--transcript", action="store_true", help="print the whole walk as plain text at the end"
    )
    p.add_argument("--format", default="terminal", help="interactive renderer (default: terminal)")
    add_lang(p)
    add_vars(p)
    p.set_defaults(func=cmd_run)

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
    p.add_argument("--format", default="html", help="site renderer (default: html)")
    p.add_argument("--strict", action="store_true", help="refuse warnings and open todos")
    p.add_argument("--allow-todo", action="store_true", help="with --strict, publish todos")
    p.add_argument(
        "--lang",
        help="build this language only (from the flow's catalog); default: every language the "
        "flow has a catalog for, the flow's own at the root and each other under <lang>/",
    )
    add_vars(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("render", help="render a whole flow at once (e.g. --format article)")
    p.add_argument("flow", metavar="FLOW")
    p.add_argument("--format", default="article", help="renderer (default: article)")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    add_vars(p)
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("graph", help="draw the flow as a Mermaid or dot graph")
    p.add_argument("flow", metavar="FLOW")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    add_vars(p)
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("serve", help="serve flows over HTTP: JSON API and pages")
    p.add_argument("path", metavar="PATH", help="a flow file or a folder of flows")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument(
        "--timeout",
        type=int,
        default=10,
        metavar="SECONDS",
        help="drop a client idle this long, or slower than this to send a request (default 10)",
    )
    p.add_argument("--reload", action="store_true", help="restart when files change (dev)")
    p.add_argument(
        "--production",
        action="store_true",
        help=f"require ${SECRET_ENV} (also: HELPFLOW_PRODUCTION=1)",
    )
    p.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow this origin to call the API from a browser (repeatable)",
    )
    p.add_argument(
        "--frame-ancestor",
        action="append",
        default=[],
        metavar="SOURCE",
        help="allow pages to be framed by this origin (repeatable; default 'self')",
    )
    p.add_argument("--events", metavar="TARGET", help="record events: SQLite file or postgresql://")
    p.add_argument("--store-comments", action="store_true", help="keep feedback comments")
    p.add_argument("--handoff-webhook", metavar="URL", help="POST hand-off packets here")
    add_vars(p)
    p.set_defaults(func=cmd_serve)

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
    add_lang(p)
    add_vars(p)
    p.set_defaults(func=cmd_step)

    from helpflow.author_cli import add_commands as add_author_commands
    from helpflow.events.commands import add_commands as add_event_commands
    from helpflow.i18n.cli import add_parser as add_i18n_parser

    add_author_commands(sub)
    add_event_commands(sub)
    add_i18n_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args, sys.stdout)
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


if __name__ == "__main__":
    sys.exit(main())
