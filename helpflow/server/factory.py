"""The app factory `helpflow serve` hands to uvicorn, so every worker process builds the same
app from the same settings (read from the environment the CLI set)."""

from __future__ import annotations

import json
import os

from starlette.applications import Starlette

from helpflow.server import create_app


def app_from_environment() -> Starlette:
    options = json.loads(os.environ.get("HELPFLOW_SERVE_OPTIONS", "{}"))
    return create_app(os.environ["HELPFLOW_SERVE_PATH"], **options)
