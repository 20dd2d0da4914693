"""The terminal wizard as a person meets it: in a real pseudo-terminal (pexpect), and piped."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from helpflow_terminal import TerminalRenderer

from support import BUNDLED, MINI, WriteFlow

ENV = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "200", "LINES": "50", "NO_COLOR": ""}
TIMEOUT = 20


def spawn(*args: str) -> pexpect.spawn[str]:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "helpflow", "run", *args],
        env=ENV,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(50, 200),
    )
    return child


@pytest.fixture
def wizard() -> Iterator[pexpect.spawn[str]]:
    child = spawn(str(BUNDLED))
    child.expect("How did you get your Trend Micro product")
    child.expect("> ")
    yield child
    child.close(force=True)


def choose(child: pexpect.spawn[str], key: str, expect: str) -> None:
    child.sendline(key)
    child.expect(expect)
    child.expect("> ")


def test_walks_to_an_escalation(wizard: pexpect.spawn[str]) -> None:
    choose(wizard, "2", "What's going wrong")
    choose(wizard, "1", "Check the details you sign in with")
    choose(wizard, "2", "Contact Best Buy Geek Squad")
    assert "https://www.bestbuy.com/services/geek-squad" in str(wizard.before)


def test_back_and_restart(wizard: pexpect.spawn[str]) -> None:
    choose(wizard, "4", "What's going wrong")
    choose(wizard, "2", "Which sign-in detail have you forgotten")
    choose(wizard, "b", "What's going wrong")
    choose(wizard, "r", "How did you get your Trend Micro product")
    choose(wizard, "b", "nothing to go back to")


def test_bad_input_reprompts_and_changes_nothing(wizard: pexpect.spawn[str]) -> None:
    choose(wizard, "9", "Please type a number from 1 to 4")
    choose(wizard, "hello", "Please type a number from 1 to 4")
    choose(wizard, "1", "What's going wrong")


def test_change_an_earlier_answer(wizard: pexpect.spawn[str]) -> None:
    choose(wizard, "2", "What's going wrong")
    choose(wizard, "1", "Check the details")
    wizard.sendline("a")
    wizard.expect("Your answers so far")
    wizard.expect("change> ")
    wizard.sendline("1")
    wizard.expect("new answer> ")
    choose(wizard, "4", "Check the details")  # later answers still fit: kept
    choose(wizard, "2", "Contact your internet service provider")


def resume_token(child: pexpect.spawn[str]) -> str:
    child.expect(r"--token (\S+)")
    assert isinstance(child.match, re.Match)
    token = child.match.group(1)
    child.expect(pexpect.EOF)
    return re.sub(r"\x1b\[[0-9;]*m", "", token)


@pytest.mark.parametrize("key", ["\x03", "\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_and_ctrl_d_quit_with_a_token_that_resumes(
    wizard: pexpect.spawn[str], key: str
) -> None:
    choose(wizard, "3", "What's going wrong")
    choose(wizard, "2", "Which sign-in detail")
    wizard.send(key)
    token = resume_token(wizard)
    assert "Traceback" not in (wizard.before or "")
    wizard.close()
    assert wizard.exitstatus == (130 if key == "\x03" else 0)
    again = spawn(str(BUNDLED), "--token", token)
    again.expect("Which sign-in detail have you forgotten")
    choose(again, "2", "Reset your password")
    again.close(force=True)


ESCAPES = [
    line.encode("ascii").decode("unicode_escape")
    for line in (Path(__file__).parent / "corpus" / "terminal-escapes.txt").read_text().splitlines()
    if line and not line.startswith("#")
]


def hostile_flow(write_flow: WriteFlow) -> Path:
    bad = "".join(ESCAPES).encode("unicode_escape").decode("ascii")
    bad = bad.replace('"', '\\"')
    return write_flow(f"""
        helpflow: 1
        id: hostile
        title: "T {bad}"
        intro: "I {bad}"
        start: q
        nodes:
          q:
            kind: question
            prompt: "P {bad}"
            help: "H {bad}"
            choices:
              - {{id: a, label: "L {bad}", to: f}}
          f:
            kind: fix
            title: "F {bad}"
            body: "B {bad}"
            steps: ["S {bad}"]
            links: [{{label: "K {bad}", url: "https://example.com/{bad}"}}]
            next: o
          o:
            kind: outcome
            resolution: escalate
            title: "O {bad}"
            body: "B {bad}"
            contacts: [{{name: "N {bad}", phone: "1 {bad}", note: "X {bad}"}}]
        """)


#: Invisible characters that reorder the text around them: marks (LRM, RLM, ALM),
#: embeddings and overrides, isolates.
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def assert_no_injected_sequences(output: str) -> None:
    """Nothing of the corpus survives. The wizard's own styling (rich's SGR colours, its
    OSC 8 links to safe URLs) is allowed; everything else that could act on a terminal is not."""
    allowed_sgr = re.compile(r"\x1b\[[0-9;]*m")
    rich_link = re.compile(r"\x1b\]8;id=\d+;https?://[^\x1b\x07]*\x1b\\|\x1b\]8;;\x1b\\")
    rest = rich_link.sub("", allowed_sgr.sub("", output))
    assert "\x1b" not in rest, repr(rest[max(0, rest.index("\x1b") - 20) : rest.index("\x1b") + 20])
    for char in rest:
        code = ord(char)
        assert char in "\n\r\t" or not (code < 32 or 0x7F <= code <= 0x9F), repr(char)
        assert char not in BIDI_CONTROLS, repr(char)


def test_escape_sequences_in_flow_text_never_reach_the_pty(write_flow: WriteFlow) -> None:
    child = spawn(str(hostile_flow(write_flow)))
    child.logfile_read = log = _Log()
    child.expect("P ")
    child.expect("> ")
    choose(child, "1", "F ")
    choose(child, "1", "O ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    assert "evil.example" not in log.text  # a hidden link target never reaches the screen
    assert_no_injected_sequences(log.text)


def test_resume_hint_in_the_pty_is_clean_and_quoted(write_flow: WriteFlow) -> None:
    flow = write_flow(MINI)
    child = spawn(str(flow), "--var", "support_url=https://x.example/\x1b]52;c;cHduZWQ=\x07;id")
    child.logfile_read = log = _Log()
    child.expect("Where did you buy it")
    child.expect("> ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    assert_no_injected_sequences(log.text)
    hint = re.sub(r"\x1b\[[0-9;]*m", "", log.text.split("left off: ", 1)[1])
    assert hint.startswith(
        f"helpflow run {flow} --var 'support_url=https://x.example/;id' --token "
    )


class _Log:
    def __init__(self) -> None:
        self.text = ""

    def write(self, data: str) -> None:
        self.text += data

    def flush(self) -> None:
        pass


def run_piped(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "helpflow", "run", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def test_piped_stdin_is_plain_and_scriptable() -> None:
    result = run_piped(str(BUNDLED), stdin="4\n6\n2\n")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "Look for our emails in your spam folder" in result.stdout
    assert "Contact Trend Micro Technical Support" in result.stdout
    assert "--token account-login." in result.stdout


def test_piped_hostile_flow_is_clean(write_flow: WriteFlow) -> None:
    result = run_piped(str(hostile_flow(write_flow)), stdin="1\n1\n")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert_no_injected_sequences(result.stdout)


def test_transcript_prints_the_whole_walk() -> None:
    result = run_piped(str(BUNDLED), "--transcript", stdin="1\n2\n4\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "How did you get your Trend Micro product?" in lines
    assert "> 1" in lines
    assert "Which sign-in detail have you forgotten?" in lines
    assert "Recover your Apple account" in lines
    assert "\x1b" not in result.stdout


def test_bad_token_exits_1_without_traceback() -> None:
    result = run_piped(str(BUNDLED), "--token", "nonsense", stdin="")
    assert result.returncode == 1
    assert "session token is malformed" in result.stderr
    assert "Traceback" not in result.stderr


def test_renderer_prints_a_step_as_plain_text(bundled: object) -> None:
    from helpflow.engine import CompiledFlow

    assert isinstance(bundled, CompiledFlow)
    text = TerminalRenderer().render(bundled.step(bundled.start()))
    assert text.splitlines()[0] == "How did you get your Trend Micro product?"
    assert "  4) It came with my internet service" in text


def test_rich_screen_shows_markup_in_flow_text_literally() -> None:
    import io

    from helpflow_terminal.layout import Line
    from helpflow_terminal.richscreen import RichScreen

    out = io.StringIO()
    screen = RichScreen(io.StringIO(), out)
    screen.show([Line("[bold red]not markup[/] :warning:", "bold")])
    assert "[bold red]not markup[/] :warning:" in out.getvalue()


def test_escape_corpus_is_big_enough() -> None:
    assert len(ESCAPES) >= 50
