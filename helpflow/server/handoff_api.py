"""The hand-off packet over HTTP: `GET /api/v1/flows/{flow}/handoff?token=…` (or, on a
server that stores events, `?reference=` with the short code the reader was shown) for an
agent console, and (with a webhook URL) a POST of the packet to the help desk when a reader reaches
an escalation."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from helpflow.engine import CompiledFlow
from helpflow.events.ratelimit import RateLimiter
from helpflow.events.references import normalised
from helpflow.server.api import PREFIX, FlowSummary, step_part
from helpflow.server.errors import ApiError
from helpflow.server.flowset import FlowSet
from helpflow.server.webhook import Webhook
from helpflow.session import Session
from helpflow.step import Step


class HandoffPacket(BaseModel):
    """What a help desk receives: the session's escalation and what the reader answered."""

    model_config = ConfigDict(extra="forbid")
    flow: FlowSummary
    node_id: str
    title: str
    outcome: Literal["escalate"]
    handoff: Annotated[dict[str, Any], step_part("Handoff")]


def packet(step: Step) -> dict[str, Any]:
    """The JSON a webhook receives and the handoff endpoint returns."""
    assert step.handoff is not None
    flow = {"id": step.flow.id, "title": step.flow.title, "version": step.flow.version}
    return _packet(flow, step.node_id, step.title, dataclasses.asdict(step.handoff))


def _packet(flow: dict[str, Any], node: str, title: str, handoff: Any) -> dict[str, Any]:
    shaped = HandoffPacket(
        flow=FlowSummary(**flow), node_id=node, title=title, outcome="escalate", handoff=handoff
    )
    return shaped.model_dump()


#: Reference lookups a client may make: a burst for a support desk, then one every 2 s.
GUESS_RATE, GUESS_BURST = 0.5, 30

#: A short reference → (flow id, token), or None when unknown.
Lookup = Callable[[str], "tuple[str, str] | None"]


class HandoffApi:
    def __init__(
        self, flows: FlowSet, webhook: Webhook | None = None, lookup: Lookup | None = None
    ) -> None:
        self.flows = flows
        self.webhook = webhook
        self.lookup = lookup
        # A reference is 50 bits standing for a reader's session: without a limit a client
        # could try codes as fast as the server answers until one resolves.
        self.guesses = RateLimiter(rate=GUESS_RATE, burst=GUESS_BURST)

    def routes(self) -> list[Route]:
        return [Route(f"{PREFIX}/flows/{{flow_id}}/handoff", self.get, methods=["GET"])]

    async def get(self, request: Request) -> Response:
        flow = self.flows.get(request.path_params["flow_id"])
        token = request.query_params.get("token")
        reference = request.query_params.get("reference")
        if reference and not token:
            client = request.client.host if request.client else "?"
            if not self.guesses.allow(client):
                raise ApiError(429, "too_many_requests", "too many hand-off lookups; slow down")
            token = self._token(flow.id, reference)
        if not token:
            raise ApiError(400, "bad_request", "query parameter 'token' or 'reference' is required")
        step = flow.step(flow.resume(token).session)
        if step.handoff is None:
            raise ApiError(409, "not_escalated", "this session has not reached an escalation")
        return JSONResponse(packet(step))

    def _token(self, flow: str, reference: str) -> str:
        if self.lookup is None:
            raise ApiError(
                400,
                "bad_request",
                "this server stores no events, so its hand-off references are tokens: use ?token=",
            )
        code = normalised(reference)
        if code is None:
            shown = reference if len(reference) <= 32 else reference[:32] + "…"
            raise ApiError(400, "bad_reference", f"{shown!r} is not a hand-off reference")
        found = self.lookup(code)
        if found is None or found[0] != flow:
            raise ApiError(404, "unknown_reference", f"no hand-off {code!r} in flow {flow!r}")
        return found[1]

    # --- a StepObserver (see helpflow.server.observe): the webhook --------------------------

    async def api_step(
        self, request: Request, operation: str, step: Step, response: Response
    ) -> None:
        if self.webhook is not None and step.handoff is not None:
            self.webhook.send(packet(step))

    def page_links(self, request: Request) -> dict[str, Any]:
        return {}

    def page_response(self, request: Request, response: Response) -> Response:
        return response

    def page_step(self, request: Request, flow: CompiledFlow, session: Session) -> None:
        if self.webhook is not None and flow.outcome(session) == "escalate":
            self.webhook.send(packet(flow.step(session)))
