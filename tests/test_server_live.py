"""Servers as processes on loopback: scale-out across processes, pages and the widget in
Chromium under the real Content-Security-Policy, a property-based API test, and a bounded
load run with zero errors."""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2
import pytest

from browser import axe_violations
from servers import helpflow_server, running
from support import BUNDLED

# Starts server processes, subprocesses or long property runs: left out of the fast run.
pytestmark = pytest.mark.slow

SECRET = "shared-secret-for-every-process"
API = "/api/v1/flows/account-login"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with helpflow_server(BUNDLED.parent, secret=SECRET) as url:
        yield url


def test_a_session_moves_between_two_server_processes(server: str) -> None:
    with helpflow_server(BUNDLED.parent, secret=SECRET) as other:
        body = httpx2.post(f"{server}{API}/sessions", json={}).json()
        body = httpx2.post(
            f"{other}{API}/choose", json={"token": body["token"], "choice": "retail"}
        ).json()
        body = httpx2.post(
            f"{server}{API}/choose", json={"token": body["token"], "choice": "cant_access"}
        ).json()
        body = httpx2.post(
            f"{other}{API}/choose", json={"token": body["token"], "choice": "not_solved"}
        ).json()
        assert body["step"]["node_id"] == "contact_retailer"
        # A server with another secret refuses the same token.
        with helpflow_server(BUNDLED.parent, secret="another") as stranger:
            response = httpx2.get(f"{stranger}{API}/step", params={"token": body["token"]})
            assert response.status_code == 403


def test_server_pages_walk_with_javascript_off(page_nojs: Any, server: str) -> None:
    page_nojs.goto(f"{server}/flows/account-login/")
    for choice in ["isp", "forgot_details", "password", "not_solved"]:
        page_nojs.click(f'[data-choice="{choice}"]')
    assert page_nojs.get_attribute("h1", "data-node") == "contact_isp"
    page_nojs.click(".hf-change a >> nth=0")
    page_nojs.click('[data-choice="retail"]')
    assert page_nojs.get_attribute("h1", "data-node") == "contact_retailer"
    page_nojs.click("a.hf-back")
    assert page_nojs.get_attribute("h1", "data-node") == "forgot_password"


@pytest.mark.parametrize(
    "where",
    [
        "/",
        "/flows/account-login/",
        "/flows/account-login/?purchase_channel=retail&problem=cant_access",
    ],
)
def test_server_pages_have_no_axe_violations(chromium: Any, server: str, where: str) -> None:
    # The server's CSP rightly refuses injected scripts; axe is injected by the test itself.
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(server + where)
    assert axe_violations(page) == []
    context.close()


def test_widget_runs_under_the_servers_csp(page: Any, server: str) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/flows/account-login/widget")
    page.click('.hf-app [data-choice="online"]')
    assert page.get_attribute(".hf-app [data-node]", "data-node") == "problem"
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_bounded_load_has_no_errors(server: str) -> None:
    token = httpx2.post(f"{server}{API}/sessions", json={}).json()["token"]

    def one(i: int) -> int:
        with httpx2.Client(base_url=server, timeout=10) as client:
            codes = []
            for _ in range(25):
                r = client.post(f"{API}/choose", json={"token": token, "choice": "retail"})
                codes.append(r.status_code)
            return sum(1 for c in codes if c != 200)

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        failures = sum(pool.map(one, range(8)))
    assert failures == 0  # 200 requests from 8 concurrent clients


def test_accepted_sockets_have_tcp_nodelay_under_two_workers() -> None:
    # Without TCP_NODELAY every keep-alive response waited ~44 ms (Nagle's algorithm against
    # the client's delayed ACK): ~360 req/s with --workers 2. A probe app served the way
    # `helpflow serve` serves reads the option on its own end of each connection.
    tests = Path(__file__).parent
    env = {**os.environ, "PYTHONPATH": str(tests)}
    command = [sys.executable, str(tests / "nodelay_probe.py"), "--workers", "2"]
    with running(command, env=env) as url:
        port = urlsplit(url).port
        seen = []
        for _ in range(6):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            for _ in range(3):  # kept alive
                connection.request("GET", "/")
                seen.append(json.loads(connection.getresponse().read())["nodelay"])
            connection.close()
    assert seen == [True] * 18


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server that gives clients 1 s, and its standard error."""
    log = tmp_path_factory.mktemp("strict") / "stderr.txt"
    with helpflow_server(BUNDLED.parent, secret=SECRET, extra=("--timeout", "1"), log=log) as url:
        yield url, log


def _connect(url: str) -> socket.socket:
    return socket.create_connection(("127.0.0.1", urlsplit(url).port or 80), timeout=0.25)


def _dribble(sock: socket.socket, byte: bytes, times: int) -> bytes | None:
    """Send `byte` every 0.25 s; what the server answered, b"" if it closed, None if it let
    the client go on for all `times`."""
    for _ in range(times):
        try:
            sock.sendall(byte)
        except OSError:
            return b""
        try:
            received = sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            return b""
        return received + _rest(sock) if received else received
    return None


def _rest(sock: socket.socket) -> bytes:
    """The rest of an answer whose first bytes arrived: TCP may split head and body, so read
    until the server closes or goes quiet for a second."""
    sock.settimeout(1.0)
    chunks: list[bytes] = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except OSError:
        pass
    return b"".join(chunks)


def _start_post(sock: socket.socket, body_start: bytes) -> None:
    """Headers announcing a 100-byte JSON body, and its first bytes."""
    head = f"POST {API}/sessions HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n"
    sock.sendall(head.encode() + b"content-length: 100\r\n\r\n" + body_start)


def _wait_for(log: Path, text: str) -> str:
    deadline = time.monotonic() + 10
    while text not in (content := log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return content


def test_a_client_slow_to_send_its_headers_is_cut_off(strict: tuple[str, Path]) -> None:
    url, log = strict
    with _connect(url) as sock:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        assert _dribble(sock, b"x", 40) == b""  # 10 s of dribbling; closed after ~1
    assert "sent no complete request headers within 1 s; closed" in _wait_for(log, "closed")


def test_a_client_slow_to_send_its_body_gets_a_408(strict: tuple[str, Path]) -> None:
    url, _ = strict
    with _connect(url) as sock:
        _start_post(sock, b"{")
        answer = _dribble(sock, b" ", 40)
    assert answer is not None
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b'"code":"request_timeout"' in answer


def test_a_client_gone_mid_body_is_one_log_line(strict: tuple[str, Path]) -> None:
    url, log = strict
    with _connect(url) as sock:
        _start_post(sock, b'{"va')
        time.sleep(0.3)
    content = _wait_for(log, "disconnected before sending the whole body")
    lines = [line for line in content.splitlines() if "disconnected" in line]
    assert lines == [lines[0]]  # exactly one line
    assert lines[0].startswith("helpflow: warning: 127.0.0.1:")
    assert lines[0].endswith(f"disconnected before sending the whole body of POST {API}/sessions")
    assert "Traceback" not in content


def test_huge_headers_are_refused(strict: tuple[str, Path]) -> None:
    url, _ = strict
    with socket.create_connection(("127.0.0.1", urlsplit(url).port or 80), timeout=10) as sock:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        with contextlib.suppress(OSError):  # closed while we still send: a refusal too
            sock.sendall((b"X-Big: " + b"a" * 1000 + b"\r\n") * 2000)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert answer.endswith(b'"message": "request headers are over 65,536 bytes"}}')
    assert httpx2.get(f"{url}/api/v1/health").status_code == 200
