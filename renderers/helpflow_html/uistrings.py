"""The interface strings the browser scripts show, per shipped language, as data in the
compiled table (`ui`): the scripts run under a strict CSP and load no catalog of their own.

The msgids are read from the scripts themselves (`t("…")`, `strings.n("…", "…", n)`) as
`helpflow.uicatalog` reads them into the catalog template, so the list the table carries
cannot drift from the code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from helpflow import uicatalog, uitext
from helpflow.engine import CompiledFlow
from helpflow_html.table import flow_table
from helpflow_html.templating import static_text

#: The scripts that show interface text (as the catalog template reads them).
SCRIPTS = tuple(Path(path).name for path in uicatalog.SCRIPTS)
#: Counts whose plural form the table lists (see `hfStrings` in view.js).
COUNTS = 200


@cache
def script_messages() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(msgids, (singular, plural) pairs) the scripts translate."""
    singles: dict[str, None] = {}
    plurals: dict[tuple[str, str], None] = {}
    for name in SCRIPTS:
        for _line, message in uicatalog.script_messages(static_text(name)):
            if isinstance(message, str):
                singles[message] = None
            else:
                plurals[message] = None
    return tuple(singles), tuple(plurals)


def language_strings(ui: uitext.UiText) -> dict[str, Any]:
    singles, plurals = script_messages()
    index = [ui.plural_index(n) for n in range(COUNTS)]
    forms: dict[str, list[str]] = {}
    for singular, plural in plurals:
        # One count per form: the first that takes it.
        examples = {i: n for n, i in reversed(list(enumerate(index)))}
        found = [ui.ngettext(singular, plural, examples[i]) for i in sorted(examples)]
        if found != [singular, plural]:
            forms[singular] = found
    return {"m": ui.messages(singles), "p": forms, "n": index, "d": ui.dir}


def ui_table() -> dict[str, Any]:
    """Every language with a catalog but the source one (whose strings are the msgids)."""
    return _ui_table(uitext.search_path())


@cache
def _ui_table(path: tuple[Path, ...]) -> dict[str, Any]:
    return {
        lang: language_strings(uitext.translations(lang))
        for lang in uitext.languages(path)
        if lang != uitext.SOURCE_LANG
    }


def browser_table(flow: CompiledFlow) -> dict[str, Any]:
    """The table the widget and the component walk, with the flow's language (`lang`) and
    the interface strings of every language (`ui`); the flow's own `ui:` wording replaces
    the strings of its language."""
    strings = ui_table()
    if flow.ui.overrides:
        mine = {**strings.get(flow.ui.lang, language_strings(flow.ui))}
        mine["m"] = {**mine["m"], **flow.ui.messages(script_messages()[0])}
        strings = {**strings, flow.ui.lang: mine}
    return {**flow_table(flow), "lang": flow.lang, "ui": strings}
