"""`helpflow build FLOW --embed`: the `<help-flow>` component's files.

- `helpflow-embed.<hash>.js`: the component (one file, no build step for the host);
- `<flow id>.json`: the compiled table it walks (`helpflow_html.table.flow_table`, described by
  `embed-flow.schema.json`);
- `<flow id>.html` and `helpflow.css`: the whole article, what the no-JS fallback links to
  when there is no static site;
- `snippet.html`: what to paste into a page: the script tag and the element, holding the
  flow's first question as its no-JavaScript fallback.

Nothing is inline, so the page runs under `default-src 'self'`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from helpflow import uitext
from helpflow.engine import CompiledFlow
from helpflow_html.scripts import component_file_name, component_script
from helpflow_html.site import article_page
from helpflow_html.templating import render, static_text
from helpflow_html.uistrings import browser_table

SCHEMA_FILE = Path(__file__).parent / "embed-flow.schema.json"


@dataclass(frozen=True)
class FallbackChoice:
    label: str
    href: str


def table_json(flow: CompiledFlow) -> str:
    """The table as the component loads it: deterministic, compact, UTF-8."""
    flow.prerender()
    return json.dumps(
        browser_table(flow), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def _join(base: str, name: str) -> str:
    if not base:
        return name
    return base if base.endswith("/") and not name else base.rstrip("/") + "/" + name


def _fallback_choices(flow: CompiledFlow, article_href: str, site_url: str) -> list[FallbackChoice]:
    """Each first choice links to its page of the static site, or to the article."""
    step = flow.step(flow.start())
    if not site_url:
        return [FallbackChoice(c.label, article_href) for c in step.choices]
    from helpflow_html.plan import page_path, plan_pages, transition_table

    plan = plan_pages(transition_table(flow))
    targets = dict(plan.links[plan.start])
    return [
        FallbackChoice(c.label, _join(site_url, page_path(targets[c.id]))) for c in step.choices
    ]


def snippet(flow: CompiledFlow, *, asset_url: str = "", site_url: str = "", lang: str = "") -> str:
    """The HTML to paste: the script, and the element with its fallback. `asset_url` is where
    the built files are served (relative names when empty); `site_url` the static site's.
    `lang`: the element's language (the interface strings it shows); the flow's if empty."""
    with uitext.using(flow.ui):
        return _snippet(flow, asset_url, site_url, lang or flow.lang)


def _snippet(flow: CompiledFlow, asset_url: str, site_url: str, lang: str) -> str:
    article_href = _join(asset_url, f"{flow.id}.html")
    step = flow.step(flow.start())
    return render(
        "embed_snippet.html",
        flow=flow.info,
        lang=lang,
        dir=uitext.direction(lang),
        script_href=_join(asset_url, component_file_name()),
        json_href=_join(asset_url, f"{flow.id}.json"),
        question=step.title,
        choices=_fallback_choices(flow, article_href, site_url),
        article_href=article_href,
    )


def embed_files(
    flow: CompiledFlow, *, asset_url: str = "", site_url: str = "", lang: str = ""
) -> dict[str, str]:
    """Every file of an embed build, name → text."""
    return {
        component_file_name(): component_script(),
        f"{flow.id}.json": table_json(flow),
        f"{flow.id}.html": article_page(flow, css_href="helpflow.css", home_href="#main"),
        "helpflow.css": static_text("helpflow.css"),
        "snippet.html": snippet(flow, asset_url=asset_url, site_url=site_url, lang=lang),
    }
