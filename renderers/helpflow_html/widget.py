"""The embeddable widget: one self-contained HTML fragment, no server, no network requests.

Without JavaScript it is the whole flow as an article of `<details>` sections; with it, a
step-by-step wizard walking the table the engine exported.
"""

from __future__ import annotations

import json

from helpflow import uitext
from helpflow.engine import CompiledFlow
from helpflow_html.article import build_article
from helpflow_html.scripts import widget_script
from helpflow_html.templating import render, static_text
from helpflow_html.uistrings import browser_table


def script_json(data: object) -> str:
    """JSON that is safe inside a <script> element: no `</script>`, `<!--` or `&` sequences
    can be formed by flow text."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def widget_fragment(
    flow: CompiledFlow, *, csp_nonce: str = "", assets_url: str = "", events_url: str = ""
) -> str:
    """The fragment; with `csp_nonce`, its inline style and script carry that nonce so a page
    with a strict Content-Security-Policy can run them. `assets_url` is the folder that holds
    the build's `_assets/` (the fragment's folder); empty: beside the page showing it.
    `events_url`: where "Was this helpful?" answers are also sent (`POST /api/v1/events`)."""
    base = assets_url.rstrip("/") + "/" if assets_url else ""
    flow.prerender()
    with uitext.using(flow.ui):
        return _fragment(flow, csp_nonce, base, events_url)


def _fragment(flow: CompiledFlow, csp_nonce: str, base: str, events_url: str) -> str:
    return render(
        "widget.html",
        nonce=csp_nonce,
        assets_url=base,
        events_url=events_url,
        flow=flow.info,
        trees=build_article(flow),
        css=static_text("helpflow.css"),
        table_json=script_json(browser_table(flow)),
        script=widget_script(),
    )
