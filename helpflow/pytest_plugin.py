"""pytest plugin: every `*.tests.yaml` becomes one test item per scenario.

Registered through the `pytest11` entry point, so a help centre's CI runs its flows' scenarios
with plain `pytest`. This module is imported by every pytest run in an environment where
helpflow is installed, so it imports helpflow's engine only when it meets a scenario file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from helpflow.engine import CompiledFlow
    from helpflow.scenarios import LoadedScenario

SUFFIX = ".tests.yaml"


class ScenarioFailure(Exception):
    """A scenario that did not hold; its message is the whole report."""


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIX):
        collector: pytest.Collector = ScenarioFile.from_parent(parent, path=file_path)
        return collector
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from helpflow import scenarios
        from helpflow.errors import HelpflowError
        from helpflow.loader import load

        try:
            loaded = scenarios.load(self.path)
            flow = load(loaded.flow_path)
        except HelpflowError as exc:
            raise self.CollectError(f"helpflow: {exc}") from None
        seen: dict[str, int] = {}
        for item in loaded.scenarios:
            name = item.scenario.name
            seen[name] = seen.get(name, 0) + 1
            shown = name if seen[name] == 1 else f"{name} ({seen[name]})"
            yield ScenarioItem.from_parent(self, name=shown, flow=flow, loaded=item)


class ScenarioItem(pytest.Item):
    def __init__(self, *, flow: CompiledFlow, loaded: LoadedScenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.flow = flow
        self.loaded = loaded

    def runtest(self) -> None:
        from helpflow.scenarios import run_scenario

        result = run_scenario(self.flow, self.loaded)
        if not result.passed:
            raise ScenarioFailure(result.report())

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str:
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.loaded.line - 1, f"scenario: {self.name}"
