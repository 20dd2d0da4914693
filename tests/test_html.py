"""The HTML outputs as files: golden site, deterministic and atomic builds, article, graphs,
and agreement between the HTML, terminal and JSON faces of every node."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

import helpflow
from helpflow.cli import main
from helpflow.errors import RendererError
from helpflow.session import Answer, Session
from helpflow_graph import DotRenderer, MermaidRenderer
from helpflow_html import ArticleRenderer, HtmlRenderer
from helpflow_html._atomic import MARKER
from helpflow_html.plan import PageKey, page_path, plan_pages
from helpflow_html.table import flow_table
from helpflow_json import JsonRenderer
from helpflow_terminal import TerminalRenderer

from golden_files import Golden
from support import BUNDLED, MINI, WriteFlow

FLOW = helpflow.load(BUNDLED)


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def representative(names: list[str]) -> list[str]:
    """Every file of a site but the repeats of a page that carries answers: of the pages
    NODE/ANSWER=CHOICE/index.html the first per node stays. The others differ in the answers
    carried; the page plan tests count them and the browser tests walk them."""
    kept: list[str] = []
    nodes: set[str] = set()
    for name in sorted(names):
        node, *carried = name.split("/")
        if len(carried) == 2 and node in nodes:
            continue
        nodes.add(node)
        kept.append(name)
    return kept


def test_site_matches_the_golden_files(tmp_path: Path, golden: Golden) -> None:
    HtmlRenderer().build(FLOW, tmp_path / "site", base_url="https://help.example.com/sign-in/")
    built = files_of(tmp_path / "site")
    golden("goldens/site/FILES.txt", "".join(f"{name}\n" for name in built))
    for name in representative(list(built)):
        golden(f"goldens/site/{name}", built[name])


def test_build_is_deterministic(tmp_path: Path) -> None:
    HtmlRenderer().build(FLOW, tmp_path / "a")
    HtmlRenderer().build(helpflow.load(BUNDLED), tmp_path / "b")
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")


def test_one_page_per_distinct_state_and_no_more() -> None:
    plan = plan_pages(flow_table(FLOW))
    assert not plan.asks_again  # the bundled flow carries its one answer: nothing asked twice
    by_node: dict[str, int] = {}
    for key in plan.pages:
        by_node[key.node] = by_node.get(key.node, 0) + 1
    # Pages before an escalation depend on where the product was bought: one per channel.
    assert by_node["problem"] == by_node["check_sign_in"] == 4
    # Pages whose future never looks at it exist once.
    assert by_node["forgot_google"] == by_node["contact_support"] == by_node["solved"] == 1
    assert len(plan.pages) == 33


def test_rebuild_replaces_the_site_whole(tmp_path: Path) -> None:
    out = tmp_path / "site"
    HtmlRenderer().build(FLOW, out)
    (out / "stale.html").write_text("old")
    HtmlRenderer().build(FLOW, out)
    assert not (out / "stale.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folders left


def test_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(RendererError, match="refusing to replace"):
        HtmlRenderer().build(FLOW, tmp_path)
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_failed_build_leaves_the_old_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    HtmlRenderer().build(FLOW, out)
    before = files_of(out)

    def boom(*args: object, **kwargs: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", boom)
    with pytest.raises(OSError, match="disk full"):
        HtmlRenderer().build(FLOW, out)
    monkeypatch.undo()
    assert files_of(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_build_command_reports_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # One language (the bundled flow also has French and Arabic catalogs: without --lang the
    # site has all three, 3 times 35 pages; test_ui_languages covers that build).
    assert main(["build", str(BUNDLED), "--lang", "en", "--out", str(tmp_path / "s")]) == 0
    assert capsys.readouterr().out == f"wrote 35 pages (39 files) to {tmp_path / 's'}\n"
    assert main(["build", str(BUNDLED), "--out", str(tmp_path / "all")]) == 0
    assert capsys.readouterr().out == f"wrote 105 pages (111 files) to {tmp_path / 'all'}\n"
    assert main(["build", str(BUNDLED), "--widget", "--out", str(tmp_path / "w")]) == 0
    assert "wrote widget (1 files)" in capsys.readouterr().out


def test_sitemap_lists_every_page_with_the_base_url(tmp_path: Path) -> None:
    HtmlRenderer().build(FLOW, tmp_path / "s", base_url="https://help.example.com/x")
    urls = re.findall(r"<loc>(.*?)</loc>", (tmp_path / "s" / "sitemap.xml").read_text())
    assert urls[0] == "https://help.example.com/x/"
    assert "https://help.example.com/x/problem/purchase_channel=retail/" in urls
    assert len(urls) == 34


def test_widget_is_self_contained(tmp_path: Path) -> None:
    HtmlRenderer().build(FLOW, tmp_path, widget=True)
    fragment = (tmp_path / "helpflow-widget.html").read_text()
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", fragment)
    table = re.search(
        r'<script type="application/json" class="hf-table">(.*?)</script>', fragment, re.S
    )
    assert table is not None
    assert json.loads(table.group(1))["start"] == "purchase_channel"


def test_article_has_every_node_once(bundled: helpflow.CompiledFlow) -> None:
    page = ArticleRenderer().render_flow(bundled)
    for node_id in bundled.flow.nodes:
        assert page.count(f'id="hf-{node_id}"') == 1, node_id
    assert "if you answered “I bought it in a shop (for example Best Buy Geek Squad)”" in page
    assert "<style>" in page  # one printable file, no stylesheet to fetch


def test_article_command_writes_a_file(tmp_path: Path) -> None:
    assert main(["render", str(BUNDLED), "--out", str(tmp_path / "a.html")]) == 0
    assert (
        "<h1>Trouble signing in to your Trend Micro account</h1>"
        in (tmp_path / "a.html").read_text()
    )


def test_render_refuses_step_only_renderers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(BUNDLED), "--format", "json"]) == 1
    assert "renders single steps, not whole flows" in capsys.readouterr().err


def graph_flow(write_flow: WriteFlow) -> helpflow.CompiledFlow:
    extra = (
        '  lonely:\n    kind: outcome\n    resolution: solved\n    title: Say "hi"\n    body: x\n'
    )
    return helpflow.load(write_flow(MINI + extra))


def test_mermaid_graph(write_flow: WriteFlow) -> None:
    text = MermaidRenderer().render_flow(graph_flow(write_flow))
    assert text.startswith("flowchart TD\n")
    assert '    where{"Where did you buy it?"}' in text
    assert '    reset["Reset your password"]' in text
    assert '    done(["Done"])' in text
    assert '    where -->|"In a shop"| what' in text
    assert '    reset -.->|"No, I still need help (conditional)"| shop_help' in text
    assert '    lonely(["Say #quot;hi#quot;"])' in text
    assert "    class lonely unreachable" in text


def test_dot_graph(write_flow: WriteFlow) -> None:
    text = DotRenderer().render_flow(graph_flow(write_flow))
    assert text.startswith('digraph "mini" {')
    assert '"where" [label="Where did you buy it?", shape=diamond];' in text
    assert (
        '"reset" -> "shop_help" [label="No, I still need help (conditional)", style=dashed];'
        in text
    )
    assert '"lonely" [label="Say \\"hi\\"", shape=box, style=rounded, color=red' in text


def test_graph_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(BUNDLED), "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith('digraph "account-login"')


def visible(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def session_for(key: PageKey) -> Session:
    answers = tuple(Answer(n, c) for n, c in key.known)
    return Session(FLOW.id, FLOW.version, key.node, answers)


@pytest.mark.parametrize("key", plan_pages(flow_table(FLOW)).pages, ids=page_path)
def test_html_terminal_and_json_show_the_same_things(key: PageKey) -> None:
    step = FLOW.step(session_for(key))
    page = visible(HtmlRenderer().render(step))
    terminal = TerminalRenderer().render(step)
    data = json.loads(JsonRenderer().render(step))
    assert [c["label"] for c in data["choices"]] == [c.label for c in step.choices]
    for choice in step.choices:
        assert choice.label in page
        assert choice.label in terminal
    for item, as_json in zip(step.steps, data["steps"], strict=True):
        assert as_json == {"html": item.html, "text": item.text}
        assert item.text in terminal
        assert visible(item.html) in page
    for link in step.links:
        assert link.url in terminal
        assert f'href="{link.url}"' in HtmlRenderer().render(step)
    for contact in step.contacts:
        assert contact.name in page
        assert contact.name in terminal
    assert step.title in terminal
    assert step.title in page
