"""The HTTP face of helpflow: a stateless JSON API and server-rendered pages (Starlette).

    from helpflow.server import create_app
    app = create_app("flows/", secret=b"...")      # any ASGI server; or mount it in yours

Needs the `serve` extra: `pip install 'helpflow[serve]'`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

try:
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.requests import ClientDisconnect, Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "helpflow's server needs Starlette and uvicorn: pip install 'helpflow[serve]'"
    ) from exc

from helpflow.errors import HelpflowError
from helpflow.renderers import get_renderer
from helpflow.server.api import PREFIX, Api, error_response
from helpflow.server.errors import ApiError, classify
from helpflow.server.flowset import FlowSet
from helpflow.server.openapi import openapi_document
from helpflow.server.pages import Pages
from helpflow.server.security import BodyLimit, JsonCors, SecurityHeaders
from helpflow.server.support import support_loop
from helpflow.server.support_openapi import add_support_paths

SECRET_ENV = "HELPFLOW_SECRET"
PRODUCTION_ENV = "HELPFLOW_PRODUCTION"
DEFAULT_MAX_BODY = 16 * 1024
DEFAULT_CLIENT_TIMEOUT = 10.0

log = logging.getLogger("helpflow.server")


class ConfigError(HelpflowError):
    """The server cannot start as configured."""


def _secret(secret: bytes | None, production: bool) -> bytes | None:
    if secret is None and os.environ.get(SECRET_ENV):
        secret = os.environ[SECRET_ENV].encode()
    if production and not secret:
        raise ConfigError(
            f"production mode needs a token secret: set {SECRET_ENV} to a long random value "
            "(the same on every server process)"
        )
    return secret


def create_app(
    path: str | os.PathLike[str],
    *,
    secret: bytes | None = None,
    production: bool | None = None,
    vars: Mapping[str, str] | None = None,
    cors_origins: Sequence[str] = (),
    frame_ancestors: Sequence[str] = ("'self'",),
    max_body: int = DEFAULT_MAX_BODY,
    client_timeout: float = DEFAULT_CLIENT_TIMEOUT,
    events: str | None = None,
    store_comments: bool = False,
    handoff_webhook: str | None = None,
) -> Starlette:
    """An ASGI app serving the flow file or folder of flows at `path`.

    Tokens are signed with `secret` (default: `$HELPFLOW_SECRET`); in production mode
    (`production=True` or `$HELPFLOW_PRODUCTION=1`) a missing secret is a start-up error.
    A request body must arrive within `client_timeout` seconds.
    """
    if production is None:
        production = os.environ.get(PRODUCTION_ENV, "") not in ("", "0", "false")
    flows = FlowSet(Path(path), secret=_secret(secret, production), vars=vars)
    json_renderer = get_renderer("json", indent=None)
    html = get_renderer("html")
    if not (html.can("render_page") and html.can("page_assets")):
        raise ConfigError("the 'html' renderer installed cannot render pages")
    api = Api(flows, json_renderer)
    pages = Pages(flows, html)
    step_schema = json_renderer.schema() if json_renderer.can("schema") else {}
    document = openapi_document(step_schema)
    add_support_paths(document, events=bool(events))

    async def openapi(request: Request) -> Response:
        return JSONResponse(document)

    middleware = [
        Middleware(SecurityHeaders, frame_ancestors=frame_ancestors),
        Middleware(BodyLimit, limit=max_body, timeout=client_timeout),
    ]
    if cors_origins:
        middleware.append(
            Middleware(
                JsonCors,
                allow_origins=list(cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["content-type"],
            )
        )
    routes = [*api.routes(), Route(f"{PREFIX}/openapi.json", openapi), *pages.routes()]
    routes, lifespan = support_loop(  # hand-off packets, events, feedback, webhook
        flows, routes, events=events, store_comments=store_comments, handoff_webhook=handoff_webhook
    )
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=middleware,
        exception_handlers={
            ApiError: _on_api_error,
            HelpflowError: _on_api_error,
            HTTPException: _on_http_error,
            ClientDisconnect: _on_disconnect,
        },
    )


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(PREFIX)


async def _on_api_error(request: Request, exc: Exception) -> Response:
    error = exc if isinstance(exc, ApiError) else classify(exc)  # type: ignore[arg-type]
    response = (
        error_response(error)
        if _is_api(request)
        else _html_error(error.status, error.message, request)
    )
    if error.status == 408:
        response.headers["connection"] = "close"  # the rest of the body is not awaited
    return response


async def _on_disconnect(request: Request, exc: Exception) -> Response:
    # One line, not uvicorn's traceback: a client going away mid-body is not a bug here.
    client = f"{request.client.host}:{request.client.port}" if request.client else "a client"
    log.warning(
        "%s disconnected before sending the whole body of %s %s",
        client,
        request.method,
        request.url.path,
    )
    return Response(status_code=400)  # never sent: nobody is listening


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
    response = (
        error_response(ApiError(exc.status_code, code, str(exc.detail)))
        if _is_api(request)
        else _html_error(exc.status_code, str(exc.detail), request)
    )
    response.headers.update(exc.headers or {})  # e.g. Allow on 405, as RFC 9110 asks
    return response


def _html_error(status: int, message: str, request: Request) -> Response:
    """A reader's error page, in their language (`?lang=`, Accept-Language) as far as the
    interface catalogs go; the technical detail stays in English and is marked so."""
    import html

    from helpflow import uitext
    from helpflow.server.pages import reader_ui

    ui = reader_ui(request)
    _ = ui.gettext
    sorry, back = html.escape(_("Sorry, that did not work")), html.escape(_("Back to the guides"))
    detail = f'<p lang="{uitext.SOURCE_LANG}">{html.escape(message)}</p>'
    return HTMLResponse(
        f"<!doctype html><html {ui.html_attrs()}><head>"
        f'<meta charset="utf-8"><title>{status}</title></head>'
        f"<body><main><h1>{sorry}</h1>{detail}"
        f'<p><a href="/">{back}</a></p></main></body></html>',
        status_code=status,
        headers={"content-language": ui.lang, "vary": "Accept-Language"},
    )


__all__ = ["ConfigError", "create_app"]
