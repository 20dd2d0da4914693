"""The widget and the <help-flow> component show the content additions (issue 7) and the
hand-off packet (issue 12) as the Python engine's Step does, on every path, in real Chromium:
per-variant steps, `after`, `ask`, reworded labels, links titles, tel:/mailto: contacts, `info`
outcomes, recalled answers, local images; the component under a strict CSP; axe finds nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

import helpflow
from helpflow.engine import CompiledFlow
from helpflow.paths import iter_steps
from helpflow.step import Step
from helpflow_html import WIDGET_FILE, HtmlRenderer

from browser import AXE, STRICT_CSP, host_page, require, serve
from support import BUNDLED, ROOT

CONTENT = ROOT / "examples" / "content"
FLOWS = {
    "printer": helpflow.load(CONTENT / "printer-error-light.yaml"),
    "update": helpflow.load(CONTENT / "software-update-failing.yaml"),
    "login": helpflow.load(BUNDLED),
}
#: As _parts.html `outcome_tag` labels outcomes.
TAGS = {
    "solved": "Solved",
    "escalate": "Get help",
    "external": "Continue elsewhere",
    "info": "Good to know",
}
RECORDER = """
window.__hf = { csp: [] };
document.addEventListener("securitypolicyviolation", (e) =>
  window.__hf.csp.push(e.violatedDirective + " " + e.blockedURI));
"""

# What one screen of either face shows, read in the page. Texts are compared as a reader
# sees them (whitespace collapsed, page chrome such as Copy buttons left out); the Python
# Step's HTML is read the same way in the same browser.
SNAPSHOT = """async ([face, expected]) => {
  const app = face === "component"
    ? document.querySelector("help-flow").shadowRoot.querySelector(".hf-app")
    : document.querySelector(".hf-app");
  const text = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll("button").forEach((b) => b.remove());
    return copy.textContent.replace(/\\s+/g, " ").trim();
  };
  const html = (h) => {
    const t = document.createElement("template");
    t.innerHTML = h;
    const div = document.createElement("div");
    div.appendChild(t.content);
    return text(div);
  };
  const all = (sel) => [...app.querySelectorAll(sel)];
  const one = (sel) => app.querySelector(sel);
  const images = all("img");
  await Promise.all(images.map((i) => i.decode().catch(() => null)));
  const heading = one("h2[data-node]");
  return {
    shown: {
      node: heading.dataset.node,
      title: heading.textContent,
      steps: all(".hf-steps > li").map(text),
      prose: all(".hf-body").map(text),
      ask: one(":scope > fieldset > legend > h3")?.textContent ?? null,
      choices: all("[data-choice]").map(text),
      outcome: one("[data-outcome]")?.dataset.outcome ?? null,
      tag: one("[data-outcome]")?.textContent ?? null,
      hrefs: all("a[href^='tel:'], a[href^='mailto:']").map((a) => a.getAttribute("href")),
      links_title: one(".hf-links-title")?.textContent ?? null,
      handoff: one(".hf-handoff-text")?.textContent ?? null,
    },
    expected: { ...expected, steps: expected.steps.map(html), prose: expected.prose.map(html) },
    images: images.map((i) => i.complete && i.naturalWidth > 0),
  };
}"""


def expected(step: Step) -> dict[str, Any]:
    """What the HTML templates show for `step`, in the snapshot's terms."""
    hrefs = [h for c in step.contacts for h in (c.phone_href, c.email_href) if h]
    handoff = None
    if step.handoff is not None and (step.handoff.answers or step.handoff.fixes_tried):
        handoff = step.handoff.summary
    return {
        "node": step.node_id,
        "title": step.title,
        "steps": [s.html for s in step.steps],
        "prose": [p.html for p in (step.body, step.after) if p.html],
        "ask": (step.ask or "When you're ready") if step.kind == "fix" else None,
        "choices": [c.label for c in step.choices],
        "outcome": step.outcome,
        "tag": TAGS[step.outcome] if step.outcome else None,
        "hrefs": hrefs,
        "links_title": step.links_title if step.links else None,
        "handoff": handoff,
    }


def browser_reference(step: Step) -> str:
    """The reference the browser puts in its hand-off: the answers' path, no token."""
    return ",".join(f"{a.node_id}:{a.choice_id}" for a in step.answers)


