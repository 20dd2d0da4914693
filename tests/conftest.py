from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import helpflow
from helpflow.engine import CompiledFlow, compile_flow
from helpflow.lint import lint
from helpflow.loader import load_file

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "flows" / "account-login.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden files from current output (review the diff before committing)",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def bundled() -> CompiledFlow:
    return helpflow.load(BUNDLED)


WriteFlow = Callable[..., Path]


@pytest.fixture
def write_flow(tmp_path: Path) -> WriteFlow:
    """Write YAML (dedented) to a file in tmp_path and return its path."""

    def write(text: str, name: str = "flow.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def compile_text(write_flow: WriteFlow) -> Callable[[str], CompiledFlow]:
    """Load, lint (errors must be absent) and compile flow text."""

    def compile_(text: str) -> CompiledFlow:
        loaded = load_file(write_flow(text))
        errors = [d for d in lint(loaded) if d.severity == "error"]
        assert not errors, [d.format() for d in errors]
        return compile_flow(loaded.flow)

    return compile_


MINI = """
helpflow: 1
id: mini
title: Mini
start: where
vars:
  support_url:
    default: https://example.com/support
nodes:
  where:
    kind: question
    prompt: Where did you buy it?
    choices:
      - {id: shop, label: In a shop, to: what}
      - {id: web, label: Online, to: what}
  what:
    kind: question
    prompt: What is wrong?
    choices:
      - {id: login, label: Cannot log in, to: reset}
      - {id: other, label: Something else, to: help}
      - id: shop_only
        label: Shop voucher
        when: {where: shop}
        to: help
  reset:
    kind: fix
    title: Reset your password
    steps: [Open the page., Follow the email.]
    solved: done
    not_solved:
      - when: {where: shop}
        to: shop_help
      - to: help
  done:
    kind: outcome
    resolution: solved
    title: Done
    body: Great.
  help:
    kind: outcome
    resolution: escalate
    title: Contact us
    body: We can help.
    contacts:
      - name: Support
        url: "{support_url}"
  shop_help:
    kind: outcome
    resolution: escalate
    title: Contact the shop
    body: The shop can help.
    contacts:
      - name: The shop
        note: Ask at the desk.
"""


@pytest.fixture
def mini(compile_text: Callable[[str], CompiledFlow]) -> CompiledFlow:
    return compile_text(MINI)
