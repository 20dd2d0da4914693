"""The pseudo-locale sweep: with the interface and the flow both pseudo-translated, every
face shows no plain English word. A word left is a string that escaped translation (the
browser faces are swept in test_ui_browser.py)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import helpflow
from helpflow import uitext
from helpflow.engine import CompiledFlow
from helpflow.session import Session
from helpflow_html import HtmlRenderer
from helpflow_html.site import site_files
from helpflow_html.widget import widget_fragment
from helpflow_json import JsonRenderer
from helpflow_terminal import TerminalRenderer
from helpflow_terminal.layout import plain_text, step_lines

from pseudoui import PSEUDO, english_words, pseudo_locale, visible_text

#: Step JSON fields that are ids, addresses or markers, not text (each `html` has a `text`).
NOT_TEXT = frozenset(
    {"schema", "id", "version", "node_id", "kind", "token", "lang", "outcome", "html", "url"}
    | {"phone_href", "email_href", "reference", "choice", "node", "phone", "email", "choice_id"}
)


@pytest.fixture(scope="module")
def flow_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pseudo_locale(tmp_path_factory.mktemp("pseudo")) as path:
        yield path


@pytest.fixture(scope="module")
def flow(flow_file: Path) -> CompiledFlow:
    return helpflow.load(flow_file, lang=PSEUDO)


def every_session(flow: CompiledFlow, limit: int = 400) -> list[Session]:
    """Every session reachable from the start by choosing (breadth first, bounded)."""
    found: list[Session] = []
    queue = [flow.start()]
    while queue and len(found) < limit:
        session = queue.pop(0)
        found.append(session)
        if not flow.is_finished(session):
            queue.extend(flow.choose(session, choice) for choice in flow.available(session))
    return found


def leaks(texts: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        where: words for where, found in texts.items() if (words := english_words(" ".join(found)))
    }


def test_the_pseudo_flow_is_in_effect(flow: CompiledFlow) -> None:
    assert flow.lang == PSEUDO
    assert flow.ui.gettext("Start again") != "Start again"
    assert english_words("Start again, then Ŝţáŕţ") == ["Start", "again", "then"]  # the detector


def test_every_static_page_and_the_article(flow: CompiledFlow) -> None:
    files, _plan = site_files(flow)
    pages = {path: visible_text(text) for path, text in files.items() if path.endswith(".html")}
    assert len(pages) == 35  # 33 step pages, the index and the article
    assert not leaks(pages)


def test_the_widget_without_javascript(flow: CompiledFlow) -> None:
    assert not leaks({"widget": visible_text(widget_fragment(flow))})


def test_every_server_page(flow: CompiledFlow) -> None:
    renderer = HtmlRenderer()
    sessions = every_session(flow)
    assert len(sessions) > 50
    pages = {
        s.node + repr(s.answers): visible_text(renderer.render(flow.step(s))) for s in sessions
    }
    assert not leaks(pages)


def test_every_step_as_json(flow: CompiledFlow) -> None:
    def strings(value: Any, key: str = "") -> Iterator[str]:
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in NOT_TEXT:
                    yield from strings(v, k)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item, key)
        elif isinstance(value, str):
            yield value

    renderer = JsonRenderer()
    steps = {
        s.node + repr(s.answers): list(strings(json.loads(renderer.render(flow.step(s)))))
        for s in every_session(flow)
    }
    assert not leaks(steps)


def test_terminal_steps_and_the_wizard(flow: CompiledFlow) -> None:
    steps = {
        s.node + repr(s.answers): [plain_text(step_lines(flow.step(s), flow.ui))]
        for s in every_session(flow)
    }
    out = io.StringIO()
    # A wrong number, review with no answers, an answer, review and change, back, restart.
    keys = "9\na\n\n1\na\n1\n2\nb\nr\n?\nq\n"
    TerminalRenderer().run(flow, stdin=io.StringIO(keys), stdout=out)
    wizard = out.getvalue().replace("change> ", "").replace("new answer> ", "")
    assert not leaks({**steps, "wizard": [wizard]})


def test_the_server_index_and_error_pages(flow_file: Path) -> None:
    from starlette.testclient import TestClient

    from helpflow.server import create_app

    app = create_app(flow_file.parent, secret=b"s" * 32)
    wanted = {"accept-language": f"{PSEUDO}, fr;q=0.5"}
    with TestClient(app) as client:
        missing = client.get("/flows/nope/", headers=wanted)
        index = client.get("/", headers=wanted)
        french = client.get("/?lang=fr")
    assert missing.status_code == 404
    assert missing.headers["content-language"] == PSEUDO
    assert f'<html lang="{PSEUDO}">' in index.text
    assert '<html lang="fr">' in french.text
    assert f">{uitext.translations('fr').gettext('Help guides')}<" in french.text
    pages = {"404": visible_text(missing.text), "index": visible_text(index.text)}
    assert not leaks(pages)
