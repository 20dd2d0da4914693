"""Wires the support loop into the app: hand-off packets always; events and the hand-off
webhook when configured. One call from the app factory, so the factory stays small."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.routing import Route

from helpflow.server.events_api import EventsApi
from helpflow.server.flowset import FlowSet
from helpflow.server.handoff_api import HandoffApi
from helpflow.server.observe import StepObserver, observe
from helpflow.server.webhook import Webhook

Lifespan = Callable[[Any], contextlib.AbstractAsyncContextManager[None]]


def support_loop(
    flows: FlowSet,
    routes: list[Route],
    *,
    events: str | None,
    store_comments: bool,
    handoff_webhook: str | None,
) -> tuple[list[Route], Lifespan | None]:
    """`routes` plus the support loop's, observed as configured; and the lifespan that
    starts and (on shutdown, SIGTERM included) drains the background writers."""
    webhook = Webhook(handoff_webhook) if handoff_webhook else None
    recorder = EventsApi(flows, events, store_comments=store_comments) if events else None
    handoff = HandoffApi(flows, webhook, recorder.lookup if recorder else None)
    observers: list[StepObserver] = [o for o in (recorder, handoff if webhook else None) if o]
    extra = [*handoff.routes(), *(recorder.routes() if recorder else [])]
    # The support loop's routes go last: routes are matched in order, and the reader's
    # (choose, pages) are the ones every request tries.
    if not observers:
        return [*routes, *extra], None

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        if recorder is not None:
            recorder.open()
        try:
            yield
        finally:
            if recorder is not None:
                recorder.close()
            if webhook is not None:
                webhook.close()

    return [*observe(routes, flows, observers), *extra], lifespan
