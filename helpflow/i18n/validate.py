"""A translation is checked against its source like the source is checked by lint: the same
link targets, the same `{placeholders}`, nothing the sanitizer would have to remove that the
source did not already have."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from helpflow.content import markdown_html
from helpflow.sanitize import URL_SCHEMES, dropped, url_is_safe

_PLACEHOLDER = re.compile(r"\{[^{}\s]*\}?|\}")
#: Without these, Markdown makes no link, image or HTML the sanitizer could object to: most
#: strings skip the two renders (they were most of the cost of loading a translation).
_MARKUP = re.compile(r"[<\[]")
#: A string that is one absolute address (a var's value: `support_url`), not prose.
_BARE_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$")


class _Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found[value] += 1


def _targets(html: str) -> Counter[str]:
    parser = _Targets()
    parser.feed(html)
    parser.close()
    return parser.found


def _placeholders(text: str) -> Counter[str]:
    # `{{`/`}}` (literal braces) pair up as written; a lone or broken brace counts as itself,
    # so `{product` against `{product}` is a difference.
    unescaped = text.replace("{{", "").replace("}}", "")
    return Counter(m.group(0) for m in _PLACEHOLDER.finditer(unescaped))


#: Markup a translation may add beyond its source's (`[`, `]`, `<`): translations move links,
#: they do not add many. Checked before Markdown, which takes minutes on a few thousand
#: unbalanced `[` (a catalog within its size cap could stall loading and server start).
MARKUP_SLACK = 16


def _too_much_markup(source: str, translation: str) -> str | None:
    for char in "[]<":
        extra = translation.count(char) - source.count(char)
        if extra > MARKUP_SLACK:
            return f"{extra} more {char!r} than the source: not rendered"
    return None


def _is_address(text: str) -> bool:
    text = text.strip()
    return bool(_BARE_URL.match(text)) and text.split(":", 1)[0].lower() in URL_SCHEMES


def problems(source: str, translation: str) -> list[str]:
    """What is wrong with `translation` of `source`, in words; empty when it is fine."""
    found: list[str] = []
    wanted, got = _placeholders(source), _placeholders(translation)
    if wanted != got:
        missing = sorted((wanted - got).elements())
        extra = sorted((got - wanted).elements())
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if extra:
            parts.append("unknown " + ", ".join(extra))
        found.append(f"placeholders differ from the source ({'; '.join(parts)})")
    if _is_address(source) and not (
        _BARE_URL.match(translation.strip()) and url_is_safe(translation)
    ):
        # A var's value goes into contact and link addresses, where the sanitizer would drop
        # an unsafe one and leave readers with a contact they cannot reach.
        found.append("not a safe address like its source (http, https, mailto or tel)")
    if not (_MARKUP.search(source) or _MARKUP.search(translation)):
        return found
    excess = _too_much_markup(source, translation)
    if excess:
        return [*found, excess]
    source_html, html = markdown_html(source), markdown_html(translation)
    if _targets(source_html) != _targets(html):
        extra_links = sorted((_targets(html) - _targets(source_html)).elements())
        lost = sorted((_targets(source_html) - _targets(html)).elements())
        what = "; ".join(
            part
            for part in (
                "not in the source: " + ", ".join(extra_links) if extra_links else "",
                "missing: " + ", ".join(lost) if lost else "",
            )
            if part
        )
        found.append(f"link targets differ from the source ({what})")
    before = set(dropped(source_html))
    found.extend(
        f"unsafe or unsupported content the source does not have: {what}"
        for what in dropped(html)
        if what not in before
    )
    return found
