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


def test_the_html_report(flow: CompiledFlow, flow_file: Path) -> None:
    from helpflow.events import Event
    from helpflow.report import build
    from helpflow.report.html import to_html
    from helpflow.report.numbers import Formats

    day = 86_400_000
    events: list[Event] = []
    for i, s in enumerate(s for s in every_session(flow) if flow.is_finished(s)):
        visit, at = f"visit-{i:06d}", 1_767_225_600_000 + (i % 3) * day
        events.append(Event("started", flow.id, flow.version, visit, at=at))
        for answer in s.answers:
            events.append(Event("reached", flow.id, flow.version, visit, answer.node, at=at))
            events.append(
                Event("answered", flow.id, flow.version, visit, answer.node, answer.choice, at=at)
            )
        kind = getattr(flow.flow.nodes[s.node], "resolution", None)
        events.append(
            Event("reached", flow.id, flow.version, visit, s.node, resolution=kind, at=at)
        )
        events.append(
            Event("feedback", flow.id, flow.version, visit, s.node, helpful=i % 2 == 0, at=at)
        )
    events.append(Event("back", flow.id, flow.version, "visit-000000", at=events[-1].at))
    report = build(events, flows=str(flow_file), lang=PSEUDO)
    # Babel has no number formats for the pseudo-locale: plain numbers, pseudo words.
    page = to_html(report, Formats(None, uitext.translations(PSEUDO)))
    assert f'<html lang="{PSEUDO}">' in page
    # Ids (the flow's, its nodes', answers', outcome kinds) are data, not words.
    ids = {flow.id, flow.version, *flow.flow.nodes}
    ids |= {e.choice for e in events if e.choice} | {e.resolution for e in events if e.resolution}
    text = " ".join(visible_text(page))
    for name in sorted(ids, key=len, reverse=True):
        text = text.replace(name, " ")
    assert len(text) > 2000  # the tables and charts are there
    assert not leaks({"report": [text]})


def test_the_help_centre_home_pages(flow_file: Path, tmp_path: Path) -> None:
    """The bundled flow with its pseudo catalog: the centre's home page in the pseudo-locale
    shows no English (its other home pages are French and Arabic)."""
    from helpflow_html.centre import build_centre

    build_centre(flow_file.parent, tmp_path / "site")
    page = (tmp_path / "site" / PSEUDO / "index.html").read_text("utf-8")
    assert f'<html lang="{PSEUDO}">' in page
    assert not leaks({"home": visible_text(page)})
