"""A pseudo-locale: every letter accented and every vowel doubled, so that text which escaped
translation stands out (plain ASCII words) and layouts meet longer text, while Markdown,
`{placeholders}`, link targets, code and HTML come through unchanged and still work."""

from __future__ import annotations

import re

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
