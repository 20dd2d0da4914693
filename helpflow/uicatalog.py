"""The interface catalog template (`helpflow/locale/helpflow.pot`), extracted from the code:
Python (`_()`, `N_()`, `gettext`, `ngettext`), jinja2 templates (`_()`, `{% trans %}`,
`ngettext`) and the browser scripts (`t("…")`, `strings.n("…", "…", n)`).

`python scripts/extract_ui_messages.py` writes the template and merges it into every shipped
`.po`; a test checks that the shipped template is current. Needs a source checkout (the
renderers sit beside the package).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from helpflow import uitext

ROOT = Path(__file__).resolve().parents[1]
#: Where the interface strings live: folder → babel method map.
SOURCES: tuple[tuple[str, list[tuple[str, str]]], ...] = (
    ("helpflow", [("**.py", "python")]),
    ("renderers/helpflow_terminal", [("**.py", "python")]),
    ("renderers/helpflow_html", [("**.py", "python"), ("templates/**.html", "jinja2")]),
)
PYTHON_KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
#: The browser scripts that show interface text (`helpflow_html.uistrings` reads the same).
SCRIPTS = tuple(
    f"renderers/helpflow_html/static/{name}" for name in ("view.js", "handoff.js", "uistrings.js")
)
# The scripts' calls, read with a pattern: Babel's JavaScript lexer loses strings after some
# regex literals and nested calls in view.js. Plain double-quoted literals only.
_STRING = r'"((?:[^"\\\n]|\\.)*)"'
_T = re.compile(r"\bt\(" + _STRING + r"\)")
_N = re.compile(r"\bstrings\.n\(" + _STRING + r",\s*" + _STRING)
_EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)
_JINJA = {"extensions": "jinja2.ext.i18n", "trimmed": "false"}


def _found(root: Path) -> Iterator[tuple[str, int, str | tuple[str, ...], str | None]]:
    for folder, methods in SOURCES:
        options = {pattern: _JINJA for pattern, method in methods if method == "jinja2"}
        for name, line, message, _comments, context in extract_from_dir(
            root / folder, methods, keywords=PYTHON_KEYWORDS, options_map=options
        ):
            yield f"{folder}/{name}", line, message, context
    for script in SCRIPTS:
        for line, message in script_messages((root / script).read_text(encoding="utf-8")):
            yield script, line, message, None


def script_messages(source: str) -> list[tuple[int, str | tuple[str, str]]]:
    """`t("…")` and `strings.n("…", "…", n)` of a browser script, with their lines."""
    found: list[tuple[int, int, str | tuple[str, str]]] = []
    for match in _T.finditer(source):
        found.append((match.start(), 0, _unescape(match.group(1))))
    for match in _N.finditer(source):
        found.append((match.start(), 0, (_unescape(match.group(1)), _unescape(match.group(2)))))
    return [(source.count("\n", 0, start) + 1, message) for start, _, message in sorted(found)]


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def extract_catalog(root: Path = ROOT) -> Catalog:
    catalog = Catalog(
        project="helpflow",
        domain=uitext.DOMAIN,
        msgid_bugs_address="",
        copyright_holder="helpflow developers",
        fuzzy=False,
    )
    for path, line, message, context in _found(root):
        catalog.add(message, locations=[(path, line)], context=context)
    return catalog


def pot_text(catalog: Catalog) -> str:
    buffer = io.BytesIO()
    # No dates: the template changes only when a string does.
    catalog.creation_date = catalog.revision_date = _EPOCH
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True, no_location=False)
    return buffer.getvalue().decode("utf-8")


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=uitext.DOMAIN)


def ids(catalog: Catalog) -> set[Any]:
    return {m.id for m in catalog if m.id}
