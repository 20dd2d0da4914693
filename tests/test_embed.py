"""`helpflow build --embed`: the files, the published table schema and the snippet (issue 14).
The component itself is driven in Chromium by test_embed_browser.py."""

from __future__ import annotations

import hashlib
import json
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

import helpflow
from helpflow.cli import main
from helpflow_html import HtmlRenderer
from helpflow_html.embed import SCHEMA_FILE
from helpflow_html.scripts import component_script, widget_script
from helpflow_html.templating import static_text

from browser import every_test_flow
from support import BUNDLED, ROOT


class _Inline(HTMLParser):
    """Everything a strict CSP would refuse: inline scripts, styles and handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if (tag == "script" and not names.get("src")) or tag == "style":
            self.found.append(tag)
        self.found += [name for name in names if name == "style" or name.startswith("on")]
        if tag == "a":
            self.links.append(names["href"] or "")


def parse(html: str) -> _Inline:
    parser = _Inline()
    parser.feed(html)
    return parser


def test_cli_writes_script_table_and_snippet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "embed"
    assert main(["build", str(BUNDLED), "--embed", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote embed (5 files) to {out}\n"
    (script,) = out.glob("helpflow-embed.*.js")
    digest = hashlib.sha256(script.read_bytes()).hexdigest()[:12]
    assert script.name == f"helpflow-embed.{digest}.js"
    names = {p.name for p in out.iterdir() if not p.name.startswith(".")}  # the build marker
    assert names == {
        script.name,
        "account-login.json",
        "account-login.html",
        "helpflow.css",
        "snippet.html",
    }
    snippet = (out / "snippet.html").read_text()
    assert snippet.startswith(
        f'<script src="{script.name}" defer></script>\n<help-flow src="account-login.json" lang="en">'
    )


def test_the_table_matches_its_published_schema(tmp_path: Path) -> None:
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for flow in every_test_flow(tmp_path):
        HtmlRenderer().build(flow, tmp_path / flow.id, embed=True)
        table = json.loads((tmp_path / flow.id / f"{flow.id}.json").read_text())
        jsonschema.validate(table, schema)
        assert set(table["nodes"]) == set(flow.flow.nodes)
    broken = {**table, "nodes": {**table["nodes"], "x": {"kind": "nope"}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_nothing_inline_for_a_strict_csp(tmp_path: Path) -> None:
    HtmlRenderer().build(helpflow.load(BUNDLED), tmp_path / "e", embed=True)
    for name in ["snippet.html", "account-login.html"]:
        assert parse((tmp_path / "e" / name).read_text()).found == [], name


def test_fallback_links_into_the_article_or_the_static_site(tmp_path: Path) -> None:
    flow = helpflow.load(BUNDLED)
    HtmlRenderer().build(flow, tmp_path / "e", embed=True, base_url="/help/")
    links = parse((tmp_path / "e" / "snippet.html").read_text()).links
    assert set(links) == {"/help/account-login.html"}
    assert len(links) == len(flow.step(flow.start()).choices) + 1
    site_url = "https://help.example.com/sign-in/"
    HtmlRenderer().build(flow, tmp_path / "e", embed=True, site_url=site_url)
    HtmlRenderer().build(flow, tmp_path / "site")
    choice_links = parse((tmp_path / "e" / "snippet.html").read_text()).links[:-1]
    assert choice_links
    assert all(link.startswith(site_url) for link in choice_links)
    for link in choice_links:  # each is a page the static site build wrote
        assert (tmp_path / "site" / link[len(site_url) :]).is_file(), link


def test_both_faces_share_one_engine() -> None:
    engine = static_text("engine.js")
    assert "function hfEngine(table)" in engine
    for script in [widget_script(), component_script()]:
        assert script.count(engine) == 1
        assert script.count("function hfEngine(") == 1
        assert "eval(" not in script
        assert "new Function" not in script


def test_embed_and_widget_are_one_or_the_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(BUNDLED), "--embed", "--widget", "--out", str(tmp_path / "x")])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_content_tables_match_the_schema_and_carry_their_images(tmp_path: Path) -> None:
    """Issue 7's additions reach the table (per-variant steps, `after`, `ask`, tel:/mailto:,
    `info`, recalled answers as markers) and `--embed` writes the images beside it."""
    schema = json.loads(SCHEMA_FILE.read_text())
    content = ROOT / "examples" / "content"
    for name in ["printer-error-light", "software-update-failing"]:
        flow = helpflow.load(content / f"{name}.yaml")
        HtmlRenderer().build(flow, tmp_path / name, embed=True)
        table = json.loads((tmp_path / name / f"{name}.json").read_text())
        jsonschema.validate(table, schema)
        for asset in flow.assets.values():
            assert (tmp_path / name / asset.href).read_bytes() == asset.path.read_bytes()
    printer = json.loads(
        (tmp_path / "printer-error-light" / "printer-error-light.json").read_text()
    )
    nodes = printer["nodes"]
    assert nodes["paper_jam"]["step_when"][3] == {"answer": {"computer": ["windows"]}}
    assert nodes["paper_jam"]["ask"] == "Is the paper light off now?"
    assert nodes["busy"]["resolution"] == "info"
    assert nodes["call_us"]["contacts"][0]["phone_href"] == "tel:+442079460000"
    assert "(<em>\ue000light\ue001</em>)" in nodes["call_us"]["body"]
    assert "_assets/" in nodes["paper_jam"]["body"]
