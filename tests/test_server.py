"""The HTTP server: JSON API, errors, tokens across versions, pages, security headers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from starlette.testclient import TestClient

from helpflow.cli import main
from helpflow.server import ConfigError, create_app

from support import BUNDLED, MINI, WriteFlow

SECRET = b"test-secret"
API = "/api/v1/flows/account-login"


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app(BUNDLED.parent, secret=SECRET, cors_origins=["https://help.example.com"])


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def openapi(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/api/v1/openapi.json").json()
    return document


def assert_step_response(client: TestClient, response: Any) -> dict[str, Any]:
    document = openapi(client)
    schema = {
        **document["components"]["schemas"]["StepResponse"],
        "components": document["components"],
    }
    body: dict[str, Any] = response.json()
    resolver_schema = json.loads(json.dumps(schema).replace("#/components/", "#/components/"))
    jsonschema.Draft202012Validator(resolver_schema).validate(body)
    assert body["token"] == body["step"]["token"]
    return body


def start(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post(f"{API}/sessions", json=body)
    assert response.status_code == 201, response.text
    return assert_step_response(client, response)


def post(client: TestClient, action: str, **body: Any) -> Any:
    return client.post(f"{API}/{action}", json=body)


def test_lists_and_describes_flows(client: TestClient) -> None:
    flows = client.get("/api/v1/flows").json()["flows"]
    assert [f["id"] for f in flows] == ["account-login"]
    described = client.get(API).json()
    assert described["start"] == "purchase_channel"
    assert described["vars"]["support_url"]["default"].startswith("https://")


def test_walk_back_restart_and_step_by_token(client: TestClient) -> None:
    body = start(client)
    assert body["step"]["node_id"] == "purchase_channel"
    for choice in ["retail", "cant_access", "not_solved"]:
        body = assert_step_response(
            client, post(client, "choose", token=body["token"], choice=choice)
        )
    assert body["step"]["node_id"] == "contact_retailer"
    assert body["step"]["finished"] is True
    back = assert_step_response(client, post(client, "back", token=body["token"]))
    assert back["step"]["node_id"] == "check_sign_in"
    same = client.get(f"{API}/step", params={"token": back["token"]})
    assert assert_step_response(client, same)["step"]["node_id"] == "check_sign_in"
    again = assert_step_response(client, post(client, "restart", token=body["token"]))
    assert again["step"]["node_id"] == "purchase_channel"


def test_change_reports_dropped_answers(client: TestClient) -> None:
    body = start(client)
    for choice in ["online", "forgot_details", "google"]:
        body = post(client, "choose", token=body["token"], choice=choice).json()
    changed = assert_step_response(
        client, post(client, "change", token=body["token"], node="problem", choice="new_email")
    )
    assert changed["step"]["node_id"] == "new_email"
    assert changed["dropped"] == [{"node": "forgot_what", "choice": "google"}]


def test_vars_per_request(client: TestClient) -> None:
    body = start(client, vars={"product": "Acme"})
    assert body["step"]["title"] == "How did you get your Acme product?"
    response = client.post(f"{API}/sessions", json={"vars": {"prodcut": "x"}})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_var"


@pytest.mark.parametrize(
    ("call", "status", "code"),
    [
        (
            lambda c, t: c.post(
                f"{API}/choose", content=b"{not json", headers={"content-type": "application/json"}
            ),
            400,
            "bad_json",
        ),
        (
            lambda c, t: c.post(
                f"{API}/choose",
                content=b"token=x",
                headers={"content-type": "application/x-www-form-urlencoded"},
            ),
            415,
            "unsupported_media_type",
        ),
        (lambda c, t: c.post(f"{API}/choose", json={"token": t}), 400, "bad_request"),
        (
            lambda c, t: c.post(f"{API}/choose", json={"token": t, "choice": "x", "extra": 1}),
            400,
            "bad_request",
        ),
        (
            lambda c, t: c.post("/api/v1/flows/nope/choose", json={"token": t, "choice": "retail"}),
            404,
            "unknown_flow",
        ),
        (
            lambda c, t: c.post(f"{API}/choose", json={"token": t, "choice": "nope"}),
            422,
            "unknown_choice",
        ),
        (lambda c, t: c.post(f"{API}/back", json={"token": t}), 409, "not_answered"),
        (
            lambda c, t: c.post(
                f"{API}/choose", json={"token": t[:-3] + "AAA", "choice": "retail"}
            ),
            403,
            "token_signature",
        ),
        (
            lambda c, t: c.post(f"{API}/choose", json={"token": "garbage", "choice": "retail"}),
            400,
            "bad_token",
        ),
        (
            lambda c, t: c.post(
                f"{API}/choose", json={"token": t.split(".", 1)[0] + ".AQ", "choice": "retail"}
            ),
            403,
            "token_signature",
        ),
        (
            lambda c, t: c.post(f"{API}/choose", json={"token": t, "choice": "x" * 50_000}),
            413,
            "payload_too_large",
        ),
        (lambda c, t: c.put(f"{API}/choose", json={}), 405, "method_not_allowed"),
        (lambda c, t: c.get("/api/v1/nothing"), 404, "not_found"),
        (lambda c, t: c.get(f"{API}/step"), 400, "bad_request"),
    ],
    ids=[
        "bad-json",
        "form-body",
        "missing-choice",
        "extra-key",
        "unknown-flow",
        "unknown-choice",
        "back-at-start",
        "tampered",
        "garbage",
        "unsigned",
        "too-large",
        "wrong-method",
        "no-route",
        "no-token",
    ],
)
def test_bad_input_gets_a_4xx_json_error_and_loses_nothing(
    client: TestClient, call: Any, status: int, code: str
) -> None:
    token = start(client)["token"]
    response = call(client, token)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    # The client's previous token still works.
    assert post(client, "choose", token=token, choice="retail").status_code == 200


def test_unavailable_choice(client: TestClient, write_flow: WriteFlow) -> None:
    app = create_app(write_flow(MINI), secret=SECRET)
    with TestClient(app) as c:
        token = c.post("/api/v1/flows/mini/sessions", json={}).json()["token"]
        token = c.post("/api/v1/flows/mini/choose", json={"token": token, "choice": "web"}).json()[
            "token"
        ]
        response = c.post("/api/v1/flows/mini/choose", json={"token": token, "choice": "shop_only"})
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "unavailable_choice"


def test_token_from_another_flow_is_refused(client: TestClient, write_flow: WriteFlow) -> None:
    other = create_app(write_flow(MINI), secret=SECRET)
    with TestClient(other) as c:
        token = c.post("/api/v1/flows/mini/sessions", json={}).json()["token"]
    response = post(client, "choose", token=token, choice="retail")
    assert response.status_code == 400
    assert "for flow 'mini'" in response.json()["error"]["message"]


def test_token_from_an_older_version_is_replayed(write_flow: WriteFlow) -> None:
    old = create_app(write_flow(MINI), secret=SECRET)
    with TestClient(old) as c:
        body = c.post("/api/v1/flows/mini/sessions", json={}).json()
        for choice in ["web", "login"]:
            body = c.post(
                "/api/v1/flows/mini/choose", json={"token": body["token"], "choice": choice}
            ).json()
    new = create_app(write_flow(MINI.replace("id: login", "id: sign_in")), secret=SECRET)
    with TestClient(new) as c:
        response = c.get("/api/v1/flows/mini/step", params={"token": body["token"]})
        assert response.status_code == 200
        data = response.json()
        assert data["replayed"] == {"from_older_version": True, "diverged_at": "what", "dropped": 1}
        assert data["step"]["node_id"] == "what"


def test_production_needs_a_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("HELPFLOW_SECRET", raising=False)
    with pytest.raises(ConfigError, match="production mode needs a token secret"):
        create_app(BUNDLED, production=True)
    assert main(["serve", str(BUNDLED), "--production"]) == 1
    assert "production mode needs a token secret" in capsys.readouterr().err


def test_security_headers_and_cors(client: TestClient) -> None:
    response = client.get(API, headers={"origin": "https://help.example.com"})
    assert response.headers["access-control-allow-origin"] == "https://help.example.com"
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    other = client.get(API, headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_frame_ancestors_are_configurable() -> None:
    app = create_app(BUNDLED, secret=SECRET, frame_ancestors=["https://help.example.com"])
    with TestClient(app) as c:
        assert (
            "frame-ancestors https://help.example.com"
            in c.get("/").headers["content-security-policy"]
        )


def test_pages_keep_state_in_the_query_string(client: TestClient) -> None:
    page = client.get("/flows/account-login/?purchase_channel=retail").text
    assert 'data-node="problem"' in page
    assert 'href="/flows/account-login/?purchase_channel=retail&amp;problem=cant_access"' in page
    assert 'class="hf-back" href="/flows/account-login/"' in page
    # Stale or hand-edited links never break: answers that do not fit are dropped.
    page = client.get("/flows/account-login/?problem=nonsense&purchase_channel=isp").text
    assert 'data-node="problem"' in page


def test_change_page_keeps_later_answers(client: TestClient) -> None:
    url = "/flows/account-login/?purchase_channel=retail&problem=cant_access"
    page = client.get(url + "&change=purchase_channel").text
    assert 'data-node="purchase_channel"' in page
    assert 'href="/flows/account-login/?purchase_channel=isp&amp;problem=cant_access"' in page


def test_widget_page_scripts_carry_the_csp_nonce(client: TestClient) -> None:
    response = client.get("/flows/account-login/widget")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["content-security-policy"])
    assert nonce is not None
    assert f'<script nonce="{nonce.group(1)}">' in response.text
    assert f'<style nonce="{nonce.group(1)}">' in response.text


def test_stylesheet_is_served(client: TestClient) -> None:
    response = client.get("/static/helpflow.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")


def test_openapi_lists_every_api_route(client: TestClient, app: Any) -> None:
    documented = set(openapi(client)["paths"])
    served = {
        r.path for r in app.routes if r.path.startswith("/api/v1") and "openapi" not in r.path
    }
    assert documented == served


def test_bad_flow_folder_is_a_startup_error(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: x\nhelpflow: 1\n")
    with pytest.raises(Exception, match=r"broken.yaml:1:1: error: missing required key"):
        create_app(tmp_path)
