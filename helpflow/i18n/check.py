"""`helpflow i18n check`: is every catalog of a flow complete, current and safe?

Per language it names strings that are missing or untranslated, fuzzy, stale (the source text
changed since the translation: the entry's `msgid` is no longer the flow's text at that id path)
or no longer in the flow, and translations whose Markdown does not match their source (other
link targets, new unsafe content, broken placeholders). Entries kept as `#~` by `update` are
listed as notes: they are history for the translator, not used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from babel.messages.catalog import Catalog, Message

from helpflow.errors import TranslationError
from helpflow.i18n.catalogs import catalog_path, read_catalog, tag
from helpflow.i18n.loading import languages
from helpflow.i18n.strings import Text, is_optional, texts
from helpflow.i18n.validate import problems
from helpflow.loader import LoadedFlow, load_file


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    lang: str
    context: str
    message: str
    severity: Literal["error", "note"] = "error"

    def format(self) -> str:
        where = f"{self.path}:{self.line}: {self.severity}"
        return f"{where}: {self.lang}: {self.context}: {self.message}"


def check(flow_path: str | os.PathLike[str], langs: list[str] | None = None) -> list[Finding]:
    """Every finding for the given languages (default: every language with a catalog)."""
    loaded = load_file(flow_path)
    found: list[Finding] = []
    for lang in langs if langs is not None else languages(flow_path):
        path = catalog_path(flow_path, loaded.flow.id, lang)
        if not path.is_file():
            raise TranslationError(f"no {tag(lang)!r} catalog ({path}); run 'helpflow i18n init'")
        found.extend(check_catalog(loaded, read_catalog(path), path, lang))
    return found


def check_catalog(loaded: LoadedFlow, catalog: Catalog, path: Path, lang: str) -> list[Finding]:
    shown = str(path)
    current = texts(loaded.flow)
    by_context: dict[str, Message] = {}
    for entry in catalog:
        if entry.id and entry.context:
            by_context.setdefault(entry.context, entry)
    found: list[Finding] = []

    def at(message: Message, context: str, text: str) -> None:
        found.append(Finding(shown, message.lineno or 1, lang, context, text))

    for text in current:
        message = catalog.get(text.text, text.context)
        if message is None:
            old = by_context.get(text.context)
            if old is not None:
                at(
                    old,
                    text.context,
                    "stale: the source text changed since it was translated "
                    "(run 'helpflow i18n update' and review the fuzzy entry)",
                )
            else:
                found.append(_missing(loaded, text, lang))
            continue
        if message.fuzzy:
            at(message, text.context, "fuzzy: review the translation and clear the fuzzy flag")
        elif not isinstance(message.string, str) or not message.string.strip():
            if not is_optional(text.context):
                at(message, text.context, "not translated")
        else:
            for problem in problems(text.text, message.string):
                at(message, text.context, problem)
    wanted = {text.context for text in current}
    for context, message in by_context.items():
        if context not in wanted:
            at(message, context, "no longer in the flow (run 'helpflow i18n update')")
    for message in catalog.obsolete.values():
        found.append(
            Finding(
                shown,
                message.lineno or 1,
                lang,
                message.context or "-",
                "obsolete entry (#~), not used",
                "note",
            )
        )
    return found


def _missing(loaded: LoadedFlow, text: Text, lang: str) -> Finding:
    """A string the catalog lacks, at the flow line that holds it (the catalog has none)."""
    path, line, _ = loaded.sources.locate(text.loc)
    if is_optional(text.context):
        return Finding(path, line, lang, text.context, "not in the catalog (optional)", "note")
    return Finding(
        path, line, lang, text.context, "missing from the catalog (run 'helpflow i18n update')"
    )
