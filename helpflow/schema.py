"""The flow format's JSON Schema, generated from the models.

Emitted Draft-7 compatible (`definitions`, `#/definitions/...` refs), which is what
yaml-language-server and most editors understand, so flows that carry the modeline
`# yaml-language-server: $schema=helpflow.schema.json` get completion and checks.
"""

from __future__ import annotations

import json
from typing import Any

from helpflow.model import Flow

SCHEMA_ID = "https://helpflow.dev/schema/flow/1.json"


def flow_schema() -> dict[str, Any]:
    schema = Flow.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    # Draft 7 has no `discriminator`; a validator that knows it gains nothing we need.
    text = json.dumps({**schema, "definitions": definitions}).replace(
        '"discriminator":', '"x-discriminator":'
    )
    body: dict[str, Any] = json.loads(text)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "helpflow flow",
        "description": "A guided troubleshooting flow (helpflow format version 1).",
        **{k: v for k, v in body.items() if k not in ("title", "description")},
    }
