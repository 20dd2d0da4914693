"""What a build publishes unfinished: the flow's declared `todo` gaps, for `helpflow build`."""

from __future__ import annotations

import os

from helpflow.diagnostics import Diagnostic
from helpflow.errors import HelpflowError
from helpflow.lint import lint
from helpflow.loader import load_file


class OpenTodosError(HelpflowError):
    """`build --strict` was asked to publish a flow that still has todos."""


def open_todos(path: str | os.PathLike[str]) -> list[Diagnostic]:
    return [d for d in lint(load_file(path)) if d.severity == "todo"]


def check_todos(todos: list[Diagnostic], *, strict: bool, allow: bool) -> None:
    if todos and strict and not allow:
        raise OpenTodosError(
            f"{len(todos)} todo{'s' if len(todos) != 1 else ''} still open; finish them, "
            "or publish anyway with --allow-todo"
        )
