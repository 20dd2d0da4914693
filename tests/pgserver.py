"""A real, throwaway PostgreSQL for the tests: Debian's binaries, initdb and pg_ctl in a
temporary folder on a free port, run as the `postgres` user when the tests run as root
(PostgreSQL refuses to run as root). In CI a missing PostgreSQL fails; elsewhere it skips."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from servers import free_port


def _bindir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parent)
    return found[-1].parent if found else None


def require_postgres() -> Path:
    bindir = _bindir()
    if bindir is not None:
        return bindir
    message = "PostgreSQL not found in /usr/lib/postgresql: run scripts/install-test-deps.sh"
    if os.environ.get("CI"):
        pytest.fail(message)  # in CI a missing database is a failure, never a skip
    pytest.skip(message)


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """Yields the URL of the cluster's `postgres` database; stops and deletes it after."""
    bindir = require_postgres()
    home = Path(tempfile.mkdtemp(prefix="helpflow-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = home / "data", free_port()

    def run(*command: str) -> None:
        subprocess.run([*as_user, *command], check=True, capture_output=True, timeout=120)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-N")
        options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(home / "log"),
            "-w",
            "start",
        )
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(home, ignore_errors=True)


def fresh_database(url: str, name: str) -> str:
    """A new empty database in the cluster at `url`; its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"'.encode())
        db.execute(f'CREATE DATABASE "{name}"'.encode())
    return url.rsplit("/", 1)[0] + "/" + name
