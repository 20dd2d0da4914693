"""The served OpenAPI document: valid OpenAPI 3.1, every schema valid and every reference
resolved, exactly the routes the server answers, and real responses that fit it.
(`test_openapi_fuzz.py` throws schemathesis at it; that one is slow.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from schemathesis.specs.openapi.definitions import OPENAPI_31  # the OAS 3.1 meta-schema
from starlette.routing import Route
from starlette.testclient import TestClient

from helpflow.server import create_app

from support import BUNDLED

API = "/api/v1"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    events = tmp_path_factory.mktemp("events") / "events.sqlite"
    app = create_app(BUNDLED, secret=b"s", events=str(events))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def document(client: TestClient) -> dict[str, Any]:
    served: dict[str, Any] = client.get(f"{API}/openapi.json").json()
    return served


def fits(document: dict[str, Any], component: str, body: Any) -> None:
    """Validate `body` against a component, its references resolved within the document."""
    schema = {**document["components"]["schemas"][component], "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(OPENAPI_31).validate(document)
    for name, schema in document["components"]["schemas"].items():
        assert "$defs" not in schema, name  # every definition lives in the components
        jsonschema.Draft202012Validator.check_schema(schema)


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    found = set(refs(document))
    assert found, "the document refers to no component at all"
    for ref in found:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.removeprefix("#/components/schemas/") in document["components"]["schemas"]


def test_documents_exactly_the_routes_served(client: TestClient, document: dict[str, Any]) -> None:
    app: Any = client.app
    served = {
        (route.path, method.lower())
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith(API) and "openapi" not in route.path
        for method in route.methods or ()
        if method != "HEAD"  # Starlette adds HEAD to every GET
    }
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert documented == served


def test_real_responses_fit_their_documented_bodies(
    client: TestClient, document: dict[str, Any]
) -> None:
    flow = f"{API}/flows/account-login"
    fits(document, "Health", client.get(f"{API}/health").json())
    fits(document, "FlowList", client.get(f"{API}/flows").json())
    fits(document, "FlowDescription", client.get(flow).json())
    body = client.post(f"{flow}/sessions", json={}).json()
    for choice in ["retail", "cant_access", "not_solved"]:
        body = client.post(f"{flow}/choose", json={"token": body["token"], "choice": choice}).json()
        fits(document, "StepResponse", body)
    changed = client.post(
        f"{flow}/change", json={"token": body["token"], "node": "purchase_channel", "choice": "isp"}
    ).json()
    fits(document, "StepResponse", changed)
    handoff = client.get(f"{flow}/handoff", params={"token": body["token"]})
    assert handoff.status_code == 200, handoff.text
    fits(document, "HandoffPacket", handoff.json())
    feedback = client.post(f"{flow}/feedback", json={"token": body["token"], "helpful": True})
    assert feedback.status_code == 202, feedback.text
    fits(document, "Recorded", feedback.json())


def test_error_bodies_fit_and_their_codes_are_listed(
    client: TestClient, document: dict[str, Any]
) -> None:
    flow = f"{API}/flows/account-login"
    start = client.post(f"{flow}/sessions", json={}).json()
    answers = [
        client.get(f"{API}/flows/nope"),
        client.post(f"{flow}/choose", json={"token": start["token"], "choice": "nope"}),
        client.post(f"{flow}/choose", content=b"{", headers={"content-type": "application/json"}),
        client.get(f"{flow}/handoff", params={"token": start["token"]}),  # not escalated
        client.post(f"{flow}/feedback", json={"token": start["token"], "helpful": True}),
        client.post(f"{API}/events", json={"events": [{"type": "nope"}]}),
    ]
    for answer in answers:
        assert 400 <= answer.status_code < 500, answer.text
        fits(document, "Error", answer.json())
        operation = _operation(document, answer.request.url.path, answer.request.method)
        assert str(answer.status_code) in operation["responses"], answer.text


def _operation(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    for template, item in document["paths"].items():
        pattern = re.escape(template).replace(re.escape("{flow_id}"), "[^/]+")
        if re.fullmatch(pattern, path) and method.lower() in item:
            found: dict[str, Any] = item[method.lower()]
            return found
    raise AssertionError(f"{method} {path} is not documented")


def test_without_events_no_event_routes_are_documented() -> None:
    with TestClient(create_app(BUNDLED, secret=b"s")) as client:
        paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert f"{API}/events" not in paths
    assert f"{API}/flows/{{flow_id}}/handoff" in paths
