from __future__ import annotations

import json
import subprocess
import sys

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
