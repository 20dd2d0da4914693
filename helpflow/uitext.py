"""The project's own interface strings ("Back", "Start again", "Did this solve it?") in the
reader's language, from gettext catalogs shipped in the package.

Catalogs are `.po` files (`helpflow/locale/<lang>/LC_MESSAGES/helpflow.po`), read with Babel
and compiled in memory once per language: a clean `pip install -e .` works without a compile
step, and a translator edits one file. English is the source language: its strings are the
msgids, so English output does not depend on any catalog.

Extra catalog folders (a pseudo-locale in tests, a language a site adds before it ships here)
are searched first: `HELPFLOW_UI_LOCALES`, folders separated by `os.pathsep`.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "helpflow"
SOURCE_LANG = "en"
#: Languages written right to left (by their primary subtag).
RTL = frozenset({"ar", "he", "fa", "ur"})
ENV_PATH = "HELPFLOW_UI_LOCALES"


def N_(message: str) -> str:
    """Marks a string for extraction where it is translated later (module constants)."""
    return message


def tag(lang: str) -> str:
    """`pt_br`, `pt-BR` → `pt-BR`: the BCP 47 spelling pages and headers use."""
    parts = lang.replace("_", "-").split("-")
    head = parts[0].lower()
    rest = [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p for p in parts[1:]]
    return "-".join([head, *rest])


def direction(lang: str) -> str:
    """ "rtl" for Arabic, Hebrew, Persian and Urdu, "ltr" for everything else."""
    return "rtl" if tag(lang).split("-")[0] in RTL else "ltr"


def search_path() -> tuple[Path, ...]:
    extra = [Path(p) for p in os.environ.get(ENV_PATH, "").split(os.pathsep) if p]
    return (*extra, LOCALE_DIR)


def _folder(lang: str) -> str:
    return tag(lang).replace("-", "_")


def catalog_file(lang: str, path: tuple[Path, ...] | None = None) -> Path | None:
    """The catalog for `lang`, or for its primary language (`fr-CA` → `fr`); None if none."""
    folders = [_folder(lang)]
    if "-" in tag(lang):
        folders.append(tag(lang).split("-")[0])
    for root in path if path is not None else search_path():
        for folder in folders:
            found = root / folder / "LC_MESSAGES" / f"{DOMAIN}.po"
            if found.is_file():
                return found
    return None


def languages(path: tuple[Path, ...] | None = None) -> tuple[str, ...]:
    """Every language with an interface catalog, as BCP 47 tags, sorted."""
    found: set[str] = set()
    for root in path if path is not None else search_path():
        if root.is_dir():
            found.update(
                tag(d.name)
                for d in root.iterdir()
                if (d / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
            )
    return tuple(sorted(found))


class UiText:
    """One language's interface strings, with a flow's own overrides (`ui:`) on top."""

    def __init__(
        self,
        lang: str,
        translations: _gettext.NullTranslations,
        overrides: Mapping[str, str] | None = None,
    ) -> None:
        self.lang = tag(lang)
        self.dir = direction(lang)
        self._t = translations
        self.overrides = dict(overrides or {})

    def gettext(self, message: str) -> str:
        return self.overrides.get(message) or self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # An override keyed by the singular msgid applies to every count.
        return self.overrides.get(singular) or self._t.ngettext(singular, plural, n)

    def with_overrides(self, overrides: Mapping[str, str]) -> UiText:
        if not overrides:
            return self
        return UiText(self.lang, self._t, {**self.overrides, **overrides})

    def plural_index(self, n: int) -> int:
        """Which plural form a count takes (gettext's `plural(n)`): 0 for one, 1 else in
        the source language."""
        rule = getattr(self._t, "plural", None)
        return int(rule(n)) if rule else int(n != 1)

    def html_attrs(self) -> str:
        """`lang="…"` (and `dir="rtl"` where needed) for an `<html>` element."""
        return f'lang="{self.lang}"' + (' dir="rtl"' if self.dir == "rtl" else "")

    def messages(self, msgids: tuple[str, ...]) -> dict[str, str]:
        """The translated strings that differ from their msgid (what a browser needs)."""
        return {m: t for m in msgids if (t := self.gettext(m)) != m}


def _compile(po: Path) -> _gettext.GNUTranslations:
    # Babel is imported only when a catalog is read: English, the source, needs none, so
    # `import helpflow` and every command in English do not pay for it.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


@cache
def _translations(lang: str, path: tuple[Path, ...]) -> UiText:
    po = catalog_file(lang, path) if tag(lang) != SOURCE_LANG else None
    return UiText(lang, _compile(po) if po else _gettext.NullTranslations())


def translations(lang: str = SOURCE_LANG) -> UiText:
    """The interface strings for `lang` (cached); the source strings when there is no
    catalog for it."""
    return _translations(tag(lang or SOURCE_LANG), search_path())


def negotiate(preferred: list[str]) -> UiText:
    """The strings of the language with a catalog that best fits `preferred` (most wanted
    first, e.g. from Accept-Language), else English."""
    from babel.core import negotiate_locale

    available = [SOURCE_LANG, *languages()]
    by_lower = {lang.lower(): lang for lang in available}
    wanted = [tag(p) for p in preferred if p]
    found = negotiate_locale(wanted, list(by_lower), sep="-")
    return translations(by_lower.get(found.lower(), SOURCE_LANG) if found else SOURCE_LANG)


def for_flow(flow: object, lang: str | None = None) -> UiText:
    """The strings a compiled flow is shown with: its language's (`lang`, else the flow's
    own, else English), with the flow's `ui:` wording on top."""
    found = translations(lang or getattr(flow, "lang", None) or SOURCE_LANG)
    model = getattr(flow, "flow", None)
    return found.with_overrides(getattr(model, "ui", None) or {})


@cache
def msgids() -> frozenset[str]:
    """Every msgid of the interface catalog (singular and plural), for checking a flow's
    `ui:` keys."""
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / f"{DOMAIN}.pot").open("rb") as handle:
        catalog = read_po(handle, domain=DOMAIN)
    found: set[str] = set()
    for message in catalog:
        if message.id:
            found.update((message.id,) if isinstance(message.id, str) else message.id)
    return frozenset(found)


#: The strings of the render under way: templates and macros read it (an imported jinja2
#: macro does not see the render's variables), each thread and task its own.
current: ContextVar[UiText | None] = ContextVar("helpflow_uitext", default=None)


def active() -> UiText:
    return current.get() or translations(SOURCE_LANG)


@contextmanager
def using(ui: UiText | None) -> Iterator[UiText]:
    """Makes `ui` the strings in effect for the block (None: keep the ones in effect)."""
    if ui is None:
        yield active()
        return
    token = current.set(ui)
    try:
        yield ui
    finally:
        current.reset(token)


class _Active:
    """The strings in effect, as templates read them (`ui.lang`, `ui.dir`)."""

    @property
    def lang(self) -> str:
        return active().lang

    @property
    def dir(self) -> str:
        return active().dir


ACTIVE = _Active()


def gettext(message: str) -> str:
    return active().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return active().ngettext(singular, plural, n)


_ = gettext

__all__ = [
    "ACTIVE",
    "DOMAIN",
    "LOCALE_DIR",
    "N_",
    "SOURCE_LANG",
    "UiText",
    "active",
    "direction",
    "for_flow",
    "gettext",
    "languages",
    "msgids",
    "negotiate",
    "ngettext",
    "tag",
    "translations",
    "using",
]
