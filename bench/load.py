"""Load on loopback: the step endpoint's throughput as a ratio to the same server's trivial
JSON endpoint (target >= 0.5), with 0 errors; then the same with `--workers 1` and `--workers 2`.

Uses wrk when installed (`apt-get install wrk`: a C client that does not compete with the
server for an interpreter), else a bounded Python client (keep-alive raw sockets, one process
per connection). Every run is bounded in time and count and only talks to 127.0.0.1.

    python bench/load.py [--seconds 3] [--connections 4]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from servers import helpflow_server  # noqa: E402

API = "/api/v1/flows/account-login"
MAX_REQUESTS = 200_000  # per client, whatever the duration
TARGET = 0.5

WRK_POST = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
"""

Result = tuple[float, int]  # requests per second, errors


def run_wrk(url: str, seconds: int, connections: int, body: bytes | None) -> Result:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        if body is not None:
            handle.write(WRK_POST.format(body=json.dumps(body.decode())))
    if body is not None:
        cmd += ["-s", handle.name]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 30).stdout
    os.unlink(handle.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if non2xx:
        errors += int(non2xx.group(1))
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return rate, errors


def _request(url: str, body: bytes | None) -> bytes:
    parts = urlsplit(url)
    if body is None:
        return f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()
    return (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def _client(job: tuple[str, int, bytes, float]) -> tuple[int, int]:
    """One keep-alive connection sending `request` until `deadline`: (done, errors)."""
    host, port, request, deadline = job
    done = errors = 0
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        while time.monotonic() < deadline and done < MAX_REQUESTS:
            sock.sendall(request)
            while b"\r\n\r\n" not in buffer:
                buffer += sock.recv(65536)
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
            while len(buffer) < length:
                buffer += sock.recv(65536)
            buffer = buffer[length:]
            done += 1
            errors += not head.startswith(b"HTTP/1.1 2")
    return done, errors


def run_python(url: str, seconds: int, connections: int, body: bytes | None) -> Result:
    parts = urlsplit(url)
    request = _request(url, body)
    start = time.monotonic()
    jobs = [(parts.hostname or "", parts.port or 80, request, start + seconds)] * connections
    with multiprocessing.Pool(connections) as pool:
        results = pool.map(_client, jobs)
    elapsed = time.monotonic() - start
    return sum(d for d, _ in results) / elapsed, sum(e for _, e in results)


def measure(server: str, seconds: int, connections: int) -> dict[str, Result]:
    """Health and choose, interleaved twice (best of two, against drift)."""
    token = httpx2.post(f"{server}{API}/sessions", json={}).json()["token"]
    token = httpx2.post(f"{server}{API}/choose", json={"token": token, "choice": "retail"})
    body = json.dumps({"token": token.json()["token"], "choice": "cant_access"}).encode()
    run = run_wrk if shutil.which("wrk") else run_python
    runs: dict[str, list[Result]] = {"health": [], "choose": []}
    for _ in range(2):
        runs["health"].append(run(f"{server}/api/v1/health", seconds, connections, None))
        runs["choose"].append(run(f"{server}{API}/choose", seconds, connections, body))
    return {
        name: (max(r for r, _ in results), sum(e for _, e in results))
        for name, results in runs.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    client = "wrk" if shutil.which("wrk") else "python client"
    print(
        f"load on 127.0.0.1, {client}, {args.connections} keep-alive connections, "
        f"{args.seconds} s per run, best of 2 interleaved runs per endpoint"
    )
    by_workers: dict[int, dict[str, Result]] = {}
    for workers in (1, 2):
        extra = ("--workers", str(workers))
        with helpflow_server(ROOT / "flows", secret="load-test", extra=extra) as server:
            by_workers[workers] = measure(server, args.seconds, args.connections)
    errors = 0
    for workers, result in by_workers.items():
        (health, e1), (choose, e2) = result["health"], result["choose"]
        errors += e1 + e2
        ratio = choose / health
        verdict = "ok" if ratio >= TARGET else "MISSED"
        print(
            f"  --workers {workers}: GET health {health:8.0f} req/s"
            f"   POST choose {choose:8.0f} req/s"
        )
        print(f"               choose/health {ratio:5.2f}   target >= {TARGET}  {verdict}")
    scale = by_workers[2]["choose"][0] / by_workers[1]["choose"][0]
    print(f"  choose, 2 workers / 1 worker {scale:5.2f}   (cores: {os.cpu_count()})")
    print(f"  errors {errors}   target 0  " + ("ok" if errors == 0 else "MISSED"))


if __name__ == "__main__":
    main()
