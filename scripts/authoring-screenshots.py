"""Screenshots for docs/authoring.md: `helpflow preview` in headless Chromium.

    python scripts/authoring-screenshots.py     # writes docs/img/preview-*.png

Runs the preview of a copy of the bundled flow on a free loopback port, shows the wizard,
breaks the copy (as a bad save would) to show the error panel, and shows the article view.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from servers import free_port, stop  # noqa: E402

OUT = ROOT / "docs" / "img"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        flows = Path(tmp) / "flows"
        shutil.copytree(ROOT / "flows", flows)
        flow = flows / "account-login.yaml"
        port = free_port()
        argv = ["preview", "flows/account-login.yaml", "--port", str(port)]
        process = subprocess.Popen(
            [sys.executable, "-m", "helpflow", *argv],
            cwd=tmp,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        url = f"http://127.0.0.1:{port}/__preview/"
        try:
            _wait(url)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport={"width": 1000, "height": 640})
                page.goto(url)
                page.frame_locator("#view").get_by_role("heading").first.wait_for()
                page.screenshot(path=OUT / "preview-wizard.png")
                original = flow.read_text()
                flow.write_text(original.replace("to: check_sign_in", "to: check_sign_inn"))
                page.locator("#errors").wait_for(state="visible")
                page.screenshot(path=OUT / "preview-error.png")
                flow.write_text(original)
                page.locator("#errors").wait_for(state="hidden")
                page.goto(url + "?view=article")
                page.frame_locator("#view").get_by_role("heading").first.wait_for()
                page.screenshot(path=OUT / "preview-article.png")
                browser.close()
        finally:
            stop(process)


def _wait(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx2.get(url, timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the preview did not start")


if __name__ == "__main__":
    main()
