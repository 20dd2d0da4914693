"""The static site and the widget in real Chromium, with JavaScript on and off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import helpflow
from helpflow.engine import CompiledFlow
from helpflow.paths import FlowPath
from helpflow_html import WIDGET_FILE, HtmlRenderer
from helpflow_html.site import TITLE_DASH

from browser import axe_violations, host_page, serve
from support import BUNDLED

FLOW = helpflow.load(BUNDLED)
PATHS = FLOW.paths()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("site") / "site"
    HtmlRenderer().build(FLOW, out)
    with serve(out) as url:
        yield url


@pytest.fixture(scope="module")
def widget(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("widget") / "w"
    HtmlRenderer().build(FLOW, out, widget=True)
    fragment = (out / WIDGET_FILE).read_text()
    host = out.parent / "host"
    host.mkdir()
    (host / "index.html").write_text(host_page(fragment))
    with serve(host) as url:
        yield url


def path_id(path: FlowPath) -> str:
    return ".".join(a.choice for a in path.answers)


def click_through_site(page: Any, site: str, path: FlowPath) -> None:
    page.goto(site)
    page.click("[data-start]")
    for answer in path.answers:
        assert page.get_attribute("h1", "data-node") == answer.node
        page.click(f'[data-choice="{answer.choice}"]')
    assert page.get_attribute("h1", "data-node") == path.end
    assert page.get_attribute("[data-outcome]", "data-outcome") == path.outcome


# one path to each outcome node is enough for the site: every page agrees with the JSON and
# terminal faces (test_html) and the plan's links reach the engine's outcome (test_site_plan)
OUTCOME_PATHS = list({p.end: p for p in PATHS}.values())


@pytest.mark.parametrize("path", OUTCOME_PATHS, ids=path_id)
def test_static_site_walks_with_javascript_off(page_nojs: Any, site: str, path: FlowPath) -> None:
    click_through_site(page_nojs, site, path)


@pytest.mark.parametrize("path", OUTCOME_PATHS[:3], ids=path_id)
def test_static_site_walks_with_javascript_on(page: Any, site: str, path: FlowPath) -> None:
    click_through_site(page, site, path)


def test_static_site_back_change_and_start_again(page_nojs: Any, site: str) -> None:
    page = page_nojs
    page.goto(site + "purchase_channel/")
    page.click('[data-choice="isp"]')
    page.click('[data-choice="card_update"]')
    assert page.get_attribute("h1", "data-node") == "check_card_update"
    assert page.title() == (
        f"Check your account before updating your card {TITLE_DASH} {FLOW.info.title}"
    )
    page.click("a.hf-back")
    assert page.get_attribute("h1", "data-node") == "problem"
    page.click(".hf-change a")
    assert page.get_attribute("h1", "data-node") == "purchase_channel"
    page.click("text=Start again")
    assert page.locator("[data-start]").count() == 1


@pytest.mark.parametrize("path", PATHS, ids=path_id)
def test_widget_agrees_with_the_engine_on_every_path(
    page: Any, widget: str, path: FlowPath
) -> None:
    page.goto(widget)
    for answer in path.answers:
        assert page.get_attribute(".hf-app [data-node]", "data-node") == answer.node
        page.click(f'.hf-app [data-choice="{answer.choice}"]')
    assert page.get_attribute(".hf-app [data-node]", "data-node") == path.end
    assert page.get_attribute(".hf-app [data-outcome]", "data-outcome") == path.outcome
    # The URL fragment holds the state: a reload lands on the same step.
    page.reload()
    assert page.get_attribute(".hf-app [data-node]", "data-node") == path.end


def test_widget_focus_title_and_announcement(page: Any, widget: str) -> None:
    page.goto(widget)
    assert page.evaluate("document.activeElement === document.body")  # no focus theft on load
    page.click('.hf-app [data-choice="retail"]')
    assert page.evaluate("document.activeElement.dataset.node") == "problem"
    assert page.title() == f"What's going wrong? {TITLE_DASH} {FLOW.info.title}"
    assert page.inner_text(".hf-live") == "What's going wrong?"


def test_widget_back_restart_and_change_an_answer(page: Any, widget: str) -> None:
    page.goto(widget)
    for choice in ["retail", "cant_access"]:
        page.click(f'.hf-app [data-choice="{choice}"]')
    page.click('.hf-app [data-action="back"]')
    assert page.get_attribute(".hf-app [data-node]", "data-node") == "problem"
    page.click('.hf-app [data-choice="forgot_details"]')
    page.click('.hf-app [data-choice="google"]')
    assert page.get_attribute(".hf-app [data-node]", "data-node") == "forgot_google"
    # Change the channel: the later answers still fit, so the reader lands where they were.
    page.click('.hf-app [data-change="purchase_channel"]')
    assert page.get_attribute(".hf-app [data-node]", "data-node") == "purchase_channel"
    page.click('.hf-app [data-choice="isp"]')
    assert page.get_attribute(".hf-app [data-node]", "data-node") == "forgot_google"
    page.click('.hf-app [data-action="restart"]')
    assert page.get_attribute(".hf-app [data-node]", "data-node") == "purchase_channel"


def test_widget_change_reports_answers_that_no_longer_fit(page: Any, widget: str) -> None:
    page.goto(widget)
    for choice in ["online", "forgot_details", "google"]:
        page.click(f'.hf-app [data-choice="{choice}"]')
    page.click('.hf-app [data-change="problem"]')
    page.click('.hf-app [data-choice="cant_access"]')
    assert page.get_attribute(".hf-app [data-node]", "data-node") == "check_sign_in"
    assert "1 later answer no longer applied" in page.inner_text(".hf-live")


def test_widget_without_javascript_is_the_whole_article(page_nojs: Any, widget: str) -> None:
    page_nojs.goto(widget)
    assert page_nojs.locator(".hf-app").is_hidden()
    text = page_nojs.inner_text(".hf-article")
    for node_id in FLOW.flow.nodes:
        assert FLOW.content(node_id).title in page_nojs.content() or node_id in text
    page_nojs.click(".hf-article details > summary >> nth=0")
    assert page_nojs.locator(".hf-article details[open]").count() >= 1


def test_widget_makes_no_network_requests(chromium: Any, widget: str) -> None:
    context = chromium.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(widget)
    page.click('.hf-app [data-choice="retail"]')
    context.close()
    assert requests == [widget]


def test_controls_are_at_least_24_pixels(page: Any, widget: str, site: str) -> None:
    page.goto(widget)
    page.click('.hf-app [data-choice="retail"]')
    for selector in [".hf-app button"]:
        for box in page.eval_on_selector_all(
            selector, "els => els.map(e => e.getBoundingClientRect()).map(r => [r.width, r.height])"
        ):
            assert min(box) >= 24, box
    page.goto(site + "problem/purchase_channel=retail/")
    for box in page.eval_on_selector_all(
        ".hf-choice, .hf-back, .hf-actions a, .hf-change a",
        "els => els.map(e => e.getBoundingClientRect()).map(r => [r.width, r.height])",
    ):
        assert min(box) >= 24, box


@pytest.mark.parametrize(
    "where",
    [
        "",
        "purchase_channel/",
        "check_sign_in/purchase_channel=isp/",
        "contact_isp/",
        "forgot_google/",
        "solved/",
        "article.html",
    ],
)
def test_site_pages_have_no_axe_violations(page: Any, site: str, where: str) -> None:
    page.goto(site + where)
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "choices",
    [[], ["retail", "cant_access"], ["retail", "cant_access", "not_solved"]],
    ids=["question", "fix", "outcome"],
)
def test_widget_has_no_axe_violations(page: Any, widget: str, choices: list[str]) -> None:
    page.goto(widget)
    for choice in choices:
        page.click(f'.hf-app [data-choice="{choice}"]')
    assert axe_violations(page) == []


def test_widget_without_javascript_has_no_axe_violations(chromium: Any, widget: str) -> None:
    # axe itself needs script; the page's own scripts stay off by showing the no-JS view.
    context = chromium.new_context()
    page = context.new_page()
    page.goto(widget)
    page.evaluate(
        "document.querySelector('.hf-app').hidden = true;"
        "document.querySelector('.hf-article').hidden = false;"
    )
    assert axe_violations(page) == []
    context.close()


def test_engine_table_matches_flow(bundled: CompiledFlow) -> None:
    from helpflow_html.table import flow_table

    table = flow_table(bundled)
    assert set(table["nodes"]) == set(bundled.flow.nodes)
    assert table["nodes"]["check_sign_in"]["choices"][1]["to"][0] == {
        "when": {"answer": {"purchase_channel": ["retail"]}},
        "to": "contact_retailer",
    }


@pytest.mark.parametrize("path", OUTCOME_PATHS[:4], ids=path_id)
def test_built_site_works_opened_from_disk(
    page_nojs: Any, tmp_path_factory: pytest.TempPathFactory, path: FlowPath
) -> None:
    out = tmp_path_factory.mktemp("disk") / "s"
    report = HtmlRenderer().build(FLOW, out)
    assert report.pages == 35
    click_through_site(page_nojs, (out / "index.html").as_uri(), path)
    assert page_nojs.url.startswith("file://")
    assert page_nojs.url.endswith(".html")
    page_nojs.click("text=Start again")
    assert page_nojs.url == (out / "index.html").as_uri()


def test_site_asking_again_reaches_the_engine_outcome_from_disk(
    page_nojs: Any, tmp_path: Path
) -> None:
    # Five intake questions feeding one rule: the site asks them again where the rule is.
    from sitegen import intake_flow

    source = tmp_path / "intake.yaml"
    source.write_text(intake_flow(5))
    flow = helpflow.load(source)
    HtmlRenderer().build(flow, tmp_path / "s")
    page = page_nojs
    for path in flow.paths()[:: max(1, len(flow.paths()) // 12)]:
        page.goto((tmp_path / "s" / "index.html").as_uri())
        page.click("[data-start]")
        latest: dict[str, str] = {}
        given = 0
        while page.locator("[data-outcome]").count() == 0:
            node = page.get_attribute("h1", "data-node")
            if page.locator("[data-asked-again]").count():
                page.click(f'[data-choice="{latest[node]}"]')
                continue
            answer = path.answers[given]
            assert node == answer.node
            latest[node], given = answer.choice, given + 1
            page.click(f'[data-choice="{answer.choice}"]')
        assert page.get_attribute("h1", "data-node") == path.end


def test_static_back_from_a_page_with_many_ways_in(page: Any, page_nojs: Any, site: str) -> None:
    # "solved" is reached from many fixes: with JavaScript, Back follows the reader's history.
    page.goto(site + "check_spam/index.html")
    page.click('[data-choice="solved"]')
    assert page.get_attribute("h1", "data-node") == "solved"
    page.click("[data-history-back]")
    assert page.get_attribute("h1", "data-node") == "check_spam"
    # Without JavaScript there is no Back control that could lead somewhere else.
    page_nojs.goto(site + "solved/index.html")
    assert page_nojs.locator("[data-history-back]").is_hidden()


def test_help_centre_opened_from_disk(page_nojs: Any, tmp_path: Path) -> None:
    from helpflow_html.centre import build_centre

    build_centre(BUNDLED.parent, tmp_path / "help")
    page = page_nojs
    page.goto((tmp_path / "help" / "index.html").as_uri())
    page.click('[data-flow="account-login"] a')
    click_through_site(page, page.url, OUTCOME_PATHS[0])
    assert page.url.startswith((tmp_path / "help" / "account-login").as_uri())
    css = page.evaluate("document.querySelector('link[rel=stylesheet]').href")
    assert css == (tmp_path / "help" / "helpflow.css").as_uri()  # the one shared stylesheet
