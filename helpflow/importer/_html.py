"""HTML help-centre page → Markdown, without the page's chrome.

Parsed with selectolax (lexbor, an HTML5 parser), so broken markup parses the way a browser
would. Navigation, headers, footers, sidebars, cookie banners, forms and scripts are removed
first; then the main content (`<main>`, `<article>`, or the body) is written out as Markdown for
the one structure reader all formats share.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: Page chrome: never part of an article.
CHROME = ", ".join(
    (
        "script, style, noscript, template, iframe, svg, form, button, nav, header, footer",
        "aside, [role=navigation], [role=banner], [role=contentinfo], [role=search]",
        "[aria-hidden=true], [hidden], [class*=cookie], [id*=cookie], [class*=breadcrumb]",
        "[class*=feedback], [class*=related], [class*=share], [class*=comments]",
    )
)
_NOTE_CLASS = re.compile(r"\b(note|tip|warning|caution|important|callout|alert|info)\b", re.I)
_ESCAPE = re.compile(r"([\\`*_\[\]<])")
_SPACE = re.compile(r"[ \t\r\n\f]+")
_BLOCK_TAGS = {"p", "ul", "ol", "pre", "table", "blockquote", "dl", "details", "figure"}
_HEADING = re.compile(r"h([1-6])")


def to_markdown(html: str) -> tuple[str, str | None]:
    """The article as Markdown, and the page's `<title>` (for when it has no `<h1>`)."""
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    page_title = _SPACE.sub(" ", title_node.text()).strip() if title_node else None
    for node in tree.css(CHROME):
        node.decompose()
    root = (
        tree.css_first("main")
        or tree.css_first("[role=main]")
        or tree.css_first("article")
        or tree.body
    )
    if root is None:
        return "", page_title
    return "\n\n".join(_blocks(root)).strip() + "\n", page_title or None


def _blocks(node: LexborNode) -> list[str]:
    out: list[str] = []
    inline: list[str] = []

    def flush() -> None:
        text = "".join(inline).strip()
        if text:
            out.append(text)
        inline.clear()

    for child in node.iter(include_text=True):
        tag = child.tag or ""
        block = _block(child, tag)
        if block is None:
            inline.append(_inline(child))
            continue
        flush()
        out.extend(block)
    flush()
    return out


def _block(node: LexborNode, tag: str) -> list[str] | None:
    """Markdown for a block element, or None when `node` is inline content."""
    heading = _HEADING.fullmatch(tag)
    if heading:
        return [f"{'#' * int(heading.group(1))} {_inline_children(node).strip()}"]
    if tag in ("summary", "dt"):
        return [f"## {_inline_children(node).strip()}"]
    if tag == "p":
        return [_inline_children(node).strip()]
    if tag in ("ul", "ol"):
        return [_list(node, ordered=tag == "ol")]
    if tag == "pre":
        code = node.css_first("code")
        cls = (
            (node.attributes.get("class") or "")
            + " "
            + ((code and code.attributes.get("class")) or "")
        )
        lang = re.search(r"language-([\w+-]+)", cls)
        return [f"```{lang.group(1) if lang else ''}\n{node.text().rstrip()}\n```"]
    if tag == "table":
        return [_table(node)]
    if tag == "img":
        return [_inline(node)]
    if tag == "blockquote" or (
        tag in ("div", "section", "p") and _NOTE_CLASS.search(node.attributes.get("class") or "")
    ):
        inner = "\n\n".join(_blocks(node))
        return ["\n".join(f"> {line}".rstrip() for line in inner.splitlines())]
    if tag in ("div", "section", "article", "main", "details", "dl", "dd", "figure", "li"):
        return _blocks(node)
    return None


def _list(node: LexborNode, *, ordered: bool) -> str:
    lines = []
    number = 0
    for item in node.iter():
        if item.tag != "li":
            continue
        number += 1
        marker = f"{number}. " if ordered else "- "
        parts = _blocks(item)
        first, rest = (parts[0], parts[1:]) if parts else ("", [])
        lines.append(marker + first.replace("\n", "\n" + " " * len(marker)))
        for part in rest:
            indented = "\n".join(" " * len(marker) + line for line in part.splitlines())
            lines.append("\n" + indented)
    return "\n".join(lines)


def _table(node: LexborNode) -> str:
    rows = []
    for row in node.css("tr"):
        cells = [
            _inline_children(cell).strip().replace("|", "\\|").replace("\n", " ")
            for cell in row.iter()
            if cell.tag in ("td", "th")
        ]
        if cells:
            rows.append(cells)
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)


def _inline_children(node: LexborNode) -> str:
    return "".join(_inline(child) for child in node.iter(include_text=True))


def _inline(node: LexborNode) -> str:
    tag = node.tag or ""
    if tag == "-text":
        return _ESCAPE.sub(r"\\\1", _SPACE.sub(" ", node.text_content or ""))
    if tag == "br":
        return "\n"
    if tag == "img":
        alt = (node.attributes.get("alt") or "").replace("]", "")
        return f"![{alt}]({node.attributes.get('src') or ''})"
    inner = _inline_children(node)
    if tag == "a" and node.attributes.get("href"):
        return f"[{inner.strip()}]({node.attributes['href']})"
    if tag in ("strong", "b") and inner.strip():
        return f"**{inner.strip()}**"
    if tag in ("em", "i") and inner.strip():
        return f"*{inner.strip()}*"
    if tag in ("code", "kbd"):
        return f"`{node.text()}`"
    return inner
