"""Headers and limits every response gets: a Content-Security-Policy the pages and the widget
satisfy, configurable frame-ancestors for embedding, a cap on request bodies and a deadline
for them, and refused CORS preflights answered like every other API error."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from helpflow.server.errors import ApiError, error_body


def csp(nonce: str, frame_ancestors: Sequence[str]) -> str:
    ancestors = " ".join(frame_ancestors) or "'none'"
    return (
        "default-src 'none'; "
        f"script-src 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
        "img-src 'self' data:; form-action 'self'; base-uri 'none'; "
        f"frame-ancestors {ancestors}"
    )


class SecurityHeaders:
    """Adds security headers; the per-request CSP nonce is left in `scope["state"]`."""

    def __init__(self, app: ASGIApp, *, frame_ancestors: Sequence[str]) -> None:
        self.app = app
        self.frame_ancestors = tuple(frame_ancestors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        policy = csp(nonce, self.frame_ancestors).encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", policy),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"strict-origin-when-cross-origin"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses bodies over `limit` bytes with 413, by Content-Length or while streaming, and
    bodies still incomplete `timeout` seconds after the app first asks for them with 408 (a
    client dribbling its body would otherwise hold a connection and a task forever)."""

    def __init__(self, app: ASGIApp, *, limit: int, timeout: float) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await _too_large(send, self.limit)
                return
        seen = 0
        deadline: float | None = None

        async def limited() -> Message:
            nonlocal seen, deadline
            now = asyncio.get_running_loop().time()
            if deadline is None:
                deadline = now + self.timeout
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - now))
            except TimeoutError:
                raise ApiError(
                    408, "request_timeout", f"the request body took over {self.timeout:g} s"
                ) from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise ApiError(413, "payload_too_large", _too_large_text(self.limit))
            return message

        await self.app(scope, limited, send)


class JsonCors(CORSMiddleware):
    """Starlette's CORS middleware, except that a refused preflight gets the API's JSON error
    body (Starlette answers plain text)."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        refused = JSONResponse(
            error_body("cors_refused", bytes(response.body).decode()),
            status_code=response.status_code,
        )
        for name, value in response.headers.items():
            if name not in ("content-type", "content-length"):
                refused.headers[name] = value
        return refused


def _too_large_text(limit: int) -> str:
    return f"request body is over {limit:,} bytes"


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps(error_body("payload_too_large", _too_large_text(limit))).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
