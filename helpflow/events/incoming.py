"""Events sent by clients (the widget, the static site, other UIs), checked against the flows
a server serves before anything is stored: unknown flows, nodes or choices, wrong types and
oversized comments are refused whole."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from helpflow.engine import CompiledFlow
from helpflow.errors import HelpflowError
from helpflow.events.model import MAX_COMMENT, VISIT_PATTERN, Event, EventType
from helpflow.model import ID_MAX_LENGTH, ID_PATTERN, OutcomeNode

Id = Annotated[str, StringConstraints(strict=True, pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)]
MAX_EVENTS = 50


class BadEventError(HelpflowError):
    """An event that does not fit the flow it names."""


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    type: EventType
    flow: Id
    visit: Annotated[str, StringConstraints(pattern=VISIT_PATTERN.pattern)]
    version: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,64}$")] | None = None
    node: Id | None = None
    choice: Id | None = None
    helpful: StrictBool | None = None
    comment: Annotated[str, StringConstraints(max_length=MAX_COMMENT)] | None = None


class EventsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    events: list[EventIn] = Field(min_length=1, max_length=MAX_EVENTS)


_NEEDS_NODE = {"answered", "changed", "reached", "feedback"}
_NEEDS_CHOICE = {"answered", "changed"}


def checked(item: EventIn, flow_for: Callable[[str], CompiledFlow]) -> Event:
    """The event to store for `item`, or `BadEventError` saying what does not fit."""
    flow = flow_for(item.flow)
    node = flow.flow.nodes.get(item.node) if item.node is not None else None
    if item.node is not None and node is None:
        raise BadEventError(f"flow {flow.id!r} has no node {item.node!r}")
    if item.type in _NEEDS_NODE and node is None:
        raise BadEventError(f"a {item.type!r} event needs a node")
    if item.choice is not None:
        if item.node is None or item.choice not in flow.content(item.node).choice_labels:
            raise BadEventError(f"node {item.node!r} has no choice {item.choice!r}")
    elif item.type in _NEEDS_CHOICE:
        raise BadEventError(f"a {item.type!r} event needs a choice")
    if (item.type == "feedback") != (item.helpful is not None):
        raise BadEventError("'helpful' (true or false) goes with feedback events, and only them")
    if item.comment is not None and item.type != "feedback":
        raise BadEventError("a comment goes only with a feedback event")
    if item.type == "feedback" and node is not None and node.kind not in ("fix", "outcome"):
        raise BadEventError("feedback is asked on fix and outcome pages only")
    # Clients never send the resolution (a beacon may not know it): the flow's node says it,
    # for `reached` and `feedback` alike, as the server's own events carry it.
    resolution = node.resolution if isinstance(node, OutcomeNode) else None
    return Event(
        item.type,
        flow.id,
        item.version or flow.version,
        item.visit,
        item.node,
        item.choice,
        resolution if item.type in ("reached", "feedback") else None,
        item.helpful,
        item.comment,
    )
