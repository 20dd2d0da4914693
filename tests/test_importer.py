"""`helpflow import`: articles of every shape → drafts that validate, build and keep the text."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from helpflow.cli import main
from helpflow.engine import compile_flow
from helpflow.importer import ArticleError, _emit, draft_from_text
from helpflow.lint import lint
from helpflow.loader import load_text

from support import ROOT

Capture = pytest.CaptureFixture[str]
ARTICLES = ROOT / "tests" / "articles"
FLOW_SCHEMA = ROOT / "flows" / "helpflow.schema.json"
#: The vendor article the bundled flow was written from (a copy of ../shared/seed/).
SEED = ARTICLES / "account-login-help-article.txt"


def _import(capsys: Capture, article: Path, tmp_path: Path, *extra: str) -> dict[str, Any]:
    """Import, then check the draft validates (no errors) and builds; return its data."""
    out = tmp_path / "draft.yaml"
    assert main(["import", str(article), "--out", str(out), *extra]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"wrote {out}: drafted ")
    assert main(["validate", str(out)]) == 0, capsys.readouterr().out
    assert " 0 errors, 0 warnings," in capsys.readouterr().err
    assert main(["build", str(out), "--out", str(tmp_path / "site")]) == 0
    capsys.readouterr()
    text = out.read_text()
    assert text.startswith("# yaml-language-server: $schema=helpflow.schema.json\n")
    assert f"# Drafted by `helpflow import` from {article} (" in text
    data: dict[str, Any] = yaml.safe_load(text)
    jsonschema.Draft7Validator(json.loads(FLOW_SCHEMA.read_text())).validate(data)
    return data


def _choices(data: dict[str, Any], node: str) -> list[str]:
    return [c["label"] for c in data["nodes"][node]["choices"]]


def test_seed_article_every_branch_becomes_a_choice(capsys: Capture, tmp_path: Path) -> None:
    top = [
        "I Can't Access My Account",
        "I Forgot My Login Details",
        "I Have a New Email Address",
        "Verification via Changed Phone Number",
        "I Can't Update My Credit Card Details",
        "Problems with Downloading Updates",
    ]
    forgot = [
        "I Forgot My Email Address",
        "I Forgot My Password",
        "I Forgot My Google Account",
        "I Forgot My Apple Account",
    ]
    article_lines = {line.strip() for line in SEED.read_text().splitlines()}
    assert set(top + forgot) <= article_lines  # the headings really are the article's
    data = _import(capsys, SEED, tmp_path)
    nodes = data["nodes"]
    assert _choices(data, data["start"]) == top
    assert _choices(data, "forgot_login_details") == forgot
    assert nodes["cant_access_account"]["steps"][0].startswith("Double-check your login")
    contacts = [c["name"] for c in nodes["cant_access_account_help"]["contacts"]]
    assert contacts == ["Best Buy Geek Squad", "Internet Service Provider", "Support team"]
    # The gaps of the article are todos, not guesses: the bare "Visit", the steps behind
    # "Expand All", the page address Google's section leaves out.
    assert "step 1 ('Visit') looks cut off" in nodes["forgot_password"]["todo"]
    assert "Expand All" in nodes["forgot_email_address"]["todo"]
    assert nodes["forgot_google_account"]["resolution"] == "external"
    assert "without its address" in nodes["forgot_google_account"]["todo"]
    assert "Comments" not in yaml.safe_dump(data)


def test_markdown_article(capsys: Capture, tmp_path: Path) -> None:
    data = _import(capsys, ARTICLES / "home-wifi.md", tmp_path)
    nodes = data["nodes"]
    assert data["title"] == "Fixing a slow or dropped home Wi-Fi connection"
    # The article's image file is not next to the draft: a visible note keeps its alt and path
    # (a dangling `![…](…)` would fail validation).
    note = "*[image left out by the import: The back of a typical router (img/router-back.png)]*"
    assert note in data["intro"]
    assert _choices(data, "start") == [
        "The Wi-Fi keeps dropping",
        "Everything is slow",
        "I can't see my network at all",
    ]  # "Related articles" is page chrome
    assert _choices(data, "everything_is_slow") == [
        "Slow on every device",
        "Slow on one laptop only",
    ]
    dropping = nodes["wi_fi_keeps_dropping"]
    assert dropping["kind"] == "fix"
    assert "| 2.4 GHz | 1, 6, 11        |" in dropping["steps"][2]  # the table, kept
    assert "> **Note:** a firmware update restarts" in dropping["body"]
    desk = nodes[dropping["not_solved"]]
    assert desk["resolution"] == "escalate"
    assert desk["contacts"][0]["phone"] == "+44 20 7946 0958"
    assert "Monday to Friday" in desk["contacts"][0]["hours"]
    laptop = nodes["slow_on_one_laptop_only"]
    assert "sudo apt update && sudo apt upgrade" in laptop["steps"][1]  # the code block
    assert nodes[laptop["not_solved"]]["contacts"][0]["email"] == "wifi-help@example.org"
    every = nodes[nodes["slow_on_every_device"]["not_solved"]]
    assert every["resolution"] == "external"
    assert every["links"][0]["url"] == "https://status.example.net/line"
    unseen = nodes["cant_see_network_at_all"]
    assert unseen["links"] == [
        {"label": "router setup guide", "url": "https://example.org/guides/router-setup"}
    ]


def test_html_help_centre_page_without_its_chrome(capsys: Capture, tmp_path: Path) -> None:
    data = _import(capsys, ARTICLES / "printer-help-centre.html", tmp_path)
    text = yaml.safe_dump(data)
    for chrome in (
        "cookies",
        "Search articles",
        "Home",
        "Scanner problems",
        "helpful",
        "Privacy",
        "analytics",
    ):
        assert chrome not in text
    assert data["title"] == 'Printer shows "offline" in Windows'
    assert data["intro"].startswith("When Windows marks your printer **offline**")
    nodes = data["nodes"]
    offline = nodes["printer_is_on_but_windows_says_offline"]
    assert offline["steps"] == [
        "Open *Settings* > *Bluetooth & devices* > *Printers & scanners*.",
        "Select the printer and click **Open print queue**.",
        "In the **Printer** menu, clear `Use Printer Offline`.",
    ]
    assert offline["body"].startswith("> Tip: a printer that sleeps")
    (team,) = nodes[offline["not_solved"]]["contacts"]
    assert team == {
        "name": "Print Support Team",
        "phone": "0800 555 0199",
        "email": "print-support@example.com",
    }
    stuck = nodes["jobs_are_stuck_in_queue"]
    assert "```powershell\nRestart-Service -Name Spooler\n```" in stuck["steps"][1]
    assert (
        "[image left out by the import: A print queue with a stuck job (/img/queue.png)]"
        in (stuck["body"])
    )
    assert "an image of the article was left out" in stuck["todo"]
    assert nodes["printer_is_not_listed_at_all"]["resolution"] == "external"


def test_plain_symptom_text(capsys: Capture, tmp_path: Path) -> None:
    data = _import(capsys, ARTICLES / "tv-symptoms.txt", tmp_path)
    nodes = data["nodes"]
    assert data["title"] == "Smart TV troubleshooting"
    assert _choices(data, "start") == [
        "The TV turns on but the screen stays black",
        "There is picture but no sound",
        "The TV restarts by itself",
    ]
    black = nodes["tv_turns_on_but_screen_stays_black"]
    assert len(black["steps"]) == 3
    assert nodes[black["not_solved"]]["contacts"] == [{"name": "TV Care", "phone": "0800 123 4567"}]
    restarts = nodes["tv_restarts_by_itself"]
    assert (
        restarts["body"]
        == "Unplug the TV from the wall for one full minute, then plug it in again."
    )
    assert nodes[restarts["not_solved"]]["links"][0]["url"] == "https://example.com/tv/repair"
    assert "helpful" not in yaml.safe_dump(data)


def test_faq(capsys: Capture, tmp_path: Path) -> None:
    data = _import(capsys, ARTICLES / "broadband-faq.txt", tmp_path)
    nodes = data["nodes"]
    assert _choices(data, "start") == [
        "Why is my first bill higher than expected?",
        "How do I change the date I pay?",
        "I can't sign in to pay my bill",
        "Can I get a paper bill?",
    ]
    answer = nodes["why_is_first_bill_higher_than_expected"]
    assert (answer["kind"], answer["resolution"]) == ("outcome", "solved")
    assert nodes["how_do_change_date_pay"]["steps"][0] == "Sign in to My Account."
    billing = nodes[nodes["cant_sign_in_pay_bill"]["not_solved"]]["contacts"][0]
    assert (billing["name"], billing["phone"]) == ("Billing team", "0333 000 1111")


def test_stdin_and_from(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    article = (ARTICLES / "home-wifi.md").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(article)))
    assert main(["import", "-", "--from", "md"]) == 0
    out, err = capsys.readouterr()
    assert "from standard input (md)" in out
    assert err.startswith("drafted ")
    assert load_text(out).flow.title == "Fixing a slow or dropped home Wi-Fi connection"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.txt", b"", "a.txt: the article is empty"),
        ("a.md", b"  \n\n", "a.md: the article is empty"),
        ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.txt: looks like a binary file"),
        ("a.html", b"caf\xe9 \xff", "a.html: is not UTF-8 text"),
        (
            "a.txt",
            b"just one long sentence of text without any structure at all.\n",
            "a.txt: found no sections",
        ),
        ("a.pdf", b"%PDF-1.4", "a.pdf: cannot tell the article's format"),
        ("missing.md", None, "missing.md: cannot read the article: No such file or directory"),
    ],
)
def test_bad_articles_get_one_line_errors(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "helpflow", "import", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert (
        result.stderr
        == f"helpflow: error: {tmp_path}/{message}" + result.stderr.split(message, 1)[1]
    )
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


NASTY = [
    "Error: disk full",
    "Printer #2 is jammed",
    'It says "no signal"',
    "It's 'stuck'",
    "yes",
    "No",
    "- dash first",
    "null",
    "3.14",
    "[brackets] and {braces}",
    "Ünïcödé — 日本語のタイトル",
    "@mention & *star ! %percent",
    "ends with colon:",
    "trailing space ",
    "tab\there",
    "a | pipe > arrow",
]


@pytest.mark.parametrize("title", NASTY)
def test_nasty_titles_read_back_exactly(title: str) -> None:
    markdown = f"# {title.strip()}\n\n## {title.strip()}\n\n- Do {title.strip()}\n\n## Other\n\nContact us.\n"
    draft = draft_from_text(markdown, fmt="md", source_name=f"weird: {title}.md")
    loaded = load_text(draft.text)
    assert not [d for d in lint(loaded) if d.severity == "error"]
    flow = compile_flow(loaded.flow)
    shown = " ".join(title.split())  # headings tidy their whitespace
    assert flow.info.title == shown
    assert flow.step(flow.start()).choices[0].label == shown


@pytest.mark.parametrize(
    "value",
    [*NASTY, "multi\nline\n  indented", "  leading spaces\nsecond", "line\n\n\nblank lines", "#"],
)
def test_emitter_quotes_whatever_needs_it(value: str) -> None:
    data = {"nodes": {"n": {"title": value, "steps": [value, value]}}}
    text = _emit.document(data, ["header"], {"n": "comment: with # marks"})
    assert yaml.safe_load(text) == data


def test_contact_details_go_to_the_one_named_contact(capsys: Capture, tmp_path: Path) -> None:
    data = _import(capsys, ARTICLES / "headphones.md", tmp_path)
    nodes = data["nodes"]
    help_node = nodes[nodes["headphones_dont_show_up_on_phone"]["not_solved"]]
    assert help_node["contacts"] == [
        {
            "name": "Audio Support",
            "phone": "0800 222 3344",
            "email": "support@soundco.example",
            "hours": "Monday to Saturday, 9am to 8pm",
        }
    ]


def test_html_without_the_author_extra_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import helpflow.importer

    # As if selectolax were not installed and the HTML reader never imported.
    monkeypatch.delattr(helpflow.importer, "_html", raising=False)
    monkeypatch.delitem(sys.modules, "helpflow.importer._html", raising=False)
    monkeypatch.setitem(sys.modules, "selectolax.lexbor", None)
    with pytest.raises(ArticleError, match=r"pip install 'helpflow\[author\]'"):
        draft_from_text("<h1>x</h1>", fmt="html", source_name="a.html")


@pytest.mark.parametrize(
    "value",
    [
        "del\x7fete",
        "nel\x85",
        "ls\u2028ps\u2029",
        "c1\x9b[31m",
        "bom\ufeff",
        "x\ufffe",
        "\r\n",
        "zwj\u200d",
    ],
)
def test_emitter_escapes_what_yaml_cannot_hold(value: str) -> None:
    data = {"nodes": {"n": {"title": value, "body": f"two\nlines {value}"}}}
    assert yaml.safe_load(_emit.document(data, [], {})) == data


_LINES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "# Title", "## Section", "### Sub", "- item", "1. step", "Symptom: x", "Q: why?",
            "A: because.", "Contact us at a@b.co or 0800 123 4567.", "If you can't log in:",
            "NOTE: careful", "```", "| a | b |", "|---|---|", "see [x](https://x.y/z)",
            "Still not working? call Desk on 01234 567890", "{var} }{ {{", "yes", "- ",
            "  indented", "> quote", "<b>x</b>", "<h2>Part</h2>", "&amp;", "Expand All",
        ]
    ),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_LINES, min_size=1, max_size=25).map("\n".join),
    st.sampled_from(["md", "html", "text"]),
)
def test_any_article_drafts_a_valid_flow_or_a_clear_error(text: str, fmt: str) -> None:
    try:
        draft = draft_from_text(text, fmt=fmt, source_name="article")
    except ArticleError:
        return
    loaded = load_text(draft.text)
    assert not [d for d in lint(loaded) if d.severity == "error"]
