"""The app factory `helpflow serve` hands to uvicorn, so every worker process builds the same
app from the same settings (read from the environment the CLI set)."""

from __future__ import annotations

import json
import logging
import os
import sys

from starlette.applications import Starlette

from helpflow.server import create_app


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is when a record comes (it may have been replaced)."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def log_to_stderr() -> None:
    """Show the server's warnings (skipped files, slow or vanished clients) as one line each
    on standard error; the library itself only logs (`helpflow` has a NullHandler)."""
    logger = logging.getLogger("helpflow.server")
    if not logger.handlers:
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("helpflow: warning: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)


def app_from_environment() -> Starlette:
    log_to_stderr()
    options = json.loads(os.environ.get("HELPFLOW_SERVE_OPTIONS", "{}"))
    return create_app(os.environ["HELPFLOW_SERVE_PATH"], **options)
