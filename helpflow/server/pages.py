"""Server-rendered pages: every step as HTML with the state in the query string, keyed by
node id (`?purchase_channel=retail&problem=cant_access`), so a plain link or an iframe works
with JavaScript off and any server process can answer any request.

This module owns the addresses (how a state is written in, and read from, a query string)
and the limits; the page renderer (`Renderer.render_page`) decides what a page links to.
Work per request is bounded: a query string over `MAX_QUERY` bytes or with more answers than a
token may carry is refused.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from pathlib import PurePosixPath
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from helpflow import uitext
from helpflow.engine import CompiledFlow
from helpflow.renderer import PageRequest, Renderer
from helpflow.server import language
from helpflow.server.errors import ApiError
from helpflow.server.flowset import FlowSet
from helpflow.session import Answer, Session
from helpflow.tokens import MAX_ANSWERS

#: Where the page renderer's assets (stylesheet, scripts) are served.
STATIC = "/static/"
CSS_PATH = STATIC + "helpflow.css"
_MEDIA_TYPES = {".css": "text/css", ".js": "text/javascript"}
#: Longest query string a page accepts (URLs past ~8 KB fail in many proxies anyway).
MAX_QUERY = 16 * 1024
#: Largest page the server sends.
MAX_PAGE = 1024 * 1024


def reader_ui(request: Request) -> uitext.UiText:
    """Interface strings for a page that belongs to no flow (the index, an error): the
    reader's language as far as the interface catalogs go (`?lang=`, then Accept-Language)."""
    from helpflow.i18n.negotiate import accepted

    header = request.headers.get("accept-language")
    return uitext.negotiate([request.query_params.get("lang", ""), *accepted(header)])


def answers_query(answers: Sequence[Answer]) -> str:
    return urlencode([(a.node, a.choice) for a in answers])


def page_url(
    flow_id: str, answers: Sequence[Answer], change: str | None = None, lang: str | None = None
) -> str:
    """The address of the page `answers` reach in flow `flow_id`; with `change`, of the page
    asking `change`'s question again. `lang`: the language a `?lang=` chose, kept on every
    link (a language negotiated from Accept-Language needs no parameter: the next request
    negotiates the same)."""
    query = answers_query(answers)
    if lang is not None:
        query = f"{language.PARAM}={lang}" + (f"&{query}" if query else "")
    url = f"/flows/{flow_id}/" + (f"?{query}" if query else "")
    if change is None:
        return url
    return url + ("&" if query else "?") + urlencode({"change": change})


class Pages:
    def __init__(self, flows: FlowSet, renderer: Renderer) -> None:
        self.flows = flows
        self.renderer = renderer
        self.assets = renderer.page_assets()

    def routes(self) -> list[Route]:
        return [
            Route("/", self.index, methods=["GET"]),
            *(Route(STATIC + name, self._asset(name), methods=["GET"]) for name in self.assets),
            Route("/static/_assets/{name}", self.image, methods=["GET"]),
            Route("/flows/{flow_id}/", self.step, methods=["GET"]),
            Route("/flows/{flow_id}/widget", self.widget_page, methods=["GET"]),
        ]

    async def index(self, request: Request) -> Response:
        ui = reader_ui(request)
        # Each title in its flow's own language, marked where it is not the page's.
        items = "".join(
            f'<li><a href="/flows/{html.escape(f.id)}/"'
            + (f' lang="{html.escape(f.lang)}"' if f.lang != ui.lang else "")
            + f">{html.escape(f.info.title)}</a></li>"
            for f in self.flows.flows.values()
        )
        title = html.escape(ui.gettext("Help guides"))
        return HTMLResponse(
            f'<!doctype html><html {ui.html_attrs()}><head><meta charset="utf-8">'
            f'<title>{title}</title><link rel="stylesheet" href="{CSS_PATH}"></head>'
            f'<body><div class="hf"><main id="main"><h1>{title}</h1><ul>{items}</ul>'
            "</main></div></body></html>"
        )

    def _asset(self, name: str) -> Callable[[Request], Awaitable[Response]]:
        """The endpoint serving one of the page renderer's assets."""
        text = self.assets[name]
        media_type = _MEDIA_TYPES.get(PurePosixPath(name).suffix, "application/octet-stream")

        async def asset(request: Request) -> Response:
            cache = {"cache-control": "public, max-age=3600"}
            return Response(text, media_type=media_type, headers=cache)

        return asset

    async def image(self, request: Request) -> Response:
        """A flow's local image by its content-hashed name: only files the flows list, never a
        path taken from the address, so nothing outside the flows' folders can be reached."""
        asset = self.flows.assets.get(request.path_params["name"])
        if asset is None:
            raise ApiError(404, "not_found", "no such image")
        # Content-hashed: the name changes whenever the file does.
        return FileResponse(asset.path, headers={"cache-control": "public, max-age=31536000"})

    def _session(self, flow: CompiledFlow, request: Request) -> Session:
        if len(request.scope.get("query_string", b"")) > MAX_QUERY:
            raise ApiError(414, "uri_too_long", f"the address is over {MAX_QUERY:,} bytes long")
        given = [
            Answer(node, choice)
            for node, choice in request.query_params.multi_items()
            if node not in ("change", language.PARAM)
        ]
        if len(given) > MAX_ANSWERS:
            raise ApiError(
                400, "too_many_answers", f"the address carries over {MAX_ANSWERS} answers"
            )
        # Answers that no longer fit (an old link, a hand-edited URL) are dropped, not errors.
        return flow.replay(given).session

    def _flow(self, request: Request) -> tuple[CompiledFlow, str | None]:
        """The flow in the request's language (an unknown `?lang=` is ignored: the page is
        negotiated as without it), and the `?lang=` to keep on links."""
        flow_id = request.path_params["flow_id"]
        kept = language.explicit(self.flows, flow_id, request, strict=False)
        lang = kept or self.flows.negotiate(flow_id, request.headers.get("accept-language"))
        return self.flows.get(flow_id, lang=lang), kept

    async def step(self, request: Request) -> Response:
        flow, lang = self._flow(request)
        session = self._session(flow, request)
        state = request.scope.get("state", {})
        page = PageRequest(
            address=partial(page_url, flow.id, lang=lang),
            assets=STATIC,
            change=request.query_params.get("change") or None,
            csp_nonce=state.get("csp_nonce", ""),
            extras=state.get("page_links", {}),  # e.g. the feedback form
        )
        return _page(self.renderer.render_page(flow, session, page), flow.lang)

    async def widget_page(self, request: Request) -> Response:
        flow, _ = self._flow(request)
        if not self.renderer.can("widget_fragment"):
            return HTMLResponse("no widget renderer is installed", status_code=404)
        nonce = request.scope.get("state", {}).get("csp_nonce", "")
        fragment = self.renderer.widget_fragment(flow, csp_nonce=nonce)
        title = html.escape(flow.info.title)
        response = HTMLResponse(
            f'<!doctype html><html {flow.ui.html_attrs()}><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title></head><body><main><h1>{title}</h1>{fragment}</main>"
            "</body></html>"
        )
        return language.mark(response, flow.lang)


def _page(text: str, lang: str) -> Response:
    # A backstop: the limits above keep pages far smaller for any flow of sensible depth.
    if len(text) > MAX_PAGE:
        raise ApiError(413, "page_too_large", "this path is too long to show; please start again")
    return language.mark(HTMLResponse(text), lang)
