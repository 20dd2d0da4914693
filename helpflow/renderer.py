"""What a renderer is: one base class whose hooks each do one job.

A renderer subclasses `Renderer`, sets `name`, and overrides the hooks it supports. Every
hook it does not override raises `RendererError("renderer 'x' cannot …")`, so a command or
server asking a renderer for something it does not do gets a clear message, never an
AttributeError. `Renderer.can(hook)` says whether a renderer overrides a hook; the registry
(`helpflow.renderers`) finds renderers by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TextIO

from helpflow.errors import RendererError

if TYPE_CHECKING:
    from pathlib import Path

    from helpflow.engine import CompiledFlow
    from helpflow.session import Answer, Session
    from helpflow.step import Step


class SiteReport(Protocol):
    """What `build` reports: how many pages and files it wrote."""

    @property
    def pages(self) -> int: ...

    @property
    def files(self) -> int: ...


class CentreReport(Protocol):
    """What `build_centre` reports about an incremental build of a folder of flows."""

    @property
    def flows(self) -> int: ...

    @property
    def pages(self) -> int: ...

    @property
    def built(self) -> int: ...

    @property
    def kept(self) -> int: ...

    @property
    def removed(self) -> int: ...


class Address(Protocol):
    """How a server addresses its pages: the URL of the page the `answers` reach, or, with
    `change`, of the page that asks `change`'s question again."""

    def __call__(self, answers: Sequence[Answer], change: str | None = None) -> str: ...


@dataclass(frozen=True)
class PageRequest:
    """A server's request for one page: where the reader is, and how the server addresses
    pages and serves the renderer's `page_assets` (its URL scheme is its own)."""

    address: Address
    assets: str  # the URL folder the page assets are served from, ending in "/"
    change: str | None = None  # the node whose answer the reader asked to change
    csp_nonce: str = ""  # the nonce scripts of this response must carry
    extras: Mapping[str, Any] = field(default_factory=dict)  # e.g. where feedback is posted


class Renderer:
    """The base of every renderer. Override the hooks your renderer supports:

    - `render(step) -> str`: one step (`helpflow step`, `helpflow test`, the JSON API).
    - `render_flow(flow) -> str`: the whole flow at once (`helpflow render`, `helpflow graph`).
    - `run(flow, session=None, *, stdout, resume_hint, transcript) -> int`: walk a reader
      through the flow interactively, returning an exit code (`helpflow run`; `resume_hint`
      is the command that resumes, `transcript` asks for the walk as plain text at the end).
    - `build(flow, dest, *, base_url, widget, embed, site_url) -> SiteReport`: write a folder
      (`helpflow build`; `widget`/`embed`: the embeddable faces instead of the site).
    - `build_centre(folder, dest, **options) -> CentreReport`: every flow of a folder as one
      site (`helpflow build FOLDER`).
    - `render_page(flow, session, request) -> str`: a page of `helpflow serve`, its links
      made with `request.address`.
    - `page_assets() -> {file name: text}`: the files those pages load, served by the server
      from `request.assets`.
    - `widget_fragment(flow, *, csp_nonce="") -> str`: the embeddable widget.
    - `schema() -> dict`: the JSON Schema every `render` output is valid against.
    """

    name: ClassVar[str] = ""

    def _cannot(self, what: str) -> RendererError:
        return RendererError(f"renderer {self.name!r} cannot {what}")

    def render(self, step: Step) -> str:
        raise self._cannot("render single steps")

    def render_flow(self, flow: CompiledFlow) -> str:
        raise self._cannot("render whole flows")

    def run(
        self,
        flow: CompiledFlow,
        session: Session | None = None,
        *,
        stdout: TextIO | None = None,
        resume_hint: str = "",
        transcript: bool = False,
    ) -> int:
        raise self._cannot("run a flow interactively")

    def build(
        self,
        flow: CompiledFlow,
        dest: Path,
        *,
        base_url: str = "",
        widget: bool = False,
        embed: bool = False,
        site_url: str = "",
    ) -> SiteReport:
        raise self._cannot("build sites")

    def build_centre(self, folder: Path, dest: Path, **options: Any) -> CentreReport:
        raise self._cannot("build help centres")

    def render_page(self, flow: CompiledFlow, session: Session, request: PageRequest) -> str:
        raise self._cannot("render server pages")

    def page_assets(self) -> Mapping[str, str]:
        raise self._cannot("serve page assets")

    def widget_fragment(self, flow: CompiledFlow, *, csp_nonce: str = "") -> str:
        raise self._cannot("render the widget")

    def schema(self) -> dict[str, Any]:
        raise self._cannot("publish a schema")

    @classmethod
    def can(cls, hook: str) -> bool:
        """Whether this renderer implements `hook` (overrides the base's refusal)."""
        if hook not in HOOKS:
            raise ValueError(f"no renderer hook named {hook!r}")
        return getattr(cls, hook) is not getattr(Renderer, hook)

    @classmethod
    def hooks(cls) -> frozenset[str]:
        """Every hook this renderer implements."""
        return frozenset(hook for hook in HOOKS if cls.can(hook))


#: Every hook, in the order documented above.
HOOKS: tuple[str, ...] = (
    "render",
    "render_flow",
    "run",
    "build",
    "build_centre",
    "render_page",
    "page_assets",
    "widget_fragment",
    "schema",
)
