"""The golden file machinery (golden_files.py): compare, rewrite, and sweep stale goldens only
when every golden test of the owning module ran and passed."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import golden_files
from golden_files import GoldenFiles


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tests/ stand-in with one golden folder `g` (owned by test_x.py) holding a, b and c/d."""
    monkeypatch.setattr(golden_files, "TESTS", tmp_path)
    monkeypatch.setattr(golden_files, "OWNERS", {"g": ("test_x.py", "**/*.json")})
    (tmp_path / "g" / "c").mkdir(parents=True)
    for name in ("a", "b", "c/d"):
        (tmp_path / "g" / f"{name}.json").write_text(f"{name}\n", encoding="utf-8")
    return tmp_path / "g"


def ran(update: bool, *, passed: set[str] | None = None) -> GoldenFiles:
    files = GoldenFiles(update=update)
    files.golden_tests = {"test_x.py": {"t1", "t2"}}
    files.passed = {"t1", "t2"} if passed is None else passed
    return files


def finish(files: GoldenFiles) -> Any:
    session: Any = SimpleNamespace(
        config=SimpleNamespace(pluginmanager=SimpleNamespace(get_plugin=lambda name: None)),
        exitstatus=pytest.ExitCode.OK,
    )
    files.pytest_sessionfinish(session)
    return session


def test_equal_output_passes_and_different_output_fails_with_the_hint(folder: Path) -> None:
    files = ran(update=False)
    files.check("test_x.py", "g/a.json", "a\n")
    files.check("test_x.py", "g/a.json", b"a\n")
    with pytest.raises(AssertionError, match=r"g/a.json differs; .*--update-goldens"):
        files.check("test_x.py", "g/a.json", "changed\n")
    with pytest.raises(AssertionError, match=r"no golden file g/new.json"):
        files.check("test_x.py", "g/new.json", "x")


def test_a_module_cannot_write_another_modules_goldens(folder: Path) -> None:
    files = ran(update=True)
    with pytest.raises(AssertionError, match=r"belongs to test_x\.py"):
        files.check("test_y.py", "g/a.json", "x")
    with pytest.raises(AssertionError, match="in no golden folder"):
        files.check("test_x.py", "elsewhere/a.json", "x")
    assert (folder / "a.json").read_text() == "a\n"


def test_update_rewrites_and_deletes_what_no_test_asked_for(folder: Path) -> None:
    files = ran(update=True)
    files.check("test_x.py", "g/a.json", "new a\n")
    session = finish(files)
    assert (folder / "a.json").read_text() == "new a\n"
    assert sorted(p.name for p in folder.rglob("*")) == ["a.json"]  # c/ went with c/d.json
    assert session.exitstatus == pytest.ExitCode.OK


def test_a_normal_run_fails_on_stale_goldens_and_keeps_them(folder: Path) -> None:
    files = ran(update=False)
    files.check("test_x.py", "g/a.json", "a\n")
    files.check("test_x.py", "g/c/d.json", "c/d\n")
    session = finish(files)
    assert session.exitstatus == pytest.ExitCode.TESTS_FAILED
    assert (folder / "b.json").is_file()
    assert files.stale() == [folder / "b.json"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"passed": {"t1"}}, id="a golden test deselected or skipped"),
        pytest.param({"failed": {"t2"}}, id="a golden test failed in teardown"),
        pytest.param({"narrowed": True}, id="run by node id"),
        pytest.param({"golden_tests": {}}, id="owning module not collected"),
    ],
)
def test_a_partial_run_deletes_nothing(folder: Path, change: dict[str, Any]) -> None:
    files = ran(update=True)
    for name, value in change.items():
        setattr(files, name, value)
    files.check("test_x.py", "g/a.json", "a\n")
    finish(files)
    assert sorted(p.name for p in folder.rglob("*.json")) == ["a.json", "b.json", "d.json"]
