"""Sanitized HTML → plain text that reads well in a terminal, a chat or an e-mail.

Blocks become paragraphs, list items bullets or numbers, code blocks stay as written (indented
four spaces, never re-flowed), tables become aligned columns, images `[image: alt]`, callouts a
block whose first line names its kind, and a link keeps its address after its label once.
"""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "h3", "h4", "blockquote", "div", "ul", "ol", "table", "pre", "hr"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.inline: list[str] = []
        self.lists: list[list[int]] = []  # [counter or -1 for bullets]
        self.item_prefix = ""
        self.quote = ""
        self.href: list[tuple[str, int]] = []
        self.pre: list[str] | None = None
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None

    # --- output -------------------------------------------------------------------------

    def _indent(self) -> str:
        return self.quote + "  " * max(0, len(self.lists) - 1)

    def flush(self) -> None:
        words = " ".join("".join(self.inline).split(" "))
        parts = [" ".join(part.split()) for part in words.split("\n")]
        self.inline = []
        if not any(parts):
            return
        for part in parts:
            prefix, self.item_prefix = self.item_prefix, ""
            lead = self._indent() + prefix
            self.lines.append(lead + part if part else self.quote.rstrip())

    def blank(self) -> None:
        if self.lines and self.lines[-1].strip(" >│"):
            self.lines.append(self.quote.rstrip())

    def _out(self) -> list[str]:
        return self.cell if self.cell is not None else self.inline

    # --- events -------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self.pre is not None:
            return
        if tag in _BLOCKS or tag == "li":
            self.flush()
        if tag in ("ul", "ol"):
            if not self.lists:
                self.blank()
            start = int(values.get("start", "1") or 1) if tag == "ol" else -1
            self.lists.append([start])
        elif tag == "li" and self.lists:
            counter = self.lists[-1]
            self.item_prefix = "• " if counter[0] < 0 else f"{counter[0]}. "
            if counter[0] >= 0:
                counter[0] += 1
        elif tag == "pre":
            self.blank()
            self.pre = []
        elif tag == "table":
            self.blank()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "br":
            self._out().append("\n")
        elif tag == "a":
            self.href.append((values.get("href", ""), len(self._out())))
        elif tag == "img":
            self._out().append(f"[image: {values.get('alt', '')}]")
        elif tag == "blockquote":
            self.blank()
            self.quote += "> "
        elif tag == "div" and values.get("role") == "note":
            self.blank()
            self.quote += "│ "
        elif tag == "hr":
            self.lines.append(self._indent() + "―" * 20)

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self.pre is not None:
            code = "".join(self.pre).rstrip("\n")
            self.pre = None
            self.lines.extend(self._indent() + "    " + line for line in code.split("\n"))
            self.blank()
            return
        if self.pre is not None:
            return
        if tag == "a" and self.href:
            url, at = self.href.pop()
            out = self._out()
            label = "".join(out[at:]).strip()
            if url and label != url:
                out.append(f" ({url})")
        elif tag in ("td", "th") and self.cell is not None and self.table:
            self.table[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table" and self.table is not None:
            self._emit_table(self.table)
            self.table = None
            self.blank()
        elif tag in ("ul", "ol") and self.lists:
            self.flush()
            self.lists.pop()
            if not self.lists:
                self.blank()
        elif tag == "li":
            self.flush()
        elif tag in ("blockquote", "div") and self.quote:
            self.flush()
            while self.lines and not self.lines[-1].strip(" >│"):
                self.lines.pop()
            self.quote = self.quote[:-2]
            self.lines.append(self.quote.rstrip())
        elif tag in _BLOCKS:
            self.flush()
            if not self.lists:
                self.blank()

    def handle_data(self, data: str) -> None:
        if self.pre is not None:
            self.pre.append(data)
        else:
            self._out().append(data.replace("\n", " "))

    def _emit_table(self, rows: list[list[str]]) -> None:
        if not rows:
            return
        columns = max(len(row) for row in rows)
        widths = [max(len(row[i]) if i < len(row) else 0 for row in rows) for i in range(columns)]
        for number, row in enumerate(rows):
            cells = [(row[i] if i < len(row) else "").ljust(widths[i]) for i in range(columns)]
            self.lines.append(self._indent() + "  ".join(cells).rstrip())
            if number == 0:
                self.lines.append(self._indent() + "  ".join("-" * w for w in widths))


def to_text(fragment: str) -> str:
    if "<" not in fragment and "&" not in fragment:
        return " ".join(fragment.split())
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    parser.flush()
    lines = parser.lines
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(line.rstrip() for line in lines)
