"""Sanitized prose as HTML pages show it: each code block gets a Copy button.

The button is page chrome, not content, so it is added here and not in the sanitized HTML
that JSON clients receive. It starts `hidden`: `copy.js` shows it where it can work.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

from markupsafe import Markup, escape

from helpflow.assets import ASSET_DIR, Asset

_LOCAL_IMAGE = f'src="{ASSET_DIR}/'

_BUTTON = (
    '<div class="hf-code"><button type="button" class="hf-copy" data-copy hidden>'
    'Copy<span class="hf-visually-hidden"> code</span></button><pre>'
)


def copyable(fragment: str, assets_href: str = "") -> Markup:
    """`fragment` (already sanitized: no element can hide a `<pre>` in an attribute) with a
    Copy button before each code block, and local images (`_assets/…`) addressed from the
    page's folder (`assets_href` is the folder that holds `_assets/`)."""
    if assets_href and _LOCAL_IMAGE in fragment:
        fragment = fragment.replace(_LOCAL_IMAGE, f'src="{escape(assets_href)}{ASSET_DIR}/')
    if "<pre>" not in fragment:
        return Markup(fragment)
    return Markup(fragment.replace("<pre>", _BUTTON).replace("</pre>", "</pre></div>"))


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
