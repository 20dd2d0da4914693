"""The support loop on the server: events recorded as readers walk (API and pages), the
events endpoint for the widget and static site, and feedback.

Recording wraps the existing endpoints rather than living in them: the step a wrapped endpoint
answered with says where the reader is, so the API and pages modules know nothing of events.
The visit id travels in the `Helpflow-Visit` header (API) or the `visit` query parameter
(pages); it is random, made by the client or, when missing, by the server.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from helpflow.events import Event, EventStore, new_visit, open_store
from helpflow.events.incoming import BadEventError, EventsIn, checked
from helpflow.events.model import MAX_COMMENT, VISIT_PATTERN, EventType
from helpflow.events.ratelimit import RateLimiter
from helpflow.model import OutcomeNode
from helpflow.server.api import PREFIX
from helpflow.server.errors import ApiError
from helpflow.server.flowset import FlowSet
from helpflow.server.pages import answers_query
from helpflow.session import Answer, Session

VISIT_HEADER = "helpflow-visit"
Endpoint = Callable[[Request], Awaitable[Response]]
#: API route suffix → the event the operation records (besides `reached`).
_OPERATIONS: dict[str, EventType] = {
    "sessions": "started",
    "choose": "answered",
    "back": "back",
    "restart": "restart",
    "change": "changed",
}


class FeedbackBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    token: str = Field(min_length=1, max_length=4096)
    helpful: StrictBool
    comment: str | None = Field(default=None, max_length=MAX_COMMENT)


class EventsApi:
    def __init__(
        self,
        flows: FlowSet,
        target: str,
        *,
        store_comments: bool = False,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.flows = flows
        self.target = target
        self.store_comments = store_comments
        self.limiter = limiter or RateLimiter()
        open_store(target).close()  # a bad target fails at start-up, with its message
        self._store: EventStore | None = None

    # --- wiring ------------------------------------------------------------------------------

    def routes(self) -> list[Route]:
        return [
            Route(f"{PREFIX}/events", self.post_events, methods=["POST"]),
            Route(f"{PREFIX}/flows/{{flow_id}}/feedback", self.api_feedback, methods=["POST"]),
            Route("/flows/{flow_id}/feedback", self.page_feedback, methods=["POST"]),
        ]

    def wrap(self, routes: list[Route]) -> list[Route]:
        """`routes` with the walking endpoints recording events, and the events routes."""
        wrapped = []
        for route in routes:
            suffix = route.path.rsplit("/", 1)[-1]
            if route.path.startswith(f"{PREFIX}/flows/") and suffix in _OPERATIONS:
                endpoint = self._api_recording(route.endpoint, _OPERATIONS[suffix])
            elif route.path == "/flows/{flow_id}/":
                endpoint = self._page_recording(route.endpoint)
            else:
                wrapped.append(route)
                continue
            wrapped.append(Route(route.path, endpoint, methods=list(route.methods or ())))
        return [*self.routes(), *wrapped]

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.store  # noqa: B018 - opened now, not on the first reader's request
        try:
            yield
        finally:  # a clean stop (SIGTERM included) writes every queued event first
            if self._store is not None:
                self._store.close()
                self._store = None

    @property
    def store(self) -> EventStore:
        if self._store is None:
            self._store = open_store(self.target)
        return self._store

    def record(self, event: Event) -> None:
        if event.comment is not None and not self.store_comments:
            event = dataclasses.replace(event, comment=None)
        self.store.record(event)

    # --- recording as readers walk -----------------------------------------------------------

    def _api_recording(self, endpoint: Endpoint, kind: EventType) -> Endpoint:
        async def recorded(request: Request) -> Response:
            response = await endpoint(request)
            if response.status_code >= 300:
                return response  # a refused request changed nothing, so records nothing
            visit = _visit(request.headers.get(VISIT_HEADER))
            step = json.loads(bytes(response.body))["step"]
            flow, version = step["flow"]["id"], step["flow"]["version"]
            node = choice = None
            if kind == "answered":
                node, choice = step["answers"][-1]["node_id"], step["answers"][-1]["choice_id"]
            elif kind == "changed":
                body = json.loads(await request.body())
                node, choice = body["node"], body["choice"]
            self.record(Event(kind, flow, version, visit, node, choice))
            self.record(
                Event("reached", flow, version, visit, step["node_id"], resolution=step["outcome"])
            )
            response.headers[VISIT_HEADER] = visit
            return response

        return recorded

    def _page_recording(self, endpoint: Endpoint) -> Endpoint:
        async def recorded(request: Request) -> Response:
            response = await endpoint(request)
            params = request.query_params
            if response.status_code >= 300 or "change" in params or "feedback" in params:
                return response  # a change screen or a thank-you is no step of the walk
            flow = self.flows.get(request.path_params["flow_id"])
            given = [Answer(k, v) for k, v in params.multi_items() if k in flow.flow.nodes]
            session = flow.replay(given).session
            visit = _visit(params.get("visit"))
            if session.answers:
                last = session.answers[-1]
                self.record(Event("answered", flow.id, flow.version, visit, last.node, last.choice))
            else:
                self.record(Event("started", flow.id, flow.version, visit))
            self.record(
                Event(
                    "reached",
                    flow.id,
                    flow.version,
                    visit,
                    session.node,
                    resolution=flow.outcome(session),
                )
            )
            return response

        return recorded

    # --- endpoints ---------------------------------------------------------------------------

    async def post_events(self, request: Request) -> Response:
        client = request.client.host if request.client else "?"
        raw = await request.body()
        # sendBeacon posts text/plain (a CORS-safe type), so both are accepted.
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        if kind not in ("application/json", "text/plain"):
            raise ApiError(415, "unsupported_media_type", "send the body as application/json")
        try:
            body = EventsIn.model_validate_json(raw or b"{}")
        except ValidationError as exc:
            raise _bad(exc) from exc
        if not self.limiter.allow(client, len(body.events)):
            raise ApiError(429, "too_many_requests", "too many events from this client; slow down")
        try:
            events = [checked(item, self.flows.get) for item in body.events]
        except BadEventError as exc:
            raise ApiError(422, "bad_event", str(exc)) from exc
        for event in events:  # all or nothing: stored only once every event passed
            self.record(event)
        return JSONResponse({"recorded": len(events)}, status_code=202)

    async def api_feedback(self, request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise ApiError(415, "unsupported_media_type", "send the body as application/json")
        try:
            body = FeedbackBody.model_validate_json(await request.body() or b"{}")
        except ValidationError as exc:
            raise _bad(exc) from exc
        flow = self.flows.get(request.path_params["flow_id"])
        session = flow.resume(body.token).session
        visit = _visit(request.headers.get(VISIT_HEADER))
        self._feedback(session, visit, body.helpful, body.comment)
        return JSONResponse({"recorded": 1}, status_code=202, headers={VISIT_HEADER: visit})

    async def page_feedback(self, request: Request) -> Response:
        flow = self.flows.get(request.path_params["flow_id"])
        # Parsed here rather than with request.form(): that needs python-multipart.
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        helpful = form.get("helpful")
        comment = form.get("comment", "").strip() or None
        if helpful not in ("yes", "no"):
            raise ApiError(400, "bad_request", "answer 'yes' or 'no' to 'Was this helpful?'")
        if comment is not None and len(comment) > MAX_COMMENT:
            raise ApiError(400, "bad_request", f"a comment is at most {MAX_COMMENT:,} characters")
        params = request.query_params
        answers = [Answer(k, v) for k, v in params.multi_items() if k in flow.flow.nodes]
        session = flow.replay(answers).session
        visit = _visit(params.get("visit"))
        self._feedback(session, visit, helpful == "yes", comment)
        query = answers_query(session.answers)
        back = f"/flows/{flow.id}/?" + (f"{query}&" if query else "") + "feedback=thanks"
        return RedirectResponse(f"{back}#hf-feedback", status_code=303)

    def _feedback(self, session: Session, visit: str, helpful: bool, comment: str | None) -> None:
        flow = self.flows.get(session.flow_id)
        node = flow.flow.nodes[session.node]
        if node.kind not in ("fix", "outcome"):
            raise ApiError(409, "not_answerable", "feedback is asked on fix and outcome pages")
        resolution = node.resolution if isinstance(node, OutcomeNode) else None
        feedback = Event(
            "feedback", flow.id, flow.version, visit, session.node, resolution=resolution
        )
        self.record(dataclasses.replace(feedback, helpful=helpful, comment=comment))


def _visit(given: str | None) -> str:
    return given if given and VISIT_PATTERN.match(given) else new_visit()


def _bad(exc: ValidationError) -> ApiError:
    first: dict[str, Any] = dict(exc.errors(include_url=False)[0])
    where = ".".join(str(p) for p in first["loc"]) or "body"
    return ApiError(400, "bad_request", f"{where}: {first['msg']}")
