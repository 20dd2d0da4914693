"""The hand-off packet: on escalations only; in the Step, its JSON, the terminal, server pages,
the handoff endpoint, contact URLs, and the webhook (against a local test server)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
from starlette.testclient import TestClient

import helpflow
from helpflow.engine import CompiledFlow
from helpflow.server import create_app
from helpflow.server.webhook import Webhook
from helpflow_json import JsonRenderer, published_schema
from helpflow_terminal.layout import plain_text, step_lines

from support import BUNDLED, walk

API = "/api/v1/flows/account-login"
ESCALATE = ("online", "cant_access", "not_solved")


@pytest.fixture(scope="module")
def flow() -> CompiledFlow:
    return helpflow.load(BUNDLED)


def test_escalation_carries_the_packet(flow: CompiledFlow) -> None:
    session = walk(flow, *ESCALATE)
    step = flow.step(session)
    packet = step.handoff
    assert packet is not None
    assert packet.reference == step.token
    assert [(a.node_id, a.choice_id) for a in packet.answers] == [
        ("purchase_channel", "online"),
        ("problem", "cant_access"),
    ]
    assert [f.node_id for f in packet.fixes_tried] == ["check_sign_in"]
    assert packet.summary.splitlines() == [
        f"Trouble signing in to your Trend Micro account (version {flow.version})",
        "- How did you get your Trend Micro product? I bought it online from Trend Micro",
        "- What's going wrong? I can't get into my account",
        "Tried, and it did not work:",
        "- Check the details you sign in with",
        "Ended at: Contact Trend Micro Technical Support",
        f"Reference: {step.token}",
    ]


def test_no_packet_before_or_outside_escalations(flow: CompiledFlow) -> None:
    assert flow.step(flow.start()).handoff is None
    assert flow.step(walk(flow, "online", "cant_access")).handoff is None  # a fix
    assert flow.step(walk(flow, "online", "cant_access", "solved")).handoff is None


def test_json_step_carries_the_packet_and_fits_the_schema(flow: CompiledFlow) -> None:
    data = json.loads(JsonRenderer(indent=None).render(flow.step(walk(flow, *ESCALATE))))
    jsonschema.validate(data, published_schema())
    assert data["handoff"]["fixes_tried"] == [
        {"node_id": "check_sign_in", "title": "Check the details you sign in with"}
    ]
    assert json.loads(JsonRenderer().render(flow.step(flow.start())))["handoff"] is None


def test_terminal_prints_the_packet(flow: CompiledFlow) -> None:
    text = plain_text(step_lines(flow.step(walk(flow, *ESCALATE))))
    assert "Details for the support team" in text
    assert "  - Check the details you sign in with" in text


MAILTO_FLOW = """
helpflow: 1
id: mailto
title: Printer help
start: what
nodes:
  what:
    kind: question
    prompt: What is wrong?
    choices:
      - {id: jam, label: Paper jam & smoke, to: help}
  help:
    kind: outcome
    resolution: escalate
    title: Write to us
    contacts:
      - name: Support
        url: "mailto:help@example.com?subject=Ref%20{handoff.reference}&body={handoff.summary}"
"""


def test_contact_urls_get_the_packet_url_encoded(
    compile_text: Callable[[str], CompiledFlow],
) -> None:
    flow = compile_text(MAILTO_FLOW)
    step = flow.step(flow.choose(flow.start(), "jam"))
    assert step.handoff is not None
    url = step.contacts[0].url
    assert url is not None
    assert url.startswith("mailto:help@example.com?subject=Ref%20mailto.")
    query = parse_qs(urlsplit(url).query)
    assert query["body"] == [step.handoff.summary]  # decodes back to the summary exactly
    assert "- What is wrong? Paper jam & smoke" in query["body"][0]
    assert query["subject"] == [f"Ref {step.handoff.reference}"]


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(BUNDLED, secret=b"s")) as client:
        yield client


def api_walk(client: TestClient, *choices: str) -> dict[str, Any]:
    data: dict[str, Any] = client.post(f"{API}/sessions", json={}).json()
    for choice in choices:
        data = client.post(f"{API}/choose", json={"token": data["token"], "choice": choice}).json()
    return data


def test_handoff_endpoint(client: TestClient) -> None:
    end = api_walk(client, *ESCALATE)
    response = client.get(f"{API}/handoff", params={"token": end["token"]})
    assert response.status_code == 200
    body = response.json()
    assert body["handoff"] == end["step"]["handoff"]
    assert body["flow"] == {k: end["step"]["flow"][k] for k in ("id", "title", "version")}
    assert (body["node_id"], body["outcome"]) == ("contact_support", "escalate")
    middle = api_walk(client, "online")
    refused = client.get(f"{API}/handoff", params={"token": middle["token"]})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_escalated"
    assert client.get(f"{API}/handoff").status_code == 400


def test_server_page_shows_the_packet(client: TestClient) -> None:
    page = client.get(
        "/flows/account-login/?purchase_channel=online&problem=cant_access&check_sign_in=not_solved"
    ).text
    assert "Details for the support team" in page
    assert "- Check the details you sign in with" in page


class _Desk(http.server.BaseHTTPRequestHandler):
    """A help desk that fails the first `failures` deliveries, then blocks until released."""

    received: list[dict[str, Any]]
    failures: int
    release: threading.Event

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        desk = type(self)
        if desk.failures > 0:
            desk.failures -= 1
            self.send_response(503)
            self.end_headers()
            return
        desk.release.wait(20)
        desk.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def desk() -> Iterator[tuple[str, type[_Desk]]]:
    class Desk(_Desk):  # state of its own for each test
        received: list[dict[str, Any]] = []  # noqa: RUF012
        failures = 2
        release = threading.Event()

    handler = Desk
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", handler
    handler.release.set()
    server.shutdown()
    server.server_close()


def test_webhook_gets_the_packet_after_retries_without_blocking_the_reader(
    desk: tuple[str, type[_Desk]],
) -> None:
    url, handler = desk
    app = create_app(BUNDLED, secret=b"s", handoff_webhook=url)
    with TestClient(app) as client:
        end = api_walk(client, *ESCALATE)  # answered while the desk is failing, then blocked
        assert end["step"]["outcome"] == "escalate"
        assert handler.received == []  # the reader got the answer before the desk took it
        handler.release.set()
    # leaving the client shut the app down, which waits for the queued delivery
    (packet,) = handler.received
    assert packet["handoff"] == end["step"]["handoff"]
    assert packet["flow"]["id"] == "account-login"
    assert handler.failures == 0  # the two failed attempts were retried


def test_webhook_gives_up_on_an_unreachable_desk() -> None:
    from servers import free_port

    hook = Webhook(f"http://127.0.0.1:{free_port()}/", timeout=0.5, retries=2, backoff=0.01)
    hook.send({"x": 1})
    hook.close()  # returns: the failed packet was given up, not retried forever
    assert not hook._thread.is_alive()
