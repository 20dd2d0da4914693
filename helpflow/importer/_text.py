"""Plain-text article → Markdown, by line structure.

Text pasted from a help centre keeps its shape but loses its markup: headings are short lines
on their own, lists are lines that start with bullets or numbers, notes start with "NOTE:".
Issue paragraphs ("Symptom: …", "Q: …", "If you …", "I can't …", "I forgot …") become headings
too. Headings that share their first words with the heading just above them, when that one only
introduces them ("Forgot your details? …:"), are nested under it.
"""

from __future__ import annotations

import re

# Bullets as pasted from web pages and word processors, dashes (hyphen, en, em) included.
_ITEM = re.compile(r"^\s*(?:[•●▪◦·*+\-\u2013\u2014]|\(?\d{1,2}[.)])\s+")
_NUMBERED = re.compile(r"^\s*\(?\d{1,2}[.)]\s+")
_LABELLED = re.compile(
    r"^(?:symptom|problem|issue|error|q|question)\s*[:.-]\s*(?P<rest>.+)$", re.IGNORECASE
)
_ANSWER = re.compile(
    r"^(?:a|answer|fix|solution|resolution|workaround)\s*[:.-]\s*(?P<rest>.+)$", re.I
)
_LEAD = re.compile(r"^(?:cause|reason|why)\s*:\s*(?P<rest>.+)$", re.I)
_NOTE = re.compile(r"^(?P<word>note|tip|important|warning|caution)\s*:\s*(?P<rest>.+)$", re.I)
_ISSUE = re.compile(r"^(?:if you\b|i can'?t\b|i cannot\b|i forgot\b|i don'?t\b|i'?m\b|my\b)", re.I)
_CHROME = re.compile(
    r"^(?:expand all|collapse all|comments?\s*\(\d+\)|add a comment|was this (?:article |page )?"
    r"helpful\??|(?:yes|no)|share|print|back to top|related articles?|table of contents|"
    r"skip to (?:main )?content|sign in|log in|accept( all)? cookies)$",
    re.IGNORECASE,
)
_RULE = re.compile(r"^\s*([=\-_*~#])\1{2,}\s*$")


def to_markdown(text: str) -> str:
    paragraphs = _paragraphs(text)
    out: list[str] = []
    if paragraphs and _is_title(paragraphs):
        out.append("# " + paragraphs.pop(0)[0].strip())
    parent: list[str] = []
    # The last top-level heading has said nothing yet but "these are the cases:", or its
    # nested headings have begun; then headings sharing its first words nest under it.
    parent_open = nesting = False
    for lines in paragraphs:
        # Right under a heading, "If you're having trouble …, follow these steps:" is that
        # section's introduction, not an issue of its own.
        heading = _heading(lines, issues=not (out and out[-1].startswith("#")))
        if heading is not None:
            words = heading.split()
            nested = parent_open and _shares_start(words, parent)
            out.append(("### " if nested else "## ") + heading)
            nesting = nested
            if not nested:
                parent, parent_open = words, True
            continue
        if not nesting and not _introduces(lines):
            parent_open = False
        out.append(_block(lines))
    return "\n\n".join(out) + "\n"


def _paragraphs(text: str) -> list[list[str]]:
    """Groups of lines: split at blank lines, and around each list and chrome line."""
    groups: list[list[str]] = []
    current: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip() or _CHROME.match(line.strip()) or _RULE.match(line):
            if current:
                groups.append(current)
            current = []
            continue
        if _LABELLED.match(line.strip()):
            # "Q: …" and "Symptom: …" are headings even with their answer right below.
            if current:
                groups.append(current)
            groups.append([line])
            current = []
            continue
        is_item = bool(_ITEM.match(line))
        if current and is_item != bool(_ITEM.match(current[0])) and not line.startswith("   "):
            groups.append(current)
            current = []
        current.append(line)
    if current:
        groups.append(current)
    return groups


def _is_title(paragraphs: list[list[str]]) -> bool:
    first = paragraphs[0]
    return (
        len(first) == 1
        and len(first[0]) <= 90
        and not first[0].rstrip().endswith((".", ":", ",", ";"))
        and not _ITEM.match(first[0])
        and len(paragraphs) > 1
    )


def _heading(lines: list[str], *, issues: bool) -> str | None:
    if len(lines) != 1 or _ITEM.match(lines[0]):
        return None
    line = lines[0].strip()
    labelled = _LABELLED.match(line)
    if labelled:
        return labelled.group("rest").strip().rstrip(":")
    if issues and _ISSUE.match(line) and line.endswith(":") and len(line) <= 120:
        return line.rstrip(":")
    short = len(line) <= 80 and not line.endswith((".", ",", ";", ":", "!"))
    return line if short and len(line.split()) >= 2 else None


def _shares_start(words: list[str], parent: list[str]) -> bool:
    return len(words) >= 3 and [w.lower() for w in words[:2]] == [w.lower() for w in parent[:2]]


def _introduces(lines: list[str]) -> bool:
    """A paragraph that only leads into what follows: "We've got you covered:"."""
    return len(lines) == 1 and lines[0].rstrip().endswith(":")


def _block(lines: list[str]) -> str:
    if _ITEM.match(lines[0]):
        return _list(lines)
    text = " ".join(line.strip() for line in lines)
    note = _NOTE.match(text)
    if note:
        return f"> **{note.group('word').capitalize()}:** {note.group('rest')}"
    lead = _LEAD.match(text)
    if lead:
        return f"**{text.split(':', 1)[0].strip()}:** {lead.group('rest')}"
    answer = _ANSWER.match(text)
    if answer:
        text = answer.group("rest")
    return re.sub(r"^([#>])", r"\\\1", text)


def _list(lines: list[str]) -> str:
    ordered = bool(_NUMBERED.match(lines[0]))
    items: list[str] = []
    for line in lines:
        if _ITEM.match(line):
            items.append(_ITEM.sub("", line, count=1).strip())
        elif items:
            items[-1] += " " + line.strip()
    return "\n".join((f"{n}. " if ordered else "- ") + item for n, item in enumerate(items, 1))
