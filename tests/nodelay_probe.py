"""A worker-side probe for the live tests: an ASGI app that answers with its own process id
and whether the accepted socket of the connection asking has TCP_NODELAY set, served by
`helpflow.server.run.serve` exactly as `helpflow serve` serves the real app.

    python tests/nodelay_probe.py --workers 2 --port 8000
"""

from __future__ import annotations

import argparse
import json
import os
import socket
from typing import Any


def _nodelay_of_peer(peer: tuple[str, int]) -> bool | None:
    """Find this process's socket connected to `peer` and read its TCP_NODELAY."""
    for fd in os.listdir("/proc/self/fd"):
        try:
            if not os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                continue
            probe = socket.socket(fileno=os.dup(int(fd)))
        except OSError:
            continue
        with probe:
            try:
                if probe.getpeername()[:2] != peer:
                    continue
            except OSError:
                continue
            return bool(probe.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
    return None


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    host, port = scope["client"]
    body = json.dumps({"pid": os.getpid(), "nodelay": _nodelay_of_peer((host, port))}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


if __name__ == "__main__":
    from helpflow.server.run import serve

    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # asyncio's own loop: uvloop sets TCP_NODELAY by itself and would hide the bug.
    serve(
        "nodelay_probe:app",
        factory=False,
        host="127.0.0.1",
        port=args.port,
        workers=args.workers,
        loop="asyncio",
    )
