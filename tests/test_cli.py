from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpflow.cli import main

from support import BUNDLED, MINI, WriteFlow

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_clean_flow_exits_0(capsys: Capture) -> None:
    code, out, err = run(capsys, "validate", "--strict", str(BUNDLED))
    assert code == 0
    assert out.count(": todo: ") == 4
    assert "1 flow checked: 0 errors, 0 warnings, 4 todos" in err


def test_validate_json_format(capsys: Capture, write_flow: WriteFlow) -> None:
    path = write_flow(MINI.replace("to: reset", "to: rest"))
    code, out, _ = run(capsys, "validate", "--format", "json", str(path))
    assert code == 1
    findings = json.loads(out)
    assert {f["code"] for f in findings} == {"unknown-target", "unreachable"}
    (finding,) = [f for f in findings if f["severity"] == "error"]
    assert finding["code"] == "unknown-target"
    assert finding["severity"] == "error"
    assert finding["node"] == "what"
    assert (finding["line"], finding["col"]) == (19, 47)
    assert "did you mean 'reset'" in finding["message"]


def test_warnings_fail_only_with_strict(capsys: Capture, write_flow: WriteFlow) -> None:
    path = write_flow(
        MINI
        + "  spare:\n    kind: outcome\n    resolution: solved\n    title: Spare\n    body: x\n"
    )
    assert run(capsys, "validate", str(path))[0] == 0
    assert run(capsys, "validate", "--strict", str(path))[0] == 1


def test_usage_errors_exit_2(capsys: Capture) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2


def test_step_prints_json_for_the_choices_given(capsys: Capture) -> None:
    code, out, _ = run(capsys, "step", str(BUNDLED), "--go", "isp", "cant_access", "not_solved")
    assert code == 0
    step = json.loads(out)
    assert step["node_id"] == "contact_isp"
    assert step["finished"] is True


def test_step_with_a_bad_choice_exits_1_with_a_message(capsys: Capture) -> None:
    code, out, err = run(capsys, "step", str(BUNDLED), "--go", "isp", "cant_acess")
    assert code == 1
    assert out == ""
    assert err.startswith(
        "helpflow: error: 'problem' has no choice 'cant_acess' (did you mean 'cant_access'?)"
    )
    assert "Traceback" not in err


def test_step_resumes_a_token(capsys: Capture) -> None:
    _, out, _ = run(capsys, "step", str(BUNDLED), "--go", "retail", "forgot_details")
    token = json.loads(out)["token"]
    _, out, _ = run(capsys, "step", str(BUNDLED), "--token", token, "--go", "google")
    assert json.loads(out)["node_id"] == "forgot_google"


def test_step_with_a_garbage_token(capsys: Capture) -> None:
    code, _, err = run(capsys, "step", str(BUNDLED), "--token", "garbage")
    assert code == 1
    assert "session token is malformed" in err


def test_step_with_vars_and_a_bad_var(capsys: Capture) -> None:
    _, out, _ = run(capsys, "step", str(BUNDLED), "--var", "product=Acme")
    assert json.loads(out)["title"] == "How did you get your Acme product?"
    code, _, err = run(capsys, "step", str(BUNDLED), "--var", "nonsense")
    assert code == 1
    assert "--var takes NAME=VALUE" in err


def test_step_with_an_unknown_renderer(capsys: Capture) -> None:
    code, _, err = run(capsys, "step", str(BUNDLED), "--format", "yaml")
    assert code == 1
    assert "no renderer named 'yaml'" in err
    assert "available: " in err


def test_broken_flow_file_gives_positions_not_tracebacks(
    capsys: Capture, write_flow: WriteFlow
) -> None:
    path = write_flow("helpflow: 1\nid: [\n")
    code, _, err = run(capsys, "step", str(path))
    assert code == 1
    assert f"{path}:3:1: error: YAML syntax" in err


def test_paths_text_and_json(capsys: Capture) -> None:
    code, out, err = run(capsys, "paths", str(BUNDLED))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 60
    assert "60 paths" in err
    assert lines[0] == (
        " 1. purchase_channel[online] → problem[cant_access] → check_sign_in[solved]"
        " → solved  (solved)"
    )
    _, out, _ = run(capsys, "paths", str(BUNDLED), "--format", "json")
    data = json.loads(out)
    assert len(data) == 60
    assert data[1] == {
        "answers": [
            {"node": "purchase_channel", "choice": "online"},
            {"node": "problem", "choice": "cant_access"},
            {"node": "check_sign_in", "choice": "not_solved"},
        ],
        "end": "contact_support",
        "outcome": "escalate",
    }


def test_schema_command(capsys: Capture) -> None:
    _, out, _ = run(capsys, "schema")
    assert json.loads(out)["$schema"].startswith("http://json-schema.org/draft-07")
    _, out, _ = run(capsys, "schema", "--of", "step")
    assert json.loads(out)["title"] == "helpflow step"


