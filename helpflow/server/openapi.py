"""The OpenAPI 3.1 document of `/api/v1`, built from the same request models and the Step
schema the server uses, so it cannot describe a different API than the one running."""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel

from helpflow import __version__
from helpflow.server.api import PREFIX, ChangeBody, ChooseBody, StartBody, TokenBody
from helpflow.server.errors import ERROR_CODES

_REF = "#/components/schemas/"


_LANGUAGES: dict[str, Any] = {
    "type": "array",
    "items": {"type": "string"},
    "description": "The languages the flow is served in, its source language first.",
}

#: Every flow endpoint answers in the language `?lang=` names (an unknown one is a 400
#: `unknown_language`), else the best fit for Accept-Language, else the flow's source language;
#: the response says which in Content-Language. Tokens are the same in every language.
_LANGUAGE_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "lang",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "maxLength": 35},
        "description": "Language of the text (overrides Accept-Language).",
    },
    {
        "name": "Accept-Language",
        "in": "header",
        "required": False,
        "schema": {"type": "string"},
    },
]


def _model(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(ref_template=_REF + "{model}")


def _lift(schema: dict[str, Any], into: dict[str, Any]) -> dict[str, Any]:
    """Move `$defs` into components and point refs there (OpenAPI keeps them in one place)."""
    schema = copy.deepcopy(schema)
    for name, definition in schema.pop("$defs", {}).items():
        into[name] = definition
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    text = json.dumps(schema).replace('"#/$defs/', f'"{_REF}')
    lifted: dict[str, Any] = json.loads(text)
    for name in list(into):
        into[name] = json.loads(json.dumps(into[name]).replace('"#/$defs/', f'"{_REF}'))
    return lifted


def openapi_document(step_schema: dict[str, Any], flow_ids: list[str]) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    schemas["Step"] = _lift(step_schema, schemas)
    for model in (StartBody, TokenBody, ChooseBody, ChangeBody):
        schemas[model.__name__] = _lift(_model(model), schemas)
    schemas["StepResponse"] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["step", "token", "replayed", "dropped"],
        "properties": {
            "step": {"$ref": _REF + "Step"},
            "token": {"type": "string"},
            "replayed": {
                "anyOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["from_older_version", "diverged_at", "dropped"],
                        "properties": {
                            "from_older_version": {"type": "boolean"},
                            "diverged_at": {"type": ["string", "null"]},
                            "dropped": {"type": "integer", "minimum": 0},
                        },
                    },
                ]
            },
            "dropped": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["node", "choice"],
                    "properties": {"node": {"type": "string"}, "choice": {"type": "string"}},
                },
            },
        },
    }
    schemas["Error"] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "enum": list(ERROR_CODES)},
                    "message": {"type": "string"},
                },
            }
        },
    }
    schemas["FlowList"] = {
        "type": "object",
        "required": ["flows"],
        "properties": {
            "flows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "title", "version", "languages"],
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "version": {"type": "string"},
                        "languages": _LANGUAGES,
                    },
                },
            }
        },
    }
    schemas["FlowDescription"] = {
        "type": "object",
        "required": [
            "id",
            "title",
            "version",
            "lang",
            "languages",
            "intro",
            "applies_to",
            "start",
            "nodes",
            "vars",
        ],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "version": {"type": "string"},
            "lang": {"type": "string", "description": "The language of this description."},
            "languages": _LANGUAGES,
            "intro": {"$ref": _REF + "Prose"},
            "applies_to": {"type": "array", "items": {"type": "string"}},
            "start": {"type": "string"},
            "nodes": {"type": "integer"},
            "vars": {"type": "object", "additionalProperties": {"type": "object"}},
        },
    }

    def errors(*statuses: int) -> dict[str, Any]:
        return {
            str(status): {
                "description": "error",
                "content": {"application/json": {"schema": {"$ref": _REF + "Error"}}},
            }
            for status in statuses
        }

    def ok(schema: str, status: int = 200) -> dict[str, Any]:
        return {
            str(status): {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": _REF + schema}}},
            }
        }

    flow_id = {
        "name": "flow_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]*$"},
    }

    def post(summary: str, body: str, status: int = 200) -> dict[str, Any]:
        return {
            "post": {
                "summary": summary,
                "parameters": [flow_id, *_LANGUAGE_PARAMETERS],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": _REF + body}}},
                },
                "responses": {
                    **ok("StepResponse", status),
                    **errors(400, 403, 404, 409, 413, 415, 422),
                },
            }
        }

    paths = {
        f"{PREFIX}/health": {
            "get": {
                "summary": "Liveness",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["status"],
                                    "properties": {"status": {"const": "ok"}},
                                }
                            }
                        },
                    }
                },
            }
        },
        f"{PREFIX}/flows": {"get": {"summary": "The flows served", "responses": ok("FlowList")}},
        f"{PREFIX}/flows/{{flow_id}}": {
            "get": {
                "summary": "Describe a flow",
                "parameters": [flow_id, *_LANGUAGE_PARAMETERS],
                "responses": {**ok("FlowDescription"), **errors(400, 404)},
            }
        },
        f"{PREFIX}/flows/{{flow_id}}/sessions": post("Start a session", "StartBody", 201),
        f"{PREFIX}/flows/{{flow_id}}/step": {
            "get": {
                "summary": "The current step of a token",
                "parameters": [
                    flow_id,
                    *_LANGUAGE_PARAMETERS,
                    {
                        "name": "token",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {**ok("StepResponse"), **errors(400, 403, 404)},
            }
        },
        f"{PREFIX}/flows/{{flow_id}}/choose": post("Choose", "ChooseBody"),
        f"{PREFIX}/flows/{{flow_id}}/back": post("Go back one answer", "TokenBody"),
        f"{PREFIX}/flows/{{flow_id}}/restart": post("Start again", "TokenBody"),
        f"{PREFIX}/flows/{{flow_id}}/change": post("Change an earlier answer", "ChangeBody"),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "helpflow",
            "version": __version__,
            "description": "Guided troubleshooting flows as JSON steps. Stateless: "
            "the session travels in the token.",
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }
