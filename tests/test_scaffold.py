"""`helpflow new`: a flow that passes `validate --strict` and its passing scenario file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from helpflow.cli import main

from support import ROOT

Capture = pytest.CaptureFixture[str]


def test_new_writes_a_strict_valid_flow_and_a_passing_scenario(
    capsys: Capture, tmp_path: Path
) -> None:
    assert main(["new", "printer-jam", "--dir", str(tmp_path)]) == 0
    flow = tmp_path / "printer-jam.yaml"
    tests = tmp_path / "printer-jam.tests.yaml"
    assert capsys.readouterr().out == f"wrote {flow}\nwrote {tests}\n"
    text = flow.read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=helpflow.schema.json"
    data = yaml.safe_load(text)
    assert data["id"] == "printer-jam"
    kinds = {node["kind"] for node in data["nodes"].values()}
    resolutions = {n.get("resolution") for n in data["nodes"].values()} - {None}
    assert kinds == {"question", "fix", "outcome"}
    assert resolutions == {"solved", "escalate"}
    assert main(["validate", "--strict", str(flow)]) == 0
    assert "0 errors, 0 warnings, 0 todos" in capsys.readouterr().err
    assert main(["test", str(flow)]) == 0
    assert "1 of 1 scenarios passed" in capsys.readouterr().out
    schema = json.loads((ROOT / "flows" / "helpflow.schema.json").read_text())
    jsonschema.Draft7Validator(schema).validate(data)


def test_new_refuses_to_overwrite(capsys: Capture, tmp_path: Path) -> None:
    tests = tmp_path / "wifi.tests.yaml"
    tests.write_text("mine\n")
    assert main(["new", "wifi", "--dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"helpflow: error: {tests} already exists; not overwriting it\n"
    )
    assert tests.read_text() == "mine\n"
    assert not (tmp_path / "wifi.yaml").exists()


def test_new_refuses_a_bad_id(capsys: Capture, tmp_path: Path) -> None:
    assert main(["new", "my flow", "--dir", str(tmp_path)]) == 1
    assert "'my flow' is not a valid flow id" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_schema_dir_goes_into_the_modelines(tmp_path: Path) -> None:
    assert main(["new", "x", "--dir", str(tmp_path), "--schema-dir", "../schemas/"]) == 0
    first = (tmp_path / "x.tests.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/helpflow-scenarios.schema.json"
