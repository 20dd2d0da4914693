from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from helpflow import renderers
from helpflow.engine import CompiledFlow
from helpflow.errors import RendererError
from helpflow.renderers import ENTRY_POINT_GROUP, BaseRenderer, Renderer, get_renderer
from helpflow.step import Step


class UpperRenderer(BaseRenderer):
    name: ClassVar[str] = "json"
    media_type: ClassVar[str] = "text/plain"

    def render(self, step: Step) -> str:
        return step.title.upper()


@dataclass
class FakeDist:
    name: str


@dataclass
class FakeEntryPoint:
    name: str
    value: str
    target: Any
    dist: FakeDist | None

    def load(self) -> Any:
        if isinstance(self.target, Exception):
            raise self.target
        return self.target


@pytest.fixture
def fake_entry_points(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FakeEntryPoint]]:
    registered: list[FakeEntryPoint] = []

    def entry_points(*, group: str) -> list[FakeEntryPoint]:
        assert group == ENTRY_POINT_GROUP
        return registered

    monkeypatch.setattr(renderers, "entry_points", entry_points)
    renderers.clear_cache()
    yield registered
    renderers.clear_cache()


def test_builtin_json_renderer_is_found_through_entry_points() -> None:
    renderers.clear_cache()
    assert "json" in renderers.available_renderers()
    assert isinstance(get_renderer("json"), Renderer)


def test_third_party_renderer_replaces_a_builtin(
    fake_entry_points: list[FakeEntryPoint], bundled: CompiledFlow
) -> None:
    import helpflow_json

    fake_entry_points.extend(
        [
            FakeEntryPoint("json", "acme:Upper", UpperRenderer, FakeDist("acme-helpflow")),
            FakeEntryPoint(
                "json",
                "helpflow_json:JsonRenderer",
                helpflow_json.JsonRenderer,
                FakeDist("helpflow"),
            ),
        ]
    )
    renderer = get_renderer("json")
    assert isinstance(renderer, UpperRenderer)
    assert (
        renderer.render(bundled.step(bundled.start()))
        == "HOW DID YOU GET YOUR TREND MICRO PRODUCT?"
    )


def test_unknown_renderer_lists_what_exists(fake_entry_points: list[FakeEntryPoint]) -> None:
    fake_entry_points.append(FakeEntryPoint("json", "x:Y", UpperRenderer, FakeDist("helpflow")))
    fake_entry_points.append(FakeEntryPoint("html", "x:Z", UpperRenderer, FakeDist("helpflow")))
    with pytest.raises(
        RendererError,
        match=r"no renderer named 'jsno' \(did you mean 'json'\?\); available: html, json",
    ):
        get_renderer("jsno")
    assert renderers.find_renderer("jsno") is None


def test_broken_plugins_give_clear_errors(fake_entry_points: list[FakeEntryPoint]) -> None:
    fake_entry_points.extend(
        [
            FakeEntryPoint("broken", "broken:R", ImportError("No module named 'broken'"), None),
            FakeEntryPoint("notone", "notone:f", print, None),
        ]
    )
    with pytest.raises(RendererError, match="failed to import: No module named 'broken'"):
        get_renderer("broken")
    with pytest.raises(RendererError, match="is not a renderer class"):
        get_renderer("notone")


def test_only_the_renderer_asked_for_is_imported(fake_entry_points: list[FakeEntryPoint]) -> None:
    loaded: list[str] = []

    class Lazy(FakeEntryPoint):
        def load(self) -> Any:
            loaded.append(self.name)
            return super().load()

    fake_entry_points.extend(
        [
            Lazy("one", "a:A", UpperRenderer, None),
            Lazy("two", "b:B", UpperRenderer, None),
        ]
    )
    get_renderer("one")
    assert loaded == ["one"]


def test_listing_renderers_does_not_import_them() -> None:
    renderers.clear_cache()
    sys.modules.pop("helpflow_json", None)
    renderers.available_renderers()
    assert "helpflow_json" not in sys.modules
