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
#: Compact output: no spaces after separators.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
SCHEMA_PATH = Path(__file__).with_name("step.schema.json")
PAYLOAD_TAG = "helpflow.step/1"


_FIELDS: dict[type, tuple[str, ...]] = {}
_LEAVES = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    # dataclasses.asdict deep-copies every leaf; the Step is immutable, so plain references
    # are enough (and several times faster). Field names are looked up once per type.
    if type(value) in _LEAVES:
        return value
    names = _FIELDS.get(type(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        _FIELDS[type(value)] = tuple(f.name for f in dataclasses.fields(value))
        return _plain(value)
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
        # Compact output is what servers send on every request. A node's content (and the
        # flow's intro) are the same objects on every step, cached by the engine, so their
        # JSON is kept too, keyed by identity (the object is held, so its id stays unique).
        self._memo: dict[int, tuple[object, str]] = {}

    def render(self, step: Step) -> str:
        if self.indent is not None:
            return json.dumps(step_to_dict(step), indent=self.indent, ensure_ascii=False)
        dumps = _COMPACT.encode
        memo = self._json
        return (
            f'{{"schema":{dumps(PAYLOAD_TAG)},"flow":{memo(step.flow)},'
            f'"node_id":{dumps(step.node_id)},"kind":{dumps(step.kind)},'
            f'"title":{dumps(step.title)},"body":{memo(step.body)},"steps":{memo(step.steps)},'
            f'"links":{memo(step.links)},"contacts":{memo(step.contacts)},'
            f'"choices":{dumps(_plain(step.choices))},"answers":{dumps(_plain(step.answers))},'
            f'"can_go_back":{dumps(step.can_go_back)},"outcome":{dumps(step.outcome)},'
            f'"token":{dumps(step.token)},"handoff":{dumps(_plain(step.handoff))},'
            f'"finished":{dumps(step.finished)}}}'
        )

    def _json(self, value: object) -> str:
        hit = self._memo.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        text = _COMPACT.encode(_plain(value))
        if len(self._memo) > 8192:
            self._memo.clear()
        self._memo[id(value)] = (value, text)
        return text

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
