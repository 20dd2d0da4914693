"""Flow prose → safe output: sanitized HTML for browsers, plain text for terminals and chat.

Flow text is untrusted (flows are shared, translated, edited by many hands). HTML goes through
Python-Markdown and then nh3 with an allow-list; text for terminals loses every escape and
control sequence, which rich and most terminal UIs pass through as they are.
"""

from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass

import markdown
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
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

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
_LINK = re.compile(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_BLOCK_END = re.compile(r"</(?:p|h3|h4|pre|blockquote|ul|ol)>")
_LINE_END = re.compile(r"</li>|<br ?/?>")
_ITEM = re.compile(r"<li>")
_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"\n{3,}")

_local = threading.local()


@dataclass(frozen=True, slots=True)
class Prose:
    """One piece of flow prose in both forms every renderer needs."""

    html: str
    text: str


def strip_control(text: str) -> str:
    """Remove terminal escape sequences and control characters, keeping newlines and tabs."""
    return _CONTROL.sub("", text)


def plain(text: str) -> str:
    """Short plain text (titles, labels): control characters stripped, whitespace tidied."""
    return " ".join(strip_control(text).split())


def sanitize_html(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def _markdown() -> markdown.Markdown:
    # A Markdown instance is not thread-safe but is costly to build: one per thread.
    md: markdown.Markdown | None = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        _local.md = md
    return md


def render(source: str) -> Prose:
    """Markdown source → sanitized HTML and the matching plain text."""
    if not source.strip():
        return Prose("", "")
    md = _markdown()
    try:
        raw = md.convert(strip_control(source))
    finally:
        md.reset()
    safe = sanitize_html(raw)
    return Prose(safe, html_to_text(safe))


def render_inline(source: str) -> Prose:
    """Like `render` for one line (a step of a fix): no wrapping paragraph."""
    prose = render(source)
    body = prose.html
    if body.startswith("<p>") and body.endswith("</p>") and body.count("<p>") == 1:
        body = body[3:-4]
    return Prose(body, prose.text)


def html_to_text(fragment: str) -> str:
    """Sanitized HTML → readable plain text; a link keeps its address after its label."""

    def link(match: re.Match[str]) -> str:
        url, label = html.unescape(match.group(1)), match.group(2)
        shown = html.unescape(_TAG.sub("", label))
        return shown if shown == url else f"{label} ({html.escape(url)})"

    # In HTML a line break inside a paragraph is just a space; blocks and list items are what
    # make lines.
    text = _SPACES.sub(" ", _LINK.sub(link, fragment))
    text = _BLOCK_END.sub("\n\n", text)
    text = _LINE_END.sub("\n", text)
    text = _ITEM.sub("• ", text)
    text = html.unescape(_TAG.sub("", text))
    text = "\n".join(line.strip() for line in text.splitlines())
    return strip_control(_BLANKS.sub("\n\n", text).strip())
