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
from helpflow.tokens import MAX_ANSWERS

from support import BUNDLED, MINI, ROOT, WriteFlow

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


def test_pages_show_a_flows_images_and_serve_only_those(tmp_path: Path) -> None:
    folder = ROOT / "examples" / "content"
    (tmp_path / "secret.png").write_bytes(b"not for readers")
    with TestClient(create_app(folder, secret=SECRET)) as c:
        page = c.get("/flows/printer-error-light/?light=paper&computer=windows").text
        sources = re.findall(r'<img[^>]* src="([^"]+)"', page)
        assert sources, page
        for src in sources:
            image = c.get(src)
            assert image.status_code == 200, src
            assert image.content == (folder / "img" / "paper-path.png").read_bytes()
        for probe in ("nothing.png", "printer-lights.png", "..%2F..%2Fsecret.png"):
            assert c.get(f"/static/_assets/{probe}").status_code == 404, probe
        assert "no such image" in c.get("/static/_assets/nothing.png").text


def test_code_blocks_get_their_copy_script_from_the_same_origin() -> None:
    with TestClient(create_app(ROOT / "examples" / "content", secret=SECRET)) as c:
        page = c.get("/flows/software-update-failing/?message=in_use&system=windows").text
        script_tag = re.search(r'<script nonce="([^"]+)" src="/static/copy.js" defer>', page)
        assert script_tag, page  # allowed by the page's CSP, which admits scripts by nonce
        policy = c.get("/flows/software-update-failing/?message=in_use&system=windows").headers
        assert "script-src 'nonce-" in policy["content-security-policy"]
        script = c.get("/static/copy.js")
        assert script.status_code == 200
        assert script.headers["content-type"].startswith("text/javascript")
        assert "clipboard" in script.text


