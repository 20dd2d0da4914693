"""The support loop's part of the OpenAPI document: the hand-off packet always; events and
feedback when the server records events. Added to the document the API module builds."""

from __future__ import annotations

from typing import Any

from helpflow.events.incoming import EventsIn
from helpflow.server.api import PREFIX
from helpflow.server.events_api import FeedbackBody

_REF = "#/components/schemas/"
_FLOW_ID = {
    "name": "flow_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]*$"},
}


def _json(schema: dict[str, Any], description: str = "ok") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(s): _json({"$ref": _REF + "Error"}, "error") for s in statuses}


def _post(summary: str, body: dict[str, Any], *, flow: bool, statuses: tuple[int, ...]) -> Any:
    accepted = {
        "type": "object",
        "required": ["recorded"],
        "properties": {"recorded": {"type": "integer", "minimum": 0}},
    }
    return {
        "post": {
            "summary": summary,
            "parameters": [_FLOW_ID] if flow else [],
            "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
            "responses": {"202": _json(accepted), **_errors(*statuses)},
        }
    }


def add_support_paths(document: dict[str, Any], *, events: bool) -> None:
    schemas, paths = document["components"]["schemas"], document["paths"]
    packet = {
        "type": "object",
        "required": ["flow", "node_id", "title", "outcome", "handoff"],
        "properties": {
            "flow": {
                "type": "object",
                "required": ["id", "title", "version"],
                "properties": {k: {"type": "string"} for k in ("id", "title", "version")},
            },
            "node_id": {"type": "string"},
            "title": {"type": "string"},
            "outcome": {"const": "escalate"},
            "handoff": {"$ref": _REF + "Handoff"},
        },
    }
    token = {
        "name": "token",
        "in": "query",
        "description": "the session token (one of token and reference is required)",
        "schema": {"type": "string"},
    }
    reference = {
        "name": "reference",
        "in": "query",
        "description": "the short hand-off reference (servers that store events)",
        "schema": {"type": "string"},
    }
    paths[f"{PREFIX}/flows/{{flow_id}}/handoff"] = {
        "get": {
            "summary": "The hand-off packet of a session that reached an escalation",
            "parameters": [_FLOW_ID, token, reference],
            "responses": {"200": _json(packet), **_errors(400, 403, 404, 409)},
        }
    }
    if not events:
        return
    for model in (EventsIn, FeedbackBody):
        schema = model.model_json_schema(ref_template=_REF + "{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    paths[f"{PREFIX}/events"] = _post(
        "Record events (widget, static site, other UIs)",
        {"$ref": _REF + "EventsIn"},
        flow=False,
        statuses=(400, 404, 413, 415, 422, 429),
    )
    paths[f"{PREFIX}/flows/{{flow_id}}/feedback"] = _post(
        "Was this helpful? for the step of a token",
        {"$ref": _REF + "FeedbackBody"},
        flow=True,
        statuses=(400, 403, 404, 409, 413, 415),
    )
