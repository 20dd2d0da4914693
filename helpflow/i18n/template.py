"""The catalog template (`.pot`) of a flow, and the catalogs made from it: `init` and `update`.

Every entry's `msgctxt` is the string's stable id path (`node.check_sign_in.steps.2`), so a
translation follows its string through edits of the text around it, and its location is where
the string is written (`account-login.yaml:57`), relative to the flow's folder.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from helpflow.errors import TranslationError
from helpflow.i18n.catalogs import catalog_path, folder, read_catalog, tag
from helpflow.i18n.strings import is_optional, texts
from helpflow.loader import LoadedFlow, load_file
from helpflow.versioning import flow_version

OPTIONAL = "Optional: leave empty to keep the source value in this language."

HEADER = """\
# Translations of the helpflow flow PROJECT.
# Each msgctxt is the string's stable id path in the flow.
# Translate msgstr only: keep {placeholders}, Markdown and
# link targets, then run `helpflow i18n check`.
#"""


def template(loaded: LoadedFlow, flow_path: str | os.PathLike[str]) -> Catalog:
    """The flow's template catalog: every translatable string, untranslated."""
    flow = loaded.flow
    catalog = Catalog(
        project=flow.id,
        version=flow_version(flow),
        header_comment=HEADER,
        domain=flow.id,
        charset="utf-8",
        fuzzy=False,
    )
    base = Path(flow_path).parent
    for text in texts(flow):
        path, line, _ = loaded.sources.locate(text.loc)
        catalog.add(
            text.text,
            string="",
            locations=[(_relative(path, base), line)],
            auto_comments=[OPTIONAL] if is_optional(text.context) else [],
            context=text.context,
        )
    return catalog


def _relative(path: str, base: Path) -> str:
    relative = os.path.relpath(path, base)
    return Path(relative).as_posix()


def po_bytes(catalog: Catalog, *, previous: bool = False) -> bytes:
    """The catalog as a `.po` file (`previous`: `#|` lines with the old text of fuzzy entries,
    which PO editors show the translator as a diff)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, include_previous=previous)
    return buffer.getvalue()


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(folder(lang))
    except (UnknownLocaleError, ValueError):
        raise TranslationError(
            f"no locale data for {tag(lang)!r} (a language tag like fr, pt-BR)"
        ) from None


def init(flow_path: str | os.PathLike[str], lang: str) -> Path:
    """Create the flow's catalog for `lang` from its template; refuses to overwrite one."""
    loaded = load_file(flow_path)
    target = catalog_path(flow_path, loaded.flow.id, lang)
    if target.exists():
        raise TranslationError(f"{target} exists already; run 'helpflow i18n update' to merge")
    catalog = template(loaded, flow_path)
    catalog.locale = _locale(lang)
    catalog.revision_date = catalog.creation_date
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(po_bytes(catalog))
    return target


def update(flow_path: str | os.PathLike[str], lang: str) -> Path:
    """Merge the flow's current strings into its catalog for `lang`: new strings are added,
    changed ones matched and marked fuzzy, removed ones kept as obsolete (`#~`)."""
    loaded = load_file(flow_path)
    target = catalog_path(flow_path, loaded.flow.id, lang)
    if not target.is_file():
        raise TranslationError(f"{target} does not exist; run 'helpflow i18n init' first")
    catalog = read_catalog(target)
    catalog.update(template(loaded, flow_path), update_header_comment=False)
    target.write_bytes(po_bytes(catalog, previous=True))
    return target
