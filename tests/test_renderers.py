from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from helpflow import renderers
from helpflow.engine import CompiledFlow
from helpflow.errors import RendererError
from helpflow.renderers import ENTRY_POINT_GROUP, Renderer, get_renderer
from helpflow.step import Step


class UpperRenderer(Renderer):
    name: ClassVar[str] = "json"

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


def test_builtin_renderers_are_found_without_entry_points(
    fake_entry_points: list[FakeEntryPoint],
) -> None:
    # The static table stands for helpflow's own entry points: none need scanning.
    assert renderers.available_renderers() == sorted(renderers.BUILTIN_RENDERERS)
    assert isinstance(get_renderer("json"), Renderer)


def test_helpflows_own_entry_points_are_not_read_twice(
    fake_entry_points: list[FakeEntryPoint],
) -> None:
    # An entry point of helpflow itself (an installed wheel) never shadows the static table.
    fake_entry_points.append(FakeEntryPoint("json", "x:Y", UpperRenderer, FakeDist("helpflow")))
    assert type(get_renderer("json")).__module__ == "helpflow_json"


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
    fake_entry_points.append(FakeEntryPoint("slack", "x:Z", UpperRenderer, FakeDist("acme")))
    with pytest.raises(
        RendererError,
        match=r"no renderer named 'jsno' \(did you mean 'json'\?\); "
        r"available: article, dot, html, json, mermaid, slack, terminal$",
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
    with pytest.raises(
        RendererError,
        match=r"renderer 'notone' \(notone:f\) is not a renderer class: "
        r"subclass helpflow.renderer.Renderer",
    ):
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


def test_listing_renderers_does_not_import_them(monkeypatch: pytest.MonkeyPatch) -> None:
    renderers.clear_cache()
    for name in ("helpflow_json", "helpflow_graph", "helpflow_html"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    renderers.available_renderers()
    # What a built-in can do is in the static table: asking does not import it either.
    assert renderers.renderers_that("render_flow") == ["article", "dot", "mermaid"]
    assert not {"helpflow_json", "helpflow_graph", "helpflow_html"} & set(sys.modules)


def test_a_plugins_abilities_come_from_its_class(fake_entry_points: list[FakeEntryPoint]) -> None:
    fake_entry_points.append(FakeEntryPoint("upper", "acme:Upper", UpperRenderer, FakeDist("acme")))
    assert renderers.renderer_spec("upper") == renderers.RendererSpec(
        "upper", "acme:Upper", "", frozenset({"render"})
    )
    assert renderers.renderers_that("render") == ["html", "json", "terminal", "upper"]
    assert renderers.renderers_that("render", "run") == ["terminal"]
    assert renderers.renderer_spec("nope") is None


def test_a_hook_not_overridden_refuses_by_name(bundled: CompiledFlow) -> None:
    renderer = UpperRenderer()
    assert renderer.can("render")
    assert not renderer.can("render_flow")
    with pytest.raises(RendererError, match=r"^renderer 'json' cannot render whole flows$"):
        renderer.render_flow(bundled)
