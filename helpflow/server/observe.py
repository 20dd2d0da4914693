"""Watching readers walk without touching the endpoints: the API and page routes that move a
reader are wrapped, and each step they answer with is handed to observers (events recording,
the hand-off webhook). The step JSON is parsed once for all observers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from helpflow.engine import CompiledFlow
from helpflow.server.api import PREFIX
from helpflow.server.flowset import FlowSet
from helpflow.session import Answer, Session

Endpoint = Callable[[Request], Awaitable[Response]]
#: API route suffix → what the operation did.
OPERATIONS = {
    "sessions": "started",
    "choose": "answered",
    "back": "back",
    "restart": "restart",
    "change": "changed",
}


class StepObserver(Protocol):
    async def api_step(
        self, request: Request, operation: str, step: dict[str, Any], response: Response
    ) -> None:
        """A reader moved through the API and got `step` (the Step JSON) back."""

    def page_step(self, request: Request, flow: CompiledFlow, session: Session) -> None:
        """A reader was shown the page for `session`."""

    def page_links(self, request: Request) -> dict[str, Any]:
        """Extras for the page about to be rendered (`PageRequest.extras`: the HTML renderer
        reads `feedback` and `feedback_thanks`)."""

    def page_response(self, request: Request, response: Response) -> Response:
        """The page as sent (an observer may add to its links)."""


def observe(routes: list[Route], flows: FlowSet, observers: Sequence[StepObserver]) -> list[Route]:
    wrapped = []
    for route in routes:
        suffix = route.path.rsplit("/", 1)[-1]
        if route.path.startswith(f"{PREFIX}/flows/") and suffix in OPERATIONS:
            endpoint = _api(route.endpoint, OPERATIONS[suffix], observers)
        elif route.path == "/flows/{flow_id}/":
            endpoint = _page(route.endpoint, flows, observers)
        else:
            wrapped.append(route)
            continue
        wrapped.append(Route(route.path, endpoint, methods=list(route.methods or ())))
    return wrapped


def _api(endpoint: Endpoint, operation: str, observers: Sequence[StepObserver]) -> Endpoint:
    async def observed(request: Request) -> Response:
        response = await endpoint(request)
        if response.status_code < 300:  # a refused request moved nobody
            step = orjson.loads(response.body)["step"]  # ~10x json.loads, on every observed step
            for observer in observers:
                await observer.api_step(request, operation, step, response)
        return response

    return observed


def _page(endpoint: Endpoint, flows: FlowSet, observers: Sequence[StepObserver]) -> Endpoint:
    async def observed(request: Request) -> Response:
        extras = request.scope.setdefault("state", {}).setdefault("page_links", {})
        for observer in observers:
            extras.update(observer.page_links(request))
        response = await endpoint(request)
        params = request.query_params
        # A change screen or a thank-you for feedback is no step of the walk.
        if response.status_code < 300 and "change" not in params and "feedback" not in params:
            flow = flows.get(request.path_params["flow_id"])
            session = flow.replay(page_answers(flow, request)).session
            for observer in observers:
                observer.page_step(request, flow, session)
        if response.status_code < 300:
            for observer in observers:
                response = observer.page_response(request, response)
        return response

    return observed


def page_answers(flow: CompiledFlow, request: Request) -> list[Answer]:
    """The answers a page URL carries (other parameters, like `visit`, are not answers)."""
    return [Answer(k, v) for k, v in request.query_params.multi_items() if k in flow.flow.nodes]
