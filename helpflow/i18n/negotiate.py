"""Which language a reader gets: from `Accept-Language`, or from the environment's locale.

Matching is Babel's (`negotiate_locale`): `fr-CA` gets `fr` when there is no `fr-CA`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from babel.core import negotiate_locale

#: An `Accept-Language` header is read this far, and this many of its entries: the work per
#: request stays bounded whatever a client sends.
MAX_HEADER, MAX_ENTRIES = 1024, 16

#: Read in this order, as gettext does (LANGUAGE aside): the first one set decides.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def accepted(header: str | None) -> list[str]:
    """The languages of an `Accept-Language` header, most wanted first (`q=0` and `*`
    dropped; entries of equal weight keep their order)."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, entry in enumerate(header[:MAX_HEADER].split(",")[:MAX_ENTRIES]):
        name, _, params = entry.strip().partition(";")
        name = name.strip()
        if not name or name == "*":
            continue
        weight = 1.0
        # `q` need not be the first parameter (`fr;level=1;q=0.1`); the first `q` counts.
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = -1.0  # a malformed entry says nothing
                break
        if weight > 0:
            weighted.append((-weight, index, name.replace("_", "-")))
    return [name for _, _, name in sorted(weighted)]


def negotiate(available: Sequence[str], preferred: Sequence[str]) -> str | None:
    """The tag of `available` that best fits `preferred` (most wanted first), or None."""
    by_lower = {tag.lower(): tag for tag in available}
    found = negotiate_locale(preferred, list(by_lower), sep="-")
    return by_lower.get(found.lower()) if found else None


def environment_languages(environ: Mapping[str, str] | None = None) -> list[str]:
    """The language of the environment's locale (`fr_FR.UTF-8` → `fr-FR`), as a list for
    `negotiate`; empty for the C/POSIX locale or none."""
    env = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = env.get(name)
        if value:
            code = value.split(".")[0].split("@")[0]
            if code in ("C", "POSIX") or not code:
                return []
            return [code.replace("_", "-")]
    return []
