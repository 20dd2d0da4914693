from __future__ import annotations

import json
from collections.abc import Mapping
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


FRAGMENT_FILE = ROOT / "flows" / "helpflow-fragment.schema.json"


def test_fragment_schema_file_is_current_and_accepts_the_shared_contacts() -> None:
    from helpflow.schema import fragment_schema

    schema = json.loads(FRAGMENT_FILE.read_text())
    assert schema == fragment_schema(), (
        "run: helpflow schema --of fragment > flows/helpflow-fragment.schema.json"
    )
    jsonschema.Draft7Validator.check_schema(schema)
    shared = yaml.safe_load((ROOT / "flows" / "shared" / "contacts.yaml").read_text())
    jsonschema.Draft7Validator(schema).validate(shared)
    # ...which the flow schema refuses: a fragment has no id, title or start.
    flow_errors = jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text())).iter_errors(
        shared
    )
    assert {e.message for e in flow_errors} >= {"'id' is a required property"}
    shared["title"] = "not in a fragment"
    assert [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(shared)] == [
        "Additional properties are not allowed ('title' was unexpected)"
    ]


def _node_errors(node: Mapping[str, object]) -> list[str]:
    data = yaml.safe_load(BUNDLED.read_text())
    data["nodes"]["problem"] = node
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text()))
    return sorted(e.message for e in validator.iter_errors(data))


def test_node_errors_name_the_mistake_for_the_nodes_kind() -> None:
    question = {
        "kind": "question",
        "promt": "x",
        "choices": [{"id": "a", "label": "A", "to": "solved"}],
    }
    assert _node_errors(question) == [
        "'prompt' is a required property",
        "Additional properties are not allowed ('promt' was unexpected)",
    ]
    fix = {"kind": "fix", "title": "T", "steps": "one step", "next": "solved"}
    assert _node_errors(fix) == ["'one step' is not of type 'array'"]
    outcome = {"kind": "outcome", "resolution": "fixed", "title": "T"}
    assert _node_errors(outcome) == [
        "'fixed' is not one of ['solved', 'escalate', 'external', 'info']"
    ]
    assert _node_errors({"kind": "questoin", "prompt": "x"}) == [
        "'questoin' is not one of ['fix', 'outcome', 'question']"
    ]
