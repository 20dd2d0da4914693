"""The JSON API, `/api/v1`: start, choose, back, restart, change, current step; flows.

Stateless: the session travels in the token, signed with the server's secret. Every step
response is the Step JSON of the published schema plus the new token, built by the `json`
renderer found through the registry like any other output.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from helpflow.engine import CompiledFlow
from helpflow.overrides import request_overrides
from helpflow.renderers import Renderer
from helpflow.server import language
from helpflow.server.errors import ERROR_CODES, ApiError
from helpflow.server.flowset import FlowSet
from helpflow.session import Session

PREFIX = "/api/v1"
#: Bounds on per-request var overrides: values reach Markdown, whose cost grows faster than
#: linearly on some inputs, so a long value must not get that far.
MAX_VARS, MAX_VAR_NAME, MAX_VAR_VALUE = 16, 64, 256
Vars = dict[
    Annotated[str, StringConstraints(max_length=MAX_VAR_NAME)],
    Annotated[str, StringConstraints(max_length=MAX_VAR_VALUE)],
]
# What a token is made of (URL-safe base64 and dots); anything else is refused before decoding.
#: Deepest nesting of arrays and objects a request body may have; the API's own bodies need
#: 2. Checked before parsing: json.loads recurses and 8,000 levels fit in 16 KiB.
MAX_DEPTH = 32
# A string (to its closing quote, or the end of an unterminated one) or a bracket; one pass.
_JSON_PARTS = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[\]{}]')


def too_deep(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether JSON text nests arrays/objects more than `limit` levels (brackets inside
    strings do not count)."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False  # the common case, in C
    depth = 0
    for part in _JSON_PARTS.finditer(raw):
        token = part.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False


class StartBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vars: Vars = Field(
        default_factory=dict, max_length=MAX_VARS, description="Overrides of the flow's vars."
    )


class TokenBody(StartBody):
    token: str = Field(min_length=1, max_length=4096)


class ChooseBody(TokenBody):
    choice: str = Field(min_length=1, max_length=64)


class ChangeBody(TokenBody):
    node: str = Field(min_length=1, max_length=64)
    choice: str = Field(min_length=1, max_length=64)


# --- response bodies: they shape what the endpoints send, and the OpenAPI document -------


STEP_PART = "x-helpflow-step-part"


def step_part(name: str) -> WithJsonSchema:
    """A value whose schema is the Step schema's `name`: the json renderer publishes that
    schema, and the OpenAPI document turns this marker into a `$ref` to it (pydantic itself
    would look a `$ref` up among its own models, where there is none)."""
    return WithJsonSchema({STEP_PART: name})


class _ResponseBody(BaseModel):
    """A response body: exactly these keys (the OpenAPI document says so too)."""

    model_config = ConfigDict(extra="forbid")


class Health(_ResponseBody):
    status: Literal["ok"]


class FlowSummary(_ResponseBody):
    id: str
    title: str
    version: str


class FlowListed(FlowSummary):
    """A flow of the flow list: also the languages it is served in, its own first."""

    languages: list[str]


class FlowList(_ResponseBody):
    flows: list[FlowListed]


class VarInfo(_ResponseBody):
    default: str
    description: str


class FlowDescription(FlowListed):
    #: The language of this description.
    lang: str
    intro: Annotated[dict[str, str], step_part("Prose")]
    applies_to: list[str]
    start: str
    nodes: int
    vars: dict[str, VarInfo]


class Replayed(_ResponseBody):
    """An older-version token replayed by node: where its answers stopped fitting."""

    from_older_version: bool
    diverged_at: str | None
    dropped: NonNegativeInt


class DroppedAnswer(_ResponseBody):
    node: str
    choice: str


class StepResponse(_ResponseBody):
    """What every session endpoint answers (the step is spliced in as the renderer wrote it)."""

    step: Annotated[dict[str, Any], step_part("Step")]
    token: str
    replayed: Replayed | None
    dropped: list[DroppedAnswer]


class ErrorDetail(_ResponseBody):
    code: Annotated[str, WithJsonSchema({"type": "string", "enum": list(ERROR_CODES)})]
    message: str


class ErrorBody(_ResponseBody):
    model_config = ConfigDict(extra="forbid", title="Error")  # its name in the OpenAPI document
    error: ErrorDetail


def error_response(error: ApiError) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=error.code, message=error.message))
    return JSONResponse(body.model_dump(), status_code=error.status)


class Api:
    def __init__(self, flows: FlowSet, json_renderer: Renderer) -> None:
        self.flows = flows
        self.renderer = json_renderer

    def routes(self) -> list[Route]:
        return [
            Route(f"{PREFIX}/health", self.health, methods=["GET"]),
            Route(f"{PREFIX}/flows", self.list_flows, methods=["GET"]),
            Route(f"{PREFIX}/flows/{{flow_id}}", self.describe, methods=["GET"]),
            Route(f"{PREFIX}/flows/{{flow_id}}/sessions", self.start, methods=["POST"]),
            Route(f"{PREFIX}/flows/{{flow_id}}/step", self.current, methods=["GET"]),
            Route(f"{PREFIX}/flows/{{flow_id}}/choose", self.choose, methods=["POST"]),
            Route(f"{PREFIX}/flows/{{flow_id}}/back", self.back, methods=["POST"]),
            Route(f"{PREFIX}/flows/{{flow_id}}/restart", self.restart, methods=["POST"]),
            Route(f"{PREFIX}/flows/{{flow_id}}/change", self.change, methods=["POST"]),
        ]

    # --- plumbing ----------------------------------------------------------------------------

    async def _body(self, request: Request, model: type[BaseModel]) -> Any:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise ApiError(415, "unsupported_media_type", "send the body as application/json")
        raw = await request.body()
        if too_deep(raw):
            raise ApiError(
                400, "bad_json", f"the body nests arrays or objects over {MAX_DEPTH} levels deep"
            )
        try:
            data = json.loads(raw or b"{}")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, "bad_json", f"the body is not valid JSON: {exc}") from exc
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise ApiError(400, "bad_request", f"{where}: {first['msg']}") from exc

    def _flow(self, request: Request, overrides: Vars | None = None) -> CompiledFlow:
        """The flow the request names, in the language it asks for (`?lang=`, else
        `Accept-Language`), with its var overrides."""
        flow_id = request.path_params["flow_id"]
        lang = language.requested(self.flows, flow_id, request, strict=True)
        flow = self.flows.get(flow_id, lang=lang)
        if not overrides:
            return flow
        # The one place request overrides are applied: only vars the flow marks overridable.
        return self.flows.get(flow.id, request_overrides(flow.flow, overrides), lang)

    def _resume(self, flow: CompiledFlow, token: str) -> tuple[Session, Replayed | None]:
        resumed = flow.resume(token)
        replayed = None
        if resumed.version_changed:
            replayed = Replayed(
                from_older_version=True, diverged_at=resumed.diverged_at, dropped=resumed.dropped
            )
        return resumed.session, replayed

    def _step(
        self,
        flow: CompiledFlow,
        session: Session,
        *,
        replayed: Replayed | None = None,
        dropped: list[DroppedAnswer] | None = None,
        status: int = 200,
    ) -> Response:
        step = flow.step(session)
        extra = json.dumps(
            {
                "token": step.token,
                "replayed": replayed.model_dump() if replayed else None,
                "dropped": [answer.model_dump() for answer in dropped or ()],
            },
            ensure_ascii=False,
        )
        # The step is spliced in as the renderer wrote it: no second encode of the whole body.
        body = '{"step":' + self.renderer.render(step) + "," + extra[1:]
        response = Response(body, status_code=status, media_type="application/json")
        return language.mark(response, flow.lang)

    # --- endpoints ---------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        return JSONResponse(Health(status="ok").model_dump())

    async def list_flows(self, request: Request) -> Response:
        flows = [
            FlowListed(
                id=f.id,
                title=f.info.title,
                version=f.version,
                languages=self.flows.available(f.id),
            )
            for f in self.flows.flows.values()
        ]
        return JSONResponse(FlowList(flows=flows).model_dump())

    async def describe(self, request: Request) -> Response:
        flow = self._flow(request)
        description = FlowDescription(
            id=flow.id,
            title=flow.info.title,
            version=flow.version,
            languages=self.flows.available(flow.id),
            lang=flow.lang,
            intro={"html": flow.info.intro.html, "text": flow.info.intro.text},
            applies_to=list(flow.info.applies_to),
            start=flow.flow.start,
            nodes=len(flow.flow.nodes),
            vars={
                name: VarInfo(default=var.default, description=var.description)
                for name, var in flow.flow.vars.items()
            },
        )
        return language.mark(JSONResponse(description.model_dump()), flow.lang)

    async def start(self, request: Request) -> Response:
        body: StartBody = await self._body(request, StartBody)
        flow = self._flow(request, body.vars)
        return self._step(flow, flow.start(), status=201)

    async def current(self, request: Request) -> Response:
        token = request.query_params.get("token")
        if not token:
            raise ApiError(400, "bad_request", "query parameter 'token' is required")
        flow = self._flow(request)
        session, replayed = self._resume(flow, token)
        return self._step(flow, session, replayed=replayed)

    async def _resumed(
        self, request: Request, model: type[TokenBody]
    ) -> tuple[Any, CompiledFlow, Session, Replayed | None]:
        """Body, the flow (with the request's vars) and the session its token stands for."""
        body = await self._body(request, model)
        flow = self._flow(request, body.vars)
        session, replayed = self._resume(flow, body.token)
        return body, flow, session, replayed

    async def choose(self, request: Request) -> Response:
        body, flow, session, replayed = await self._resumed(request, ChooseBody)
        return self._step(flow, flow.advance(session, body.choice), replayed=replayed)

    async def back(self, request: Request) -> Response:
        _, flow, session, replayed = await self._resumed(request, TokenBody)
        return self._step(flow, flow.back(session), replayed=replayed)

    async def restart(self, request: Request) -> Response:
        _, flow, session, replayed = await self._resumed(request, TokenBody)
        return self._step(flow, flow.restart(session), replayed=replayed)

    async def change(self, request: Request) -> Response:
        body, flow, session, replayed = await self._resumed(request, ChangeBody)
        result = flow.change(session, body.node, body.choice)
        dropped = [DroppedAnswer(node=a.node, choice=a.choice) for a in result.dropped]
        return self._step(flow, result.session, replayed=replayed, dropped=dropped)
