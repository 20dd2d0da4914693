"""`helpflow import`: draft a flow from an existing help article.

ARTICLE (Markdown, HTML or plain text) → Markdown → outline (title, sections, blocks) → flow
data with a `todo` on every guess → YAML with comments. The draft always passes `helpflow
validate` (todos and warnings aside) and builds; the writer then checks each todo.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from helpflow.content import strip_control
from helpflow.errors import HelpflowError
from helpflow.importer import _emit, _words

FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".txt": "text"}
MAX_BYTES = 4 * 1024 * 1024


class ArticleError(HelpflowError):
    """An article that cannot be drafted from: unreadable, binary, empty, without structure."""


@dataclass(frozen=True)
class ImportedDraft:
    text: str
    nodes: int
    todos: int

    def summary(self) -> str:
        return f"drafted {self.nodes} nodes with {self.todos} todos to check"


def import_article(source: str, *, fmt: str | None = None) -> ImportedDraft:
    """Draft a flow from the article at `source` (`-` for standard input)."""
    name = "standard input" if source == "-" else source
    fmt = fmt or FORMATS.get(Path(source).suffix.lower())
    if fmt is None:
        raise ArticleError(
            f"{name}: cannot tell the article's format from its name; "
            "pass --from md, --from html or --from text"
        )
    return draft_from_text(_read(source, name), fmt=fmt, source_name=name)


def draft_from_text(text: str, *, fmt: str, source_name: str) -> ImportedDraft:
    from helpflow.importer import _build, _structure

    text = strip_control(text.replace("\r\n", "\n").replace("\r", "\n"))
    markdown, page_title = _to_markdown(text, fmt)
    markdown = _words.park_local_images(markdown)
    article = _structure.outline(markdown)
    if article.title is None and page_title:
        article.title = page_title
    if not article.sections:
        raise ArticleError(
            f"{source_name}: found no sections to turn into choices (no headings, no "
            "'Symptom:' or 'If you …' paragraphs); add headings to the article first"
        )
    draft = _build.build(article, source_name)
    header = [
        "yaml-language-server: $schema=helpflow.schema.json",
        "",
        f"Drafted by `helpflow import` from {strip_control(source_name)} ({fmt}).",
        "A draft: check every `todo` (`helpflow validate` lists them), fix what it",
        "guessed wrong, then delete the todo.",
    ]
    text_out = _emit.document(draft.data, header, draft.comments)
    return ImportedDraft(text_out, len(draft.data["nodes"]), draft.todos)


def _to_markdown(text: str, fmt: str) -> tuple[str, str | None]:
    if fmt == "html":
        try:
            from helpflow.importer import _html
        except ImportError:
            raise ArticleError(
                "importing HTML needs the author extra: pip install 'helpflow[author]'"
            ) from None
        return _html.to_markdown(text)
    if fmt == "text":
        from helpflow.importer import _text

        return _text.to_markdown(text), None
    return text, None


def _read(source: str, name: str) -> str:
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(source, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ArticleError(f"{name}: cannot read the article: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise ArticleError(f"{name}: too big for an article (over {MAX_BYTES // 1024} KiB)")
    if b"\x00" in raw[:8192]:
        raise ArticleError(f"{name}: looks like a binary file, not an article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ArticleError(f"{name}: is not UTF-8 text (binary, or another encoding)") from None
    if not text.strip():
        raise ArticleError(f"{name}: the article is empty")
    return text
