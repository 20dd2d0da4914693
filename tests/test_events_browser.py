"""In a real browser, JavaScript off: "Was this helpful?" on fix and outcome pages of the
server, thanks after answering, the hand-off details on escalations; axe finds nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from helpflow.events import open_store

from browser import axe_violations
from servers import helpflow_server
from support import BUNDLED

pytestmark = pytest.mark.slow  # a server process

ESCALATION = "purchase_channel=online&problem=cant_access&check_sign_in=not_solved"


def test_feedback_form_without_javascript(page_nojs: Any, chromium: Any, tmp_path: Path) -> None:
    db = str(tmp_path / "events.db")
    with helpflow_server(BUNDLED, secret="b", extra=("--events", db)) as url:
        page_nojs.goto(f"{url}/flows/account-login/?{ESCALATION}&visit=browser-visit1")
        assert page_nojs.get_by_role("heading", name="Details for the support team").is_visible()
        form = page_nojs.get_by_role("group", name="Was this helpful?")
        assert form.is_visible()
        page_nojs.get_by_label("Anything to add? (optional)").fill("the phone line was busy")
        page_nojs.get_by_role("button", name="No").click()
        assert page_nojs.get_by_role("status").inner_text() == "Thank you for your feedback."
        assert "feedback=thanks" in page_nojs.url
        # the same pages have no accessibility violations (CSP bypassed to inject axe only)
        page = chromium.new_context(bypass_csp=True).new_page()
        page.goto(f"{url}/flows/account-login/?{ESCALATION}")
        assert axe_violations(page) == []
        page.goto(f"{url}/flows/account-login/?{ESCALATION}&feedback=thanks")
        assert axe_violations(page) == []
        page.goto(f"{url}/flows/account-login/")  # a question: no feedback asked
        assert page.get_by_role("group", name="Was this helpful?").count() == 0
    store = open_store(db)
    feedback = [e for e in store.events() if e.type == "feedback"]
    store.close()
    assert [(e.node, e.helpful, e.visit, e.comment) for e in feedback] == [
        ("contact_support", False, "browser-visit1", None)  # no --store-comments: not kept
    ]


def test_copy_the_handoff_details_under_the_pages_csp(chromium: Any, tmp_path: Path) -> None:
    """JavaScript on: the Copy button (a script file allowed by the page's nonce CSP) puts
    the summary, with its short reference, on the clipboard; no console error, no CSP
    violation."""
    db = str(tmp_path / "events.db")
    with helpflow_server(BUNDLED, secret="b", extra=("--events", db)) as url:
        context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        page.on("pageerror", lambda e: console.append(str(e)))
        # Chromium asks for a favicon the server does not have; its 404 is no page error.
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        page.goto(f"{url}/flows/account-login/?{ESCALATION}")
        details = page.locator("pre.hf-handoff-text")
        summary = details.inner_text()
        assert re.search(r"\nReference: [0-9A-HJKMNP-TV-Z]{10}$", summary)
        button = page.get_by_role("button", name="Copy the details")
        button.click()
        assert page.evaluate("navigator.clipboard.readText()") == summary
        expect(page.locator("button[data-copy]")).to_have_text(re.compile("^Copied"))
        assert console == []
        context.close()


def test_no_copy_button_without_javascript(page_nojs: Any) -> None:
    with helpflow_server(BUNDLED, secret="b") as url:
        page_nojs.goto(f"{url}/flows/account-login/?{ESCALATION}")
        assert page_nojs.locator("pre.hf-handoff-text").is_visible()
        assert page_nojs.get_by_role("button", name="Copy the details").count() == 0
