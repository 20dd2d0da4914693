"""Server-rendered pages: every step as HTML with the state in the query string, keyed by
node id (`?purchase_channel=retail&problem=cant_access`), so a plain link or an iframe works
with JavaScript off and any server process can answer any request.

Work per request is bounded: a query string over `MAX_QUERY` bytes or with more answers than a
token may carry is refused, and a page links each answer's "Change" only where the answer's
node was answered once. Those links repeat the whole state, so one per answer made a page
quadratic in a path that loops ("try again" 200 times: 3.8 MB); a node answered more than
once is gone back to instead.
"""

from __future__ import annotations

import html
from collections import Counter
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from helpflow import uitext
from helpflow.engine import CompiledFlow
from helpflow.renderers import PageLinks, PageRenderer, WidgetRenderer
from helpflow.server import language
from helpflow.server.errors import ApiError
from helpflow.server.flowset import FlowSet
from helpflow.session import Answer, Session
from helpflow.tokens import MAX_ANSWERS

CSS_PATH = "/static/helpflow.css"
#: The Copy button of code blocks (pages carry no inline script).
COPY_JS_PATH = "/static/copy.js"
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


def answers_query(answers: tuple[Answer, ...] | list[Answer]) -> str:
    return urlencode([(a.node, a.choice) for a in answers])


class Pages:
    def __init__(
        self, flows: FlowSet, renderer: PageRenderer, widget: WidgetRenderer | None
    ) -> None:
        self.flows = flows
        self.renderer = renderer
        self.widget = widget

    def routes(self) -> list[Route]:
        return [
            Route("/", self.index, methods=["GET"]),
            Route(CSS_PATH, self.stylesheet, methods=["GET"]),
            Route(COPY_JS_PATH, self.copy_script, methods=["GET"]),
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

    async def stylesheet(self, request: Request) -> Response:
        return Response(
            self.renderer.stylesheet(),
            media_type="text/css",
            headers={"cache-control": "public, max-age=3600"},
        )

    async def copy_script(self, request: Request) -> Response:
        return Response(
            self.renderer.script(),
            media_type="text/javascript",
            headers={"cache-control": "public, max-age=3600"},
        )

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

    def _url(
        self, flow: CompiledFlow, answers: tuple[Answer, ...] | list[Answer], lang: str | None
    ) -> str:
        """A page's address. `lang`: the language a `?lang=` chose, kept on every link (one
        negotiated from Accept-Language needs no parameter: the next request negotiates
        the same)."""
        query = answers_query(answers)
        if lang is not None:
            query = f"{language.PARAM}={lang}" + (f"&{query}" if query else "")
        return f"/flows/{flow.id}/" + (f"?{query}" if query else "")

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
        changing = request.query_params.get("change")
        if changing and changing in {a.node for a in session.answers}:
            return self._change_page(flow, session, changing, lang)
        step = flow.step(session)
        links = PageLinks(
            choices={
                c.id: self._url(flow, (*session.answers, Answer(session.node, c.id)), lang)
                for c in step.choices
            },
            home=self._url(flow, (), lang),
            css=CSS_PATH,
            back=self._url(flow, session.answers[:-1], lang) if session.answers else None,
            change=self._change_links(flow, session, lang),
            csp_nonce=request.scope.get("state", {}).get("csp_nonce", ""),
            **request.scope.get("state", {}).get("page_links", {}),  # e.g. the feedback form
        )
        with uitext.using(flow.ui):  # the flow's own `ui:` wording too
            return _page(self.renderer.render_page(step, links), flow.lang)

    def _change_links(
        self, flow: CompiledFlow, session: Session, lang: str | None
    ) -> dict[str, str]:
        times = Counter(a.node for a in session.answers)
        here = self._url(flow, session.answers, lang)
        here += "&" if "?" in here else "?"
        return {
            a.node: here + urlencode({"change": a.node})
            for a in session.answers
            if times[a.node] == 1
        }

    def _change_page(
        self, flow: CompiledFlow, session: Session, node: str, lang: str | None
    ) -> Response:
        asked = flow.asked(session, node)
        step = flow.step(asked)
        choices = {
            c.id: self._url(flow, flow.change(session, node, c.id).session.answers, lang)
            for c in step.choices
        }
        links = PageLinks(
            choices=choices,
            home=self._url(flow, (), lang),
            css=CSS_PATH,
            back=self._url(flow, session.answers, lang),
        )
        with uitext.using(flow.ui):  # the flow's own `ui:` wording too
            return _page(self.renderer.render_page(step, links), flow.lang)

    async def widget_page(self, request: Request) -> Response:
        flow, _ = self._flow(request)
        if self.widget is None:
            return HTMLResponse("no widget renderer is installed", status_code=404)
        nonce = request.scope.get("state", {}).get("csp_nonce", "")
        fragment = self.widget.widget_fragment(flow, csp_nonce=nonce)
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
