"""Real `helpflow serve` processes under bounded concurrent load: no event lost, with two
processes on one PostgreSQL database, and when a server is stopped with SIGTERM mid-load."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx2
import pytest
from pgserver import fresh_database, postgres_cluster

from helpflow.events import open_store

from servers import helpflow_process
from support import BUNDLED

pytestmark = pytest.mark.slow  # server processes and a PostgreSQL cluster

THREADS, REQUESTS = 4, 40  # bounded: 160 chooses per server


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    with postgres_cluster() as url:
        yield fresh_database(url, "live")


def server(events: str) -> AbstractContextManager[tuple[str, subprocess.Popen[bytes]]]:
    return helpflow_process(BUNDLED, secret="live", extra=("--events", events))


def load(url: str, acknowledged: list[int]) -> None:
    """THREADS clients each choosing REQUESTS times; counts the 200s it got back."""

    def client() -> None:
        with httpx2.Client(base_url=url, timeout=10) as http:
            try:
                started = http.post("/api/v1/flows/account-login/sessions", json={})
                token = started.json()["token"]
                for _ in range(REQUESTS):
                    response = http.post(
                        "/api/v1/flows/account-login/choose",
                        json={"token": token, "choice": "online"},
                    )
                    if response.status_code == 200:
                        acknowledged.append(1)
            except httpx2.TransportError:
                return  # the server went away: this request was not acknowledged

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def answered(target: str) -> int:
    store = open_store(target)
    try:
        return sum(1 for e in store.events() if e.type == "answered")
    finally:
        store.close()


def test_two_processes_one_postgres_lose_nothing(postgres: str) -> None:
    with server(postgres) as (first, _), server(postgres) as (second, _):
        acknowledged: list[int] = []
        runs = [threading.Thread(target=load, args=(u, acknowledged)) for u in (first, second)]
        for run in runs:
            run.start()
        for run in runs:
            run.join()
    assert len(acknowledged) == 2 * THREADS * REQUESTS
    assert answered(postgres) == len(acknowledged)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigterm_mid_load_loses_nothing_acknowledged(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        target = str(tmp_path / "events.db")
    else:
        target = fresh_database(request.getfixturevalue("postgres"), "sigterm")
    acknowledged: list[int] = []
    with server(target) as (url, process):
        run = threading.Thread(target=load, args=(url, acknowledged))
        run.start()
        while len(acknowledged) < THREADS * REQUESTS // 4:
            time.sleep(0.01)
        process.send_signal(signal.SIGTERM)
        run.join()
        # uvicorn re-raises SIGTERM after its graceful shutdown (lifespan included).
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)
        assert process.stderr is not None
        assert b"Traceback" not in process.stderr.read()
    assert 0 < len(acknowledged) < THREADS * REQUESTS  # stopped part-way
    stored = answered(target)
    assert stored >= len(acknowledged), (stored, len(acknowledged))
