"""The support loop on the server: events recorded as readers walk (API and pages), the
events endpoint for the widget and static site, and feedback.

Recording observes the existing endpoints (helpflow.server.observe) rather than living in
them, so the API and pages modules know nothing of events.
The visit id travels in the `Helpflow-Visit` header (API) or the `visit` query parameter
(pages); it is random, made by the client or, when missing, by the server.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, StrictBool, ValidationError
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from helpflow.engine import CompiledFlow
from helpflow.events import Event, EventStore, new_visit, open_store
from helpflow.events.incoming import BadEventError, EventsIn, checked
from helpflow.events.model import MAX_COMMENT, VISIT_PATTERN, EventType
from helpflow.events.ratelimit import RateLimiter
from helpflow.model import OutcomeNode
from helpflow.server.api import PREFIX
from helpflow.server.errors import ApiError
from helpflow.server.flowset import FlowSet
from helpflow.server.observe import page_answers
from helpflow.server.pages import answers_query
from helpflow.session import Answer, Session

VISIT_HEADER = "helpflow-visit"


class FeedbackBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    token: str = Field(min_length=1, max_length=4096)
    helpful: StrictBool
    comment: str | None = Field(default=None, max_length=MAX_COMMENT)


class Recorded(BaseModel):
    """The answer to events and feedback: how many events were stored."""

    model_config = ConfigDict(extra="forbid")
    recorded: NonNegativeInt


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

    def open(self) -> None:
        """Open the store now rather than on the first reader's request."""
        self.store  # noqa: B018

    def close(self) -> None:
        """Write every queued event and release the store."""
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

    # --- recording as readers walk (a StepObserver, see helpflow.server.observe) -------------

    async def api_step(
        self, request: Request, operation: str, step: dict[str, Any], response: Response
    ) -> None:
        visit = _visit(request.headers.get(VISIT_HEADER))
        flow, version = step["flow"]["id"], step["flow"]["version"]
        node = choice = None
        if operation == "answered":
            node, choice = step["answers"][-1]["node_id"], step["answers"][-1]["choice_id"]
        elif operation == "changed":
            body = json.loads(await request.body())
            node, choice = body["node"], body["choice"]
        kind: EventType = operation  # type: ignore[assignment]
        self.record(Event(kind, flow, version, visit, node, choice))
        reached = Event("reached", flow, version, visit, step["node_id"])
        self.record(dataclasses.replace(reached, resolution=step["outcome"]))
        response.headers[VISIT_HEADER] = visit

    def page_links(self, request: Request) -> dict[str, Any]:
        """The page's "Was this helpful?" form posts here, with the page's answers and visit."""
        visit = _visit(request.query_params.get("visit"))
        request.scope["state"]["visit"] = visit
        kept = [(k, v) for k, v in request.query_params.multi_items() if k not in _NOT_KEPT]
        action = f"/flows/{request.path_params['flow_id']}/feedback?"
        action += urlencode([*kept, ("visit", visit)])
        return {"feedback": action, "feedback_thanks": "feedback" in request.query_params}

    def page_response(self, request: Request, response: Response) -> Response:
        """The page with its visit id in every link back into the flow, so the next page
        view counts towards the same visit (no cookie needed)."""
        if not response.headers.get("content-type", "").startswith("text/html"):
            return response
        visit = request.scope["state"]["visit"].encode()
        home = f'href="/flows/{request.path_params["flow_id"]}/'.encode()
        body = bytes(response.body)
        body = body.replace(home + b"?", home + b"?visit=" + visit + b"&amp;")
        body = body.replace(home + b'"', home + b"?visit=" + visit + b'"')
        return HTMLResponse(
            body,
            status_code=response.status_code,
            headers={k: v for k, v in response.headers.items() if k != "content-length"},
        )

    def page_step(self, request: Request, flow: CompiledFlow, session: Session) -> None:
        visit = request.scope["state"]["visit"]
        if session.answers:
            last = session.answers[-1]
            self.record(Event("answered", flow.id, flow.version, visit, last.node, last.choice))
        else:
            self.record(Event("started", flow.id, flow.version, visit))
        reached = Event("reached", flow.id, flow.version, visit, session.node)
        self.record(dataclasses.replace(reached, resolution=flow.outcome(session)))

    # --- endpoints ---------------------------------------------------------------------------

    async def post_events(self, request: Request) -> Response:
        client = request.client.host if request.client else "?"
        # Charged before parsing too, so a flood of garbage is refused as cheaply as possible.
        if not self.limiter.allow(client):
            raise _flood()
        raw = await request.body()
        # sendBeacon posts text/plain (a CORS-safe type), so both are accepted.
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        if kind not in ("application/json", "text/plain"):
            raise ApiError(415, "unsupported_media_type", "send the body as application/json")
        try:
            body = EventsIn.model_validate_json(raw or b"{}")
        except ValidationError as exc:
            raise _bad(exc) from exc
        if not self.limiter.allow(client, len(body.events) - 1):
            raise _flood()
        try:
            events = [checked(item, self.flows.get) for item in body.events]
        except BadEventError as exc:
            raise ApiError(422, "bad_event", str(exc)) from exc
        for event in events:  # all or nothing: stored only once every event passed
            self.record(event)
        return JSONResponse(Recorded(recorded=len(events)).model_dump(), status_code=202)

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
        recorded = Recorded(recorded=1).model_dump()
        return JSONResponse(recorded, status_code=202, headers={VISIT_HEADER: visit})

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
        session = flow.replay(page_answers(flow, request)).session
        visit = _visit(request.query_params.get("visit"))
        self._feedback(session, visit, helpful == "yes", comment)
        query = answers_query([*session.answers, Answer("visit", visit)])
        back = f"/flows/{flow.id}/?{query}&feedback=thanks"
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


_NOT_KEPT = frozenset({"feedback", "visit", "change"})


def _visit(given: str | None) -> str:
    return given if given and VISIT_PATTERN.match(given) else new_visit()


def _flood() -> ApiError:
    return ApiError(429, "too_many_requests", "too many events from this client; slow down")


def _bad(exc: ValidationError) -> ApiError:
    first: dict[str, Any] = dict(exc.errors(include_url=False)[0])
    where = ".".join(str(p) for p in first["loc"]) or "body"
    return ApiError(400, "bad_request", f"{where}: {first['msg']}")
