"""Every step of every path of the bundled flow, as JSON: valid against the published schema
and identical to the reviewed golden files (`pytest --update-goldens` rewrites them)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import helpflow
from helpflow.paths import FlowPath, iter_steps
from helpflow_json import SCHEMA_PATH, JsonRenderer, generate_schema, published_schema

from support import BUNDLED

GOLDENS = Path(__file__).parent / "goldens" / "account-login"
FLOW = helpflow.load(BUNDLED)
PATHS = FLOW.paths()


def path_name(path: FlowPath) -> str:
    return ".".join(a.choice for a in path.answers)


def test_published_step_schema_is_current() -> None:
    assert json.loads(SCHEMA_PATH.read_text()) == generate_schema(), (
        "run: helpflow schema --of step > renderers/helpflow_json/step.schema.json"
    )


def test_step_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(published_schema())


@pytest.mark.parametrize("path", PATHS, ids=path_name)
def test_every_step_matches_schema_and_golden(path: FlowPath, update_goldens: bool) -> None:
    validator = jsonschema.Draft202012Validator(published_schema())
    renderer = JsonRenderer()
    steps = [json.loads(renderer.render(step)) for step in iter_steps(FLOW, path)]
    for step in steps:
        errors = sorted(validator.iter_errors(step), key=str)
        assert not errors, errors[0]
    assert steps[-1]["finished"]
    assert steps[-1]["node_id"] == path.end
    golden = GOLDENS / f"{path_name(path)}.json"
    text = json.dumps(steps, indent=2, ensure_ascii=False) + "\n"
    if update_goldens:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden for {golden.name}; run pytest --update-goldens"
    assert text == golden.read_text(encoding="utf-8")


def test_no_stale_goldens() -> None:
    expected = {f"{path_name(p)}.json" for p in PATHS}
    assert {p.name for p in GOLDENS.glob("*.json")} == expected


def test_schema_rejects_a_step_that_breaks_it() -> None:
    step = json.loads(JsonRenderer().render(FLOW.step(FLOW.start())))
    step["choices"][0].pop("label")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(step, published_schema())


def test_compact_rendering_matches_plain_json_dumps() -> None:
    from helpflow_json import step_to_dict

    compact = JsonRenderer(indent=None)
    for path in PATHS[:20]:
        for step in iter_steps(FLOW, path):
            expected = json.dumps(step_to_dict(step), ensure_ascii=False, separators=(",", ":"))
            assert compact.render(step) == expected
            assert compact.render(step) == expected  # again, from the memo
