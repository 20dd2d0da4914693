"""The renderer registry.

Renderers are found through the entry-point group `helpflow.renderers`, built-in ones exactly
like anyone's (Pygments' plugin habit): a package declares

    [project.entry-points."helpflow.renderers"]
    slides = "helpflow_slides:SlidesRenderer"

and `helpflow step --format slides` finds it. Only the renderer asked for is imported. A
third-party renderer registered under a built-in's name replaces the built-in.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from helpflow.diagnostics import did_you_mean
from helpflow.errors import RendererError
from helpflow.step import Step

if TYPE_CHECKING:
    from pathlib import Path

    from helpflow.engine import CompiledFlow
    from helpflow.session import Session

logger = logging.getLogger(__name__)

#: The entry-point group; docs and tests import this rather than spelling it again.
ENTRY_POINT_GROUP = "helpflow.renderers"

#: The distribution whose renderers count as built-in (and so can be replaced).
_BUILTIN_DIST = "helpflow"


@runtime_checkable
class Renderer(Protocol):
    """What a renderer is: a name, a media type, and one method from a `Step` to text."""

    name: str
    media_type: str

    def render(self, step: Step) -> str: ...


@runtime_checkable
class InteractiveRenderer(Renderer, Protocol):
    """A renderer that can also walk a reader through a whole flow (`helpflow run`)."""

    def run(self, flow: CompiledFlow, session: Session | None = None, **options: Any) -> int: ...


@dataclass(frozen=True)
class PageLinks:
    """Where the links of a step page go, decided by whoever serves the page (a static
    site, a server keeping state in the query string, …)."""

    choices: Mapping[str, str]  # choice id → href
    home: str
    css: str
    back: str | None = None
    change: Mapping[str, str] = field(default_factory=dict)  # node id → href
    csp_nonce: str = ""
    feedback: str | None = None  # where "Was this helpful?" posts; None: not asked
    feedback_thanks: bool = False  # the reader just answered it


@runtime_checkable
class PageRenderer(Protocol):
    """A renderer of whole pages for one step, with links chosen by the caller."""

    name: str

    def render_page(self, step: Step, links: PageLinks) -> str: ...

    def stylesheet(self) -> str: ...

    def script(self) -> str:
        """The pages' own script (e.g. Copy buttons), served from the same origin: pages hold
        no inline code."""
        ...


@runtime_checkable
class WidgetRenderer(Protocol):
    """A renderer of the embeddable widget for a whole flow."""

    name: str

    def widget_fragment(self, flow: CompiledFlow, *, csp_nonce: str = "") -> str: ...


@runtime_checkable
class SchemaRenderer(Protocol):
    """A renderer whose output follows a published JSON Schema."""

    name: str

    def render(self, step: Step) -> str: ...

    def schema(self) -> dict[str, Any]: ...


@runtime_checkable
class FlowRenderer(Protocol):
    """A renderer of a whole flow at once (an article, a graph): `helpflow render`/`graph`."""

    name: str
    media_type: str

    def render_flow(self, flow: CompiledFlow) -> str: ...


@runtime_checkable
class SiteBuilder(Protocol):
    """A renderer that writes a folder of files (`helpflow build`)."""

    name: str

    def build(self, flow: CompiledFlow, dest: Path, **options: Any) -> Any: ...


class BaseRenderer:
    """A convenient base: subclass it, set `name` and `media_type`, override `render`.

    Optional hooks, each found by `helpflow` only if the renderer defines it, so a plugin
    author reads one class:

    - `run(flow, session=None, **options) -> int`: walk a reader through the flow
      interactively and return an exit code (`helpflow run`).
    - `render_flow(flow) -> str`: the whole flow at once (`helpflow render`, `helpflow graph`).
    - `build(flow, dest, **options)`: write a folder (`helpflow build`); returns a report
      with `pages` and `files` counts.

    Without the hook, the command says the renderer cannot do that, listing none of its
    internals.
    """

    name: ClassVar[str] = ""
    media_type: ClassVar[str] = "text/plain"

    def render(self, step: Step) -> str:
        raise NotImplementedError(f"renderer {self.name!r} does not render single steps")


def _dist_name(ep: EntryPoint) -> str | None:
    dist = getattr(ep, "dist", None)
    return getattr(dist, "name", None)


@functools.cache
def _registered() -> dict[str, EntryPoint]:
    chosen: dict[str, EntryPoint] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        current = chosen.get(ep.name)
        if current is None or (
            _dist_name(current) == _BUILTIN_DIST and _dist_name(ep) != _BUILTIN_DIST
        ):
            chosen[ep.name] = ep
    return chosen


def clear_cache() -> None:
    """Forget what was discovered (after installing a plugin in the same process)."""
    _registered.cache_clear()


def available_renderers() -> list[str]:
    return sorted(_registered())


def find_renderer(name: str) -> type[Renderer] | None:
    """The renderer class registered as `name`, or None. Raises `RendererError` when it is
    registered but broken."""
    ep = _registered().get(name)
    if ep is None:
        return None
    try:
        loaded: Any = ep.load()
    except Exception as exc:  # any import failure of a plugin is the plugin's, not ours
        raise RendererError(f"renderer {name!r} ({ep.value}) failed to import: {exc}") from exc
    missing = [attr for attr in ("name", "media_type", "render") if not hasattr(loaded, attr)]
    if not isinstance(loaded, type) or missing or not callable(getattr(loaded, "render", None)):
        raise RendererError(
            f"renderer {name!r} ({ep.value}) is not a renderer class"
            + (f": it lacks {', '.join(missing)}" if missing else "")
        )
    logger.debug("renderer %r loaded from %s", name, ep.value)
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
        renderer: Renderer = cls(**options)
    except TypeError as exc:
        raise RendererError(f"renderer {name!r} does not take these options: {exc}") from exc
    return renderer
