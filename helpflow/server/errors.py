"""Every error a client can cause, as a 4xx JSON body with a stable code."""

from __future__ import annotations

from helpflow.errors import (
    FinishedError,
    HelpflowError,
    NotAnsweredError,
    TokenError,
    TokenSignatureError,
    UnavailableChoiceError,
    UnknownChoiceError,
    VarError,
)
from helpflow.server.flowset import UnknownFlowError


class ApiError(Exception):
    """A request the API refuses before the engine sees it."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


# Most specific first.
_CODES: list[tuple[type[HelpflowError], int, str]] = [
    (UnknownFlowError, 404, "unknown_flow"),
    (UnknownChoiceError, 422, "unknown_choice"),
    (UnavailableChoiceError, 422, "unavailable_choice"),
    (FinishedError, 409, "finished"),
    (NotAnsweredError, 409, "not_answered"),
    (TokenSignatureError, 403, "token_signature"),
    (TokenError, 400, "bad_token"),
    (VarError, 400, "unknown_var"),
]

#: Every code the API can answer with, for the OpenAPI document and the docs.
ERROR_CODES = (
    "bad_json",
    "bad_request",
    "not_found",
    "method_not_allowed",
    "payload_too_large",
    "request_timeout",
    "headers_too_large",
    "cors_refused",
    "unsupported_media_type",
    "unknown_language",
    "uri_too_long",
    "page_too_large",
    "not_escalated",
    "not_answerable",
    "bad_event",
    "too_many_requests",
    *(code for _, _, code in _CODES),
)


def classify(exc: HelpflowError) -> ApiError:
    for kind, status, code in _CODES:
        if isinstance(exc, kind):
            return ApiError(status, code, str(exc))
    return ApiError(400, "bad_request", str(exc))
