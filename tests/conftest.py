from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import helpflow
from helpflow.engine import CompiledFlow, compile_flow
from helpflow.lint import lint
from helpflow.loader import load_file

from golden_files import KEY as GOLDEN_KEY
from golden_files import Golden, GoldenFiles
from support import BUNDLED, MINI, WriteFlow


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test that drives Chromium is a browser test however it reaches the browser (directly,
    # through `page`, or a module fixture), so new browser tests are marked without anyone
    # remembering to: `pytest -m "not browser"` runs where no Chromium is installed.
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden files (tests/goldens, tests/corpus/broken/*.expected) from the "
        "current output, and delete the ones no test asked for when all of a folder's golden "
        "tests ran and passed; review the diff before committing",
    )


def pytest_configure(config: pytest.Config) -> None:
    files = GoldenFiles(update=bool(config.getoption("--update-goldens")))
    config.stash[GOLDEN_KEY] = files
    config.pluginmanager.register(files, "golden-files")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """golden(path under tests/, output): assert the output equals the reviewed file."""
    return functools.partial(request.config.stash[GOLDEN_KEY].check, request.path.name)


@pytest.fixture(scope="session")
def bundled() -> CompiledFlow:
    return helpflow.load(BUNDLED)


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


@pytest.fixture
def mini(compile_text: Callable[[str], CompiledFlow]) -> CompiledFlow:
    return compile_text(MINI)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from browser import CHROMIUM, CHROMIUM_ARGS, require

    require(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A JavaScript-enabled page that fails the test on any dialog (alert, confirm, …)."""
    context = chromium.new_context()
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()
    assert not dialogs, f"a dialog opened: {dialogs}"


@pytest.fixture
def page_nojs(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()
