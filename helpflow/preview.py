"""`helpflow preview FLOW`: the flow's server pages, article view and graph, reloaded on save.

One Starlette app in front of the server's own app (`helpflow.server.create_app`, rebuilt on
every good save). A frame page at `/__preview/` shows the wizard, the article or the graph and
listens on `/__preview/events` (Server-Sent Events): `watchfiles` sees a save of the flow, an
include, an image or the scenario file, the flow is loaded again, and every open page reloads,
or shows the errors at `file:line:col` if the save broke the flow. Loopback only by default.
"""

from __future__ import annotations

import asyncio
import html
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TextIO

try:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
    from starlette.routing import Mount, Route
    from starlette.types import Receive, Scope, Send
    from watchfiles import awatch
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    from helpflow.errors import HelpflowError

    raise HelpflowError(
        "helpflow preview needs the author extra: pip install 'helpflow[author]'"
    ) from exc

from helpflow.errors import FlowFileError, HelpflowError
from helpflow.renderers import get_renderer

PREFIX = "/__preview"
KEEPALIVE_SECONDS = 15.0
_VIEWS = {"wizard": "Wizard", "article": "Article", "graph": "Graph"}


class Preview:
    """The flow as last loaded, and everyone listening for the next change."""

    def __init__(self, flow_path: Path) -> None:
        self.path = flow_path
        self.version = 0
        self.errors: list[str] = []
        self.flow_id = ""
        self.app: Any = None
        self.pages: dict[str, str] = {}
        self.listeners: set[asyncio.Queue[str]] = set()
        self.reload()

    def reload(self) -> None:
        from helpflow.engine import load
        from helpflow.server import create_app

        self.version += 1
        try:
            flow = load(self.path)
            self.app = create_app(self.path)
            self.pages = {name: _render(name, flow) for name in ("article", "mermaid")}
            self.flow_id = flow.id
            self.errors = self._scenario_errors()
        except FlowFileError as exc:
            self.errors = [d.format() for d in exc.diagnostics]
        except HelpflowError as exc:
            self.errors = [str(exc)]

    def _scenario_errors(self) -> list[str]:
        from helpflow import scenarios

        if not scenarios.scenario_path(self.path).exists():
            return []
        try:
            scenarios.load(scenarios.scenario_path(self.path))
        except FlowFileError as exc:
            return [d.format() for d in exc.diagnostics]
        return []

    def state(self) -> str:
        return json.dumps({"version": self.version, "errors": self.errors})

    def changed(self) -> None:
        self.reload()
        for queue in self.listeners:
            queue.put_nowait(self.state())

    def watched(self) -> list[Path]:
        """The flow's folder, and the folders of files it includes from elsewhere."""
        folders = {self.path.resolve().parent}
        try:
            from helpflow.loader import load_file

            loaded = load_file(self.path)
            folders |= {Path(s.path).resolve().parent for s in loaded.sources.nodes.values()}
        except HelpflowError:
            pass
        return sorted(folders)


def _render(name: str, flow: Any) -> str:
    return get_renderer(name).render_flow(flow)


