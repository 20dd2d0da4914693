"""Event storage (events and short hand-off references): the same behaviour from SQLite and
from a real PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pgserver import fresh_database, postgres_cluster
from starlette.testclient import TestClient

from helpflow.cli import main
from helpflow.events import Event, EventStore, EventStoreError, Query, open_store
from helpflow.events.migrations import LATEST
from helpflow.events.references import PATTERN
from helpflow.server import create_app

from support import BUNDLED


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


_COUNTER = iter(range(10**6))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "events.db")
    url: str = request.getfixturevalue("postgres")
    return fresh_database(url, f"events_{next(_COUNTER)}")


def ev(type_: str = "reached", *, at: int = 0, flow: str = "f", **kw: object) -> Event:
    return Event(type_, flow, "v1", "visit0001", at=at, **kw)  # type: ignore[arg-type]


def test_events_written_in_batches_come_back_in_order(target: str) -> None:
    store = open_store(target)
    sent = [ev("answered", node="n", choice=f"c{i}", at=1000 + i) for i in range(1200)]
    for event in sent:
        store.record(event)
    store.flush()
    assert list(store.events()) == sent
    store.close()


def test_every_field_round_trips(target: str) -> None:
    store = open_store(target)
    event = ev("feedback", node="out", resolution="escalate", helpful=False, comment="nope é")
    store.record(event)
    store.close()
    reopened = open_store(target)
    (got,) = reopened.events()
    assert (got.helpful, got.comment, got.resolution) == (False, "nope é", "escalate")
    assert got.at > 0  # stamped when recorded
    reopened.close()


def test_close_writes_everything_queued(target: str) -> None:
    store = open_store(target)
    for i in range(3000):
        store.record(ev(at=i + 1))
    store.close()  # no flush: close alone must write the queue
    reopened = open_store(target)
    assert sum(1 for _ in reopened.events()) == 3000
    reopened.close()


def test_many_threads_recording_lose_nothing(target: str) -> None:
    store = open_store(target)

    def burst(n: int) -> None:
        for i in range(500):
            store.record(ev(flow=f"f{n}", at=i + 1))

    threads = [threading.Thread(target=burst, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.flush()
    assert sum(1 for _ in store.events()) == 4000
    assert sum(1 for _ in store.events(Query(flow="f3"))) == 500
    store.close()


def test_query_by_flow_and_since(target: str) -> None:
    store = open_store(target)
    for event in [ev(flow="a", at=10), ev(flow="a", at=20), ev(flow="b", at=30)]:
        store.record(event)
    store.flush()
    assert [e.at for e in store.events(Query(flow="a", since=15))] == [20]
    assert [e.at for e in store.events(Query(since=15))] == [20, 30]
    store.close()


def test_migrations_are_applied_once_and_recorded(target: str) -> None:
    open_store(target).close()
    second: EventStore = open_store(target)  # a second start finds the schema in place
    second.record(ev())
    second.close()
    if target.startswith("postgresql"):
        import psycopg

        with psycopg.connect(target) as db:
            versions = [r[0] for r in db.execute("SELECT version FROM helpflow_schema")]
    else:
        with sqlite3.connect(target) as db:
            versions = [r[0] for r in db.execute("SELECT version FROM helpflow_schema")]
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert versions == list(range(1, LATEST + 1))


def test_purge_deletes_only_older_events(target: str) -> None:
    store = open_store(target)
    for at in (1_000, 2_000, 3_000):
        store.record(ev(at=at))
    store.flush()
    assert store.purge(2_500) == 2
    assert [e.at for e in store.events()] == [3_000]
    store.close()


def test_purge_command(target: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(target)
    store.record(ev(at=1_577_836_800_000))  # 2020-01-01
    store.record(ev(at=1_735_689_600_000))  # 2025-01-01
    store.close()
    assert main(["events", "purge", "--events", target, "--before", "2024-06-30"]) == 0
    assert "deleted 1 event" in capsys.readouterr().out
    store = open_store(target)
    assert [e.at for e in store.events()] == [1_735_689_600_000]
    store.close()


def test_purge_command_refuses_a_bad_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["events", "purge", "--events", str(tmp_path / "e.db"), "--before", "soon"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("helpflow: error: ")
    assert "YYYY-MM-DD" in err
    assert "Traceback" not in err


def test_unusable_targets_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(EventStoreError, match="does not exist"):
        open_store(str(tmp_path / "missing" / "events.db"))
    (tmp_path / "junk.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(EventStoreError, match="cannot use"):
        open_store(str(tmp_path / "junk.db"))


@pytest.mark.slow
def test_unreachable_postgres_is_a_clear_error(postgres: str) -> None:
    from servers import free_port

    with pytest.raises(EventStoreError, match="cannot use the events database"):
        open_store(f"postgresql://nobody:secret@127.0.0.1:{free_port()}/x?connect_timeout=2")


def test_serve_refuses_an_unusable_events_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow = str(Path(__file__).parent.parent / "flows" / "account-login.yaml")
    target = str(tmp_path / "missing" / "events.db")
    assert main(["serve", flow, "--events", target]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"helpflow: error: {target}: the folder for the events database")


def test_postgres_without_the_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if psycopg were not installed
    monkeypatch.delitem(sys.modules, "helpflow.events.postgres", raising=False)
    with pytest.raises(EventStoreError, match=r"pip install 'helpflow\[postgres\]'"):
        open_store("postgresql://localhost/x")


# --- short hand-off references (helpflow.events.references) ----------------------------------

ESCALATE = ("online", "cant_access", "not_solved")
HANDOFF = "/api/v1/flows/account-login/handoff"


def test_references_are_short_stable_and_resolve(target: str) -> None:
    store = open_store(target)
    token = "t" * 300
    code = store.save_reference("account-login", token)
    assert PATTERN.match(code)
    assert store.save_reference("account-login", token) == code  # shown again: the same
    assert store.lookup_reference(code) == ("account-login", token)
    assert store.lookup_reference("0000000000") is None
    other = store.save_reference("account-login", "u" * 300)
    assert other != code
    store.close()


def test_a_reference_collision_hands_out_the_token(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = "helpflow.events." + ("postgres" if target.startswith("postgresql") else "sqlite")
    monkeypatch.setattr(f"{backend}.short_reference", lambda token: "ABCDEFGHJK")
    store = open_store(target)
    assert store.save_reference("f", "first-token") == "ABCDEFGHJK"
    assert store.save_reference("f", "second-token") == "second-token"  # never the wrong one
    assert store.lookup_reference("ABCDEFGHJK") == ("f", "first-token")
    store.close()


def test_purge_deletes_old_references(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(target)
    backend = "helpflow.events." + ("postgres" if target.startswith("postgresql") else "sqlite")
    monkeypatch.setattr(f"{backend}.now_ms", lambda: 1_000)
    old = store.save_reference("f", "old-token")
    monkeypatch.setattr(f"{backend}.now_ms", lambda: 5_000)
    new = store.save_reference("f", "new-token")
    store.purge(2_000)
    assert store.lookup_reference(old) is None
    assert store.lookup_reference(new) == ("f", "new-token")
    store.close()


def escalated(client: TestClient) -> dict[str, Any]:
    data: dict[str, Any] = client.post("/api/v1/flows/account-login/sessions", json={}).json()
    for choice in ESCALATE:
        body = {"token": data["token"], "choice": choice}
        data = client.post("/api/v1/flows/account-login/choose", json=body).json()
    return data


def test_server_hands_out_short_references(target: str) -> None:
    with TestClient(create_app(BUNDLED, secret=b"s", events=target)) as client:
        end = escalated(client)
        packet = end["step"]["handoff"]
        code = packet["reference"]
        assert PATTERN.match(code)
        assert packet["summary"].endswith(f"\nReference: {code}")
        assert escalated(client)["step"]["handoff"]["reference"] == code  # same walk, same code
        by_code = client.get(HANDOFF, params={"reference": code})
        assert by_code.status_code == 200
        assert by_code.json() == client.get(HANDOFF, params={"token": end["token"]}).json()
        # as people type it: lower case, a dash, O for zero
        typed = code.lower()[:5] + "-" + code.lower()[5:]
        assert client.get(HANDOFF, params={"reference": typed}).json() == by_code.json()
        unknown = client.get(HANDOFF, params={"reference": "0000000000"})
        assert unknown.status_code == 404
        assert unknown.json()["error"]["code"] == "unknown_reference"
        page = client.get(
            "/flows/account-login/?purchase_channel=online&problem=cant_access"
            "&check_sign_in=not_solved"
        ).text
        assert f"Reference: {code}" in page
    assert main(["events", "lookup", code.lower(), "--events", target]) == 0
    assert main(["events", "lookup", "0000000000", "--events", target]) == 1
    assert main(["events", "lookup", "not a code", "--events", target]) == 1


def test_lookup_command_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = str(tmp_path / "events.db")
    store = open_store(target)
    code = store.save_reference("account-login", "TOKEN123")
    store.close()
    assert main(["events", "lookup", code, "--events", target]) == 0
    assert capsys.readouterr().out == (
        f"reference: {code}\nflow: account-login\ntoken: TOKEN123\n"
        f"packet: GET /api/v1/flows/account-login/handoff?reference={code}\n"
    )
    assert main(["events", "lookup", "0000000000", "--events", target]) == 1
    err = capsys.readouterr().err
    assert err == f"helpflow: error: no hand-off 0000000000 in {target}\n"
    assert main(["events", "lookup", "x!", "--events", target]) == 1
    assert "is not a hand-off reference" in capsys.readouterr().err


def test_without_events_the_token_is_the_reference() -> None:
    with TestClient(create_app(BUNDLED, secret=b"s")) as client:
        end = escalated(client)
        assert end["step"]["handoff"]["reference"] == end["token"]
        refused = client.get(HANDOFF, params={"reference": "ABCDEFGHJK"})
        assert refused.status_code == 400
        assert "use ?token=" in refused.json()["error"]["message"]


def test_reference_lookups_are_limited_and_checked(target: str) -> None:
    # 50 bits stand for a reader's session: a client trying codes one after another is
    # stopped long before it could hit one; a malformed code is a 400, not echoed whole.
    with TestClient(create_app(BUNDLED, secret=b"s", events=target)) as client:
        code = escalated(client)["step"]["handoff"]["reference"]
        assert client.get(HANDOFF, params={"reference": code}).status_code == 200
        bad = client.get(HANDOFF, params={"reference": "A" * 5_000})
        assert bad.status_code == 400
        assert bad.json()["error"]["code"] == "bad_reference"
        assert len(bad.text) < 300
        answers = [
            client.get(HANDOFF, params={"reference": f"{n:010d}"}).status_code for n in range(60)
        ]
        assert set(answers[:20]) == {404}
        assert answers[-1] == 429
        assert client.get(HANDOFF, params={"reference": code}).status_code == 429


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--format", "json"],
        ["events", "lookup", "0123456789"],
        ["events", "purge", "--before", "2026-01-01"],
    ],
)
def test_commands_do_not_create_a_mistyped_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    typo = tmp_path / "evnets.db"
    assert main([*command, "--events", str(typo)]) == 1
    assert capsys.readouterr().err == (
        f"helpflow: error: {typo}: no such events database (helpflow serve --events creates it)\n"
    )
    assert not typo.exists()
