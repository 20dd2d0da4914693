"""The HTML faces of helpflow: static help site, embeddable widget, whole-article page, and
single step pages for servers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

from helpflow import uitext
from helpflow.assets import asset_files
from helpflow.engine import CompiledFlow
from helpflow.errors import RendererError
from helpflow.renderer import PageRequest, Renderer
from helpflow.session import Session
from helpflow.step import Step
from helpflow_html._atomic import write_tree
from helpflow_html.centre import CentreReport, build_centre
from helpflow_html.embed import embed_files
from helpflow_html.links import PageLinks
from helpflow_html.multilingual import multilingual_site
from helpflow_html.prosehtml import inline_images
from helpflow_html.serverpage import page_parts
from helpflow_html.site import article_page, checked_events_url, page_context, site_files
from helpflow_html.templating import render, static_text
from helpflow_html.widget import widget_fragment

WIDGET_FILE = "helpflow-widget.html"


@dataclass(frozen=True)
class BuildReport:
    pages: int
    files: int
    dest: Path


class HtmlRenderer(Renderer):
    """`render(step)`: one page, its links carrying the session token in the query string.
    `build(flow, dest)`: the static site, or with `widget=True` the embeddable widget, or
    with `embed=True` the `<help-flow>` component. `render_page`: `helpflow serve`'s pages."""

    name: ClassVar[str] = "html"

    def render(self, step: Step) -> str:
        """A page whose links carry the session token: `?t=TOKEN&c=CHOICE`, `&do=back`."""
        token = quote(step.token, safe="")
        links = PageLinks(
            choices={c.id: f"?t={token}&c={quote(c.id, safe='')}" for c in step.choices},
            home="?",
            css="helpflow.css",
            back=f"?t={token}&do=back" if step.can_go_back else None,
        )
        return _page(step, links)

    def render_page(self, flow: CompiledFlow, session: Session, request: PageRequest) -> str:
        return _page(*page_parts(flow, session, request), ui=flow.ui)  # its `ui:` wording too

    def page_assets(self) -> Mapping[str, str]:
        """The stylesheet and the Copy buttons' script (server pages hold no inline code)."""
        return {name: static_text(name) for name in ("helpflow.css", "copy.js")}

    def widget_fragment(
        self, flow: CompiledFlow, *, csp_nonce: str = "", events_url: str = ""
    ) -> str:
        return widget_fragment(flow, csp_nonce=csp_nonce, events_url=events_url)

    def build(
        self,
        flow: CompiledFlow,
        dest: Path,
        *,
        base_url: str = "",
        widget: bool = False,
        embed: bool = False,
        site_url: str = "",
        events_url: str = "",
        translations: Mapping[str, CompiledFlow] | None = None,
    ) -> BuildReport:
        """With `embed=True`, the `<help-flow>` component's files: `base_url` is then where
        they are served (the snippet's links), `site_url` the static site's. `events_url`:
        where the site's (or widget's) "Was this helpful?" answers go (`POST /api/v1/events`
        of `helpflow serve --events`); without it the question is not asked. With
        `translations` (language → the flow in it), the static site in every language: the
        flow's own at the root, each other under `<lang>/` (see `helpflow_html.languages`)."""
        if events_url:
            events_url = checked_events_url(events_url)
        files: Mapping[str, str | bytes]
        if embed:
            if events_url:
                raise RendererError(
                    "--events-url is not used with --embed: set the events-url attribute "
                    "on <help-flow> in the host page"
                )
            files = embed_files(flow, asset_url=base_url, site_url=site_url)
            pages = 1
        elif widget:
            fragment = widget_fragment(flow, assets_url=base_url, events_url=events_url)
            files = {WIDGET_FILE: fragment}
            pages = 1
        elif translations:
            files, pages = multilingual_site(
                flow, translations, base_url=base_url, events_url=events_url
            )
        else:
            files, plan = site_files(flow, base_url=base_url, events_url=events_url)
            pages = len(plan.pages) + 2  # the step pages, the index and the article
        write_tree(Path(dest), {**files, **asset_files(flow.assets)})
        return BuildReport(pages, len(files), Path(dest))

    def build_centre(self, folder: Path, dest: Path, **options: Any) -> CentreReport:
        """Every flow in `folder` as one help centre; see `helpflow_html.centre`."""
        return build_centre(folder, dest, **options)


class ArticleRenderer(Renderer):
    """The whole flow on one printable page: what a support lead proofreads."""

    name: ClassVar[str] = "article"

    def render_flow(self, flow: CompiledFlow) -> str:
        page = article_page(flow, css_href="", home_href="#main", inline_css=True)
        return inline_images(page, flow.assets)  # one file: nothing to fetch beside it


def _page(step: Step, links: PageLinks, ui: uitext.UiText | None = None) -> str:
    """In the language of `ui`, else of the step."""
    with uitext.using(ui or uitext.translations(step.lang)):
        return render("page.html", **page_context(step, links))


__all__ = ["WIDGET_FILE", "ArticleRenderer", "BuildReport", "HtmlRenderer"]
