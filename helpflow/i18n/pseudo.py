"""A pseudo-locale: every letter accented and every vowel doubled, so that text which escaped
translation stands out (plain ASCII words) and layouts meet longer text, while Markdown,
`{placeholders}`, link targets, code and HTML come through unchanged and still work."""

from __future__ import annotations

import os
import re
from pathlib import Path

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçðéƒĝĥíĵķļɱñóþǫŕšţúṽŵẋýžÁƁÇÐÉƑĜĤÍĴĶĻMÑÓÞǪŔŠŢÚṼŴẊÝŽ",
)
_VOWELS = re.compile(r"[aeiouyAEIOUY]")

#: What must come through as written: code, placeholders and literal braces, link targets and
#: reference definitions, autolinks and HTML, entities, bare addresses, callout markers.
_KEEP = re.compile(
    r"^(?P<fence>```|~~~).*?^(?P=fence)[^\n]*$"
    r"|`[^`\n]*`"
    r"|\{\{|\}\}|\{[^{}\s]*\}"
    r"|\]\([^)\n]*\)"
    r"|^[ \t]*\[[^\]\n]+\]:[^\n]*$"
    r"|<[^<>\n]*>"
    r"|&[#A-Za-z0-9]+;"
    r"|\b(?:https?://|mailto:|tel:)[^\s<>()\[\]]+"
    r"|\[![A-Za-z]+\]",
    re.M | re.S,
)


def _words(text: str) -> str:
    return _VOWELS.sub(lambda m: m.group(0) * 2, text).translate(_ACCENTED)


def pseudo(text: str) -> str:
    """`text` in the pseudo-locale (see the module docstring)."""
    out: list[str] = []
    end = 0
    for match in _KEEP.finditer(text):
        out.append(_words(text[end : match.start()]))
        out.append(match.group(0))
        end = match.end()
    out.append(_words(text[end:]))
    return "".join(out)


def pseudo_catalog(flow_path: str | os.PathLike[str], lang: str = "en-XA") -> Path:
    """Write the flow's catalog for `lang` (replacing one there) with every string in the
    pseudo-locale, and return its path: for sweeps that look, in every face, for text that
    escaped translation. `en-XA` is the usual pseudo-locale tag; Babel has no data for it, so
    the catalog names no language in its header."""
    from helpflow.i18n.catalogs import catalog_path
    from helpflow.i18n.template import po_bytes, template
    from helpflow.loader import load_file

    loaded = load_file(flow_path)
    catalog = template(loaded, flow_path)
    for message in catalog:
        if message.id:
            message.string = pseudo(str(message.id))
    target = catalog_path(flow_path, loaded.flow.id, lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(po_bytes(catalog))
    return target
