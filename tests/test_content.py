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
