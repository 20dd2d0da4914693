from __future__ import annotations

import pytest

from helpflow.content import plain, render, render_inline, strip_control


def test_markdown_becomes_html_and_matching_text() -> None:
    prose = render("Open the [reset page](https://example.com/r?a=1&b=2).\n\n- one\n- two")
    assert (
        '<a href="https://example.com/r?a=1&amp;b=2" rel="noopener noreferrer">reset page</a>'
        in prose.html
    )
    assert prose.text == "Open the reset page (https://example.com/r?a=1&b=2).\n\n• one\n• two"


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        '<a href="javascript&#58;alert(1)">x</a>',
        "<svg onload=alert(1)>",
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_html_is_sanitized(source: str) -> None:
    out = render(source).html
    lowered = out.lower()
    for bad in ("<script", "onerror", "onload", "javascript", "<iframe", "<svg", "style=", "data:"):
        assert bad not in lowered, out


def test_inline_has_no_wrapping_paragraph() -> None:
    assert render_inline("Select **Check Now**.").html == "Select <strong>Check Now</strong>."


def test_terminal_escapes_are_stripped() -> None:
    evil = "a\x1b[2J\x1b[31mred\x1b]8;;https://x\x07link\x1b]8;;\x07\x1b]0;title\x1b\\\x9b31m\x07\x00z\u202eok"
    assert strip_control(evil) == "aredlinkzok"
    assert strip_control("keep\ttabs\nand lines") == "keep\ttabs\nand lines"


def test_plain_text_loses_controls_in_every_form() -> None:
    assert plain("Title\x1b[5m  with\nspaces") == "Title with spaces"
    assert "\x1b" not in render("Body \x1b[31m text").text


# --- issue 7: the Markdown real articles use ---------------------------------------------


def test_fenced_code_keeps_its_language_as_a_class_never_as_text() -> None:
    prose = render("Run:\n\n```powershell\nGet-HotFix | Sort-Object  InstalledOn\n```")
    assert '<pre><code class="language-powershell">Get-HotFix' in prose.html
    assert "powershell" not in prose.text
    # The text form keeps the command as written (spaces too), indented as a block.
    assert "\n    Get-HotFix | Sort-Object  InstalledOn" in prose.text


def test_code_language_with_markup_is_dropped_not_injected() -> None:
    prose = render('```"><script>x</script>\ncode\n```')
    assert "<script" not in prose.html
    assert "code" in prose.html


def test_pipe_table_becomes_a_table_and_aligned_text() -> None:
    prose = render("| Light | Meaning |\n|:--|--:|\n| green | fine |\n| amber blinking | error |")
    assert "<table>" in prose.html
    assert '<th align="left">Light</th>' in prose.html
    assert '<td align="right">error</td>' in prose.html
    assert prose.text.splitlines() == [
        "Light           Meaning",
        "--------------  -------",
        "green           fine",
        "amber blinking  error",
    ]


def test_image_keeps_src_and_alt_and_shows_alt_in_text() -> None:
    prose = render("![Router lights](img/router.png)")
    assert '<img alt="Router lights" src="img/router.png">' in prose.html
    assert prose.text == "[image: Router lights]"
    assert "<img" not in render("![x](javascript:alert(1))").html.replace("<img alt", "")


@pytest.mark.parametrize("kind", ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"])
def test_github_alerts_become_callouts_of_their_kind(kind: str) -> None:
    prose = render(f"> [!{kind}]\n> Back up **first**.")
    low = kind.lower()
    assert prose.html.startswith(f'<div class="hf-callout hf-callout--{low}" role="note">')
    assert f"<strong>{kind.capitalize()}</strong>" in prose.html
    assert "[!" not in prose.html
    assert prose.text == f"│ {kind.capitalize()}\n│\n│ Back up first."


def test_plain_blockquote_and_forged_callout_class() -> None:
    assert render("> just a quote").html.startswith("<blockquote>")
    forged = render('<div class="hf-callout evil" onclick="x()">hi</div>').html
    assert "class" not in forged
    assert "onclick" not in forged


def test_multi_line_step_with_sub_list_and_code() -> None:
    prose = render_inline("Open the cover:\n\n- pull slowly\n- check for scraps\n\n```\nreset\n```")
    assert "<ul>" in prose.html
    assert "<pre><code>reset" in prose.html
    assert prose.text.splitlines() == [
        "Open the cover:",
        "",
        "• pull slowly",
        "• check for scraps",
        "",
        "    reset",
    ]
