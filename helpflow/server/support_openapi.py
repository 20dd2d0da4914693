"""The support loop's routes in the OpenAPI document: the hand-off packet always; events and
feedback when the server records events."""

from __future__ import annotations

from typing import Any

from helpflow.events.incoming import EventsIn
from helpflow.server.events_api import FeedbackBody, Recorded
from helpflow.server.handoff_api import HandoffPacket
from helpflow.server.openapi import Operation, add_operations

# Tables like the API's (helpflow.server.openapi.API_ROUTES).
# fmt: off
HANDOFF_ROUTES = (
    Operation("get", "/flows/{flow_id}/handoff",
              "The hand-off packet of a session that reached an escalation",
              {200: HandoffPacket}, (400, 403, 404, 409, 429), either=("token", "reference")),
)
EVENT_ROUTES = (
    Operation("post", "/events", "Record events (widget, static site, other UIs)",
              {202: Recorded}, (400, 404, 413, 415, 422, 429), EventsIn),
    Operation("post", "/flows/{flow_id}/feedback", "Was this helpful? for the step of a token",
              {202: Recorded}, (400, 403, 404, 409, 413, 415), FeedbackBody),
)
# fmt: on


def add_support_paths(document: dict[str, Any], *, events: bool) -> None:
    add_operations(document, HANDOFF_ROUTES + (EVENT_ROUTES if events else ()))
