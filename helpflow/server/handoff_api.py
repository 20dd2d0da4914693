"""The hand-off packet over HTTP: `GET /api/v1/flows/{flow}/handoff?token=…` for an agent
console, and (with a webhook URL) a POST of the packet to the help desk when a reader reaches
an escalation."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from helpflow.engine import CompiledFlow
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


class HandoffApi:
    def __init__(self, flows: FlowSet, webhook: Webhook | None = None) -> None:
        self.flows = flows
        self.webhook = webhook

    def routes(self) -> list[Route]:
        return [Route(f"{PREFIX}/flows/{{flow_id}}/handoff", self.get, methods=["GET"])]

    async def get(self, request: Request) -> Response:
        token = request.query_params.get("token")
        if not token:
            raise ApiError(400, "bad_request", "query parameter 'token' is required")
        flow = self.flows.get(request.path_params["flow_id"])
        step = flow.step(flow.resume(token).session)
        if step.handoff is None:
            raise ApiError(409, "not_escalated", "this session has not reached an escalation")
        return JSONResponse(packet(step))

    # --- a StepObserver (see helpflow.server.observe): the webhook --------------------------

    async def api_step(
        self, request: Request, operation: str, step: dict[str, Any], response: Response
    ) -> None:
        if self.webhook is not None and step.get("handoff") is not None:
            flow = {key: step["flow"][key] for key in ("id", "title", "version")}
            self.webhook.send(_packet(flow, step["node_id"], step["title"], step["handoff"]))

    def page_links(self, request: Request) -> dict[str, Any]:
        return {}

    def page_response(self, request: Request, response: Response) -> Response:
        return response

    def page_step(self, request: Request, flow: CompiledFlow, session: Session) -> None:
        if self.webhook is not None and flow.outcome(session) == "escalate":
            self.webhook.send(packet(flow.step(session)))
