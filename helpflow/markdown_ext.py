"""GitHub-style alerts (`> [!NOTE]` … `> [!CAUTION]`) for Python-Markdown.

Python-Markdown has no such extension; this tree processor turns a blockquote that starts with
an alert marker into a callout, `<div class="hf-callout hf-callout--KIND" role="note">`, whose
first line names the kind, so the kind survives in the HTML, the plain text and the terminal.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from helpflow.sanitize import ALERT_KINDS

_MARKER = re.compile(r"\s*\[!(" + "|".join(ALERT_KINDS) + r")\][ \t]*\n?", re.I)


class _AlertProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for child in parent:
                if child.tag == "blockquote":
                    _to_callout(child)


def _to_callout(quote: etree.Element) -> None:
    first = quote[0] if len(quote) else None
    if first is None or first.tag != "p":
        return
    match = _MARKER.match(first.text or "")
    if match is None:
        return
    kind = match.group(1).lower()
    first.text = (first.text or "")[match.end() :]
    if not first.text.strip() and len(first) == 0:
        quote.remove(first)
    quote.tag = "div"
    quote.set("class", f"hf-callout hf-callout--{kind}")
    quote.set("role", "note")
    title = etree.Element("p")
    etree.SubElement(title, "strong").text = kind.capitalize()
    quote.insert(0, title)


class AlertExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After inline processing (priority 20), so the marker is plain text by then.
        md.treeprocessors.register(_AlertProcessor(md), "hf_alerts", 5)


ALERTS = AlertExtension()
