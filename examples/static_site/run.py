"""Build the static help site for the bundled flow and serve it on http://127.0.0.1:8001/.

python examples/static_site/run.py [--port 8001] [--build-only]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "build"


def build() -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "helpflow",
            "build",
            str(ROOT / "flows" / "account-login.yaml"),
            "--out",
            str(OUT),
            "--base-url",
            "http://127.0.0.1:8001/",
        ],
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    build()
    if args.build_only:
        return
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(OUT))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"serving the help site on http://127.0.0.1:{args.port}/  (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


if __name__ == "__main__":
    main()
