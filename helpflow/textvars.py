"""`{var}` placeholders in flow text: the only templating flow authors get.

Deliberately not `str.format`: that would expose attribute and index look-ups (`{x.__class__}`)
to untrusted flow text. `{{` and `}}` write literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def names_in(text: str) -> Iterator[str]:
    if "{" not in text:
        return
    for match in _TOKEN.finditer(text):
        if match.group(1):
            yield match.group(1)


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace every `{name}`; unknown names stay as written (lint reports them)."""
    if "{" not in text and "}" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]
        return values.get(name, match.group(0))

    return _TOKEN.sub(replace, text)
