"""`helpflow serve`: the JSON API and server pages over HTTP."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TextIO

from helpflow.cli.common import EXIT_OK, SECRET_ENV, Subparsers, add_flow_options, parse_vars
from helpflow.errors import HelpflowError, RendererError


def add_parsers(sub: Subparsers) -> None:
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
    add_flow_options(p)
    p.set_defaults(func=serve)


def serve(args: argparse.Namespace, out: TextIO) -> int:
    import importlib.util

    if importlib.util.find_spec("uvicorn") is None or importlib.util.find_spec("starlette") is None:
        raise RendererError("helpflow serve needs the serve extra: pip install 'helpflow[serve]'")
    if args.workers < 1 or args.timeout < 1:
        raise HelpflowError("--workers and --timeout must be at least 1")
    options = {
        "vars": parse_vars(args.var),
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
    from helpflow.server.run import serve as run_server

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
    run_server(
        app if single else "helpflow.server.factory:app_from_environment",
        factory=not single,
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=args.reload,
        timeout=args.timeout,
    )
    return EXIT_OK
