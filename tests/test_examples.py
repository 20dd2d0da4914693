"""Every example runs, as its README says, and does what it claims."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from browser import serve
from servers import helpflow_server
from support import ROOT

# Starts server processes, subprocesses or long property runs: left out of the fast run.
pytestmark = pytest.mark.slow

EXAMPLES = ROOT / "examples"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_python_api_example_runs() -> None:
    result = run(str(EXAMPLES / "python_api" / "walk.py"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Contact Best Buy Geek Squad"
    assert lines[1] == "  Best Buy Geek Squad: https://www.bestbuy.com/services/geek-squad"
    assert lines[2].startswith("token: account-login.")
    assert lines[3] == "after changing where it was bought: Contact your internet service provider"
    assert "Check the details you sign in with" in lines


def test_chat_ui_needs_only_the_json_api() -> None:
    source = (EXAMPLES / "chat_ui" / "chat.py").read_text()
    imports = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not [line for line in imports if "helpflow" in line], imports
    with helpflow_server(ROOT / "flows", secret="chat") as server:
        result = run(
            str(EXAMPLES / "chat_ui" / "chat.py"), "--server", server, stdin="2\n9\n1\n2\nback\n1\n"
        )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "bot> How did you get your Trend Micro product?" in out
    assert "you> I bought it in a shop (for example Best Buy Geek Squad)" in out
    assert "bot> Type the number of an answer, or 'back'." in out  # 9 is not a choice
    assert "bot> Contact Best Buy Geek Squad" in out
    assert out.rstrip().endswith("bot> Anything else? Type 'back' to try another answer.")
    assert "bot> You're back in" in out  # back, then "Yes, that fixed it"


def test_static_site_example(page_nojs: Any) -> None:
    result = run(str(EXAMPLES / "static_site" / "run.py"), "--build-only")
    assert result.returncode == 0, result.stderr
    build = EXAMPLES / "static_site" / "build"
    assert (build / "sitemap.xml").is_file()
    with serve(build) as url:
        page_nojs.goto(url)
        page_nojs.click("[data-start]")
        for choice in ["online", "no_updates", "solved"]:
            page_nojs.click(f'[data-choice="{choice}"]')
        assert page_nojs.get_attribute("h1", "data-node") == "solved"


def test_help_center_example(chromium: Any, tmp_path: Path) -> None:
    build = EXAMPLES / "help_center" / "build"
    build.mkdir(exist_ok=True)
    with serve(build) as site:
        origin = site.rstrip("/")
        with helpflow_server(
            ROOT / "flows", secret="hc", extra=("--frame-ancestor", origin)
        ) as api:
            result = run(
                str(EXAMPLES / "help_center" / "run.py"),
                "--build-only",
                "--server-port",
                api.rsplit(":", 1)[1],
            )
            assert result.returncode == 0, result.stderr
            context = chromium.new_context()
            page = context.new_page()
            page.goto(site)
            page.click('.hf-app [data-choice="retail"]')
            assert page.get_attribute(".hf-app [data-node]", "data-node") == "problem"
            page.goto(site + "iframe.html")
            frame = page.frame_locator("iframe")
            frame.locator('[data-choice="isp"]').click()
            assert frame.locator("h1").get_attribute("data-node") == "problem"
            context.close()
