"""Untrusted flow text made safe, in one place: the HTML allow-list, the sanitizer that
applies it and the check that tells an author what it would remove; which link targets a reader
may be sent to; and the control characters stripped before text reaches a terminal.

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
#: Link targets a reader can be sent to. Anything else (javascript:, data:, vbscript:, file:)
#: is refused at lint time and dropped again when content is rendered.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SAFE_PREFIXES = ("https://", "http://", "mailto:", "tel:")

# Escape sequences in 7-bit and 8-bit form (CSI, OSC/DCS/PM/APC up to BEL or ST, other
# two-byte escapes), C0 controls but
# tab and newline, DEL, C1 controls, and every invisible bidi control that can reorder or
# disguise text: marks (LRM, RLM, ALM: "+1 555" shown reversed), embeddings and overrides
# (U+202A-U+202E), isolates (U+2066-U+2069).
_CONTROL = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def strip_control(text: str) -> str:
    """Remove terminal escape sequences and control characters, keeping newlines and tabs."""
    return _CONTROL.sub("", text)


def url_is_safe(url: str) -> bool:
    r"""Whether a link may be offered to readers: http(s), mailto or tel, or a path on the same
    site. The one place this is decided: lint, rendering and the sanitizer all ask here.

    Judged the way a browser reads the link: it drops control characters and whitespace
    inside a scheme ("java\tscript:"), and treats a backslash as a slash, so `\\evil` and
    `/\evil` are scheme-relative links to another host, like `//evil`.
    """
    if url.startswith(_SAFE_PREFIXES):
        return True  # the common case, decided without parsing
    cleaned = _cleaned(url).replace("\\", "/")
    scheme = _scheme(cleaned)
    return (scheme == "" and not cleaned.startswith("//")) or scheme in URL_SCHEMES


def _cleaned(url: str) -> str:
    return "".join(ch for ch in url if ch.isprintable() and not ch.isspace())


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
    try:
        return urlsplit(_cleaned(url)).scheme.lower()
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
