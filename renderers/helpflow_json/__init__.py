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

import orjson

from helpflow.errors import RendererError
from helpflow.renderer import Renderer
from helpflow.step import Step

SCHEMA_ID = "https://helpflow.dev/schema/step/1.json"
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


def _step_fields() -> tuple[str, ...]:
    names = _FIELDS.get(Step)
    if names is None:
        names = _FIELDS[Step] = tuple(f.name for f in dataclasses.fields(Step))
    return names


def step_to_dict(step: Step) -> dict[str, Any]:
    """The payload: `schema`, the Step's fields, then `token` and `finished`."""
    data: dict[str, Any] = {"schema": PAYLOAD_TAG}
    for name in _step_fields():
        data[name] = _plain(getattr(step, name))
    data["token"] = step.token
    data["finished"] = step.finished
    return data


class JsonRenderer(Renderer):
    name: ClassVar[str] = "json"

    def __init__(self, *, indent: int | None = 2) -> None:
        if indent not in (None, 2):
            raise RendererError("the json renderer writes compact JSON or an indent of 2")
        self._option = orjson.OPT_INDENT_2 if indent == 2 else 0
        # A node's content, its choices, each answer (one object per node and choice) and the
        # flow's info are the same objects on every step, cached by the engine: their plain
        # form is kept, keyed by identity. The objects are held too, so an id is never reused
        # while its entry lives.
        self._memo: dict[int, Any] = {}
        self._held: list[object] = []

    def render(self, step: Step) -> str:
        # orjson is ~15x json.dumps on plain dicts (but slow on dataclasses: hence the memo).
        return orjson.dumps(self._payload(step), option=self._option).decode()

    def _payload(self, step: Step) -> dict[str, Any]:
        """`step_to_dict(step)`, built from the kept plain forms of the parts steps share."""
        get, shared = self._memo.get, self._shared
        data: dict[str, Any] = {"schema": PAYLOAD_TAG}
        for name in _step_fields():
            value = getattr(step, name)
            kind = type(value)
            if kind in _LEAVES:
                data[name] = value
            elif kind is tuple:
                data[name] = [get(id(item)) or shared(item) for item in value]
            else:
                data[name] = get(id(value)) or shared(value)
        data["token"] = step.token
        data["finished"] = step.finished
        return data

    def _shared(self, value: object) -> Any:
        plain = _plain(value)
        if type(value) in _LEAVES:
            return plain
        if len(self._held) > 65536:  # many flows or var sets: start again rather than grow
            self._memo.clear()
            self._held.clear()
        self._memo[id(value)] = plain
        self._held.append(value)
        return plain

    def schema(self) -> dict[str, Any]:
        """The JSON Schema every rendered step is valid against, generated from the Step
        (`step.schema.json` is its published copy)."""
        return generate_schema()


def generate_schema() -> dict[str, Any]:
    """The Step payload schema, generated from the `Step` dataclass."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(Step).json_schema(mode="serialization")
    defs = schema.get("$defs", {})
    for definition in (schema, *defs.values()):
        if definition.get("type") == "object":
            definition["additionalProperties"] = False
    # `token` and `finished` are properties of the Step (made on demand), not fields.
    schema["properties"] = {
        "schema": {"const": PAYLOAD_TAG},
        **schema["properties"],
        "token": {"title": "Token", "type": "string"},
        "finished": {"type": "boolean"},
    }
    schema["required"] = ["schema", *schema.get("required", []), "token", "finished"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "helpflow step",
        "description": "One screen of a helpflow wizard, as sent to a UI.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


@cache
def published_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


__all__ = ["SCHEMA_PATH", "JsonRenderer", "generate_schema", "published_schema", "step_to_dict"]
