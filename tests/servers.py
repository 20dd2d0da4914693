"""Real server processes on loopback for the tests: `helpflow serve` as a user runs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def helpflow_server(
    path: Path, *, secret: str, extra: tuple[str, ...] = (), log: Path | None = None
) -> Iterator[str]:
    """`helpflow serve PATH` on a free loopback port. Its standard error goes to `log` when
    given (complete once the block has exited)."""
    with helpflow_process(path, secret=secret, extra=extra, log=log) as (url, _):
        yield url


@contextmanager
def helpflow_process(
    path: Path, *, secret: str, extra: tuple[str, ...] = (), log: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The server's URL and its process (for tests that signal it), once it answers."""
    command = [sys.executable, "-m", "helpflow", "serve", str(path), *extra]
    env = {**os.environ, "HELPFLOW_SECRET": secret}
    with _started(command, env=env, log=log) as started:
        yield started


@contextmanager
def running(command: list[str], *, env: dict[str, str], log: Path | None = None) -> Iterator[str]:
    """Run a server command with `--port N` added; yield its URL once it answers."""
    with _started(command, env=env, log=log) as (url, _):
        yield url


@contextmanager
def _started(
    command: list[str], *, env: dict[str, str], log: Path | None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    with ExitStack() as stack:
        stderr = stack.enter_context(open(log, "wb")) if log else subprocess.PIPE
        process = subprocess.Popen(
            [*command, "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(process, url, log)
            yield url, process
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a server process we started, and close its pipes."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path | None) -> None:
    deadline = time.monotonic() + 90  # generous: spawned workers start slowly on a busy machine
    while True:
        if process.poll() is not None:
            output = process.stderr.read() if process.stderr else b""
            output += log.read_bytes() if log else b""
            raise RuntimeError(f"server exited: {output.decode()}")
        try:
            if httpx2.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start within 90 s")
        time.sleep(0.1)
