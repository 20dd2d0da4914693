"""The <help-flow> component in real Chromium, on host pages served with a strict
Content-Security-Policy header, some with hostile host CSS (issue 14)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from helpflow.engine import CompiledFlow
from helpflow_html import HtmlRenderer
from helpflow_html.scripts import component_file_name

from browser import (
    AXE,
    STRICT_CSP,
    act_and_expect,
    every_test_flow,
    require,
    serve,
    walk_every_path,
)

PROTOS = Path(__file__).parent / "flows" / "prototype-ids.yaml"

# The root font size is left out on purpose: the component sizes itself in rem, so it follows
# the reader's chosen text size as the host page does (documented in docs/embedding.md).
HOSTILE_CSS = """
* { all: unset; }
:root { font-family: fantasy; color: #0f0; line-height: 5; letter-spacing: 3px; }
body { font-size: 40px; text-transform: uppercase; text-align: right; }
button { display: none !important; }
h2, p, li, a, dl, fieldset { color: red !important; font-size: 80px !important; }
[data-node], [data-choice], .hf-choice, .helpflow-widget { display: none !important; }
help-flow * { display: none !important; }
"""
THEME_CSS = """
help-flow { --helpflow-link: rgb(1, 2, 3); }
help-flow::part(heading) { color: rgb(4, 5, 6); }
"""
# Listeners installed before any page script (init scripts are not subject to the CSP).
RECORDER = """
window.__hf = { csp: [], events: [] };
document.addEventListener("securitypolicyviolation", (e) =>
  window.__hf.csp.push(e.violatedDirective + " " + e.blockedURI));
for (const name of ["step", "outcome", "feedback", "error"]) {
  document.addEventListener("helpflow:" + name, (e) =>
    window.__hf.events.push({ name, detail: e.detail, composed: e.composed }));
}
"""


def host_page(snippet: str, *, css: tuple[str, ...] = (), title: str = "Help centre") -> str:
    links = "".join(f'<link rel="stylesheet" href="{href}">' for href in css)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"{links}</head><body><main><h1>{title}</h1>"
        '<h2 id="host-h2">Other help</h2><button id="host-button" type="button">Search</button>'
        f"{snippet}</main></body></html>"
    )


@dataclass(frozen=True)
class Host:
    url: str
    flow: CompiledFlow
    snippet: str


def make_host(root: Path, flow: CompiledFlow) -> Path:
    HtmlRenderer().build(flow, root / "embed", base_url="embed/", embed=True)
    snippet = (root / "embed" / "snippet.html").read_text()
    broken = snippet.replace(f"embed/{flow.id}.json", "embed/missing.json")
    pages = {
        "plain.html": host_page(snippet),
        "control.html": host_page(""),
        "hostile.html": host_page(snippet, css=("hostile.css",)),
        "themed.html": host_page(snippet, css=("theme.css",)),
        "state.html": host_page(snippet.replace("<help-flow ", "<help-flow url-state ")),
        "broken.html": host_page(broken),
        "module.html": host_page(snippet.split("\n", 1)[1]).replace(
            "</head>", '<script type="module" src="import.js"></script></head>'
        ),
        "import.js": f'import "./embed/{component_file_name()}";\n',
        "hostile.css": HOSTILE_CSS,
        "theme.css": THEME_CSS,
    }
    for name, text in pages.items():
        (root / name).write_text(text, encoding="utf-8")
    if AXE.exists():
        shutil.copy(AXE, root / "axe.min.js")
    return root


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Host]]:
    flows = every_test_flow(tmp_path_factory.mktemp("flows"))
    root = tmp_path_factory.mktemp("hosts")
    (root / "favicon.ico").write_bytes(b"")  # Chromium asks for it; a 404 logs a console error
    with serve(root, {"Content-Security-Policy": STRICT_CSP}) as url:
        found = {}
        for flow in flows:
            make_host(root / flow.id, flow)
            snippet = (root / flow.id / "embed" / "snippet.html").read_text()
            found[flow.id] = Host(f"{url}{flow.id}/", flow, snippet)
        yield found


@pytest.fixture
def host(hosts: dict[str, Host]) -> Host:
    return hosts["account-login"]


@dataclass
class Watched:
    page: Any
    requests: list[str]
    errors: list[str]
    console: list[str]

    def recorded(self) -> dict[str, Any]:
        result: dict[str, Any] = self.page.evaluate("window.__hf")
        return result


@pytest.fixture
def watched(chromium: Any) -> Iterator[Watched]:
    """A page that records requests, page errors, console errors, CSP violations and the
    component's events."""
    context = chromium.new_context()
    context.add_init_script(RECORDER)
    page = context.new_page()
    found = Watched(page, [], [], [])
    page.on("request", lambda r: found.requests.append(r.url))
    page.on("pageerror", lambda e: found.errors.append(str(e)))
    page.on("console", lambda m: found.console.append(m.text) if m.type == "error" else None)
    yield found
    context.close()


def assert_clean(watched: Watched, host: Host, page_name: str) -> None:
    assert watched.recorded()["csp"] == []
    assert watched.errors == []
    assert watched.console == []
    allowed = {
        f"{host.url}{page_name}",
        f"{host.url}hostile.css",
        f"{host.url}embed/{component_file_name()}",
        f"{host.url}embed/{host.flow.id}.json",
    }
    assert set(watched.requests) <= allowed, set(watched.requests) - allowed


@pytest.mark.parametrize("flow_id", ["account-login", "protos", "mini", "code"])
def test_every_path_under_strict_csp_and_hostile_css(
    watched: Watched, hosts: dict[str, Host], flow_id: str
) -> None:
    host = hosts[flow_id]
    watched.page.goto(host.url + "hostile.html")
    walk_every_path(watched.page, "help-flow", host.flow.paths())
    assert_clean(watched, host, "hostile.html")


def _styles(page: Any) -> list[dict[str, str]]:
    return list(
        page.evaluate(
            """() => {
        const root = document.querySelector("help-flow").shadowRoot;
        const props = ["display", "color", "fontSize", "fontFamily", "lineHeight",
                       "backgroundColor", "borderTopWidth", "height", "visibility",
                       "letterSpacing", "textTransform", "textAlign"];
        return ["h2[data-node]", ".hf-choice", ".hf-app", ".hf-root", "legend"].map((sel) => {
          const style = getComputedStyle(root.querySelector(sel));
          return Object.fromEntries(props.map((p) => [p, style[p]]));
        });
      }"""
        )
    )


def test_host_styles_do_not_leak_in(page: Any, host: Host) -> None:
    page.goto(host.url + "plain.html")
    page.wait_for_selector("help-flow h2[data-node]")
    plain = _styles(page)
    page.goto(host.url + "hostile.html")
    page.wait_for_selector("help-flow h2[data-node]")
    assert _styles(page) == plain
    assert page.locator("help-flow .hf-choice").first.is_visible()


def test_component_styles_do_not_leak_out(page: Any, host: Host) -> None:
    script = """() => ["#host-h2", "#host-button", "h1"].map((sel) => {
        const s = getComputedStyle(document.querySelector(sel));
        return [s.color, s.fontSize, s.fontFamily, s.display, s.borderTopWidth, s.minHeight];
    })"""
    page.goto(host.url + "control.html")
    control = page.evaluate(script)
    page.goto(host.url + "plain.html")
    page.wait_for_selector("help-flow h2[data-node]")
    assert page.evaluate(script) == control


def test_events_tell_the_host_what_happens(watched: Watched, host: Host) -> None:
    page = watched.page
    page.goto(host.url + "plain.html")
    for choice in ["retail", "cant_access", "not_solved"]:
        page.click(f'help-flow [data-choice="{choice}"]')
    page.click('help-flow [data-helpful="yes"]')
    assert page.inner_text("help-flow .hf-feedback") == "Thank you for your feedback."
    events = watched.recorded()["events"]
    names = [e["name"] for e in events]
    assert names == ["step", "step", "step", "step", "outcome", "feedback"]
    assert all(e["composed"] for e in events)
    steps = [e["detail"]["node"] for e in events if e["name"] == "step"]
    assert steps == ["purchase_channel", "problem", "check_sign_in", "contact_retailer"]
    outcome = events[-2]["detail"]
    assert outcome["flow"] == "account-login"
    assert outcome["version"] == host.flow.version
    assert (outcome["node"], outcome["resolution"]) == ("contact_retailer", "escalate")
    assert events[-1]["detail"] == {**outcome, "helpful": True}
    assert_clean(watched, host, "plain.html")


def test_focus_moves_to_the_new_step_and_is_announced(page: Any, host: Host) -> None:
    page.goto(host.url + "plain.html")
    page.wait_for_selector("help-flow h2[data-node]")
    assert page.evaluate("document.activeElement === document.body")  # no focus theft
    page.focus('help-flow [data-choice="retail"]')
    page.keyboard.press("Enter")
    focused = "document.querySelector('help-flow').shadowRoot.activeElement.dataset.node"
    assert page.evaluate(focused) == "problem"
    assert page.inner_text("help-flow .hf-live") == "What's going wrong?"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.evaluate(focused) != "problem"
    assert page.title() == "Help centre"  # without url-state the host page is left alone


def test_url_state_is_opt_in(page: Any, host: Host) -> None:
    page.goto(host.url + "plain.html")
    page.click('help-flow [data-choice="retail"]')
    assert page.url == host.url + "plain.html"
    page.goto(host.url + "state.html")
    act_and_expect(
        page,
        "help-flow",
        [('[data-choice="retail"]', "problem"), ('[data-choice="cant_access"]', "check_sign_in")],
    )
    assert page.url.endswith("#hf-account-login=purchase_channel:retail,problem:cant_access")
    act_and_expect(
        page,
        "help-flow",
        [
            ("reload", "check_sign_in"),
            ("back", "problem"),
            ('[data-change="purchase_channel"]', "purchase_channel"),
            ('[data-choice="isp"]', "problem"),
            ('[data-action="back"]', "purchase_channel"),
        ],
    )


def test_javascript_off_shows_the_fallback(page_nojs: Any, host: Host) -> None:
    page_nojs.goto(host.url + "plain.html")
    fallback = page_nojs.locator("help-flow .helpflow-fallback")
    assert fallback.is_visible()
    assert "How did you get your Trend Micro product?" in fallback.inner_text()
    page_nojs.click("help-flow .helpflow-fallback li a >> nth=0")
    assert page_nojs.inner_text("h1") == host.flow.info.title
    assert page_nojs.locator("[data-node]").count() >= len(host.flow.flow.nodes)


def test_with_javascript_the_fallback_is_replaced(page: Any, host: Host) -> None:
    page.goto(host.url + "plain.html")
    page.wait_for_selector("help-flow h2[data-node]")
    assert page.locator("help-flow .helpflow-fallback").is_hidden()


def test_a_table_that_cannot_load_keeps_the_fallback(watched: Watched, host: Host) -> None:
    watched.page.goto(host.url + "broken.html")
    wait_until(watched.page, "window.__hf.events.length > 0")
    (event,) = watched.recorded()["events"]
    assert event["name"] == "error"
    assert event["detail"]["src"].endswith("embed/missing.json")
    assert watched.page.locator("help-flow .helpflow-fallback").is_visible()


def test_theming_through_custom_properties_and_parts(page: Any, host: Host) -> None:
    page.goto(host.url + "themed.html")
    page.wait_for_selector("help-flow h2[data-node]")
    color = "sel => getComputedStyle(document.querySelector('help-flow').shadowRoot.querySelector(sel)).color"
    assert page.evaluate(color, ".hf-choice") == "rgb(1, 2, 3)"
    assert page.evaluate(color, "h2[data-node]") == "rgb(4, 5, 6)"


def test_importable_as_an_es_module(watched: Watched, host: Host) -> None:
    watched.page.goto(host.url + "module.html")
    walk_every_path(watched.page, "help-flow", host.flow.paths()[:2])
    assert watched.recorded()["csp"] == []
    assert watched.errors == []


def wait_until(page: Any, expression: str, timeout: float = 15.0) -> None:
    """`page.wait_for_function` for pages under the strict CSP: its in-page polling evaluates
    the predicate with eval, which the CSP refuses whenever the first check is false (so it
    failed only on a slow machine); `evaluate` runs through the debugger protocol instead."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)


def axe_violations_same_origin(page: Any, base: str) -> list[dict[str, Any]]:
    """axe-core loaded as a same-origin file: an inline copy would break the CSP."""
    require(AXE, "axe-core")
    page.add_script_tag(url=base + "axe.min.js")
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "nodes": [n["html"] for n in v["nodes"]][:3]} for v in result["violations"]
    ]


@pytest.mark.parametrize(
    "choices",
    [[], ["retail", "cant_access"], ["retail", "cant_access", "not_solved"]],
    ids=["question", "fix", "outcome"],
)
def test_no_axe_violations(page: Any, host: Host, choices: list[str]) -> None:
    page.goto(host.url + "plain.html")
    page.wait_for_selector("help-flow h2[data-node]")
    for choice in choices:
        page.click(f'help-flow [data-choice="{choice}"]')
    assert axe_violations_same_origin(page, host.url) == []


def test_no_axe_violations_with_javascript_off(chromium: Any, host: Host) -> None:
    # axe needs script; blocking the component's script shows what a no-JS reader gets.
    context = chromium.new_context()
    page = context.new_page()
    page.route("**/helpflow-embed.*.js", lambda route: route.abort())
    page.goto(host.url + "plain.html")
    assert axe_violations_same_origin(page, host.url) == []
    context.close()


def test_sanitized_html_is_shown_and_code_has_a_copy_button(
    chromium: Any, hosts: dict[str, Host]
) -> None:
    host = hosts["code"]
    context = chromium.new_context()
    context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=urljoin(host.url, "/").rstrip("/")
    )
    page = context.new_page()
    page.goto(host.url + "plain.html")
    page.click('help-flow [data-choice="windows"]')
    assert page.inner_text("help-flow .hf-body pre > code") == "ipconfig /flushdns\n"
    assert page.inner_text("help-flow .hf-body strong") == "try again"
    page.click("help-flow [data-copy]")
    wait_until(
        page,
        "document.querySelector('help-flow').shadowRoot.querySelector('.hf-live').textContent.startsWith('Copied')",
    )
    assert page.evaluate("navigator.clipboard.readText()") == "ipconfig /flushdns\n"
    context.close()
