"""Every step of every path of the bundled flow and the two content examples, as JSON: valid
against the published schema; on a few paths per flow that together give every answer and
reach every end, identical to the reviewed golden files `goldens/FLOW/ANSWERS.json`
(`pytest --update-goldens` rewrites them)."""

from __future__ import annotations

import json

import jsonschema
import pytest

import helpflow
from helpflow.engine import CompiledFlow
from helpflow.paths import FlowPath, iter_steps
from helpflow_json import SCHEMA_PATH, JsonRenderer, generate_schema, published_schema

from golden_files import Golden
from support import BUNDLED, ROOT, covering_paths

FLOW = helpflow.load(BUNDLED)
PATHS = FLOW.paths()
EXAMPLES = ROOT / "examples" / "content"
FLOWS: dict[str, CompiledFlow] = {
    "account-login": FLOW,
    "printer-error-light": helpflow.load(EXAMPLES / "printer-error-light.yaml", strict=True),
    "software-update-failing": helpflow.load(
        EXAMPLES / "software-update-failing.yaml", strict=True
    ),
}


def path_name(path: FlowPath) -> str:
    return ".".join(a.choice for a in path.answers)


def every_path() -> list[tuple[str, FlowPath]]:
    return [(name, path) for name, flow in FLOWS.items() for path in flow.paths()]


def golden_paths() -> list[tuple[str, FlowPath]]:
    return [(name, path) for name, flow in FLOWS.items() for path in covering_paths(flow)]


def item_id(item: tuple[str, FlowPath]) -> str:
    return f"{item[0]}:{path_name(item[1])}"


def test_published_step_schema_is_current() -> None:
    assert json.loads(SCHEMA_PATH.read_text()) == generate_schema(), (
        "run: helpflow schema --of step > renderers/helpflow_json/step.schema.json"
    )


def test_step_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(published_schema())


def steps_of(flow: CompiledFlow, path: FlowPath) -> list[dict[str, object]]:
    renderer = JsonRenderer()
    return [json.loads(renderer.render(step)) for step in iter_steps(flow, path)]


@pytest.mark.parametrize("item", every_path(), ids=item_id)
def test_every_step_matches_the_schema(item: tuple[str, FlowPath]) -> None:
    name, path = item
    validator = jsonschema.Draft202012Validator(published_schema())
    steps = steps_of(FLOWS[name], path)
    for step in steps:
        errors = sorted(validator.iter_errors(step), key=str)
        assert not errors, errors[0]
    assert steps[-1]["finished"]
    assert steps[-1]["node_id"] == path.end


@pytest.mark.parametrize("item", golden_paths(), ids=item_id)
def test_steps_match_the_golden_files(item: tuple[str, FlowPath], golden: Golden) -> None:
    name, path = item
    text = json.dumps(steps_of(FLOWS[name], path), indent=2, ensure_ascii=False) + "\n"
    golden(f"goldens/{name}/{path_name(path)}.json", text)


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
