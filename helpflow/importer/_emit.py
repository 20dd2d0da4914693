"""A draft's data → YAML text a writer edits: comments, readable layout, safe quoting.

Written by hand rather than with a YAML dumper because a draft carries comments (where each
node came from). Every scalar is written plain only when YAML reads it back as the very same
string; otherwise double-quoted (JSON string syntax is valid YAML), and text with line breaks
as a literal block. Tests read every draft back and compare.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

_PLAIN = re.compile(r"[A-Za-z0-9(][^\n\t]*")
_RISKY = re.compile(r": |\s#|:$|\s$|^\s")
#: What YAML cannot hold as written (its "printable" set, less the line breaks NEL, LS and PS):
#: such text is written double-quoted with escapes.
_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def scalar(value: object) -> str:
    if isinstance(value, bool) or value is None:
        raise TypeError(f"drafts hold text and numbers only, not {value!r}")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _UNPRINTABLE.search(text):
        return json.dumps(text, ensure_ascii=True)
    if _PLAIN.fullmatch(text) and not _RISKY.search(text) and _reads_back(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _reads_back(text: str) -> bool:
    try:
        return bool(yaml.safe_load(text) == text)
    except yaml.YAMLError:
        return False


def _block(text: str, indent: int) -> list[str]:
    pad = " " * indent
    # An indentation indicator (relative to the parent, always 2 here) when the first line
    # starts with a space; `-` drops the final line break, so the text reads back exactly.
    head = "|2-" if text[:1] == " " else "|-"
    return [head, *((pad + line) if line else "" for line in text.split("\n"))]


def _value_lines(key: str, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, str) and "\n" in value.strip("\n") and not _has_controls(value):
        head, *rest = _block(value.strip("\n"), indent + 2)
        return [f"{pad}{key}: {head}", *rest]
    if isinstance(value, dict):
        if not value:
            return [f"{pad}{key}: {{}}"]
        return [f"{pad}{key}:", *mapping(value, indent + 2)]
    if isinstance(value, list):
        if not value:
            return [f"{pad}{key}: []"]
        return [f"{pad}{key}:", *sequence(value, indent + 2)]
    return [f"{pad}{key}: {scalar(value)}"]


def _has_controls(text: str) -> bool:
    return bool(_UNPRINTABLE.search(text.replace("\n", " ")))


def mapping(data: dict[str, Any], indent: int, comments: dict[str, str] | None = None) -> list[str]:
    lines: list[str] = []
    for key, value in data.items():
        if comments and key in comments:
            lines.append("")
            lines += [f"{' ' * indent}# {line}".rstrip() for line in comments[key].splitlines()]
        lines += _value_lines(scalar(key), value, indent)
    return lines


def sequence(items: list[Any], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for item in items:
        if isinstance(item, dict):
            inner = mapping(item, indent + 2)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines += inner[1:]
        elif isinstance(item, str) and "\n" in item.strip("\n") and not _has_controls(item):
            head, *rest = _block(item.strip("\n"), indent + 2)
            lines += [f"{pad}- {head}", *rest]
        else:
            lines.append(f"{pad}- {scalar(item)}")
    return lines


def document(data: dict[str, Any], header: list[str], comments: dict[str, str]) -> str:
    top = {k: v for k, v in data.items() if k != "nodes"}
    lines = [f"# {line}".rstrip() for line in header]
    lines += mapping(top, 0)
    lines += ["", "nodes:", *mapping(data["nodes"], 2, comments)]
    return "\n".join(lines) + "\n"
