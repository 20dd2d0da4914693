"""Real Chromium for the HTML tests: Debian's /usr/bin/chromium driven by Playwright, pages
served over loopback, axe-core injected for accessibility checks."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / ".node" / "node_modules" / "axe-core" / "axe.min.js"
# Chromium's own background traffic is refused by this closed network; switch it off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(path: Path, what: str) -> None:
    if path.exists():
        return
    message = f"{what} not found at {path}: run scripts/install-test-deps.sh"
    if os.environ.get("CI"):
        pytest.fail(message)  # in CI a missing browser is a failure, never a skip
    pytest.skip(message)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: dict[str, str] = {}  # noqa: RUF012 - set per server by a subclass

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()


#: The policy a careful help centre sends: nothing inline, nothing from elsewhere.
STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'"


@contextmanager
def serve(directory: Path, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 for the duration, every response carrying `headers`;
    yields the base URL."""
    handler_class = type("Handler", (_QuietHandler,), {"extra_headers": dict(headers or {})})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    require(AXE, "axe-core")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def host_page(fragment: str, title: str = "Help centre") -> str:
    """A plain help-centre page that embeds a widget fragment, as a site would."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1>"
        f"{fragment}</main></body></html>"
    )


def walk_every_path(page: Any, scope: str, paths: list[Any]) -> None:
    """Click along every engine path in one page (Start again between them) and check the
    browser shows the same node sequence and outcome as the Python engine. `scope` is the
    selector of the flow's container (Playwright's CSS pierces open shadow roots)."""
    for i, path in enumerate(paths):
        if i:
            page.click(f'{scope} [data-action="restart"]')
        seen = []
        for answer in path.answers:
            seen.append(page.get_attribute(f"{scope} h2[data-node]", "data-node"))
            page.click(f'{scope} [data-choice="{answer.choice}"]')
        seen.append(page.get_attribute(f"{scope} h2[data-node]", "data-node"))
        assert seen == [a.node for a in path.answers] + [path.end], path
        outcome = page.get_attribute(f"{scope} [data-outcome]", "data-outcome")
        assert outcome == path.outcome, path


def act_and_expect(page: Any, scope: str, script: list[tuple[str, str]]) -> None:
    """Each (action, node): do it, then the flow in `scope` shows that node. An action is a
    selector to click inside `scope`, or "reload" / "back" for the browser's own."""
    for action, expected in script:
        if action == "reload":
            page.reload()
        elif action == "back":
            page.go_back()
        else:
            page.click(f"{scope} {action}")
        shown = page.get_attribute(f"{scope} h2[data-node]", "data-node")
        assert shown == expected, (action, shown, expected)


TEST_FLOWS = Path(__file__).parent / "flows"


def every_test_flow(folder: Path) -> list[Any]:
    """Every test flow, compiled: the bundled one, tests/flows/*.yaml and support's MINI
    (written to `folder`). The browser faces are checked against the engine on all of them."""
    import helpflow

    from support import BUNDLED, MINI

    (folder / "mini.yaml").write_text(MINI)
    files = [BUNDLED, *sorted(TEST_FLOWS.glob("*.yaml")), folder / "mini.yaml"]
    return [helpflow.load(path) for path in files]
