"""The server records what readers do, takes events from clients, and refuses bad ones."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from helpflow.events import Event, open_store
from helpflow.events.ratelimit import RateLimiter
from helpflow.server import create_app, events_api

from support import BUNDLED

API = "/api/v1/flows/account-login"
VISIT = {"helpflow-visit": "visit-abc123"}


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "events.db")


def client_for(db: str, **options: Any) -> TestClient:
    return TestClient(create_app(BUNDLED, secret=b"s", events=db, **options))


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    with client_for(db) as client:
        yield client


def stored(db: str) -> list[Event]:
    store = open_store(db)
    try:
        return list(store.events())
    finally:
        store.close()


def summary(events: list[Event]) -> list[tuple[Any, ...]]:
    return [(e.type, e.node, e.choice, e.resolution) for e in events]


def walk(client: TestClient, *choices: str) -> dict[str, Any]:
    data: dict[str, Any] = client.post(f"{API}/sessions", json={}, headers=VISIT).json()
    for choice in choices:
        response = client.post(
            f"{API}/choose", json={"token": data["token"], "choice": choice}, headers=VISIT
        )
        assert response.status_code == 200
        data = response.json()
    return data


def test_api_walk_records_started_answered_reached(client: TestClient, db: str) -> None:
    end = walk(client, "online", "cant_access", "not_solved")
    client.post(f"{API}/back", json={"token": end["token"]}, headers=VISIT)
    client.post(f"{API}/restart", json={"token": end["token"]}, headers=VISIT)
    client.post(
        f"{API}/change",
        json={"token": end["token"], "node": "purchase_channel", "choice": "retail"},
        headers=VISIT,
    )
    client.__exit__(None, None, None)  # shutdown writes the queue
    events = stored(db)
    assert {e.visit for e in events} == {"visit-abc123"}
    assert {e.flow for e in events} == {"account-login"}
    assert summary(events)[:8] == [
        ("started", None, None, None),
        ("reached", "purchase_channel", None, None),
        ("answered", "purchase_channel", "online", None),
        ("reached", "problem", None, None),
        ("answered", "problem", "cant_access", None),
        ("reached", "check_sign_in", None, None),
        ("answered", "check_sign_in", "not_solved", None),
        ("reached", "contact_support", None, "escalate"),
    ]
    assert [t for t, *_ in summary(events)[8:]] == [
        "back",
        "reached",
        "restart",
        "reached",
        "changed",
        "reached",
    ]
    assert summary(events)[12] == ("changed", "purchase_channel", "retail", None)


def test_a_missing_visit_id_gets_a_fresh_one_returned(client: TestClient, db: str) -> None:
    response = client.post(f"{API}/sessions", json={})
    visit = response.headers["helpflow-visit"]
    assert len(visit) >= 16
    client.__exit__(None, None, None)
    assert {e.visit for e in stored(db)} == {visit}


def test_refused_operations_record_nothing(client: TestClient, db: str) -> None:
    token = walk(client)["token"]
    assert client.post(f"{API}/choose", json={"token": token, "choice": "nope"}).status_code == 422
    client.__exit__(None, None, None)
    assert [e.type for e in stored(db)] == ["started", "reached"]


def test_events_are_stored_without_reader_details(client: TestClient, db: str) -> None:
    walk(client, "online")
    client.__exit__(None, None, None)
    import sqlite3

    with sqlite3.connect(db) as con:
        columns = [r[1] for r in con.execute("PRAGMA table_info(helpflow_events)")]
        text = " ".join(str(r) for r in con.execute("SELECT * FROM helpflow_events"))
    assert not {"ip", "address", "user_agent", "cookie"} & set(columns)
    assert "testclient" not in text  # the client's address never reaches the table


def test_pages_record_the_walk(client: TestClient, db: str) -> None:
    client.get("/flows/account-login/?visit=pagevisit01")
    client.get("/flows/account-login/?purchase_channel=online&visit=pagevisit01")
    client.__exit__(None, None, None)
    assert summary(stored(db)) == [
        ("started", None, None, None),
        ("reached", "purchase_channel", None, None),
        ("answered", "purchase_channel", "online", None),
        ("reached", "problem", None, None),
    ]


def test_page_links_carry_the_visit(client: TestClient, db: str) -> None:
    first = client.get("/flows/account-login/").text
    link = re.search(r'href="(/flows/account-login/\?visit=[^"]+purchase_channel=online)"', first)
    assert link is not None
    second = client.get(html.unescape(link.group(1)))
    assert 'data-node="problem"' in second.text
    home = re.search(r'href="(/flows/account-login/\?visit=[A-Za-z0-9_-]+)"', second.text)
    assert home is not None  # "Start again" keeps the visit too
    client.__exit__(None, None, None)
    events = stored(db)
    assert len({e.visit for e in events}) == 1
    assert [e.type for e in events] == ["started", "reached", "answered", "reached"]


GOOD = {
    "type": "answered",
    "flow": "account-login",
    "visit": "visit-xyz789",
    "node": "purchase_channel",
    "choice": "retail",
}


def test_client_events_are_stored(client: TestClient, db: str) -> None:
    feedback = {
        "type": "feedback",
        "flow": "account-login",
        "visit": "visit-xyz789",
        "node": "contact_support",
        "helpful": False,
    }
    response = client.post("/api/v1/events", json={"events": [GOOD, feedback]})
    assert response.status_code == 202
    assert response.json() == {"recorded": 2}
    beacon = client.post(
        "/api/v1/events",
        content=b'{"events":[{"type":"started","flow":"account-login","visit":"visit-xyz789"}]}',
        headers={"content-type": "text/plain;charset=UTF-8"},  # what sendBeacon sends
    )
    assert beacon.status_code == 202
    client.__exit__(None, None, None)
    events = stored(db)
    assert summary(events) == [
        ("answered", "purchase_channel", "retail", None),
        # the beacon sends no resolution: the stored event has the node's own
        ("feedback", "contact_support", None, "escalate"),
        ("started", None, None, None),
    ]
    assert events[1].helpful is False


def test_beacon_feedback_without_resolution_gets_the_nodes(client: TestClient, db: str) -> None:
    """What the static site and the widget send: no resolution, text/plain."""

    def beacon(node: str, helpful: str) -> Any:
        body = (
            '{"events":[{"type":"feedback","flow":"account-login","visit":"visit-beacon1",'
            f'"node":"{node}","helpful":{helpful}}}]}}'
        )
        return client.post(
            "/api/v1/events",
            content=body.encode(),
            headers={"content-type": "text/plain;charset=UTF-8"},
        )

    assert beacon("solved", "true").status_code == 202
    assert beacon("check_sign_in", "false").status_code == 202  # a fix: no resolution
    refused = beacon("purchase_channel", "true")  # a question asks for no feedback
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == "feedback is asked on fix and outcome pages only"
    client.__exit__(None, None, None)
    assert [(e.type, e.node, e.resolution, e.helpful) for e in stored(db)] == [
        ("feedback", "solved", "solved", True),
        ("feedback", "check_sign_in", None, False),
    ]


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"flow": "no-such-flow"}, 404, "unknown_flow"),
        ({"node": "no_such_node"}, 422, "bad_event"),
        ({"choice": "no_such_choice"}, 422, "bad_event"),
        ({"choice": None}, 422, "bad_event"),
        ({"type": "exploded"}, 400, "bad_request"),
        ({"visit": "x"}, 400, "bad_request"),
        ({"visit": "has spaces in it"}, 400, "bad_request"),
        ({"choice": 3}, 400, "bad_request"),
        ({"helpful": "yes"}, 400, "bad_request"),
        ({"comment": "ok"}, 422, "bad_event"),
        ({"ip": "1.2.3.4"}, 400, "bad_request"),
        ({"type": "feedback", "helpful": True, "comment": "x" * 1001}, 400, "bad_request"),
    ],
)
def test_bad_events_are_refused_and_nothing_is_stored(
    client: TestClient, db: str, change: dict[str, Any], status: int, code: str
) -> None:
    bad = {**GOOD, **change}
    response = client.post("/api/v1/events", json={"events": [GOOD, bad]})
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    client.__exit__(None, None, None)
    assert stored(db) == []  # the good event sent with the bad one is not kept either


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b'{"events": []}', 400),
        (b'{"events": [' + b",".join([b'{"type":"started"}'] * 51) + b"]}", 400),
        (b'{"events": "' + b"x" * 20_000 + b'"}', 413),
    ],
)
def test_malformed_and_oversized_bodies(
    client: TestClient, db: str, body: bytes, status: int
) -> None:
    response = client.post(
        "/api/v1/events", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == status
    assert "error" in response.json()
    client.__exit__(None, None, None)
    assert stored(db) == []


@pytest.fixture
def slow_refill(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default allowance (a burst of 120) refilling too slowly to matter during a test, so
    a slow machine does not refill it between requests."""
    monkeypatch.setattr(events_api, "RateLimiter", functools.partial(RateLimiter, rate=0.001))