def create_preview_app(flow_path: str | Path, *, watch: bool = True) -> Starlette:
    preview = Preview(Path(flow_path))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(_watch(preview, stop)) if watch else None
        yield
        stop.set()
        for queue in preview.listeners:
            queue.put_nowait("")  # ends each open event stream
        if task is not None:
            await task

    routes = [
        Route(f"{PREFIX}/", _frame(preview)),
        Route(f"{PREFIX}/events", _events(preview)),
        Route(f"{PREFIX}/article", _page(preview, "article")),
        Route(f"{PREFIX}/graph", _page(preview, "graph")),
        Mount("/", app=_Delegate(preview)),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.preview = preview
    return app


async def _watch(preview: Preview, stop: asyncio.Event) -> None:
    async for _changes in awatch(*preview.watched(), stop_event=stop, debounce=200, step=50):
        preview.changed()


class _Delegate:
    """Hands every other request to the server app of the flow as last loaded."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.preview.app is None:
            response = PlainTextResponse("\n".join(self.preview.errors), status_code=503)
            await response(scope, receive, send)
            return
        await self.preview.app(scope, receive, send)


def _events(preview: Preview) -> Callable[[Request], Any]:
    async def events(request: Request) -> Response:
        queue: asyncio.Queue[str] = asyncio.Queue()
        preview.listeners.add(queue)

        async def stream() -> AsyncIterator[str]:
            try:
                yield f"event: state\ndata: {preview.state()}\n\n"
                while True:
                    try:
                        data = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                    except asyncio.TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    if not data:
                        return
                    yield f"event: state\ndata: {data}\n\n"
            finally:
                preview.listeners.discard(queue)

        return StreamingResponse(
            stream(), media_type="text/event-stream", headers={"cache-control": "no-store"}
        )

    return events


def _page(preview: Preview, view: str) -> Callable[[Request], Any]:
    async def page(request: Request) -> Response:
        if view == "article":
            return HTMLResponse(preview.pages.get("article", ""))
        graph = html.escape(preview.pages.get("mermaid", ""))
        return HTMLResponse(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Graph</title>'
            f"</head><body><main><h1>Graph (Mermaid)</h1><pre>{graph}</pre></main></body></html>"
        )

    return page


def _frame(preview: Preview) -> Callable[[Request], Any]:
    async def frame(request: Request) -> Response:
        view = request.query_params.get("view", "wizard")
        view = view if view in _VIEWS else "wizard"
        source = {
            "wizard": f"/flows/{preview.flow_id}/",
            "article": f"{PREFIX}/article",
            "graph": f"{PREFIX}/graph",
        }[view]
        return HTMLResponse(
            _FRAME.format(
                title=html.escape(str(preview.path)),
                nav=" ".join(
                    f'<a href="?view={name}"{" aria-current=page" if name == view else ""}>'
                    f"{label}</a>"
                    for name, label in _VIEWS.items()
                ),
                source=html.escape(source),
                errors=html.escape("\n".join(preview.errors)),
                hidden="" if preview.errors else " hidden",
                events=f"{PREFIX}/events",
            )
        )

    return frame


_FRAME = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Preview: {title}</title>
<style>
body {{ margin: 0; font-family: system-ui, sans-serif; display: flex; flex-direction: column;
       height: 100vh; }}
header {{ padding: .5rem 1rem; background: #f3f3f3; display: flex; gap: 1rem; }}
header a[aria-current] {{ font-weight: bold; }}
#errors {{ margin: 0; padding: 1rem; background: #fde8e8; color: #8a1010; white-space: pre-wrap; }}
iframe {{ flex: 1; border: 0; width: 100%; }}
</style></head>
<body>
<header><strong>{title}</strong> {nav} <span id="status">live</span></header>
<pre id="errors" role="alert"{hidden}>{errors}</pre>
<iframe id="view" src="{source}" title="Preview"></iframe>
<script>
const view = document.getElementById("view");
const errors = document.getElementById("errors");
let seen = null;
const events = new EventSource("{events}");
events.addEventListener("state", (event) => {{
  const state = JSON.parse(event.data);
  errors.textContent = state.errors.join("\\n");
  errors.hidden = state.errors.length === 0;
  document.body.dataset.version = state.version;
  if (seen !== null && state.version !== seen && state.errors.length === 0) {{
    view.contentWindow.location.reload();
  }}
  seen = state.version;
}});
</script>
</body></html>
"""


def serve(flow: str, *, host: str, port: int, out: TextIO) -> None:
    if not Path(flow).is_file():
        raise HelpflowError(f"{flow}: no such flow file")
    app = create_preview_app(flow)
    print(f"previewing {flow} on http://{host}:{port}{PREFIX}/ (Ctrl-C to stop)", file=out)
    out.flush()
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=1)
