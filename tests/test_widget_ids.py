"""Issue 9 item 12: the widget's lookup tables are safe for any id. A flow whose ids are
properties of every JavaScript object, and URL fragments written to break plain-object
tables, in real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import helpflow
from helpflow_html import WIDGET_FILE, HtmlRenderer

from browser import act_and_expect, every_test_flow, host_page, serve, walk_every_path

PROTOS = Path(__file__).parent / "flows" / "prototype-ids.yaml"
FLOW = helpflow.load(PROTOS)


@pytest.fixture(scope="module")
def widget(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("protos") / "w"
    HtmlRenderer().build(FLOW, out, widget=True)
    host = out.parent / "host"
    host.mkdir()
    (host / "index.html").write_text(host_page((out / WIDGET_FILE).read_text()))
    with serve(host) as url:
        yield url


@pytest.fixture
def checked_page(page: Any) -> Iterator[Any]:
    """A page that fails the test on any uncaught script error."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert errors == []


def node(page: Any) -> str:
    return str(page.get_attribute(".hf-app h2[data-node]", "data-node"))


@pytest.fixture(scope="module")
def widgets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[str, Any]]]:
    """A host page per test flow, each embedding that flow's widget fragment."""
    root = tmp_path_factory.mktemp("widgets")
    found = {}
    for flow in every_test_flow(tmp_path_factory.mktemp("flows")):
        HtmlRenderer().build(flow, root / "built" / flow.id, widget=True)
        fragment = (root / "built" / flow.id / WIDGET_FILE).read_text()
        (root / f"{flow.id}.html").write_text(host_page(fragment))
        found[flow.id] = (f"{flow.id}.html", flow)
    with serve(root) as url:
        yield {key: (url + page, flow) for key, (page, flow) in found.items()}


@pytest.mark.parametrize("flow_id", ["account-login", "protos", "mini", "code"])
def test_every_path_of_every_test_flow(
    checked_page: Any, widgets: dict[str, tuple[str, Any]], flow_id: str
) -> None:
    url, flow = widgets[flow_id]
    checked_page.goto(url)
    walk_every_path(checked_page, ".hf-app", flow.paths())


def test_back_and_reload_with_prototype_ids(checked_page: Any, widget: str) -> None:
    checked_page.goto(widget)
    act_and_expect(
        checked_page,
        ".hf-app",
        [
            ('[data-choice="valueOf"]', "hasOwnProperty"),
            ('[data-choice="constructor"]', "valueOf"),
            ("reload", "valueOf"),
            ('[data-action="back"]', "hasOwnProperty"),
            ("reload", "hasOwnProperty"),
            ("back", "valueOf"),
            ('[data-change="constructor"]', "constructor"),
            # "constructor" is no longer offered at hasOwnProperty after toString: it goes.
            ('[data-choice="toString"]', "hasOwnProperty"),
        ],
    )
    assert "1 later answer no longer applied" in checked_page.inner_text(".hf-live")


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("__proto__:x", "constructor"),
        ("__proto__:constructor,constructor:toString", "hasOwnProperty"),
        ("constructor:__proto__", "constructor"),
        ("constructor:toString,toString:toString", "hasOwnProperty"),
        ("constructor:valueOf,hasOwnProperty:constructor", "valueOf"),
        ("constructor:valueOf,hasOwnProperty:isPrototypeOf,toString:not_solved", "toLocaleString"),
        ("hasOwnProperty:constructor,constructor:valueOf", "valueOf"),
        ("constructor:constructor", "constructor"),
        ("%E0%A4%A:x,constructor", "constructor"),
        ("prototype:x,__defineGetter__:y,constructor:valueOf:z", "constructor"),
    ],
)
def test_hostile_url_fragments(
    checked_page: Any, widget: str, fragment: str, expected: str
) -> None:
    checked_page.goto(f"{widget}#hf-protos={fragment}")
    assert node(checked_page) == expected
    assert checked_page.locator(".hf-app [data-choice], .hf-app [data-outcome]").count() >= 1