@dataclass(frozen=True)
class Face:
    name: str  # "widget" or "component"
    url: str
    scope: str


def build_hosts(root: Path) -> None:
    """Per flow: a host page for the widget (fragment inline, its files under /w/<id>/, so
    images resolve against the fragment's folder, not the page's) and one for the component
    (files under embed/)."""
    for key, flow in FLOWS.items():
        HtmlRenderer().build(flow, root / "w" / key, widget=True, base_url=f"/w/{key}/")
        fragment = (root / "w" / key / WIDGET_FILE).read_text()
        (root / "pages").mkdir(exist_ok=True)
        (root / "pages" / f"{key}.html").write_text(host_page(fragment))
        HtmlRenderer().build(flow, root / "c" / key / "embed", base_url="embed/", embed=True)
        snippet = (root / "c" / key / "embed" / "snippet.html").read_text()
        (root / "c" / key / "plain.html").write_text(host_page(snippet))
    if AXE.exists():
        shutil.copy(AXE, root / "axe.min.js")
    (root / "favicon.ico").write_bytes(b"")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The same files twice: plain (the widget's inline script needs no nonce there) and
    under the strict CSP (the component)."""
    root = tmp_path_factory.mktemp("content-faces")
    build_hosts(root)
    with serve(root) as plain, serve(root, {"Content-Security-Policy": STRICT_CSP}) as strict:
        yield plain, strict


def face_url(servers: tuple[str, str], face: str, key: str) -> str:
    plain, strict = servers
    if face == "widget":
        return f"{plain}pages/{key}.html"
    return f"{strict}c/{key}/plain.html"


@pytest.fixture
def watched(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context()
    context.add_init_script(RECORDER)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []


def axe(page: Any, base: str) -> list[dict[str, Any]]:
    """axe-core loaded as a same-origin file: an inline copy would break the CSP."""
    require(AXE, "axe-core")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(url=base + "axe.min.js")
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "nodes": [n["html"] for n in v["nodes"]][:3]} for v in result["violations"]
    ]


def walk_and_compare(page: Any, face: str, flow: CompiledFlow, base: str) -> int:
    """Every path, every screen: the face shows what the engine's Step holds. Returns the
    number of screens compared; axe runs once on each node."""
    scope = "help-flow" if face == "component" else ".hf-app"
    checked, screens = set(), 0
    for i, path in enumerate(flow.paths()):
        if i:
            page.click(f'{scope} [data-action="restart"]')
        steps = list(iter_steps(flow, path))
        for n, step in enumerate(steps):
            want = expected(step)
            if want["handoff"] is not None:
                want["handoff"] = want["handoff"].replace(
                    f"Reference: {step.handoff.reference}",  # type: ignore[union-attr]
                    f"Reference: {browser_reference(step)}",
                )
            page.wait_for_selector(f'{scope} h2[data-node="{step.node_id}"]')
            seen = page.evaluate(SNAPSHOT, [face, want])
            assert seen["shown"] == seen["expected"], (face, path)
            assert all(seen["images"]), (face, step.node_id, seen["images"])
            screens += 1
            if step.node_id not in checked:
                checked.add(step.node_id)
                assert axe(page, base) == [], (face, step.node_id)
            if n < len(path.answers):
                page.click(f'{scope} [data-choice="{path.answers[n].choice}"]')
    return screens


@pytest.mark.parametrize("face", ["widget", "component"])
@pytest.mark.parametrize("key", ["printer", "update", "login"])
def test_every_path_shows_what_the_engine_shows(
    watched: Any, servers: tuple[str, str], face: str, key: str
) -> None:
    url = face_url(servers, face, key)
    watched.goto(url)
    base = url.split("pages/")[0] if face == "widget" else url.split("c/")[0]
    screens = walk_and_compare(watched, face, FLOWS[key], base)
    assert screens > len(FLOWS[key].flow.nodes)
    if face == "component":
        assert watched.evaluate("window.__hf.csp") == []


def test_per_variant_steps_recall_and_images_are_there(
    watched: Any, servers: tuple[str, str]
) -> None:
    """The comparison above would pass on an empty screen if both sides were empty: check
    what the printer flow's screens hold."""
    watched.goto(face_url(servers, "component", "printer"))
    for choice in ["paper", "mac"]:
        watched.click(f'help-flow [data-choice="{choice}"]')
    steps = watched.locator("help-flow .hf-steps > li").all_inner_texts()
    assert any("On your Mac" in s for s in steps)
    assert not any("On your PC" in s for s in steps)
    assert watched.inner_text("help-flow fieldset legend h3") == "Is the paper light off now?"
    assert watched.inner_text('help-flow [data-choice="not_solved"]') == "No, it's still orange"
    src = watched.get_attribute("help-flow .hf-body img", "src")
    assert "/c/printer/embed/_assets/" in src
    watched.click('help-flow [data-choice="not_solved"]')
    assert "(The paper light)" in watched.inner_text("help-flow .hf-body")
    assert watched.get_attribute("help-flow a[href^='tel:']", "href") == "tel:+442079460000"


def test_info_outcome_and_links_title_in_the_widget(watched: Any, servers: tuple[str, str]) -> None:
    watched.goto(face_url(servers, "widget", "update"))
    watched.click('.hf-app [data-choice="superseded"]')
    assert watched.text_content(".hf-app [data-outcome]") == "Good to know"
    assert watched.inner_text(".hf-app .hf-links-title") == "Read more"


def test_widget_images_resolve_against_the_fragments_folder(
    chromium: Any, servers: tuple[str, str]
) -> None:
    """The host page is in /pages/, the fragment's files in /w/printer/: images load with
    JavaScript and without it (the article)."""
    for js in (True, False):
        context = chromium.new_context(java_script_enabled=js)
        page = context.new_page()
        page.goto(face_url(servers, "widget", "printer"))
        page.wait_for_load_state("load")
        sources = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.src)")
        visible = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)"
        )
        context.close()
        assert sources
        assert all("/w/printer/_assets/" in s for s in sources), sources
        if not js:
            assert all(visible), sources


