"""Markdown → the article's outline: title, introduction, sections with their blocks.

Every format is turned into Markdown first, so this is the one place that reads structure. It
uses markdown-it-py (CommonMark, plus tables) and slices each block's Markdown out of the
source by the parser's line map, so code blocks, images, tables and notes reach the flow as
the author wrote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

BlockKind = Literal["para", "list", "code", "table", "note", "other"]

_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s?")
_CHROME_HEADING = re.compile(
    r"^(?:related (?:articles?|topics)|was this (?:article |page )?helpful\??|comments?"
    r"(?: \(\d+\))?|share this|in this article|table of contents|on this page)$",
    re.IGNORECASE,
)


@dataclass
class Block:
    kind: BlockKind
    text: str
    items: list[str] = field(default_factory=list)
    ordered: bool = False


@dataclass
class Section:
    heading: str
    level: int
    line: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


@dataclass
class Article:
    title: str | None
    intro: list[Block]
    sections: list[Section]


def outline(markdown: str) -> Article:
    lines = markdown.splitlines()
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    title: str | None = None
    intro: list[Block] = []
    roots: list[Section] = []
    stack: list[Section] = []
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    title_level = 1 if levels.count(1) == 1 and levels[0] == 1 else None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            text = _plain(tokens[index + 1])
            level = int(token.tag[1])
            index += 3
            if level == title_level and title is None:
                title = text
                continue
            if _CHROME_HEADING.match(text):
                index = _skip_section(tokens, index, level)
                continue
            section = Section(text, level, (token.map or [0])[0] + 1)
            while stack and stack[-1].level >= level:
                stack.pop()
            (stack[-1].children if stack else roots).append(section)
            stack.append(section)
            continue
        block, index = _block(tokens, index, lines)
        if block is not None:
            (stack[-1].blocks if stack else intro).append(block)
    return Article(title, intro, roots)


def _skip_section(tokens: list[Token], index: int, level: int) -> int:
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and int(token.tag[1]) <= level:
            break
        index += 1
    return index


def _plain(inline: Token) -> str:
    parts = [
        child.content
        for child in inline.children or ()
        if child.type in ("text", "code_inline", "softbreak")
    ]
    return " ".join("".join(parts).split())


def _source(token: Token, lines: list[str]) -> str:
    start, end = token.map or (0, 0)
    return "\n".join(lines[start:end]).strip("\n")


def _block(tokens: list[Token], index: int, lines: list[str]) -> tuple[Block | None, int]:
    """The block starting at `index` and the index after it."""
    token = tokens[index]
    end = _close(tokens, index)
    kinds: dict[str, BlockKind] = {
        "paragraph_open": "para",
        "bullet_list_open": "list",
        "ordered_list_open": "list",
        "fence": "code",
        "code_block": "code",
        "table_open": "table",
        "blockquote_open": "note",
    }
    kind = kinds.get(token.type, "other")
    if token.type == "hr":
        return None, end
    text = _source(token, lines)
    if not text.strip():
        return None, end
    block = Block(kind, text)
    if kind == "list":
        block.ordered = token.type == "ordered_list_open"
        block.items = [
            _item(tokens[i], lines)
            for i in range(index, end)
            if tokens[i].type == "list_item_open" and tokens[i].level == token.level + 1
        ]
    return block, end


def _item(token: Token, lines: list[str]) -> str:
    """A list item's Markdown without its marker; continuation lines dedented."""
    first, *rest = _source(token, lines).splitlines() or [""]
    marker = _MARKER.match(first)
    width = marker.end() if marker else 0
    body = [first[width:]] + [line[width:] if line[:width].isspace() else line for line in rest]
    return "\n".join(body).strip()


def _close(tokens: list[Token], index: int) -> int:
    """Index after the token that closes the one at `index` (nesting 1 → 0)."""
    if tokens[index].nesting != 1:
        return index + 1
    depth = 0
    for position in range(index, len(tokens)):
        depth += tokens[position].nesting
        if depth == 0:
            return position + 1
    return len(tokens)
