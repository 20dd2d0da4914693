"""uvicorn's httptools protocol with a deadline and a size cap for each request's headers.

uvicorn closes a keep-alive connection that stays idle, but a client that opens a connection
and then sends its headers a byte at a time (slowloris) held it forever, and httptools takes
headers of any size (2 MB were parsed and answered). Here the headers of every request must
be complete within the keep-alive timeout of their first byte (or of the connection's
opening), and at most `MAX_HEADER_BYTES` long."""

from __future__ import annotations

import asyncio
import json
import logging

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from helpflow.server.errors import error_body

log = logging.getLogger("helpflow.server")

MAX_HEADER_BYTES = 64 * 1024
_TOO_LARGE = json.dumps(
    error_body("headers_too_large", f"request headers are over {MAX_HEADER_BYTES:,} bytes")
).encode()


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    _header_deadline: asyncio.TimerHandle | None = None
    _header_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._header_deadline is None and (not self.cycle or self.cycle.response_complete):
            self._arm()  # the first bytes of the next request on a kept-alive connection
        self._header_bytes += len(data)
        super().data_received(data)
        if self._header_deadline is not None and self._header_bytes > MAX_HEADER_BYTES:
            self._disarm()  # still no end of the headers in all that
            self.transport.write(
                b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                b"content-type: application/json\r\nconnection: close\r\n"
                b"content-length: %d\r\n\r\n%s" % (len(_TOO_LARGE), _TOO_LARGE)
            )
            self.transport.close()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._header_bytes = 0
        self._header_deadline = self.loop.call_later(self.timeout_keep_alive, self._expire)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _expire(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
            log.warning(
                "%s sent no complete request headers within %s s; closed",
                client,
                self.timeout_keep_alive,
            )
            self.transport.close()
