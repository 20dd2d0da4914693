"""Where a flow's catalogs live and how they are read: the usual gettext layout next to the
flow file, `locales/<lang>/LC_MESSAGES/<flow id>.po`, so Weblate, Crowdin and Poedit work on it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from helpflow import _files
from helpflow.errors import TranslationError
from helpflow.model import LANG_PATTERN, normalize_lang

#: Catalog size cap: a flow's catalog is hand-written text like the flow.
MAX_BYTES = 8 * 1024 * 1024

_TAG = re.compile(LANG_PATTERN)


def tag(lang: str) -> str:
    """`lang` as a BCP 47 tag (`pt_BR` → `pt-BR`); raises `TranslationError` for anything that
    is not a language tag (it names a folder: `../x` must never get that far)."""
    if not isinstance(lang, str) or not _TAG.match(lang):
        raise TranslationError(f"{lang!r} is not a language tag (like fr, pt-BR or zh-Hant)")
    return normalize_lang(lang)


def folder(lang: str) -> str:
    """The catalog folder name for `lang` (gettext writes `pt_BR`)."""
    return tag(lang).replace("-", "_")


def locales_dir(flow_path: str | os.PathLike[str]) -> Path:
    return Path(flow_path).parent / "locales"


def catalog_path(flow_path: str | os.PathLike[str], flow_id: str, lang: str) -> Path:
    return locales_dir(flow_path) / folder(lang) / "LC_MESSAGES" / f"{flow_id}.po"


def catalog_languages(flow_path: str | os.PathLike[str], flow_id: str) -> list[str]:
    """Languages (as tags) with a catalog for `flow_id` next to the flow, sorted."""
    base = locales_dir(flow_path)
    if not base.is_dir():
        return []
    found = []
    for entry in base.iterdir():
        if _TAG.match(entry.name) and (entry / "LC_MESSAGES" / f"{flow_id}.po").is_file():
            found.append(tag(entry.name))
    return sorted(found)


def read_catalog(path: Path) -> Catalog:
    """A `.po` file as a Babel catalog; `TranslationError` with `path:line` when it is not one."""
    try:
        text = _files.read_text(path, MAX_BYTES)
    except _files.FileProblem as problem:
        raise TranslationError(f"{path}: {problem.message}") from None
    try:
        return read_po(text.splitlines(keepends=True), abort_invalid=True)
    except PoFileError as exc:
        # Babel counts these lines from 0 (but a message's `lineno` from 1).
        line = exc.lineno + 1
        reason = str(exc).removesuffix(f" on {exc.lineno}")
        raise TranslationError(f"{path}:{line}: not a valid .po file: {reason}") from None
    except (ValueError, LookupError) as exc:  # a bad header (charset, plural forms, locale)
        raise TranslationError(f"{path}: not a valid .po file: {exc}") from None
