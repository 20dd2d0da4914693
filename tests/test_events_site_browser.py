"""In real Chromium: a static site built with `--events-url` asks "Was this helpful?" on fix
and outcome pages and sends the answer to a real `helpflow serve --events` server, under the
strict Content-Security-Policy a careful host sends; built without it, nothing is asked and
no request leaves the site."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from helpflow.engine import CompiledFlow
from helpflow.events import Event, open_store
from helpflow_html import HtmlRenderer

from browser import STRICT_CSP, axe_violations, serve
from servers import helpflow_server
from support import BUNDLED

pytestmark = pytest.mark.slow  # a server process


def stored_feedback(db: str, expected: int) -> list[Event]:
    """The feedback events in `db`, once `expected` of them are there (the server writes
    in batches, off the request path) or after 15 s."""
    deadline = time.monotonic() + 15
    while True:
        store = open_store(db)
        try:
            found = [e for e in store.events() if e.type == "feedback"]
        finally:
            store.close()
        if len(found) >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


@pytest.fixture(scope="module")
def events_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db = str(tmp_path_factory.mktemp("events") / "events.db")
    with helpflow_server(BUNDLED, secret="b", extra=("--events", db)) as url:
        yield url, db


def site(root: Path, flow: CompiledFlow, events_url: str = "") -> Path:
    HtmlRenderer().build(flow, root, events_url=events_url)
    (root / "favicon.ico").write_bytes(b"")  # Chromium asks for it; a 404 logs an error
    return root


def watch(page: Any) -> tuple[list[str], list[str]]:
    requests: list[str] = []
    console: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: console.append(str(e)))
    return requests, console


def test_feedback_reaches_the_events_server_under_a_strict_csp(
    page: Any,
    chromium: Any,
    bundled: CompiledFlow,
    events_server: tuple[str, str],
    tmp_path: Path,
) -> None:
    server, db = events_server
    root = site(tmp_path / "site", bundled, events_url=f"{server}/api/v1/events")
    # The host's policy allows exactly one extra thing: sending to the events server.
    csp = f"{STRICT_CSP}; connect-src {server}"
    with serve(root, {"Content-Security-Policy": csp}) as url:
        requests, console = watch(page)
        page.goto(f"{url}solved/")
        question = page.get_by_role("group", name="Was this helpful?")
        question.wait_for(state="visible", timeout=5000)  # feedback.js (deferred) shows it
        question.get_by_role("button", name="Yes").click()
        assert page.get_by_role("status").inner_text() == "Thank you for your feedback."
        assert page.get_by_role("status").evaluate("e => e === document.activeElement")
        page.goto(f"{url}check_spam/")  # a fix page asks too
        page.get_by_role("group", name="Was this helpful?").get_by_role("button", name="No").click()
        page.get_by_role("status").wait_for()
        page.goto(f"{url}purchase_channel/")  # a question does not
        assert page.get_by_role("group", name="Was this helpful?").count() == 0
        assert console == []  # no CSP violation, no script error
        assert [r for r in requests if r.startswith(server)] == [f"{server}/api/v1/events"] * 2
        # accessible with the question shown (CSP bypassed only to inject axe)
        context = chromium.new_context(bypass_csp=True)
        checked = context.new_page()
        checked.goto(f"{url}solved/")
        checked.get_by_role("group", name="Was this helpful?").wait_for()
        assert axe_violations(checked) == []
        context.close()
    feedback = stored_feedback(db, 2)
    assert [(e.flow, e.node, e.helpful, e.resolution) for e in feedback] == [
        ("account-login", "solved", True, "solved"),
        ("account-login", "check_spam", False, None),
    ]
    assert feedback[0].version == bundled.version
    assert feedback[0].visit != feedback[1].visit  # a random id per page view, kept nowhere


def test_without_javascript_nothing_is_asked(
    page_nojs: Any, bundled: CompiledFlow, tmp_path: Path
) -> None:
    root = site(tmp_path / "site", bundled, events_url="https://help.example.com/api/v1/events")
    with serve(root, {"Content-Security-Policy": STRICT_CSP}) as url:
        page_nojs.goto(f"{url}solved/")
        assert page_nojs.get_by_role("heading", name="Was this helpful?").count() == 0
        assert not page_nojs.locator("#hf-feedback").is_visible()


def test_without_an_events_url_no_question_and_no_request(
    page: Any, bundled: CompiledFlow, events_server: tuple[str, str], tmp_path: Path
) -> None:
    server, db = events_server
    before = len(stored_feedback(db, 0))
    root = site(tmp_path / "site", bundled)
    with serve(root, {"Content-Security-Policy": STRICT_CSP}) as url:
        requests, console = watch(page)
        for path in ("solved/", "check_spam/", "contact_support/"):
            page.goto(f"{url}{path}")
            assert page.locator("#hf-feedback").count() == 0
            assert page.get_by_role("group", name="Was this helpful?").count() == 0
        assert console == []
        site_origin = urlsplit(url).netloc
        assert {urlsplit(r).netloc for r in requests} == {site_origin}
        assert not any(r.startswith(server) for r in requests)
    assert len(stored_feedback(db, 0)) == before
