"""What recording events costs the choose endpoint: throughput of `POST …/choose` on a server
recording events (SQLite file; PostgreSQL) as a ratio to the same endpoint on a server that
records none. Target: ratio >= 0.9 (events cost at most 10%).

Runs are interleaved (none, sqlite, postgresql, none, …), best of `--runs` each, bounded in
time and requests, loopback only. PostgreSQL is a throwaway cluster (tests/pgserver.py);
without one the PostgreSQL row is skipped.

    python bench/events_bench.py [--seconds 5] [--connections 16] [--runs 2]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from load import WRK_POST, run_python, run_wrk  # noqa: E402

from servers import helpflow_server  # noqa: E402

API = "/api/v1/flows/account-login"
TARGET = 0.9


@contextlib.contextmanager
def postgres() -> Iterator[str | None]:
    try:
        from pgserver import _bindir, fresh_database, postgres_cluster
    except ImportError:
        yield None
        return
    if _bindir() is None:
        yield None
        return
    with postgres_cluster() as url:
        yield fresh_database(url, "bench")


def choose_body(server: str) -> dict[str, str]:
    token = httpx2.post(f"{server}{API}/sessions", json={}).json()["token"]
    return {"token": token, "choice": "retail"}


def measure(server: str, seconds: int, connections: int) -> float:
    body = choose_body(server)
    if shutil.which("wrk"):
        script = WRK_POST.format(body=json.dumps(json.dumps(body)))
        rate, errors = run_wrk(f"{server}{API}/choose", seconds, connections, script)
    else:
        rate, errors = run_python(f"{server}{API}/choose", seconds, connections, body)
    if errors:
        raise SystemExit(f"{errors} failed requests against {server}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, postgres() as pg, contextlib.ExitStack() as stack:
        targets = {"none": None, "sqlite": str(Path(tmp) / "events.db"), "postgresql": pg}
        servers = {}
        for name, target in targets.items():
            if name != "none" and target is None:
                continue
            extra = ("--events", target) if target else ()
            servers[name] = stack.enter_context(
                helpflow_server(ROOT / "flows", secret="bench", extra=extra)
            )
        rates: dict[str, list[float]] = {name: [] for name in servers}
        for _ in range(args.runs):
            for name, server in servers.items():
                rates[name].append(measure(server, args.seconds, args.connections))
    client = "wrk" if shutil.which("wrk") else "python client"
    print(
        f"POST {API}/choose on 127.0.0.1, one server process each, {client}, "
        f"{args.connections} connections, {args.seconds} s per run, best of {args.runs}:"
    )
    base = max(rates["none"])
    print(f"  no events        {base:8.0f} req/s  (baseline)")
    for name in ("sqlite", "postgresql"):
        if name not in rates:
            print(f"  {name:<16} skipped (no PostgreSQL binaries)")
            continue
        best = max(rates[name])
        ratio = best / base
        verdict = "ok" if ratio >= TARGET else "MISSED"
        print(f"  {name:<16} {best:8.0f} req/s  ratio {ratio:.2f}  target >= {TARGET}  {verdict}")


if __name__ == "__main__":
    main()
