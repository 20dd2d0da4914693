"""Golden files: reviewed output that tests compare against, rewritten and swept by
`pytest --update-goldens`.

Each golden folder has one owning test module (`OWNERS`). A test reaches its goldens through the
`golden` fixture, which refuses files outside its module's folders and records every file asked
for. At the end of a run, in a folder whose owning module ran all its golden tests and they all
passed, a golden file nobody asked for is stale: `--update-goldens` deletes it; a normal run
fails and names it. A run that leaves some of those tests out (`-k`, `-m`, `--lf`, `-x`
stopping early, a skip) cannot tell stale from unasked, so it leaves that folder alone; a run
given node ids (`file.py::test`) sweeps nothing, since it never saw the tests it left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

# folder (under tests/) -> (owning test module, the golden files in it)
OWNERS: dict[str, tuple[str, str]] = {
    "goldens/account-login": ("test_json_steps.py", "*.json"),
    "goldens/printer-error-light": ("test_json_steps.py", "*.json"),
    "goldens/software-update-failing": ("test_json_steps.py", "*.json"),
    "goldens/site": ("test_html.py", "**/*"),  # with FILES.txt: the names of all its files
    "corpus/broken": ("test_corpus.py", "*.expected"),  # beside their inputs (*.yaml)
}

#: The `golden` fixture: golden(path under tests/, actual output) asserts they are equal.
Golden = Callable[[str, str | bytes], None]
KEY = pytest.StashKey["GoldenFiles"]()

UPDATE_HINT = "if the change is intended, run `pytest --update-goldens` and review the diff"


@dataclass
class GoldenFiles:
    """The pytest plugin: what each module's golden tests were, which passed, what was asked."""

    update: bool
    golden_tests: dict[str, set[str]] = field(default_factory=dict)  # module -> node ids
    passed: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)
    asked: set[Path] = field(default_factory=set)
    narrowed: bool = False

    def check(self, module: str, relative: str, actual: str | bytes) -> None:
        """Compare `actual` with the golden file `relative` (to tests/), or rewrite it."""
        __tracebackhide__ = True  # a failure points at the test, not at this helper
        path = (TESTS / relative).resolve()
        folder = next((f for f in OWNERS if path.is_relative_to(TESTS / f)), None)
        assert folder is not None, f"{relative} is in no golden folder (golden_files.OWNERS)"
        assert OWNERS[folder][0] == module, f"{relative} belongs to {OWNERS[folder][0]}"
        self.asked.add(path)
        data = actual.encode("utf-8") if isinstance(actual, str) else actual
        if self.update and (not path.is_file() or path.read_bytes() != data):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        assert path.is_file(), f"no golden file {relative}; {UPDATE_HINT}"
        if isinstance(actual, str):  # compared as text, so a failure shows a readable diff
            expected = path.read_bytes().decode("utf-8")
            assert actual == expected, f"{relative} differs; {UPDATE_HINT}"
        else:
            assert data == path.read_bytes(), f"{relative} differs; {UPDATE_HINT}"

    # --- hooks -----------------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)  # before -k/-m/--lf deselect: every golden test counts
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        # A node id on the command line collects only that test: the module's others are unseen.
        self.narrowed = any("::" in str(arg) for arg in config.args)
        for item in items:
            if "golden" in getattr(item, "fixturenames", ()):
                self.golden_tests.setdefault(item.path.name, set()).add(item.nodeid)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed:
            self.failed.add(report.nodeid)
        elif report.when == "call" and report.passed:
            self.passed.add(report.nodeid)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        stale = self.stale()
        if not stale:
            return
        shown = "\n".join(f"  {p.relative_to(TESTS)}" for p in stale)
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if self.update:
            for path in stale:
                path.unlink()
            _remove_empty_folders()
            message = f"--update-goldens deleted {len(stale)} stale golden file(s):\n{shown}"
        else:
            message = f"stale golden files (no test asked for them):\n{shown}\n{UPDATE_HINT}"
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(message, red=not self.update)

    def stale(self) -> list[Path]:
        """Golden files no test asked for, in folders whose every golden test ran and passed."""
        if self.narrowed:
            return []
        found: list[Path] = []
        for folder, (module, pattern) in OWNERS.items():
            tests = self.golden_tests.get(module)
            if not tests or not tests <= self.passed or tests & self.failed:
                continue
            files = (p.resolve() for p in (TESTS / folder).glob(pattern) if p.is_file())
            found += sorted(p for p in files if p not in self.asked)
        return found


def _remove_empty_folders() -> None:
    for folder in OWNERS:
        for path in sorted((TESTS / folder).rglob("*"), reverse=True):  # deepest first
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
