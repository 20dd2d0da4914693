"""Sanitized prose as HTML pages show it: each code block gets a Copy button.

The button is page chrome, not content, so it is added here and not in the sanitized HTML
that JSON clients receive. It starts `hidden`: `copy.js` shows it where it can work.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

from markupsafe import Markup, escape

from helpflow import uitext
from helpflow.assets import ASSET_DIR, Asset

_LOCAL_IMAGE = f'src="{ASSET_DIR}/'


def _button() -> str:
    """The Copy button in the language in effect; `data-copied` tells copy.js what to say
    once copied (it says "Copied" when not told)."""
    _ = uitext.gettext
    copy, code, copied = escape(_("Copy")), escape(_("code")), _("Copied")
    told = f' data-copied="{escape(copied)}"' if copied != "Copied" else ""
    return (
        f'<div class="hf-code"><button type="button" class="hf-copy" data-copy{told} hidden>'
        f'{copy}<span class="hf-visually-hidden"> {code}</span></button><pre>'
    )


def copyable(fragment: str, assets_href: str = "") -> Markup:
    """`fragment` (already sanitized: no element can hide a `<pre>` in an attribute) with a
    Copy button before each code block, and local images (`_assets/…`) addressed from the
    page's folder (`assets_href` is the folder that holds `_assets/`)."""
    if assets_href and _LOCAL_IMAGE in fragment:
        fragment = fragment.replace(_LOCAL_IMAGE, f'src="{escape(assets_href)}{ASSET_DIR}/')
    if "<pre>" not in fragment:
        return Markup(fragment)
    return Markup(fragment.replace("<pre>", _button()).replace("</pre>", "</pre></div>"))


def has_code(*fragments: str) -> bool:
    return any("<pre>" in f for f in fragments)


_MEDIA = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
_MEDIA |= {".webp": "image/webp", ".avif": "image/avif"}


def inline_images(page: str, assets: Mapping[str, Asset]) -> str:
    """`page` with each local image embedded as a `data:` URI: for one-file outputs (the
    printable article) that have no `_assets/` folder beside them. The bytes are the
    author's image files (raster types only, checked by `helpflow.assets`), never flow text."""
    for asset in assets.values():
        data = base64.b64encode(asset.path.read_bytes()).decode("ascii")
        uri = f"data:{_MEDIA[asset.path.suffix.lower()]};base64,{data}"
        page = page.replace(f'src="{asset.href}"', f'src="{uri}"')
    return page
