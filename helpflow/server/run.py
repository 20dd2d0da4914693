"""Running the app under uvicorn as `helpflow serve` does: httptools and uvloop when installed
(the `serve` extra installs both), a listening socket that gives every accepted connection
TCP_NODELAY, and a deadline for clients that send their request headers slowly.

The request body's deadline is kept by the app itself (`security.BodyLimit`), so it holds
under any ASGI server.
"""

from __future__ import annotations

import importlib.util
import inspect
import logging
import socket
from collections.abc import Callable
from typing import Any

import uvicorn
from uvicorn.supervisors import ChangeReload, Multiprocess

from helpflow.errors import HelpflowError

log = logging.getLogger("helpflow.server")


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound here rather than by uvicorn's supervisor: asyncio turns on
    TCP_NODELAY for an accepted connection only when the listening socket says IPPROTO_TCP,
    and uvicorn binds without it (uvicorn #3149), so under `--workers` every keep-alive
    response waited ~40 ms for Nagle's algorithm and the client's delayed ACK."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise HelpflowError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.set_inheritable(True)
    return sock


def _http_protocol() -> Any:
    if importlib.util.find_spec("httptools") is None:
        return "h11"  # the slow path: no header deadline (see docs/deploying.md)
    from helpflow.server._protocol import GuardedHttpToolsProtocol

    return GuardedHttpToolsProtocol


def serve(
    app: str | Callable[..., Any],
    *,
    host: str,
    port: int,
    workers: int = 1,
    reload: bool = False,
    timeout: int = 10,
    factory: bool = True,
    loop: str | None = None,
) -> None:
    """Serve `app` (an ASGI app, or its import string: needed for workers and reload) until
    interrupted.

    `timeout` (seconds) bounds how long a connection may sit idle between requests and how
    long a client may take to send a request's headers.
    """
    if loop is None:
        loop = "uvloop" if importlib.util.find_spec("uvloop") is not None else "asyncio"
    config = uvicorn.Config(
        app,
        factory=factory,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        http=_http_protocol(),
        loop=loop,
        timeout_keep_alive=timeout,
        log_level="warning",
        # uvicorn kills a worker that does not answer its supervisor's ping within 5 s; a
        # worker still compiling its flows on a busy host then never came up (killed and
        # restarted over and over).
        **_supported(uvicorn.Config, timeout_worker_healthcheck=60),
    )
    sock = listening_socket(host, port)
    server = uvicorn.Server(config)
    if config.should_reload:
        ChangeReload(config, target=server.run, sockets=[sock]).run()
    elif config.workers > 1:
        # Older uvicorn releases took the worker's entry point; newer ones build their own.
        Multiprocess(config, sockets=[sock], **_supported(Multiprocess, target=server.run)).run()
    else:
        server.run(sockets=[sock])


def _supported(function: Callable[..., Any], **options: Any) -> dict[str, Any]:
    """The options `function` takes (they differ between uvicorn releases)."""
    parameters = inspect.signature(function).parameters
    return {name: value for name, value in options.items() if name in parameters}


__all__ = ["listening_socket", "serve"]
