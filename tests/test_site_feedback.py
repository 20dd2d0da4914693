"""`helpflow build --events-url`: the static site's "Was this helpful?" (what the pages
carry; tests/test_events_site_browser.py sends it from real Chromium)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpflow.cli import main
from helpflow.engine import CompiledFlow
from helpflow.errors import RendererError
from helpflow_html import HtmlRenderer
from helpflow_html.centre import build_centre
from helpflow_html.site import site_files

from support import BUNDLED

URL = "https://help.example.com/api/v1/events"
QUESTION = re.compile(
    r'<section class="hf-feedback" id="hf-feedback" aria-label="Feedback" hidden '
    r'data-feedback-url="([^"]*)" data-thanks="Thank you for your feedback." '
    r'data-flow="account-login" data-version="(\w+)" '
    r'data-node="(\w+)">'
)


def asked(files: dict[str, str]) -> dict[str, str]:
    """page path → the node its question is about, for every page that asks."""
    found = {}
    for path, text in files.items():
        match = QUESTION.search(text)
        if match:
            assert match.group(1) == URL
            found[path] = match.group(3)
    return found


def test_fix_and_outcome_pages_ask(bundled: CompiledFlow) -> None:
    files, _ = site_files(bundled, events_url=URL)
    pages = asked(files)
    kinds = {bundled.flow.nodes[node].kind for node in pages.values()}
    assert kinds == {"fix", "outcome"}
    every = {n for n, node in bundled.flow.nodes.items() if node.kind in ("fix", "outcome")}
    assert set(pages.values()) == every
    assert '<script src="../feedback.js" defer></script>' in files["solved/index.html"]
    assert "data-feedback-url" not in files["purchase_channel/index.html"]
    assert "feedback.js" in files


def test_without_an_events_url_nothing_is_asked(bundled: CompiledFlow) -> None:
    files, _ = site_files(bundled)
    assert asked(files) == {}
    assert not any("feedback.js" in text for path, text in files.items() if path.endswith("html"))


@pytest.mark.parametrize(
    "bad", ["javascript:alert(1)", "help.example.com/events", "ftp://x/y", "https:///x", "/a b"]
)
def test_a_bad_events_url_is_refused(bundled: CompiledFlow, tmp_path: Path, bad: str) -> None:
    with pytest.raises(RendererError, match="give the full address of the events endpoint"):
        HtmlRenderer().build(bundled, tmp_path / "site", events_url=bad)
    assert not (tmp_path / "site").exists()


def test_build_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["build", str(BUNDLED), "--out", str(out), "--events-url", URL]) == 0
    assert QUESTION.search((out / "solved" / "index.html").read_text())
    assert (out / "feedback.js").is_file()
    assert main(["build", str(BUNDLED), "--out", str(out), "--events-url", "nope"]) == 1
    err = capsys.readouterr().err
    assert "helpflow: error: --events-url 'nope': give the full address" in err
    assert "Traceback" not in err
    embed = ["build", str(BUNDLED), "--out", str(tmp_path / "e"), "--embed", "--events-url", URL]
    assert main(embed) == 1
    assert "set the events-url attribute on <help-flow>" in capsys.readouterr().err


def test_widget_build_sends_to_the_events_url(bundled: CompiledFlow, tmp_path: Path) -> None:
    HtmlRenderer().build(bundled, tmp_path / "w", widget=True, events_url=URL)
    assert f'data-events-url="{URL}"' in (tmp_path / "w" / "helpflow-widget.html").read_text()


def test_help_centre_pages_ask_and_a_new_url_rebuilds(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(BUNDLED.parent, flows)
    site = tmp_path / "site"
    build_centre(flows, site, events_url=URL)
    page = (site / "account-login" / "solved" / "index.html").read_text()
    assert QUESTION.search(page)
    assert '<script src="../../feedback.js" defer></script>' in page
    assert (site / "feedback.js").is_file()
    again = build_centre(flows, site)  # without it: every page changes
    assert again.built == 1
    assert "data-feedback-url" not in (site / "account-login" / "solved" / "index.html").read_text()
