"""Hostile flow text everywhere, built into the site and the widget, opened in Chromium:
nothing executes, and plain-text fields still show what was written, escaped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpflow.engine import CompiledFlow, compile_flow
from helpflow.loader import load_file
from helpflow_html import WIDGET_FILE, HtmlRenderer
from helpflow_html.plan import page_path, plan_pages
from helpflow_html.table import flow_table

from browser import host_page, serve

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "corpus" / "xss.txt").read_text().splitlines()
    if line.strip()
]
TEXT = "\n\n".join(PAYLOADS)
URLS = [p for p in PAYLOADS if "javascript" in p.lower() or "data:" in p or "vbscript" in p]
#: The content additions of issue 7, each carrying payloads: images (src and alt), code block
#: languages and bodies, alert bodies, a recalled answer whose label is every payload.
CONTENT = "\n\n".join(
    [
        *(f"![{p}]({u})" for p, u in zip(PAYLOADS[:10], URLS, strict=False)),
        '![x" onerror="window.__xss=1](x.png)',
        "![ok](javascript:window.__xss=1)",
        *(f"```{p.split()[0] if p.split() else 'x'}\n{p}\n```" for p in PAYLOADS[:10]),
        '```"><script>window.__xss=1</script>\nx\n```',
        *(f"> [!WARNING]\n> {p}" for p in PAYLOADS[:10]),
        "| a | b |\n|---|---|\n| " + " | ".join(PAYLOADS[:2]).replace("|", "\\|") + " |",
        "Your answer was {answers.q}, {who}, `{who}`, [{who}](https://x.example/{who}).",
    ]
)


def test_corpus_is_big_enough() -> None:
    assert len(PAYLOADS) >= 50


def hostile(tmp: Path) -> CompiledFlow:
    """Every text field holds every payload; every URL field a hostile URL. Lint would refuse
    the URLs, so the flow is compiled without it: the renderers must hold on their own."""

    def link(i: int) -> dict[str, str]:
        return {"label": TEXT, "url": URLS[i % len(URLS)]}

    data = {
        "helpflow": 1,
        "id": "hostile",
        "title": TEXT,
        "intro": TEXT,
        "applies_to": [TEXT],
        "start": "q",
        "vars": {
            "site": {"default": "javascript:window.__xss=1"},
            # Var values are text: every payload as a value, in prose, code and link text.
            "who": {"default": TEXT},
        },
        "nodes": {
            "q": {
                "kind": "question",
                "prompt": TEXT,
                "help": TEXT + "\n\n" + CONTENT.replace("{answers.q}", ""),
                "choices": [
                    {"id": "fix", "label": TEXT, "to": "f"},
                    {"id": "out", "label": TEXT, "to": "o"},
                ],
            },
            "f": {
                "kind": "fix",
                "title": TEXT,
                "body": TEXT,
                "steps": [*PAYLOADS, CONTENT, {"text": TEXT + "{answers.q}", "when": {"q": "fix"}}],
                "after": TEXT + "\n\n" + CONTENT,
                "ask": TEXT,
                "solved_label": TEXT,
                "not_solved_label": TEXT + "{answers.q}",
                "links_title": TEXT,
                "links": [link(i) for i in range(len(URLS))] + [{"label": "v", "url": "{site}"}],
                "solved": "o",
                "not_solved": "o",
            },
            "o": {
                "kind": "outcome",
                "resolution": "escalate",
                "title": TEXT + "{answers.q}",
                "body": TEXT + "\n\n" + CONTENT,
                "links_title": TEXT,
                "contacts": [
                    {
                        "name": TEXT,
                        "url": URLS[0],
                        "phone": TEXT,
                        "email": TEXT,
                        "hours": TEXT,
                        "note": TEXT,
                    }
                ],
                "links": [link(i) for i in range(len(URLS))],
            },
        },
    }
    path = tmp / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return compile_flow(load_file(path).flow)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, CompiledFlow]]:
    tmp = tmp_path_factory.mktemp("xss")
    flow = hostile(tmp)
    HtmlRenderer().build(flow, tmp / "site" / "s")
    HtmlRenderer().build(flow, tmp / "w", widget=True)
    (tmp / "site" / "widget.html").write_text(host_page((tmp / "w" / WIDGET_FILE).read_text()))
    with serve(tmp / "site") as url:
        yield url, flow


def assert_nothing_ran(page: Any) -> None:
    page.wait_for_timeout(50)
    assert page.evaluate("window.__xss") is None
    for frame in page.frames:
        assert frame.evaluate("window.__xss") is None


def test_no_payload_runs_on_any_site_page(page: Any, built: tuple[str, CompiledFlow]) -> None:
    url, flow = built
    planned = plan_pages(flow_table(flow)).pages
    pages = ["s/index.html", "s/article.html", *(f"s/{page_path(k)}" for k in planned)]
    for where in pages:
        page.goto(url + where)
        assert_nothing_ran(page)
        for link in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            assert not link.lower().startswith(("javascript:", "data:", "vbscript:")), link
    page.goto(url + "s/q/index.html")
    shown = page.inner_text("h1")
    assert "<script>window.__xss=1</script>" in shown  # plain text shows as written
    assert "<img src=x onerror=alert(1)>" in shown


def test_no_payload_runs_in_the_widget(page: Any, built: tuple[str, CompiledFlow]) -> None:
    url, _ = built
    page.goto(url + "widget.html")
    assert_nothing_ran(page)
    for choice in ["fix", "solved"]:
        page.click(f'.hf-app [data-choice="{choice}"]')
        assert_nothing_ran(page)
        assert "<script>window.__xss=1</script>" in page.inner_text(".hf-app [data-node]")
    for link in page.eval_on_selector_all(".hf-app a[href]", "els => els.map(e => e.href)"):
        assert not link.lower().startswith(("javascript:", "data:", "vbscript:")), link
    page.click('.hf-app [data-action="back"]')
    assert_nothing_ran(page)


def test_no_payload_runs_in_the_widget_without_javascript(
    page_nojs: Any, built: tuple[str, CompiledFlow]
) -> None:
    url, _ = built
    page_nojs.goto(url + "widget.html")
    for summary in page_nojs.query_selector_all(".hf-article summary")[:5]:
        summary.click()
    assert "<script>window.__xss=1</script>" in page_nojs.inner_text(".hf-article h2")


def test_widget_table_survives_script_breaking_text(built: tuple[str, CompiledFlow]) -> None:
    _, flow = built
    from helpflow_html.table import flow_table
    from helpflow_html.widget import script_json

    embedded = script_json(flow_table(flow))
    assert "</script" not in embedded.lower()
    assert "<!--" not in embedded
    assert json.loads(embedded) == json.loads(json.dumps(flow_table(flow)))