def test_handoff_on_every_escalate_path_of_the_bundled_flow(
    watched: Any, servers: tuple[str, str]
) -> None:
    """Covered by the walk too; here checked to exist, with its Copy button."""
    flow = FLOWS["login"]
    escalations = [p for p in flow.paths() if p.outcome == "escalate"]
    assert escalations
    for face in ["widget", "component"]:
        url = face_url(servers, face, "login")
        watched.goto(url)
        scope = "help-flow" if face == "component" else ".hf-app"
        for i, path in enumerate(escalations):
            if i:
                watched.click(f'{scope} [data-action="restart"]')
            for answer in path.answers:
                watched.click(f'{scope} [data-choice="{answer.choice}"]')
            step = list(iter_steps(flow, path))[-1]
            assert step.handoff is not None
            want = step.handoff.summary.replace(
                f"Reference: {step.handoff.reference}", f"Reference: {browser_reference(step)}"
            )
            assert watched.inner_text(f"{scope} .hf-handoff-text") == want, (face, path)
            assert watched.locator(f"{scope} [data-copy-handoff]").is_visible()


@pytest.mark.slow  # a server process
def test_feedback_beacon_reaches_a_real_events_endpoint(chromium: Any, tmp_path: Path) -> None:
    """With an events URL, "Was this helpful?" is also sent to `POST /api/v1/events` of a
    `helpflow serve --events` process on another origin, under a CSP that allows only it;
    without one, nothing is sent."""
    from helpflow.events import open_store
    from helpflow_html.widget import widget_fragment

    from servers import helpflow_server

    flow = FLOWS["login"]
    db = str(tmp_path / "events.db")
    root = tmp_path / "host"
    HtmlRenderer().build(flow, root / "embed", base_url="embed/", embed=True)
    snippet = (root / "embed" / "snippet.html").read_text()
    path = ["online", "cant_access", "not_solved"]
    with helpflow_server(BUNDLED, secret="b", extra=("--events", db)) as server:
        events_url = f"{server}/api/v1/events"
        (root / "component.html").write_text(
            host_page(snippet.replace("<help-flow ", f'<help-flow events-url="{events_url}" '))
        )
        (root / "quiet.html").write_text(host_page(snippet))
        (root / "widget.html").write_text(host_page(widget_fragment(flow, events_url=events_url)))
        csp = f"{STRICT_CSP}; connect-src 'self' {server}"
        with serve(root, {"Content-Security-Policy": csp}) as plain:
            sent: list[str] = []
            for name, scope, helpful in [
                ("component.html", "help-flow", "yes"),
                ("widget.html", ".hf-app", "no"),
                ("quiet.html", "help-flow", "yes"),
            ]:
                context = chromium.new_context(bypass_csp=name == "widget.html")
                page = context.new_page()
                page.on("request", lambda r: sent.append(r.url) if "/events" in r.url else None)
                page.goto(plain + name)
                for choice in path:
                    page.click(f'{scope} [data-choice="{choice}"]')
                if name == "quiet.html":
                    page.click(f'{scope} [data-helpful="{helpful}"]')
                    page.wait_for_timeout(300)
                else:
                    with page.expect_response(lambda r: r.url == events_url) as response:
                        page.click(f'{scope} [data-helpful="{helpful}"]')
                    assert response.value.status == 202
                context.close()
            assert sent == [events_url, events_url]  # the page without an events URL sent none
    store = open_store(db)
    feedback = [e for e in store.events() if e.type == "feedback"]
    store.close()
    assert [(e.flow, e.version, e.node, e.helpful) for e in feedback] == [
        ("account-login", flow.version, "contact_support", True),
        ("account-login", flow.version, "contact_support", False),
    ]
    assert feedback[0].visit != feedback[1].visit