def test_bad_flow_folder_is_a_startup_error(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: x\nhelpflow: 1\n")
    with pytest.raises(Exception, match=r"broken.yaml:1:1: error: missing required key"):
        create_app(tmp_path)


LOOP = """
helpflow: 1
id: loop
title: Loop
start: restart_router
nodes:
  restart_router:
    kind: fix
    title: Restart the router
    steps: [Unplug it., Plug it back in.]
    solved: done
    not_solved: still
  still:
    kind: question
    prompt: Still broken?
    choices:
      - {id: again, label: Try again, to: restart_router}
      - {id: give_up, label: Give up, to: help}
  done: {kind: outcome, resolution: solved, title: Done, body: Great.}
  help: {kind: outcome, resolution: escalate, title: Contact us, body: We can help.}
"""


def _tries(n: int) -> str:
    return "/flows/loop/?" + "&".join(["restart_router=not_solved&still=again"] * n)


@pytest.fixture
def loop_client(write_flow: WriteFlow) -> Iterator[TestClient]:
    with TestClient(create_app(write_flow(LOOP), secret=SECRET)) as c:
        yield c


def test_a_page_grows_linearly_with_a_looping_path(loop_client: TestClient) -> None:
    # Each "Change" link repeats the whole state; one per answer made 200 tries 3.8 MB.
    sizes = {n: len(loop_client.get(_tries(n)).content) for n in (100, 200)}
    assert sizes[200] < 2.2 * sizes[100]
    assert sizes[200] < 1024 * 1024
    page = loop_client.get(_tries(3)).text
    assert "change=" not in page  # both nodes were answered more than once: Back instead
    assert 'class="hf-back"' in page


def test_a_page_refuses_more_answers_than_a_token_can_carry(loop_client: TestClient) -> None:
    response = loop_client.get(_tries(MAX_ANSWERS // 2 + 1))  # two answers a try
    assert response.status_code == 400
    assert f"over {MAX_ANSWERS} answers" in response.text
    long = loop_client.get("/flows/loop/?" + "x=" + "y" * 49_000)
    assert long.status_code == 414
    assert long.headers["content-type"].startswith("text/html")


def test_answers_of_a_straight_path_keep_their_change_links(client: TestClient) -> None:
    page = client.get("/flows/account-login/?purchase_channel=retail&problem=cant_access").text
    assert "change=purchase_channel" in page
    assert "change=problem" in page


def test_deeply_nested_json_is_a_400_not_a_crash(client: TestClient) -> None:
    body = b"[" * 8000 + b"]" * 8000  # under the 16 KiB limit; json.loads would recurse
    response = client.post(
        f"{API}/sessions", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_json"
    # Brackets inside strings are text, not nesting.
    token = start(client)["token"]
    assert post(client, "choose", token=token, choice="[" * 60).status_code == 422


def test_a_refused_cors_preflight_answers_json(client: TestClient) -> None:
    response = client.options(
        f"{API}/choose",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"]["code"] == "cors_refused"
    allowed = client.options(
        f"{API}/choose",
        headers={"origin": "https://help.example.com", "access-control-request-method": "POST"},
    )
    assert allowed.status_code == 200


def test_serve_skips_files_that_are_not_regular(
    tmp_path: Path, write_flow: WriteFlow, caplog: pytest.LogCaptureFixture
) -> None:
    import os

    write_flow(MINI, "mini.yaml")
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    with caplog.at_level("WARNING", logger="helpflow.server"):
        app = create_app(tmp_path, secret=SECRET)  # would block on the FIFO, or eat /dev/zero
    with TestClient(app) as c:
        assert [f["id"] for f in c.get("/api/v1/flows").json()["flows"]] == ["mini"]
    skipped = sorted(r.getMessage() for r in caplog.records)
    assert [m.rsplit("/", 1)[-1] for m in skipped] == [
        "fifo.yaml: not a regular file; skipped",
        "folder.yaml: not a regular file; skipped",
        "zero.yaml: not a regular file; skipped",
    ]


def test_serve_with_nothing_to_serve_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    os.mkfifo(tmp_path / "fifo.yaml")
    assert main(["serve", str(tmp_path)]) == 1
    assert main(["serve", "/dev/zero"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if line.startswith("helpflow: error:")] == [
        f"helpflow: error: {tmp_path}: no flow files (YAML with an 'id') in this folder",
        "helpflow: error: /dev/zero: not a regular file or a folder",
    ]
    assert not [line for line in err if "Traceback" in line]


def test_serve_warns_loudly_without_a_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import helpflow.server.run

    served: list[Any] = []
    monkeypatch.setattr(helpflow.server.run, "serve", lambda app, **kw: served.append(kw))
    monkeypatch.delenv("HELPFLOW_SECRET", raising=False)
    assert main(["serve", str(BUNDLED)]) == 0
    assert "HELPFLOW_SECRET is not set: tokens are NOT signed" in capsys.readouterr().err
    monkeypatch.setenv("HELPFLOW_SECRET", "s")
    assert main(["serve", str(BUNDLED), "--workers", "2"]) == 0
    assert "NOT signed" not in capsys.readouterr().err
    assert served[-1]["workers"] == 2
    assert served[-1]["factory"] is True


def test_serve_runs_on_httptools_and_uvloop_with_a_tcp_socket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    import uvicorn

    import helpflow.server.run as run
    from helpflow.server._protocol import GuardedHttpToolsProtocol

    ran: list[tuple[Any, list[socket.socket]]] = []

    class Server:
        def __init__(self, config: Any) -> None:
            self.config = config

        def run(self, sockets: list[socket.socket]) -> None:
            ran.append((self.config, sockets))
            for sock in sockets:
                sock.close()

    monkeypatch.setattr(uvicorn, "Server", Server)  # the module run.serve reaches it through
    run.serve("helpflow.server.factory:app_from_environment", host="127.0.0.1", port=0)
    ((config, sockets),) = ran
    assert config.http is GuardedHttpToolsProtocol  # the fast parser, with header limits
    assert config.loop == "uvloop"
    assert config.timeout_keep_alive == 10
    assert config.timeout_worker_healthcheck == 60  # slow-starting workers are not killed
    assert sockets[0].proto == socket.IPPROTO_TCP  # so accepted sockets get TCP_NODELAY


def test_serve_refuses_zero_workers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", str(BUNDLED), "--workers", "0"]) == 1
    assert (
        capsys.readouterr().err == "helpflow: error: --workers and --timeout must be at least 1\n"
    )


def test_a_change_page_loads_its_copy_script_under_the_nonce(write_flow: WriteFlow) -> None:
    flow = write_flow(
        """
        helpflow: 1
        id: codes
        title: Codes
        start: shell
        nodes:
          shell:
            kind: question
            prompt: Which shell?
            help: |
              Run this to find out:

              ```
              echo $SHELL
              ```
            choices:
              - {id: bash, label: bash, to: done}
              - {id: zsh, label: zsh, to: done}
          done:
            kind: outcome
            resolution: solved
            title: Done
        """
    )
    with TestClient(create_app(flow, secret=SECRET)) as c:
        for address in ("/flows/codes/", "/flows/codes/?shell=bash&change=shell"):
            response = c.get(address)
            nonce = re.search(r"'nonce-([^']+)'", response.headers["content-security-policy"])
            assert nonce, response.headers
            assert f'<script nonce="{nonce[1]}" src="/static/copy.js" defer>' in response.text
