from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from helpflow.schema import flow_schema

from support import BUNDLED, ROOT

SCHEMA_FILE = ROOT / "flows" / "helpflow.schema.json"


def test_flow_schema_file_is_current() -> None:
    assert json.loads(SCHEMA_FILE.read_text()) == flow_schema(), (
        "run: helpflow schema > flows/helpflow.schema.json"
    )


def test_flow_schema_is_draft7() -> None:
    schema = json.loads(SCHEMA_FILE.read_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    assert "$defs" not in json.dumps(schema)


def test_bundled_flow_validates_against_the_schema() -> None:
    data = yaml.safe_load(BUNDLED.read_text())
    jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text())).validate(data)


def test_schema_catches_what_an_editor_should_flag() -> None:
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text()))
    data = yaml.safe_load(BUNDLED.read_text())
    data["nodes"]["problem"]["promt"] = "typo"
    data["nodes"]["solved_typo"] = {"kind": "outcome", "resolution": "fixed", "title": "x"}
    assert len(list(validator.iter_errors(data))) >= 2


def test_bundled_flow_declares_the_schema_modeline() -> None:
    first = Path(BUNDLED).read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=helpflow.schema.json"