RECALL_XSS = """
helpflow: 1
id: recall-xss
title: Recall
start: q
nodes:
  q:
    kind: question
    prompt: Pick one
    choices:
      - {id: js, label: "javascript:window.__xss=1", to: end}
      - {id: ok, label: "https://example.com/ok", to: end}
  end:
    kind: outcome
    resolution: solved
    title: Done
    body: "[open]({answers.q}) and <b>{answers.q}</b>"
"""


def test_a_recalled_answer_cannot_make_a_script_link(
    watched: Any, write_flow: Any, tmp_path: Path
) -> None:
    """The sanitizer ran before the answer was known; the view checks addresses again, as the
    Python engine does (its step drops the href)."""
    flow = helpflow.load(write_flow(RECALL_XSS))
    HtmlRenderer().build(flow, tmp_path / "w", widget=True)
    (tmp_path / "w" / "index.html").write_text(
        host_page((tmp_path / "w" / WIDGET_FILE).read_text())
    )
    with serve(tmp_path / "w") as url:
        watched.goto(url)
        watched.click('.hf-app [data-choice="js"]')
        assert watched.inner_text(".hf-app .hf-body b") == "javascript:window.__xss=1"
        assert watched.get_attribute(".hf-app .hf-body a", "href") is None
        watched.click(".hf-app .hf-body a")
        assert watched.evaluate("window.__xss") is None
        watched.click('.hf-app [data-action="restart"]')
        watched.click('.hf-app [data-choice="ok"]')
        assert watched.get_attribute(".hf-app .hf-body a", "href") == "https://example.com/ok"


HANDOFF_CONTACT = """
helpflow: 1
id: handoff-mail
title: Mail us
start: q
nodes:
  q:
    kind: question
    prompt: What broke?
    choices:
      - {id: screen, label: "The screen (it's black!)", to: help}
  help:
    kind: outcome
    resolution: escalate
    title: Write to us
    contacts:
      - name: Support
        url: "mailto:help@example.com?subject=Ref%20{handoff.reference}&body={handoff.summary}"
"""


def test_contact_urls_carry_the_handoff_as_the_engine_fills_them(
    watched: Any, write_flow: Any, tmp_path: Path
) -> None:
    flow = helpflow.load(write_flow(HANDOFF_CONTACT))
    HtmlRenderer().build(flow, tmp_path / "w", widget=True)
    (tmp_path / "w" / "index.html").write_text(
        host_page((tmp_path / "w" / WIDGET_FILE).read_text())
    )
    (path,) = flow.paths()
    step = list(iter_steps(flow, path))[-1]
    assert step.handoff is not None
    reference = browser_reference(step)
    want = str(step.contacts[0].url).replace(
        quote(step.handoff.reference, safe=""), quote(reference, safe="")
    )
    with serve(tmp_path / "w") as url:
        watched.goto(url)
        watched.click('.hf-app [data-choice="screen"]')
        assert watched.get_attribute(".hf-app .hf-contacts a", "href") == want
