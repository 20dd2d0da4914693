"""The renderer registry, as in Pygments: a static table of the built-in renderers, read
first, then the entry-point group `helpflow.renderers` for everyone else's.

A package adds a renderer by declaring

    [project.entry-points."helpflow.renderers"]
    slides = "helpflow_slides:SlidesRenderer"

and `helpflow step --format slides` finds it. A renderer registered by another distribution
under a built-in's name replaces the built-in. Only the renderer asked for is imported: the
table says what each built-in can do without importing it. The CLI, the server and the
preview reach renderers only through this module.
"""

from __future__ import annotations

import functools
import importlib
import logging
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any

from helpflow.diagnostics import did_you_mean
from helpflow.errors import RendererError
from helpflow.renderer import HOOKS, PageRequest, Renderer

if TYPE_CHECKING:
    from collections.abc import Iterable

logger = logging.getLogger(__name__)

#: The name plugins written for helpflow 0.1 subclass.
BaseRenderer = Renderer

#: The entry-point group; docs and tests import this rather than spelling it again.
ENTRY_POINT_GROUP = "helpflow.renderers"

#: The distribution whose renderers the static table below stands for.
_BUILTIN_DIST = "helpflow"


@dataclass(frozen=True)
class RendererSpec:
    """What the registry knows of a renderer before importing it."""

    name: str
    target: str  # "module:Class"
    media_type: str  # of what `render`/`render_flow` return ("" if a plugin does not say)
    hooks: frozenset[str]  # the `Renderer` hooks it implements


def _spec(name: str, target: str, media_type: str, *hooks: str) -> RendererSpec:
    return RendererSpec(name, target, media_type, frozenset(hooks))


#: The built-in renderers: the same names and classes as pyproject's entry points (a test
#: keeps the two, and each class's hooks, current).
BUILTIN_RENDERERS: dict[str, RendererSpec] = {
    spec.name: spec
    for spec in (
        _spec("json", "helpflow_json:JsonRenderer", "application/json", "render", "schema"),
        _spec("terminal", "helpflow_terminal:TerminalRenderer", "text/plain", "render", "run"),
        _spec(
            "html",
            "helpflow_html:HtmlRenderer",
            "text/html",
            "render",
            "render_page",
            "page_assets",
            "widget_fragment",
            "build",
            "build_centre",
        ),
        _spec("article", "helpflow_html:ArticleRenderer", "text/html", "render_flow"),
        _spec("mermaid", "helpflow_graph:MermaidRenderer", "text/vnd.mermaid", "render_flow"),
        _spec("dot", "helpflow_graph:DotRenderer", "text/vnd.graphviz", "render_flow"),
    )
}


def _dist_name(ep: EntryPoint) -> str | None:
    dist = getattr(ep, "dist", None)
    return getattr(dist, "name", None)


@functools.cache
def _registered() -> dict[str, RendererSpec | EntryPoint]:
    chosen: dict[str, RendererSpec | EntryPoint] = dict(BUILTIN_RENDERERS)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if _dist_name(ep) == _BUILTIN_DIST:
            continue  # the static table stands for these
        current = chosen.get(ep.name)
        if current is None or isinstance(current, RendererSpec):
            chosen[ep.name] = ep  # a plugin replaces a built-in; of two plugins, the first wins
    return chosen


def clear_cache() -> None:
    """Forget what was discovered (after installing a plugin in the same process)."""
    _registered.cache_clear()


def available_renderers() -> list[str]:
    return sorted(_registered())


def _load(name: str, source: RendererSpec | EntryPoint) -> Any:
    if not isinstance(source, RendererSpec):
        return source.load()
    module, _, attr = source.target.partition(":")
    return getattr(importlib.import_module(module), attr)


def find_renderer(name: str) -> type[Renderer] | None:
    """The renderer class registered as `name`, or None. Raises `RendererError` when it is
    registered but broken."""
    source = _registered().get(name)
    if source is None:
        return None
    where = source.target if isinstance(source, RendererSpec) else source.value
    try:
        loaded: Any = _load(name, source)
    except Exception as exc:  # any import failure of a plugin is the plugin's, not ours
        raise RendererError(f"renderer {name!r} ({where}) failed to import: {exc}") from exc
    if not (isinstance(loaded, type) and issubclass(loaded, Renderer)):
        raise RendererError(
            f"renderer {name!r} ({where}) is not a renderer class: "
            "subclass helpflow.renderer.Renderer"
        )
    logger.debug("renderer %r loaded from %s", name, where)
    return loaded


def get_renderer(name: str, **options: Any) -> Renderer:
    """An instance of the renderer registered as `name`; raises `RendererError` listing the
    available renderers when there is none."""
    cls = find_renderer(name)
    if cls is None:
        names = available_renderers()
        raise RendererError(
            f"no renderer named {name!r}{did_you_mean(name, names)}; "
            f"available: {', '.join(names) or 'none'}"
        )
    try:
        return cls(**options)
    except TypeError as exc:
        raise RendererError(f"renderer {name!r} does not take these options: {exc}") from exc


def renderer_spec(name: str) -> RendererSpec | None:
    """What `name` is and can do: from the static table for a built-in (nothing imported),
    from its class for a plugin (imported)."""
    source = _registered().get(name)
    if isinstance(source, RendererSpec) or source is None:
        return source
    cls = find_renderer(name)
    assert cls is not None  # registered, and find_renderer raises rather than return None
    return RendererSpec(name, source.value, getattr(cls, "media_type", ""), cls.hooks())


def renderers_that(*hooks: str) -> list[str]:
    """The names of the renderers that implement every hook given, e.g. `renderers_that(
    "render")` for those that render single steps."""
    unknown = set(hooks) - set(HOOKS)
    if unknown:
        raise ValueError(f"no renderer hook named {', '.join(sorted(unknown))}")
    return [name for name in available_renderers() if _has(name, hooks)]


def _has(name: str, hooks: Iterable[str]) -> bool:
    spec = renderer_spec(name)
    return spec is not None and spec.hooks.issuperset(hooks)


__all__ = [
    "BUILTIN_RENDERERS",
    "ENTRY_POINT_GROUP",
    "HOOKS",
    "BaseRenderer",
    "PageRequest",
    "Renderer",
    "RendererSpec",
    "available_renderers",
    "clear_cache",
    "find_renderer",
    "get_renderer",
    "renderer_spec",
    "renderers_that",
]
