"""schemathesis against the published OpenAPI document, bounded: no 5xx, and every response
conforms to the document (status codes, content types, schemas)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from helpflow.server import create_app

from support import BUNDLED

# Starts server processes, subprocesses or long property runs: left out of the fast run.
pytestmark = pytest.mark.slow

APP = create_app(BUNDLED.parent, secret=b"fuzz")
SCHEMA = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)
# An oversized body is refused with 413 before it is parsed: a rejection like any other.
_rejection = SCHEMA.config.checks.negative_data_rejection
_rejection.expected_statuses = [*_rejection.expected_statuses, "413"]


@SCHEMA.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case[Any]) -> None:
    # A session token is opaque and signed: a string that fits its schema is still refused
    # (400/403) unless this server made it. That is the point of signing, so "schema-valid
    # request rejected" is not a finding here; every other check runs.
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])
