"""Steps as JSON, for any UI that is not HTML or a terminal: chat bots, apps, agent consoles.

The payload follows a published JSON Schema (`step.schema.json` beside this file, also
`helpflow schema --of step`), generated from `helpflow.step.Step` so the two cannot drift.
"""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from helpflow.renderers import BaseRenderer
from helpflow.step import Step

SCHEMA_ID = "https://helpflow.dev/schema/step/1.json"
SCHEMA_PATH = Path(__file__).with_name("step.schema.json")
PAYLOAD_TAG = "helpflow.step/1"


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    # dataclasses.asdict deep-copies every leaf; the Step is immutable, so plain references
    # are enough (and several times faster).
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


def step_to_dict(step: Step) -> dict[str, Any]:
    data: dict[str, Any] = _plain(step)
    data["finished"] = step.finished
    return {"schema": PAYLOAD_TAG, **data}


class JsonRenderer(BaseRenderer):
    name: ClassVar[str] = "json"
    media_type: ClassVar[str] = "application/json"

    def __init__(self, *, indent: int | None = 2) -> None:
        self.indent = indent

    def render(self, step: Step) -> str:
        return json.dumps(step_to_dict(step), indent=self.indent, ensure_ascii=False)

    def schema(self) -> dict[str, Any]:
        """The published JSON Schema every rendered step is valid against."""
        return published_schema()


def generate_schema() -> dict[str, Any]:
    """The Step payload schema, generated from the `Step` dataclass."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(Step).json_schema(mode="serialization")
    defs = schema.get("$defs", {})
    for definition in (schema, *defs.values()):
        if definition.get("type") == "object":
            definition["additionalProperties"] = False
    schema["properties"] = {
        "schema": {"const": PAYLOAD_TAG},
        **schema["properties"],
        "finished": {"type": "boolean"},
    }
    schema["required"] = ["schema", *schema.get("required", []), "finished"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "helpflow step",
        "description": "One screen of a helpflow wizard, as sent to a UI.",
        **{k: v for k, v in schema.items() if k != "title"},
    }


@cache
def published_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


__all__ = ["SCHEMA_PATH", "JsonRenderer", "generate_schema", "published_schema", "step_to_dict"]
