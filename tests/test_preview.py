"""`helpflow preview`: a real server on loopback, a real SSE client, real saves to disk."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from servers import free_port, stop
from support import BUNDLED

# Starts server processes, subprocesses or long property runs: left out of the fast run.
pytestmark = pytest.mark.slow

TIMEOUT = 30.0


@pytest.fixture
def flow_dir(tmp_path: Path) -> Path:
    shutil.copytree(BUNDLED.parent, tmp_path / "flows")
    return tmp_path / "flows"


@pytest.fixture
def preview(flow_dir: Path) -> Iterator[str]:
    """`helpflow preview` as an author runs it, on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "helpflow",
            "preview",
            str(flow_dir / "account-login.yaml"),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                if httpx2.get(f"{url}/__preview/", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline, "preview did not start"
            time.sleep(0.1)
        yield url
    finally:
        stop(process)


class Events:
    """The preview's Server-Sent Events, read as a browser's EventSource would."""

    def __init__(self, response: httpx2.Response) -> None:
        self.lines = response.iter_lines()

    def next_state(self) -> dict[str, Any]:
        event: str | None = None
        for line in self.lines:
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: ") and event == "state":
                state: dict[str, Any] = json.loads(line[len("data: ") :])
                return state
        raise AssertionError("the event stream ended")


def _save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_pages_article_and_graph(preview: str) -> None:
    frame = httpx2.get(f"{preview}/__preview/").text
    assert '<iframe id="view" src="/flows/account-login/"' in frame
    assert 'new EventSource("/__preview/events")' in frame
    wizard = httpx2.get(f"{preview}/flows/account-login/")
    assert "How did you get your Trend Micro product?" in wizard.text
    article = httpx2.get(f"{preview}/__preview/article").text
    assert "Trouble signing in to your Trend Micro account" in article
    graph = httpx2.get(f"{preview}/__preview/graph").text
    assert "flowchart TD" in graph


def test_a_save_reloads_and_a_broken_save_shows_where(preview: str, flow_dir: Path) -> None:
    flow = flow_dir / "account-login.yaml"
    original = flow.read_text()
    with httpx2.stream("GET", f"{preview}/__preview/events", timeout=TIMEOUT) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = Events(response)
        first = events.next_state()
        assert first["errors"] == []

        _save(flow, original.replace("How did you get your", "Where did you buy your"))
        saved = events.next_state()
        assert saved["version"] > first["version"]
        assert saved["errors"] == []
        page = httpx2.get(f"{preview}/flows/account-login/").text
        assert "Where did you buy your Trend Micro product?" in page

        _save(flow, original.replace("    kind: question\n", "    kind: questoin\n", 1))
        broken = events.next_state()
        assert broken["version"] > saved["version"]
        assert any(
            e.startswith(f"{flow}:") and ": error: " in e and "questoin" in e
            for e in broken["errors"]
        ), broken
        # The page shows the errors at file:line:col; the wizard keeps its last good version.
        frame = httpx2.get(f"{preview}/__preview/").text
        assert re.match(rf"{re.escape(str(flow))}:\d+:\d+: error: ", broken["errors"][0])
        assert html.escape(broken["errors"][0]) in frame
        page = httpx2.get(f"{preview}/flows/account-login/").text
        assert "Where did you buy your Trend Micro product?" in page

        _save(flow, original)
        fixed = events.next_state()
        while fixed["errors"]:
            fixed = events.next_state()
        assert "How did you get your" in httpx2.get(f"{preview}/flows/account-login/").text


def test_an_include_image_or_scenario_save_reloads(preview: str, flow_dir: Path) -> None:
    shared = flow_dir / "shared" / "contacts.yaml"
    with httpx2.stream("GET", f"{preview}/__preview/events", timeout=TIMEOUT) as response:
        events = Events(response)
        events.next_state()
        _save(shared, shared.read_text().replace("You're back in", "Signed in again"))
        assert events.next_state()["errors"] == []
        (flow_dir / "img").mkdir()
        (flow_dir / "img" / "router.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        assert events.next_state()["errors"] == []
        scenarios = flow_dir / "account-login.tests.yaml"
        _save(scenarios, "scenarios:\n  - nmae: x\n")
        state = events.next_state()
        assert f"{scenarios}:2:5: error: scenarios[0].nmae: unknown key" in state["errors"]


def test_preview_listens_on_loopback_only_by_default() -> None:
    from helpflow.cli import build_parser

    args = build_parser().parse_args(["preview", "flow.yaml"])
    assert args.host == "127.0.0.1"


def test_preview_of_a_missing_flow_is_an_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "helpflow", "preview", str(tmp_path / "nope.yaml")],
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
    )
    assert result.returncode == 1
    assert result.stderr == f"helpflow: error: {tmp_path / 'nope.yaml'}: no such flow file\n"


def test_the_browser_reloads_on_save_and_shows_errors(
    page: Any, preview: str, flow_dir: Path
) -> None:
    flow = flow_dir / "account-login.yaml"
    original = flow.read_text()
    page.goto(f"{preview}/__preview/")
    wizard = page.frame_locator("#view")
    wizard.get_by_role("heading", name="How did you get your Trend Micro product?").wait_for()
    page.wait_for_function("document.body.dataset.version !== undefined")
    assert page.locator("#errors").is_hidden()

    _save(flow, original.replace("How did you get your", "Where did you buy your"))
    wizard.get_by_role("heading", name="Where did you buy your Trend Micro product?").wait_for()

    _save(flow, original.replace("start: purchase_channel", "start: purchase_chanel"))
    errors = page.locator("#errors")
    errors.wait_for(state="visible")
    assert re.search(
        rf"{re.escape(str(flow))}:\d+:\d+: error: .*purchase_chanel", errors.inner_text()
    )

    _save(flow, original)
    errors.wait_for(state="hidden")
    wizard.get_by_role("heading", name="How did you get your Trend Micro product?").wait_for()
