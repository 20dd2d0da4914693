"""The OpenAPI 3.1 document of `/api/v1`, generated from a table of the routes and the pydantic
models that validate their requests and shape their responses (plus the Step schema the json
renderer publishes), so it cannot describe a different API than the one running."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal

from pydantic import BaseModel

from helpflow import __version__
from helpflow.model import ID_PATTERN
from helpflow.server.api import (
    PREFIX,
    STEP_PART,
    ChangeBody,
    ChooseBody,
    ErrorBody,
    FlowDescription,
    FlowList,
    Health,
    StartBody,
    StepResponse,
    TokenBody,
)

_REF = "#/components/schemas/"


@dataclass(frozen=True)
class Operation:
    """One route as the document describes it. `{flow_id}` in the path is the flow's id."""

    method: Literal["get", "post"]
    path: str  # below PREFIX
    summary: str
    responses: Mapping[int, type[BaseModel]]  # the success statuses and their bodies
    errors: tuple[int, ...] = ()  # statuses answered with the error body
    body: type[BaseModel] | None = None  # the JSON request body, required when given
    query: tuple[str, ...] = ()  # required string query parameters


# Every session endpoint reads a JSON body and resumes a token (or starts one).
_SESSION_ERRORS = (400, 403, 404, 409, 413, 415, 422)

# A table: one route per entry, its fields in a row.
# fmt: off
API_ROUTES = (
    Operation("get", "/health", "Liveness", {200: Health}),
    Operation("get", "/flows", "The flows served", {200: FlowList}),
    Operation("get", "/flows/{flow_id}", "Describe a flow", {200: FlowDescription}, (400, 404)),
    Operation("post", "/flows/{flow_id}/sessions", "Start a session", {201: StepResponse},
              _SESSION_ERRORS, StartBody),
    Operation("get", "/flows/{flow_id}/step", "The current step of a token", {200: StepResponse},
              (400, 403, 404), query=("token",)),
    Operation("post", "/flows/{flow_id}/choose", "Choose", {200: StepResponse},
              _SESSION_ERRORS, ChooseBody),
    Operation("post", "/flows/{flow_id}/back", "Go back one answer", {200: StepResponse},
              _SESSION_ERRORS, TokenBody),
    Operation("post", "/flows/{flow_id}/restart", "Start again", {200: StepResponse},
              _SESSION_ERRORS, TokenBody),
    Operation("post", "/flows/{flow_id}/change", "Change an earlier answer", {200: StepResponse},
              _SESSION_ERRORS, ChangeBody),
)
# fmt: on


#: Every flow endpoint answers in the language `?lang=` names (one the flow is not served in is
#: a 400 `unknown_language`), else the best fit for Accept-Language, else the flow's source
#: language; Content-Language says which. Tokens are the same in every language.
_LANGUAGE_PARAMETERS: tuple[dict[str, Any], ...] = (
    {
        "name": "lang",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "maxLength": 35},
        "description": "Language of the text (overrides Accept-Language).",
    },
    {"name": "Accept-Language", "in": "header", "required": False, "schema": {"type": "string"}},
)


def openapi_document(step_schema: dict[str, Any]) -> dict[str, Any]:
    """The document of the core API; `step_schema` is the json renderer's Step schema."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "helpflow",
            "version": __version__,
            "description": "Guided troubleshooting flows as JSON steps. Stateless: "
            "the session travels in the token.",
        },
        "paths": {},
        "components": {"schemas": {}},
    }
    schemas = document["components"]["schemas"]
    schemas["Step"] = _lift(step_schema, schemas)
    add_operations(document, API_ROUTES, languages=True)
    return document


def add_operations(
    document: dict[str, Any], operations: Iterable[Operation], *, languages: bool = False
) -> None:
    """Describe `operations` in `document`, with the schemas of their models as components
    (`languages`: their flow endpoints negotiate the language, see `_LANGUAGE_PARAMETERS`)."""
    schemas, paths = document["components"]["schemas"], document["paths"]
    for operation in operations:
        paths.setdefault(PREFIX + operation.path, {})[operation.method] = _describe(
            operation, schemas, languages
        )


def _describe(
    operation: Operation, schemas: dict[str, Any], languages: bool = False
) -> dict[str, Any]:
    parameters = [
        {"name": name, "in": "query", "required": True, "schema": {"type": "string"}}
        for name in operation.query
    ]
    if "{flow_id}" in operation.path:
        flow_id = {"type": "string", "pattern": ID_PATTERN}
        parameters.insert(0, {"name": "flow_id", "in": "path", "required": True, "schema": flow_id})
        if languages:
            parameters.extend(_LANGUAGE_PARAMETERS)
    responses = {
        **{str(s): _json(s, _component(m, schemas)) for s, m in operation.responses.items()},
        **{str(s): _json(s, _component(ErrorBody, schemas)) for s in operation.errors},
    }
    described: dict[str, Any] = {"summary": operation.summary}
    if parameters:
        described["parameters"] = parameters
    if operation.body is not None:
        body = _component(operation.body, schemas, mode="validation")
        described["requestBody"] = {"required": True, "content": {"application/json": body}}
    described["responses"] = responses
    return described


def _json(status: int, content: dict[str, Any]) -> dict[str, Any]:
    return {"description": HTTPStatus(status).phrase, "content": {"application/json": content}}


def _component(
    model: type[BaseModel],
    schemas: dict[str, Any],
    mode: Literal["validation", "serialization"] = "serialization",
) -> dict[str, Any]:
    """Put the schema of `model` (and of the models it uses) into the components; the media
    type object that refers to it. Requests are described as validated, responses as sent;
    parts of the Step (see `step_part`) refer to the Step schema's components."""
    name = model.model_config.get("title") or model.__name__
    generated = model.model_json_schema(ref_template=_REF + "{model}", mode=mode)
    text = json.dumps(generated).replace(f'"{STEP_PART}": "', f'"$ref": "{_REF}')
    schema: dict[str, Any] = json.loads(text)
    schemas.update(schema.pop("$defs", {}))
    schemas[name] = schema
    return {"schema": {"$ref": _REF + name}}


def _lift(schema: dict[str, Any], into: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema as a component: its `$defs` moved beside it into `into`, refs following
    them (OpenAPI keeps every schema in one place), the meta keys a component cannot carry
    dropped."""
    kept = {key: value for key, value in schema.items() if key not in ("$schema", "$id")}
    lifted: dict[str, Any] = json.loads(json.dumps(kept).replace('"#/$defs/', f'"{_REF}'))
    into.update(lifted.pop("$defs", {}))
    return lifted
