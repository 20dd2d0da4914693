"""The HTML allow-list, in one place: the sanitizer that applies it, and the check that tells
an author, before publishing, what it would remove.

The list is as wide as real help articles need (code blocks, tables, images, callouts) and
no wider: no `style`, no event handlers, no `id` (which could clash with the page's own), and
`class` only with the values helpflow itself produces.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "b",
        "i",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "a",
        "blockquote",
        "h3",
        "h4",
        "hr",
        "kbd",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "div",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
    "div": {"class", "role"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: Elements whose content goes too (not just the tags).
_CONTENT_DROPPED = frozenset({"script", "style"})

ALERT_KINDS = ("note", "tip", "important", "warning", "caution")
_CODE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
_CALLOUT_CLASS = re.compile(r"hf-callout hf-callout--(?:" + "|".join(ALERT_KINDS) + ")")
_ALIGN = frozenset({"left", "right", "center"})
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")


def _attribute_ok(tag: str, name: str, value: str) -> bool:
    """The values an allowed attribute may take (beyond nh3's URL scheme check)."""
    if tag == "code" and name == "class":
        return bool(_CODE_CLASS.fullmatch(value))
    if tag == "div" and name == "class":
        return bool(_CALLOUT_CLASS.fullmatch(value))
    if tag == "div" and name == "role":
        return value == "note"
    if name == "align":
        return value in _ALIGN
    if name in ("width", "height"):
        return value.isdigit() and len(value) < 5
    return True


def _filter(tag: str, name: str, value: str) -> str | None:
    return value if _attribute_ok(tag, name, value) else None


def sanitize_html(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_CONTENT_DROPPED),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def _scheme(url: str) -> str:
    cleaned = "".join(ch for ch in url if ch.isprintable() and not ch.isspace())
    try:
        return urlsplit(cleaned).scheme.lower()
    except ValueError:
        return "?"


class _Auditor(HTMLParser):
    """Lists what the sanitizer would remove from Markdown's raw output."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def _say(self, what: str) -> None:
        if what not in self.found:
            self.found.append(what)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self._say(f"HTML element <{tag}> is removed")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        values = dict(attrs)
        for name, value in attrs:
            if name not in allowed or not _attribute_ok(tag, name, value or ""):
                self._say(f"attribute '{tag} {name}' is removed")
            elif name in ("href", "src") and _scheme(value or "") not in ("", *URL_SCHEMES):
                kind = "link" if name == "href" else "image"
                self._say(f"{kind} with unsafe scheme {_scheme(value or '')!r} is removed")
        if tag == "img" and not (values.get("alt") or "").strip():
            self._say("image without alt text (write ![what it shows](path))")


def dropped(raw_html: str) -> list[str]:
    """What `sanitize_html` would remove or change in `raw_html`, in words, for lint."""
    auditor = _Auditor()
    auditor.feed(raw_html)
    auditor.close()
    if _EMPTY_PARAGRAPH.search(sanitize_html(raw_html)):
        auditor.found.append("Markdown produces an empty paragraph")
    return auditor.found
