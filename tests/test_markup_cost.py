"""Markdown that would stall: Python-Markdown searches for a link's end from every `[` that
no `]` closes, so its cost grows with their number times the text's length (2,000 of them in
4,000 characters took 1.3 s, 20,000 minutes). Lint refuses such text at its line and column,
and rendering never stalls on it."""

from __future__ import annotations

import pytest

from helpflow.cli import main
from helpflow.content import MARKUP_BUDGET, markdown_html, markup_cost, render, unmatched_brackets

from support import WriteFlow

Capture = pytest.CaptureFixture[str]

FLOW = """\
helpflow: 1
id: brackets
title: Brackets
start: fix
nodes:
  fix:
    kind: outcome
    resolution: solved
    title: Done
    body: "{body}"
"""


def test_unmatched_brackets_are_counted_as_markdown_reads_them() -> None:
    assert unmatched_brackets("see [the guide](https://x.example) and [b] c") == []
    assert unmatched_brackets("a [b c [d] e") == [2]
    assert unmatched_brackets(r"a \[ b") == []  # escaped: plain text already
    assert unmatched_brackets("]] [") == [3]
    assert markup_cost("no brackets at all") == 0


def test_ordinary_brackets_still_render_as_links() -> None:
    assert (
        '<a href="https://x.example" rel="noopener noreferrer">the guide</a>'
        in render("see [the guide](https://x.example), [sic] and a lone [ bracket").html
    )


@pytest.mark.parametrize("unit", ["[", "[x"])
def test_a_costly_text_renders_as_plain_text_without_stalling(unit: str) -> None:
    text = unit * 20_000
    assert markup_cost(text) > MARKUP_BUDGET
    assert markdown_html(text) == f"<p>{text}</p>"  # took minutes before


def test_validate_refuses_it_at_its_line_and_column(write_flow: WriteFlow, capsys: Capture) -> None:
    path = write_flow(FLOW.replace("{body}", "see [" * 5_000))
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().out
    assert f"{path}:10:11: error" in err
    assert "5,000 '[' without a matching ']' in 25,000 characters" in err
    assert "write \\[ for a literal bracket" in err
    assert "Traceback" not in err


def test_a_text_within_the_budget_is_left_to_markdown(write_flow: WriteFlow) -> None:
    path = write_flow(FLOW.replace("{body}", "a [ b " * 100))
    assert main(["validate", str(path)]) == 0
