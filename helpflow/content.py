"""Flow prose → safe output: sanitized HTML for browsers, plain text for terminals and chat.

Flow text is untrusted (flows are shared, translated, edited by many hands). HTML goes through
Python-Markdown and then nh3 with an allow-list; text for terminals loses every escape and
control sequence, which rich and most terminal UIs pass through as they are.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import markdown

from helpflow import textvars
from helpflow.markdown_ext import ALERTS
from helpflow.plaintext import to_text
from helpflow.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    URL_SCHEMES,
    sanitize_html,
    strip_control,
)

_local = threading.local()


@dataclass(frozen=True, slots=True)
class Prose:
    """One piece of flow prose in both forms every renderer needs."""

    html: str
    text: str


#: Prose for a field the author left empty.
NO_PROSE = Prose("", "")


#: Spaces other than the no-break ones, which translations use on purpose (French puts one
#: before `?`, `!` and `:` so that they never start a line).
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u202f]+")


def plain(text: str) -> str:
    """Short plain text (titles, labels): control characters stripped, whitespace tidied."""
    text = strip_control(text)
    if "\u00a0" in text or "\u202f" in text:
        return _BREAKING_SPACE.sub(" ", text).strip(" ")
    return " ".join(text.split())


def _markdown() -> markdown.Markdown:
    # A Markdown instance is not thread-safe but is costly to build: one per thread.
    md: markdown.Markdown | None = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(
            extensions=["sane_lists", "fenced_code", "tables", ALERTS],
            extension_configs={"tables": {"use_align_attribute": True}},
            output_format="html",
        )
        _local.md = md
    return md


#: Python-Markdown looks for the end of a link from every `[` that has none, to the end of
#: the text: the cost grows with the number of unmatched `[` times the text's length, 1.3 s
#: for 2,000 of them in 4,000 characters and minutes beyond (escaping them costs as much).
#: Above this budget lint refuses the text, and rendering shows it as plain text.
MARKUP_BUDGET = 1_000_000


def unmatched_brackets(text: str) -> list[int]:
    """Where the `[` are that no `]` closes (a backslash-escaped one is plain text already)."""
    opened: list[int] = []
    for match in _BRACKET.finditer(text):
        if match[0] == "[":
            opened.append(match.start())
        elif match[0] == "]" and opened:
            opened.pop()
    return opened


_BRACKET = re.compile(r"\\.|[\[\]]", re.S)


def markup_cost(text: str) -> int:
    """What `text` costs Markdown's link search, compared against `MARKUP_BUDGET`."""
    return len(unmatched_brackets(text)) * len(text) if "[" in text else 0


def markdown_html(source: str) -> str:
    """Markdown → HTML as Markdown produces it, before sanitizing (what lint audits)."""
    source = strip_control(source)
    if markup_cost(source) > MARKUP_BUDGET:  # refused by lint; never a stall here either
        return f"<p>{html.escape(source)}</p>"
    md = _markdown()
    try:
        return md.convert(source)
    finally:
        md.reset()


def render(source: str) -> Prose:
    """Markdown source → sanitized HTML and the matching plain text."""
    if not source.strip():
        return Prose("", "")
    safe = sanitize_html(markdown_html(source))
    return Prose(safe, html_to_text(safe))


def html_to_text(fragment: str) -> str:
    """Sanitized HTML → readable plain text (see `helpflow.plaintext`), controls stripped."""
    return strip_control(to_text(fragment))


def _unwrap(prose: Prose) -> Prose:
    body = prose.html
    if body.startswith("<p>") and body.endswith("</p>") and body.count("<p>") == 1:
        body = body[3:-4]
    return Prose(body, prose.text)


def render_inline(source: str) -> Prose:
    """Like `render` for a step of a fix: no wrapping paragraph when it is one line."""
    return _unwrap(render(source))


@dataclass(frozen=True, slots=True)
class Template:
    """Prose rendered once with placeholders where var values and recalled answers go."""

    prose: Prose
    prefix: str
    slots: tuple[textvars.Slot, ...]
    #: A placeholder sits inside a tag (a link's address): filled HTML is sanitized again,
    #: so a value cannot smuggle in a `javascript:` link.
    in_tag: bool


def render_template(marked: textvars.Marked, *, inline: bool = False) -> Template:
    prose = render(marked.text)
    if inline:
        prose = _unwrap(prose)
    in_tag = bool(marked.prefix) and bool(
        re.search(r"<[^>]*" + re.escape(marked.prefix), prose.html)
    )
    return Template(prose, marked.prefix, marked.slots, in_tag)


def fill(template: Template, values: Sequence[str]) -> Prose:
    """The template with `values` (one per slot) in place: HTML-escaped in the HTML form,
    control characters stripped in the text form. Never parsed as Markdown."""
    if not template.prefix:
        return template.prose
    shown = [plain(value) for value in values]
    fragment = textvars.fill_marks(template.prose.html, template.prefix, shown, html.escape)
    if template.in_tag:
        fragment = sanitize_html(fragment)
    text = textvars.fill_marks(template.prose.text, template.prefix, shown, str)
    return Prose(fragment, text)


__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "NO_PROSE",
    "URL_SCHEMES",
    "Prose",
    "Template",
    "fill",
    "html_to_text",
    "markdown_html",
    "plain",
    "render",
    "render_inline",
    "render_template",
    "sanitize_html",
    "strip_control",
]
