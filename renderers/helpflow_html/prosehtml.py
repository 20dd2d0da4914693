"""Sanitized prose as HTML pages show it: each code block gets a Copy button.

The button is page chrome, not content, so it is added here and not in the sanitized HTML
that JSON clients receive. It starts `hidden`: `copy.js` shows it where it can work.
"""

from __future__ import annotations

from markupsafe import Markup

_BUTTON = (
    '<div class="hf-code"><button type="button" class="hf-copy" data-copy hidden>'
    'Copy<span class="hf-visually-hidden"> code</span></button><pre>'
)


def copyable(fragment: str) -> Markup:
    """`fragment` (already sanitized: no element can hide a `<pre>` in an attribute) with a
    Copy button before each code block."""
    if "<pre>" not in fragment:
        return Markup(fragment)  # noqa: S704 - sanitized by helpflow.sanitize
    return Markup(fragment.replace("<pre>", _BUTTON).replace("</pre>", "</pre></div>"))  # noqa: S704


def has_code(*fragments: str) -> bool:
    return any("<pre>" in f for f in fragments)
