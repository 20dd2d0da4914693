"""The browser scripts, assembled from one shared engine.

`engine.js` (the `when` evaluator, transitions and keyed replay), `handoff.js` (the hand-off
packet), `uistrings.js` (the interface strings of the reader's language) and `view.js`
(drawing a step, back, restart, review and change) are used by both faces: the widget
fragment (`widget.js` boots it from an inline table) and the `<help-flow>` component
(`component.js`, a custom element loading its table from `src`). Each face is one
strict-mode function wrapping those files, so nothing leaks into the host page's globals and
the same text runs as a classic script or as an ES module.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from helpflow_html.templating import static_text

SHARED = ("engine.js", "handoff.js", "uistrings.js", "view.js")


def _wrap(parts: list[str]) -> str:
    body = "\n".join(parts)
    return f'(function () {{\n"use strict";\n{body}}})();\n'


@cache
def widget_script() -> str:
    return _wrap([static_text(name) for name in (*SHARED, "widget.js")])


@cache
def component_css() -> str:
    """The shadow root's stylesheet: the component's reset, then the shared stylesheet, then
    the theme mapping from `--helpflow-*` (a higher specificity than helpflow.css)."""
    return static_text("component.css") + static_text("helpflow.css")


@cache
def component_script() -> str:
    css = f"var HF_CSS = {json.dumps(component_css())};"
    return _wrap([css, *(static_text(name) for name in SHARED), static_text("component.js")])


def component_file_name() -> str:
    """`helpflow-embed.<hash>.js`: a new name whenever the script changes, so hosts can
    cache it for ever."""
    digest = hashlib.sha256(component_script().encode("utf-8")).hexdigest()[:12]
    return f"helpflow-embed.{digest}.js"
