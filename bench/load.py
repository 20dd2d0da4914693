"""Load on loopback: the step endpoint's throughput as a ratio to the same server's trivial
JSON endpoint (target >= 0.7), with 0 errors.

Uses wrk when installed (a C client, so the client does not compete with the server for the
interpreter), else a bounded Python client. Every run is bounded in time and count and only
talks to 127.0.0.1.

    python bench/load.py [--seconds 5] [--connections 16]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from servers import helpflow_server  # noqa: E402

API = "/api/v1/flows/account-login"

WRK_POST = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
"""


def run_wrk(url: str, seconds: int, connections: int, script: str | None) -> tuple[float, int]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        if script:
            handle.write(script)
    if script:
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


def run_python(
    url: str, seconds: int, connections: int, body: dict[str, str] | None
) -> tuple[float, int]:
    deadline = time.monotonic() + seconds

    def worker(_: int) -> tuple[int, int]:
        done = errors = 0
        with httpx2.Client(timeout=10) as client:
            while time.monotonic() < deadline and done < 100_000:
                response = client.post(url, json=body) if body else client.get(url)
                done += 1
                errors += response.status_code >= 300
        return done, errors

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        results = list(pool.map(worker, range(connections)))
    elapsed = time.monotonic() - start
    return sum(d for d, _ in results) / elapsed, sum(e for _, e in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    use_wrk = shutil.which("wrk") is not None
    with helpflow_server(ROOT / "flows", secret="load-test") as server:
        token = httpx2.post(f"{server}{API}/sessions", json={}).json()["token"]
        first = {"token": token, "choice": "retail"}
        token = httpx2.post(f"{server}{API}/choose", json=first).json()["token"]
        body = {"token": token, "choice": "cant_access"}
        results: dict[str, list[tuple[float, int]]] = {"health": [], "step": []}
        for _ in range(2):  # interleaved, best of two, against drift on a noisy machine
            for name in ("health", "step"):
                step = name == "step"
                url = f"{server}{API}/choose" if step else f"{server}/api/v1/health"
                if use_wrk:
                    script = WRK_POST.format(body=json.dumps(json.dumps(body))) if step else None
                    results[name].append(run_wrk(url, args.seconds, args.connections, script))
                else:
                    payload = body if step else None
                    results[name].append(run_python(url, args.seconds, args.connections, payload))
    health = max(r for r, _ in results["health"])
    stepped = max(r for r, _ in results["step"])
    errors = sum(e for runs in results.values() for _, e in runs)
    client = "wrk" if use_wrk else "python client"
    print(
        f"load on 127.0.0.1, one server process, {client}, {args.connections} connections, "
        f"{args.seconds} s per run, 2 runs per endpoint:"
    )
    print(f"  GET  /api/v1/health          {health:10.0f} req/s   (baseline)")
    print(f"  POST {API}/choose {stepped:10.0f} req/s")
    ratio = stepped / health
    print(
        f"  ratio step / trivial        {ratio:10.2f}      target >= 0.7  "
        + ("ok" if ratio >= 0.7 else "MISSED")
    )
    print(
        f"  errors                      {errors:10d}      target 0  "
        + ("ok" if errors == 0 else "MISSED")
    )


if __name__ == "__main__":
    main()
