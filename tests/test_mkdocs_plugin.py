"""The MkDocs plugin (issue 14 item 4): a site built with `mkdocs build` in a subprocess, its
HTML checked and walked in Chromium; invalid flows fail the build at file:line:col; `mkdocs
serve` rebuilds when a flow changes."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import helpflow
from helpflow_html.scripts import component_file_name

from browser import serve, walk_every_path
from support import BUNDLED

# Starts server processes, subprocesses or long property runs: left out of the fast run.
pytestmark = pytest.mark.slow

FLOW = helpflow.load(BUNDLED)
# The theme would fetch highlight.js from a CDN: off, so the site makes no foreign requests.
MKDOCS_YML = (
    "site_name: Help centre\ntheme:\n  name: mkdocs\n  highlightjs: false\nplugins:\n  - helpflow\n"
)
BLOCK = "```helpflow\nflow: {flow}\n```\n"


def make_project(root: Path, flow_dir: Path) -> Path:
    """A docs project: the flow in ../flows beside docs/, as the issue's example has it."""
    shutil.copytree(flow_dir, root / "flows")
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    docs = root / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "index.md").write_text("# Help centre\n\nStart here.\n")
    (docs / "guide" / "sign-in.md").write_text(
        "# Signing in\n\nSome text first.\n\n"
        + BLOCK.format(flow="../../flows/account-login.yaml")
        + "\nMore text after.\n"
    )
    return root


def mkdocs(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("mkdocs"), BUNDLED.parent)
    result = mkdocs(root, "build", "--strict")
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with serve(built) as url:
        yield url


def test_the_block_becomes_the_component_with_its_fallback(built: Path) -> None:
    html = (built / "guide" / "sign-in" / "index.html").read_text()
    assert f'<script src="../../helpflow/{component_file_name()}" defer></script>' in html
    assert '<help-flow src="../../helpflow/account-login.json" lang="en">' in html
    assert "How did you get your Trend Micro product?" in html
    assert '<a href="../../helpflow/account-login.html">' in html
    assert "```helpflow" not in html
    assert "<p>More text after.</p>" in html
    for name in [component_file_name(), "account-login.json", "account-login.html", "helpflow.css"]:
        assert (built / "helpflow" / name).is_file(), name


def test_walk_the_built_site_in_chromium(page: Any, site_url: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url)
    theme_errors = list(errors)  # the MkDocs theme's own, on a page without a flow
    errors.clear()
    page.goto(site_url + "guide/sign-in/")
    walk_every_path(page, "help-flow", FLOW.paths())
    assert errors == theme_errors


def test_the_built_site_without_javascript(page_nojs: Any, site_url: str) -> None:
    page_nojs.goto(site_url + "guide/sign-in/")
    assert page_nojs.locator("help-flow .helpflow-fallback").is_visible()
    page_nojs.click("help-flow .helpflow-fallback a >> nth=0")
    assert page_nojs.inner_text("h1") == FLOW.info.title


def test_an_invalid_flow_fails_the_build_at_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, BUNDLED.parent)
    flow_file = root / "flows" / "account-login.yaml"
    text = flow_file.read_text()
    flow_file.write_text(text.replace("to: problem", "to: problme", 1))
    line = text[: text.index("to: problem")].count("\n") + 1
    result = mkdocs(root, "build")
    assert result.returncode == 1
    assert f"{flow_file}:{line}:" in result.stderr
    assert "'problme' is not a node" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("```helpflow\nflow: ../nope.yaml\n```\n", "sign-in.md:3:1: error: flow file"),
        (
            "```helpflow\nlang: en\n```\n",
            "sign-in.md:3:1: error: helpflow block has no 'flow: PATH'",
        ),
        (
            "```helpflow\nflow: x.yaml\nfow: y\n```\n",
            "sign-in.md:5:1: error: helpflow block: expected",
        ),
    ],
)
def test_a_broken_block_fails_at_its_line(tmp_path: Path, block: str, message: str) -> None:
    root = make_project(tmp_path, BUNDLED.parent)
    (root / "docs" / "guide" / "sign-in.md").write_text("# Signing in\n\n" + block)
    result = mkdocs(root, "build")
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def _wait_for(check: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_the_flow_changes(tmp_path: Path) -> None:
    root = make_project(tmp_path, BUNDLED.parent)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/helpflow/account-login.json"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert _wait_for(lambda: FLOW.info.title in _fetch(url), 60)
        flow_file = root / "flows" / "account-login.yaml"
        text = re.sub(
            r"^title: .*$", "title: Renamed flow", flow_file.read_text(), count=1, flags=re.M
        )
        flow_file.write_text(text)
        assert _wait_for(lambda: "Renamed flow" in _fetch(url), 60)
    finally:
        server.terminate()
        server.wait(timeout=10)
