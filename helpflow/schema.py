"""The flow format's JSON Schemas, generated from the models.

Emitted Draft-7 compatible (`definitions`, `#/definitions/...` refs), which is what
yaml-language-server and most editors understand, so flows that carry the modeline
`# yaml-language-server: $schema=helpflow.schema.json` get completion and checks.

Tagged unions (a node's `kind`) become `if kind is X then <X's schema>` rules instead of a
`oneOf`: with `oneOf`, one typo inside a node fails every branch and editors report only "not
valid under any of the given schemas"; with `if`/`then` they report the real mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from helpflow.model import Flow, FlowFragment

SCHEMA_ID = "https://helpflow.dev/schema/flow/1.json"
FRAGMENT_SCHEMA_ID = "https://helpflow.dev/schema/fragment/1.json"


def _by_tag(value: dict[str, Any]) -> dict[str, Any]:
    """A pydantic `oneOf` + `discriminator` → `if`/`then` per tag value."""
    tag = value["discriminator"]["propertyName"]
    mapping: dict[str, str] = value["discriminator"]["mapping"]
    return {
        "type": "object",
        "required": [tag],
        "properties": {tag: {"enum": sorted(mapping)}},
        "allOf": [
            {
                "if": {"properties": {tag: {"const": name}}, "required": [tag]},
                "then": {"$ref": ref},
            }
            for name, ref in sorted(mapping.items())
        ],
    }


def _rewrite(value: Any) -> Any:
    if isinstance(value, dict):
        if "discriminator" in value and "oneOf" in value:
            return _by_tag(value)
        return {key: _rewrite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rewrite(item) for item in value]
    return value


def _draft7(model: type[BaseModel], schema_id: str, title: str, about: str) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    body: dict[str, Any] = _rewrite({**schema, "definitions": definitions})
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": schema_id,
        "title": title,
        "description": about,
        **{k: v for k, v in body.items() if k not in ("title", "description")},
    }


def flow_schema() -> dict[str, Any]:
    return _draft7(
        Flow,
        SCHEMA_ID,
        "helpflow flow",
        "A guided troubleshooting flow (helpflow format version 1).",
    )


def fragment_schema() -> dict[str, Any]:
    """For files pulled in by `include`: only `nodes`, `vars` and further includes."""
    return _draft7(
        FlowFragment,
        FRAGMENT_SCHEMA_ID,
        "helpflow include fragment",
        "Shared nodes and vars that flows pull in with `include` (helpflow format version 1).",
    )


def _scenarios_schema() -> dict[str, Any]:
    from helpflow.scenarios import schema

    return schema()


#: `helpflow schema --of NAME`, and the files published in flows/.
SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "flow": flow_schema,
    "fragment": fragment_schema,
    "scenarios": _scenarios_schema,
}
PUBLISHED = {
    "flow": "helpflow.schema.json",
    "fragment": "helpflow-fragment.schema.json",
    "scenarios": "helpflow-scenarios.schema.json",
}
