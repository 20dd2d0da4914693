"""The two content example flows (issue 7), as their readers meet them: scenarios through the
engine, the terminal in a real pty, the article view; and the README's example is strict-valid.
(Their steps as JSON are checked with the bundled flow's, in test_json_steps.py.)"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pexpect
import pytest

import helpflow
from helpflow.engine import CompiledFlow
from helpflow_html import ArticleRenderer

from support import ROOT, WriteFlow, walk

PRINTER_FILE = ROOT / "examples" / "content" / "printer-error-light.yaml"
UPDATE_FILE = ROOT / "examples" / "content" / "software-update-failing.yaml"
PRINTER = helpflow.load(PRINTER_FILE, strict=True)
UPDATE = helpflow.load(UPDATE_FILE, strict=True)


# --- scenarios ------------------------------------------------------------------------------


def test_mac_user_with_a_paper_jam_sees_only_the_mac_step() -> None:
    step = PRINTER.step(walk(PRINTER, "paper", "mac"))
    texts = [s.text for s in step.steps]
    assert any("On your Mac" in t for t in texts)
    assert not any("On your PC" in t for t in texts)
    assert step.ask == "Is the paper light off now?"
    assert [c.label for c in step.choices] == ["Yes, it's off", "No, it's still orange"]
    assert "pull in the direction the paper travels" in step.steps[1].html


def test_the_escalation_recalls_the_answer_and_links_phone_and_email() -> None:
    step = PRINTER.step(walk(PRINTER, "ink", "not_solved"))
    assert "(The ink light)" in step.body.text
    assert "<em>The ink light</em>" in step.body.html
    (contact,) = step.contacts
    assert (contact.phone_href, contact.email_href) == (
        "tel:+442079460000",
        "mailto:help@inkwell.example",
    )
    assert step.outcome == "escalate"


def test_a_diagnosis_with_nothing_to_fix_is_info() -> None:
    step = UPDATE.step(walk(UPDATE, "superseded"))
    assert step.outcome == "info"
    assert step.finished
    assert step.links_title == "Read more"
    counts: dict[str, int] = {}
    for path in UPDATE.paths():
        counts[path.outcome] = counts.get(path.outcome, 0) + 1
    assert counts["info"] == 1
    assert set(counts) == {"solved", "escalate", "info"}  # counted apart from solved


def test_commands_in_code_blocks_and_a_note_after_the_steps() -> None:
    step = UPDATE.step(walk(UPDATE, "in_use", "windows"))
    assert '<code class="language-powershell">' in step.steps[0].html
    assert '"*Quillpad*Setup*"' in step.steps[0].text  # the var is filled inside the code
    assert (
        step.after.text == "If it fails again with the same message, restart before anything else."
    )
    linux = UPDATE.step(walk(UPDATE, "space", "linux"))
    assert 'class="hf-callout hf-callout--caution"' in linux.after.html


def test_a_var_override_is_text_in_code_and_titles() -> None:
    site = UPDATE.with_options(vars={"app": "<b>Pad</b> [x](y)"})
    step = site.step(walk(site, "in_use", "linux"))
    assert "&lt;b&gt;Pad&lt;/b&gt; [x](y)-installer" in step.steps[0].html
    assert site.info.title == "<b>Pad</b> [x](y) won't update"


# --- the terminal, in a real pseudo-terminal -----------------------------------------------


def test_terminal_shows_code_tables_callouts_and_asks_after_a_blank_line() -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "helpflow", "run", str(UPDATE_FILE)],
        env={"TERM": "xterm-256color", "COLUMNS": "60", "LINES": "50", "PATH": "/usr/bin:/bin"},
        encoding="utf-8",
        timeout=20,
        dimensions=(50, 60),
    )
    try:
        child.expect("What does the update say")
        child.expect("> ")
        child.sendline("2")
        child.expect("> ")
        child.sendline("1")
        child.expect("Did this solve it\\?")
        assert isinstance(child.before, str)
        screen = re.sub(r"\x1b\[[0-9;]*m", "", child.before)
        # The command is one unbroken line even on a 60-column terminal.
        assert 'Get-Process | Where-Object { $_.Name -like "*Quillpad*Setup*" }' in screen
        # The note after the steps, then a blank line, then the question.
        assert screen.endswith("anything else.\r\n\r\n"), screen[-200:]
    finally:
        child.close(force=True)


def test_terminal_renderer_tables_images_and_info() -> None:
    from helpflow_terminal import TerminalRenderer

    first = TerminalRenderer().render(PRINTER.step(PRINTER.start()))
    assert "Paper (orange)    Out of paper, or a sheet is stuck" in first
    assert "[image:" not in first  # the intro image belongs to the flow, not the question
    out = TerminalRenderer().render(UPDATE.step(walk(UPDATE, "superseded")))
    assert out.splitlines()[0] == "◆ Good to know"
    assert "Read more:" in out
    assert out.count("https://quillpad.example/releases") == 1


# --- the article: a proofreading document ---------------------------------------------------


@pytest.mark.parametrize("flow", [PRINTER, UPDATE], ids=["printer", "update"])
def test_article_has_each_node_once_numbered_with_contents(flow: CompiledFlow) -> None:
    page = ArticleRenderer().render_flow(flow)
    sections = re.findall(r'<section class="hf-node" id="hf-([^"]+)"', page)
    assert sorted(sections) == sorted(flow.flow.nodes)
    assert sections[0] == flow.flow.start
    headings = re.findall(r"<h2>(\d+)\. ", page)
    assert headings == [str(n) for n in range(1, len(sections) + 1)]
    assert page.count('<nav class="hf-toc"') == 1
    assert "<details" not in page
    assert "<h3" not in page
    assert "@media print" in page


def test_article_links_choices_to_numbered_sections_and_states_conditions() -> None:
    page = ArticleRenderer().render_flow(UPDATE)
    assert re.search(
        r"Windows <span class=\"hf-note\">\(if you answered “&#34;Not enough disk", page
    ) or ("(if you answered “&#34;Not enough disk space&#34;”)" in page)
    assert re.search(r'→ <a href="#hf-superseded">\d+\. Nothing to do</a>', page)
    printer = ArticleRenderer().render_flow(PRINTER)
    assert "Only if you answered “A Mac”:" in printer


def test_article_shows_todos_where_they_are(write_flow: WriteFlow) -> None:
    text = PRINTER_FILE.read_text().replace(
        "    title: You're printing again\n",
        "    title: You're printing again\n    todo: Say how to print a test page.\n",
    )
    path = write_flow(text, name="flows/printer.yaml")
    (path.parent / "img").mkdir()
    for image in (PRINTER_FILE.parent / "img").iterdir():
        (path.parent / "img" / image.name).write_bytes(image.read_bytes())
    page = ArticleRenderer().render_flow(helpflow.load(path))
    assert "1 open to-do" in page
    section = page[page.index('id="hf-printing"') :]
    assert section.index("To do:</strong> Say how to print a test page.") < section.index(
        "</section>"
    )


# --- the README's example -------------------------------------------------------------------


def test_readme_example_is_strict_valid(write_flow: WriteFlow) -> None:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```yaml\n(# yaml-language-server.*?\nhelpflow: 1\n.*?)```", readme, re.S)
    assert block is not None
    helpflow.load(write_flow(block.group(1)), strict=True)  # raises on any warning


def test_paths_count_info_endings_apart(capsys: pytest.CaptureFixture[str]) -> None:
    from helpflow.cli import main

    assert main(["paths", str(UPDATE_FILE)]) == 0
    captured = capsys.readouterr()
    assert "message[superseded] → superseded  (info)" in captured.out
    assert "10 paths (5 escalate, 1 info, 4 solved)" in captured.err


def test_build_lists_todos_and_strict_refuses_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from helpflow.cli import main

    bundled = ROOT / "flows" / "account-login.yaml"
    assert main(["build", str(bundled), "--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    assert err.count(": todo: ") == 4
    assert "node 'phone_changed'" in err
    assert main(["build", str(bundled), "--strict", "--out", str(tmp_path / "b")]) == 1
    assert "helpflow: error: 4 todos still open" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()
    assert (
        main(["build", str(bundled), "--strict", "--allow-todo", "--out", str(tmp_path / "c")]) == 0
    )
    assert main(["build", str(PRINTER_FILE), "--strict", "--out", str(tmp_path / "p")]) == 0
    assert len(list((tmp_path / "p" / "_assets").iterdir())) == 2


def test_terminal_shows_bold_and_italic_as_styles() -> None:
    import io

    from rich.console import Console

    from helpflow_terminal.layout import step_lines
    from helpflow_terminal.richscreen import RichScreen

    lines = step_lines(PRINTER.step(walk(PRINTER, "paper", "windows")))
    (resume,) = [line for line in lines if "select Resume" in line.text]
    start = resume.text.index("Resume")
    assert (start, start + len("Resume"), "bold") in resume.spans
    out = io.StringIO()
    screen = RichScreen(io.StringIO(), out)
    screen.console = Console(file=out, force_terminal=True, color_system="standard", width=200)
    screen.show([resume])
    assert "\x1b[1mResume\x1b[0m" in out.getvalue()


def test_printable_article_is_one_file_with_its_images_inside() -> None:
    page = ArticleRenderer().render_flow(PRINTER)
    assert page.count('src="data:image/png;base64,') == 2
    assert "_assets/" not in page