@pytest.mark.usefixtures("slow_refill")
def test_a_flood_is_refused_with_429(db: str) -> None:
    client = client_for(db).__enter__()
    codes = [
        client.post("/api/v1/events", json={"events": [GOOD] * 50}).status_code for _ in range(6)
    ]
    assert codes[:2] == [202, 202]
    assert codes[-1] == 429
    client.__exit__(None, None, None)
    assert len(stored(db)) == 50 * codes.count(202)  # refused batches stored nothing


@pytest.mark.usefixtures("slow_refill")
def test_a_flood_of_garbage_is_refused_with_429(db: str) -> None:
    client = client_for(db).__enter__()
    codes = [
        client.post("/api/v1/events", content=b"junk", headers={"content-type": "text/plain"})
        for _ in range(130)
    ]
    assert {c.status_code for c in codes[:100]} == {400}
    assert codes[-1].status_code == 429
    assert codes[-1].json()["error"]["code"] == "too_many_requests"
    client.__exit__(None, None, None)


def test_feedback_endpoint(client: TestClient, db: str) -> None:
    end = walk(client, "online", "cant_access", "not_solved")
    response = client.post(
        f"{API}/feedback",
        json={"token": end["token"], "helpful": False, "comment": "still locked out"},
        headers=VISIT,
    )
    assert response.status_code == 202
    question = walk(client)
    refused = client.post(f"{API}/feedback", json={"token": question["token"], "helpful": True})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_answerable"
    client.__exit__(None, None, None)
    feedback = [e for e in stored(db) if e.type == "feedback"]
    assert [(e.node, e.helpful, e.resolution) for e in feedback] == [
        ("contact_support", False, "escalate")
    ]
    assert feedback[0].comment is None  # comments are kept only with --store-comments


def test_comments_kept_with_store_comments(db: str) -> None:
    with client_for(db, store_comments=True) as client:
        end = walk(client, "online", "cant_access", "not_solved")
        client.post(
            f"{API}/feedback", json={"token": end["token"], "helpful": False, "comment": "locked"}
        )
    assert [e.comment for e in stored(db) if e.type == "feedback"] == ["locked"]


def test_page_feedback_form_works_without_javascript(client: TestClient, db: str) -> None:
    query = "purchase_channel=online&problem=cant_access&check_sign_in=not_solved&visit=pagevisit01"
    response = client.post(
        f"/flows/account-login/feedback?{query}",
        content=b"helpful=yes",
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "feedback=thanks" in response.headers["location"]
    client.__exit__(None, None, None)
    (event,) = stored(db)
    assert (event.type, event.node, event.helpful, event.visit) == (
        "feedback",
        "contact_support",
        True,
        "pagevisit01",
    )