def test_help_does_not_import_renderer_dependencies() -> None:
    code = (
        "import sys\n"
        "from helpflow import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('jinja2', 'rich', 'helpflow_json') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().endswith("[]")


def test_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "helpflow", "validate", str(BUNDLED)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "0 errors" in result.stderr


def test_test_command_walks_and_renders_everything(capsys: Capture) -> None:
    code, out, _ = run(capsys, "test", str(BUNDLED))
    assert code == 0
    assert out.splitlines() == [
        "60 paths, 260 steps rendered with html, json, terminal; 18 of 18 nodes exercised",
        "rendered in every translation too: ar: 260 steps, fr: 260 steps",
        "14 of 14 scenarios passed",
        "scenario coverage: 18/18 nodes (100%), 21/26 choices (81%); 89% overall",
    ]


def test_test_command_fails_on_a_node_no_reader_can_reach(
    capsys: Capture, write_flow: WriteFlow
) -> None:
    impossible = (
        MINI.replace(
            "        when: {where: shop}\n        to: help",
            "        when: {all: [{where: shop}, {where: web}]}\n        to: lonely",
        )
        + "  lonely:\n    kind: outcome\n    resolution: solved\n    title: Lonely\n    body: x\n"
    )
    code, out, _ = run(capsys, "test", str(write_flow(impossible)))
    assert code == 1
    assert out.splitlines()[-1] == "never exercised: lonely"


# --- issue 9: one-line errors, never a traceback or a hang -------------------------------------


def run_cli(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The real command in a child process, bounded in time: a hang fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "helpflow", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("helpflow: error: ")
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "directory"])
def test_validate_refuses_what_is_no_regular_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "flow.yaml"
    if kind == "fifo":
        os.mkfifo(path)  # opening it would wait for a writer forever
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")  # reading it would never end
    else:
        path.mkdir()
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "MemoryError" not in result.stderr
    what = {"fifo": "a FIFO", "dev-zero": "a device", "directory": "a directory"}[kind]
    assert (
        result.stdout
        == f"{path}:1:1: error: is {what}"
        + (" (named pipe)" if kind == "fifo" else "")
        + ", not a flow file\n"
    )


def test_render_out_makes_missing_folders(tmp_path: Path) -> None:
    out = tmp_path / "docs" / "guides" / "login.html"
    result = run_cli("render", str(BUNDLED), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


@pytest.mark.parametrize("command", ["render", "build"])
def test_a_name_past_the_os_limit_is_one_line(tmp_path: Path, command: str) -> None:
    # A flow with no open todos: `build` lists those on stderr before it writes anything.
    flow = tmp_path / "mini.yaml"
    flow.write_text(textwrap.dedent(MINI), encoding="utf-8")
    too_long = tmp_path / ("x" * 300)
    out = too_long / "page.md" if command == "render" else too_long
    result = run_cli(command, str(flow), "--out", str(out))
    assert_one_line_error(result, "File name too long")


def test_error_messages_carry_no_escape_sequences(tmp_path: Path) -> None:
    # The path comes from the command line, and is shown in the message.
    hostile = tmp_path / "x\x1b]0;PWNED\x07\x1b[2J\u202e.yaml"
    for command in (["step", str(hostile)], ["validate", str(hostile)]):
        result = run_cli(*command)
        assert result.returncode == 1
        both = result.stdout + result.stderr
        for char in "\x1b\x07\u202e":
            assert char not in both, both
        assert "x.yaml:1:1: error: cannot read file" in both


def test_resume_hint_is_shell_quoted_and_clean(tmp_path: Path, write_flow: WriteFlow) -> None:
    path = write_flow(MINI)
    value = "https://example.com/;touch PWNED;\x1b]0;title\x07'$(touch PWNED2)'"
    result = run_cli("run", str(path), "--var", f"support_url={value}", stdin="q\n")
    assert result.returncode == 0, result.stderr
    [hint] = [line for line in result.stdout.splitlines() if "--token" in line]
    command = hint.split(": ", 1)[1]
    assert "\x1b" not in command
    assert "\x07" not in command
    words = shlex.split(command)
    assert words[:5] == [
        "helpflow",
        "run",
        str(path),
        "--var",
        "support_url=https://example.com/;touch PWNED;'$(touch PWNED2)'",
    ]
    # Pasted into a shell, the value stays one word: nothing runs.
    subprocess.run(["sh", "-c", "true " + command.split(" ", 1)[1]], cwd=tmp_path, check=True)
    assert not (tmp_path / "PWNED").exists()
    assert not (tmp_path / "PWNED2").exists()


def test_validate_reports_the_first_problems_of_a_huge_file(
    capsys: Capture, write_flow: WriteFlow
) -> None:
    nodes = "".join(
        f"  n{i}: {{kind: outcome, resolution: solved, title: T, bogus{i}: 1}}\n"
        for i in range(1000)
    )
    path = write_flow(f"helpflow: 1\nid: big\ntitle: Big\nstart: n0\nnodes:\n{nodes}")
    code, out, err = run(capsys, "validate", str(path))
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == 201
    assert lines[0].endswith("node 'n0': unknown key 'bogus0'")
    assert lines[-1].endswith(
        "error: and 800 more problems not shown (800 errors); fix these first"
    )
    assert "200 errors, 0 warnings, 0 todos; more problems were not shown" in err


def test_serve_refuses_an_alias_bomb_at_start_up() -> None:
    bomb = Path(__file__).parent / "corpus" / "broken" / "alias-bomb.yaml"
    result = run_cli("serve", str(bomb), "--port", "0")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        f"helpflow: error: {bomb}:6:13: error: YAML anchors and aliases are not allowed"
    )
