"""A help-centre page that embeds the widget, and one that embeds the server's pages in an
iframe. Starts `helpflow serve` on :8000 (for the iframe) and the help centre on :8002.

    python examples/help_center/run.py [--build-only]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = HERE / "build"
MARK = "<!-- helpflow-widget -->"


def build(server_url: str) -> None:
    widget = OUT / "widget"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "helpflow",
            "build",
            str(ROOT / "flows" / "account-login.yaml"),
            "--widget",
            "--out",
            str(widget),
            "--var",
            "support_url=https://help.example.com/contact",
        ],
        check=True,
    )
    fragment = (widget / "helpflow-widget.html").read_text(encoding="utf-8")
    page = (HERE / "widget.html").read_text(encoding="utf-8").replace(MARK, fragment)
    (OUT / "index.html").write_text(page, encoding="utf-8")
    iframe = (HERE / "iframe.html").read_text(encoding="utf-8").replace("{server}", server_url)
    (OUT / "iframe.html").write_text(iframe, encoding="utf-8")
    (OUT / "style.css").write_text((HERE / "style.css").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--server-port", type=int, default=8000)
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    server_url = f"http://127.0.0.1:{args.server_port}"
    build(server_url)
    if args.build_only:
        return
    helpflow = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "helpflow",
            "serve",
            str(ROOT / "flows"),
            "--port",
            str(args.server_port),
            "--frame-ancestor",
            f"http://127.0.0.1:{args.port}",
        ],
        env={**os.environ},
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(OUT))
    try:
        with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as site:
            print(
                f"help centre: http://127.0.0.1:{args.port}/ (widget) and "
                f"http://127.0.0.1:{args.port}/iframe.html (server pages)  Ctrl-C stops"
            )
            site.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        helpflow.terminate()


if __name__ == "__main__":
    main()
