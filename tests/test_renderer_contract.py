"""Every registered renderer against the `Renderer` contract, and the static table of
built-ins against pyproject's entry points and the classes themselves."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from helpflow import renderers
from helpflow.engine import CompiledFlow
from helpflow.errors import RendererError
from helpflow.renderer import HOOKS, PageRequest, Renderer
from helpflow.session import Answer

from support import BUNDLED, ROOT


def test_static_table_matches_pyprojects_entry_points() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    table = {spec.name: spec.target for spec in renderers.BUILTIN_RENDERERS.values()}
    assert table == project["entry-points"][renderers.ENTRY_POINT_GROUP]


@pytest.mark.parametrize("name", sorted(renderers.BUILTIN_RENDERERS))
def test_static_table_says_what_each_class_can_do(name: str) -> None:
    spec = renderers.BUILTIN_RENDERERS[name]
    cls = renderers.find_renderer(name)
    assert cls is not None
    assert (cls.__module__, cls.__name__) == tuple(spec.target.split(":"))
    assert cls.name == name
    assert spec.hooks == cls.hooks(), f"update BUILTIN_RENDERERS[{name!r}].hooks"


def test_hooks_are_checked_by_name() -> None:
    with pytest.raises(ValueError, match="no renderer hook named 'rendr'"):
        Renderer.can("rendr")
    with pytest.raises(ValueError, match="no renderer hook named rendr"):
        renderers.renderers_that("rendr")


def _address(answers: Sequence[Answer], change: str | None = None) -> str:
    query = "&".join(f"{a.node}={a.choice}" for a in answers)
    return f"/f/?{query}" + (f"&change={change}" if change else "")


def _centre(renderer: Renderer, flow: CompiledFlow, tmp: Path, mp: pytest.MonkeyPatch) -> Any:
    folder = tmp / "flows"
    shutil.copytree(BUNDLED.parent, folder)
    report = renderer.build_centre(folder, tmp / "centre")
    assert (report.flows, report.built) == (1, 1)
    return report


def _run(renderer: Renderer, flow: CompiledFlow, tmp: Path, mp: pytest.MonkeyPatch) -> int:
    mp.setattr("sys.stdin", io.StringIO("q\n"))  # piped: the plain wizard, quit at once
    out = io.StringIO()
    code = renderer.run(flow, stdout=out, transcript=True)
    assert flow.step(flow.start()).title in out.getvalue()
    return code


def _step_schema(renderer: Renderer, flow: CompiledFlow) -> dict[str, Any]:
    schema = renderer.schema()
    if renderer.can("render"):
        rendered = json.loads(renderer.render(flow.step(flow.start())))
        jsonschema.Draft202012Validator(schema).validate(rendered)
    return schema


#: Each hook called as a command or the server calls it, on the bundled flow.
CALLS: dict[str, Callable[[Renderer, CompiledFlow, Path, pytest.MonkeyPatch], object]] = {
    "render": lambda r, f, tmp, mp: r.render(f.step(f.choose(f.start(), "retail"))),
    "render_flow": lambda r, f, tmp, mp: r.render_flow(f),
    "run": _run,
    "build": lambda r, f, tmp, mp: r.build(f, tmp / "site").pages,
    "build_centre": _centre,
    "render_page": lambda r, f, tmp, mp: r.render_page(
        f, f.choose(f.start(), "retail"), PageRequest(address=_address, assets="/static/")
    ),
    "page_assets": lambda r, f, tmp, mp: dict(r.page_assets()),
    "widget_fragment": lambda r, f, tmp, mp: r.widget_fragment(f),
    "schema": lambda r, f, tmp, mp: _step_schema(r, f),
}


def test_every_hook_has_a_contract_call() -> None:
    assert set(CALLS) == set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
@pytest.mark.parametrize("name", renderers.available_renderers())
def test_each_hook_works_or_refuses_clearly(
    name: str, hook: str, bundled: CompiledFlow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renderer = renderers.get_renderer(name)
    call = CALLS[hook]
    if not renderer.can(hook):
        with pytest.raises(RendererError, match=rf"^renderer '{name}' cannot \w"):
            call(renderer, bundled, tmp_path, monkeypatch)
        return
    result = call(renderer, bundled, tmp_path, monkeypatch)
    assert result or result == 0, f"{name}.{hook} returned {result!r}"
    if hook == "render_page":
        assert isinstance(result, str)
        assert 'href="/static/helpflow.css"' in result
        # Every link is the server's address of a state: answering, changing an answer.
        assert 'href="/f/?purchase_channel=retail&amp;problem=cant_access"' in result
        assert 'href="/f/?purchase_channel=retail&amp;change=purchase_channel"' in result
    if hook == "page_assets":
        assert isinstance(result, dict)
        assert all(isinstance(text, str) and text for text in result.values())
