"""The content additions in real Chromium (issue 7): code blocks with a working Copy button,
tables, images that load, callouts that keep their kind, tel:/mailto: contacts; axe finds no
violations. Built from the two example flows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import helpflow
from helpflow_html import HtmlRenderer

from browser import axe_violations, serve
from support import ROOT

PRINTER = helpflow.load(ROOT / "examples" / "content" / "printer-error-light.yaml")
UPDATE = helpflow.load(ROOT / "examples" / "content" / "software-update-failing.yaml")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    root = tmp_path_factory.mktemp("content")
    HtmlRenderer().build(PRINTER, root / "printer")
    HtmlRenderer().build(UPDATE, root / "update")
    with serve(root) as url:
        yield {"printer": url + "printer/", "update": url + "update/"}


def walk_to(page: Any, site: str, *choices: str) -> None:
    """Open the site and click through `choices`: page paths belong to the site builder."""
    page.goto(site)
    page.click("[data-start]")
    for choice in choices:
        page.click(f'[data-choice="{choice}"]')


@pytest.fixture
def clipboard_page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
    yield context.new_page()
    context.close()


def test_code_block_copy_button_copies_the_command(
    clipboard_page: Any, sites: dict[str, str]
) -> None:
    page = clipboard_page
    walk_to(page, sites["update"], "in_use", "linux")
    code = page.locator("pre code.language-bash")
    assert code.inner_text().strip() == 'pgrep -a -f "Quillpad-installer"'
    button = page.locator(".hf-copy").first
    button.wait_for(state="visible", timeout=5000)  # copy.js (deferred) shows it
    button.click()
    assert page.evaluate("navigator.clipboard.readText()").strip() == code.inner_text().strip()
    assert "Copied" in button.inner_text()


def test_copy_button_stays_hidden_without_javascript(page_nojs: Any, sites: dict[str, str]) -> None:
    walk_to(page_nojs, sites["update"], "space", "windows")
    assert page_nojs.locator("pre code.language-powershell").count() == 1
    assert page_nojs.locator(".hf-copy").is_hidden()
    # The note written after the steps comes after them, as a callout of its kind.
    order = page_nojs.evaluate(
        "[...document.querySelectorAll('.hf-steps, .hf-callout--note')].map(e => e.className)"
    )
    assert order == ["hf-steps", "hf-callout hf-callout--note"]


def test_table_image_and_alert(page: Any, sites: dict[str, str]) -> None:
    page.goto(sites["printer"])
    image = page.locator("img")
    assert image.get_attribute("alt", timeout=2000)
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    walk_to(page, sites["printer"])
    rows = page.locator("table tr")
    assert rows.count() == 4
    assert page.locator("table th").first.inner_text() == "Light"
    page.click('[data-choice="paper"]')
    page.click('[data-choice="mac"]')
    assert page.get_attribute("h1", "data-node") == "paper_jam"
    warning = page.locator(".hf-callout--warning[role=note]")
    assert "Warning" in warning.inner_text()
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    steps = page.locator(".hf-steps > li").all_inner_texts()
    assert any("On your Mac" in s for s in steps)
    assert not any("On your PC" in s for s in steps)
    assert page.locator("h2").first.inner_text() == "Is the paper light off now?"
    page.click('[data-choice="not_solved"]')
    assert page.get_attribute("[data-outcome]", "data-outcome") == "escalate"
    assert page.get_attribute("a[href^='tel:']", "href") == "tel:+442079460000"
    assert page.get_attribute("a[href^='mailto:']", "href") == "mailto:help@inkwell.example"
    assert "The paper light" in page.inner_text(".hf-body")


def test_info_outcome_is_neither_solved_nor_escalation(page: Any, sites: dict[str, str]) -> None:
    walk_to(page, sites["update"], "superseded")
    assert page.get_attribute("[data-outcome]", "data-outcome") == "info"
    assert page.inner_text("[data-outcome]").strip().lower() == "good to know"
    assert page.locator(".hf-links-title").inner_text() == "Read more"


@pytest.mark.parametrize(
    ("site", "choices"),
    [
        ("printer", ()),
        ("printer", ("paper", "windows")),
        ("printer", ("ink", "not_solved")),
        ("update", ("space", "linux")),
        ("update", ("superseded",)),
    ],
)
def test_content_pages_have_no_axe_violations(
    page: Any, sites: dict[str, str], site: str, choices: tuple[str, ...]
) -> None:
    walk_to(page, sites[site], *choices)
    assert axe_violations(page) == []


@pytest.mark.parametrize("site", ["printer", "update"])
def test_article_pages_have_no_axe_violations(page: Any, sites: dict[str, str], site: str) -> None:
    page.goto(sites[site] + "article.html")
    assert axe_violations(page) == []
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")


def test_built_assets_are_content_hashed(sites: dict[str, str], tmp_path: Path) -> None:
    names = {a.name for a in PRINTER.assets.values()}
    assert len(names) == 2
    assert all(len(n) == len("0123456789abcdef.png") for n in names)
