"""Scenario files: `helpflow test` runs them, reports failures at file:line, measures coverage."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from helpflow import scenarios
from helpflow.cli import main
from helpflow.errors import FlowFileError

from support import BUNDLED, ROOT

Capture = pytest.CaptureFixture[str]
SCENARIOS = BUNDLED.with_name("account-login.tests.yaml")
SCHEMA_FILE = ROOT / "flows" / "helpflow-scenarios.schema.json"


@pytest.fixture
def flow_dir(tmp_path: Path) -> Path:
    """A copy of the bundled flow (and its include) to add scenario files next to."""
    shutil.copytree(BUNDLED.parent, tmp_path / "flows")
    return tmp_path / "flows"


def _write(flow_dir: Path, text: str) -> Path:
    path = flow_dir / "account-login.tests.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_bundled_scenarios_pass_with_coverage(capsys: Capture) -> None:
    code = main(["test", str(BUNDLED)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "14 of 14 scenarios passed" in out
    assert "scenario coverage: 18/18 nodes (100%), 21/26 choices (81%); 89% overall" in out


def test_failures_name_the_scenario_and_its_line(capsys: Capture, flow_dir: Path) -> None:
    path = _write(
        flow_dir,
        """\
        scenarios:
          - name: passes
            answers: [online, forgot_details]
            expect: {node: forgot_what}
          - name: wrong ending
            answers: [retail, cant_access, not_solved]
            expect: {node: contact_support, resolution: solved, shows: Nowhere Inc}
          - name: a choice that does not exist
            answers: [online, cant_acess]
        """,
    )
    code = main(["test", str(flow_dir / "account-login.yaml")])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{path}:5: scenario 'wrong ending' failed:" in out
    assert "expected to end at node 'contact_support', ended at 'contact_retailer'" in out
    assert "expected resolution 'solved' at 'contact_retailer', got resolution 'escalate'" in out
    assert "expected 'contact_retailer' to show 'Nowhere Inc'" in out
    assert f"{path}:8: scenario 'a choice that does not exist' failed:" in out
    assert "at 'problem': 'problem' has no choice 'cant_acess' (did you mean 'cant_access'?)" in out
    assert "1 of 3 scenarios passed" in out
    assert "passes' failed" not in out


def test_offers_and_dropped_are_checked(capsys: Capture, flow_dir: Path) -> None:
    _write(
        flow_dir,
        """\
        scenarios:
          - name: offers
            answers: [online, forgot_details]
            expect: {offers: [email, password]}
          - name: dropped
            answers: [retail, cant_access, not_solved]
            change: {node: problem, to: forgot_details}
            expect: {dropped: []}
        """,
    )
    assert main(["test", str(flow_dir / "account-login.yaml")]) == 1
    out = capsys.readouterr().out
    assert (
        "to offer ['email', 'password'], it offers ['email', 'password', 'google', 'apple']" in out
    )
    assert "expected the change to drop [], it dropped ['not_solved']" in out


def test_min_coverage(capsys: Capture, flow_dir: Path) -> None:
    _write(flow_dir, "scenarios:\n  - name: first question only\n")
    flow = str(flow_dir / "account-login.yaml")
    assert main(["test", flow]) == 0
    out = capsys.readouterr().out
    # One node of 18 reached, no choice taken.
    assert "scenario coverage: 1/18 nodes (6%), 0/" in out
    assert main(["test", flow, "--min-coverage", "50"]) == 1
    assert "below --min-coverage 50" in capsys.readouterr().out


def test_coverage_counts_nodes_and_choices(flow_dir: Path) -> None:
    from helpflow.loader import load

    path = _write(flow_dir, "scenarios:\n  - {name: a, answers: [online, forgot_details]}\n")
    flow = load(flow_dir / "account-login.yaml")
    results = [scenarios.run_scenario(flow, s) for s in scenarios.load(path).scenarios]
    cover = scenarios.coverage(flow, results)
    assert (cover.nodes, cover.choices) == (3, 2)
    assert cover.nodes_total == len(flow.flow.nodes)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            "scenarios:\n  - name: x\n    anwsers: [a]\n",
            ":3:5: error: scenarios[0].anwsers: unknown key",
        ),
        (
            "scenarios:\n  - &a {name: x}\n  - *a\n",
            ":2:5: error: YAML anchors and aliases are not allowed",
        ),
        (
            "scenarios:\n  - name: yes\n",
            ":2:11: error: scenarios[0].name: Input should be a valid string",
        ),
        (
            "scenarios:\n  - name: x\n    expect: {resolution: fixed}\n",
            ":3:26: error: scenarios[0].expect.resolution: Input should be 'solved', 'escalate' or 'external'",
        ),
        ("scenarios: [\n", ":2:1: error: YAML syntax"),
    ],
)
def test_bad_scenario_files_are_refused_at_file_line_col(
    capsys: Capture, flow_dir: Path, text: str, where: str
) -> None:
    path = _write(flow_dir, text)
    with pytest.raises(FlowFileError) as caught:
        scenarios.load(path)
    assert f"{path}{where}" in str(caught.value)
    assert main(["test", str(flow_dir / "account-login.yaml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"helpflow: error: {path}{where}")


def test_scenario_schema_is_published_and_current(capsys: Capture) -> None:
    assert json.loads(SCHEMA_FILE.read_text()) == scenarios.schema(), (
        "run: helpflow schema --of scenarios > flows/helpflow-scenarios.schema.json"
    )
    assert main(["schema", "--of", "scenarios"]) == 0
    assert json.loads(capsys.readouterr().out) == scenarios.schema()


def test_scenario_schema_accepts_the_bundled_file_and_flags_typos() -> None:
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text()))
    data = yaml.safe_load(SCENARIOS.read_text())
    validator.validate(data)
    data["scenarios"][0]["expect"]["nod"] = "x"
    data["scenarios"][1]["answers"] = ["not an id"]
    assert len(list(validator.iter_errors(data))) == 2


def test_min_coverage_without_a_scenario_file_fails(capsys: Capture, tmp_path: Path) -> None:
    flow = tmp_path / "account-login.yaml"
    shutil.copytree(BUNDLED.parent, tmp_path, dirs_exist_ok=True)
    (tmp_path / "account-login.tests.yaml").unlink()
    assert main(["test", str(flow)]) == 0
    assert "scenario" not in capsys.readouterr().out
    assert main(["test", str(flow), "--min-coverage", "1"]) == 1
    assert "no scenarios to measure --min-coverage with" in capsys.readouterr().out


def test_a_scenario_file_may_name_its_flow(capsys: Capture, flow_dir: Path) -> None:
    other = flow_dir / "checks" / "login.tests.yaml"
    other.parent.mkdir()
    other.write_text(
        "flow: ../account-login.yaml\nscenarios:\n  - {name: a, answers: [online], expect: {node: problem}}\n"
    )
    loaded = scenarios.load(other)
    assert loaded.flow_path == other.parent / "../account-login.yaml"
    from helpflow.loader import load

    (result,) = [scenarios.run_scenario(load(loaded.flow_path), s) for s in loaded.scenarios]
    assert result.passed, result.report()
