"""The language of a request: `?lang=` when given, else the best fit for `Accept-Language`,
else the flow's source language; and the headers that say which one was answered."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from helpflow.i18n.negotiate import negotiate
from helpflow.server.errors import ApiError
from helpflow.server.flowset import FlowSet

PARAM = "lang"


def explicit(flows: FlowSet, flow_id: str, request: Request, *, strict: bool) -> str | None:
    """The language `?lang=` asks for (`fr-CA` gets `fr`); None when there is no `?lang=`.
    One the flow is not served in is a 400 `unknown_language` with `strict` (the API), and
    ignored without (pages fall back to negotiation: a reader following an old link still
    gets a page)."""
    asked = request.query_params.get(PARAM)
    if not asked:
        return None
    available = flows.available(flow_id)
    found = negotiate(available, [asked.replace("_", "-")])
    if found is None and strict:
        shown = asked if len(asked) <= 32 else asked[:32] + "…"
        raise ApiError(
            400,
            "unknown_language",
            f"flow {flow_id!r} has no language {shown!r}; it has: {', '.join(available)}",
        )
    return found


def requested(flows: FlowSet, flow_id: str, request: Request, *, strict: bool) -> str:
    """The language to answer `request` in."""
    return explicit(flows, flow_id, request, strict=strict) or flows.negotiate(
        flow_id, request.headers.get("accept-language")
    )


def mark(response: Response, lang: str) -> Response:
    """Say which language the response is in, and that it depends on `Accept-Language`
    (so a shared cache keeps one copy per language)."""
    response.headers["content-language"] = lang
    vary = response.headers.get("vary")
    if vary is None:
        response.headers["vary"] = "Accept-Language"
    elif "accept-language" not in vary.lower():
        response.headers["vary"] = f"{vary}, Accept-Language"
    return response
