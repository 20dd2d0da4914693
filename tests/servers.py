"""Real server processes on loopback for the tests: `helpflow serve` as a user runs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def helpflow_server(path: Path, *, secret: str, extra: tuple[str, ...] = ()) -> Iterator[str]:
    with helpflow_process(path, secret=secret, extra=extra) as (url, _):
        yield url


@contextmanager
def helpflow_process(
    path: Path, *, secret: str, extra: tuple[str, ...] = ()
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The server's URL and its process (for tests that signal it), once it answers."""
    port = free_port()
    env = {**os.environ, "HELPFLOW_SECRET": secret}
    process = subprocess.Popen(
        [sys.executable, "-m", "helpflow", "serve", str(path), "--port", str(port), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"server exited: {process.stderr.read().decode() if process.stderr else ''}"
                )
            try:
                if httpx2.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start within 30 s")
            time.sleep(0.1)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
