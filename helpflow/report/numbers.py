"""How a report writes numbers, percentages and days: as plain data by default (`1234`, `50%`,
`2026-11-27`), or in a reader's locale with `--lang` (`1 234`, `50 %`, `27 nov. 2026`); and
the words around them, from helpflow's interface catalogs in that language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from helpflow import uitext
from helpflow.errors import HelpflowError


@dataclass(frozen=True)
class Formats:
    #: None: plain data, the same in every locale.
    locale: Locale | None = None
    #: The interface strings of the page (headings, labels, chart texts): English by default.
    ui: uitext.UiText = field(default_factory=uitext.translations)

    def number(self, value: int) -> str:
        return str(value) if self.locale is None else format_decimal(value, locale=self.locale)

    def percent(self, rate: float | None) -> str:
        if rate is None:
            return self.ui.gettext("n/a")
        if self.locale is None:
            return f"{rate:.0%}"
        return format_percent(rate, locale=self.locale)

    def day(self, iso: str) -> str:
        if self.locale is None:
            return iso
        return format_date(dt.date.fromisoformat(iso), format="medium", locale=self.locale)


PLAIN = Formats()


def formats(lang: str | None) -> Formats:
    """The formats of `lang` (a tag like `fr` or `pt-BR`); `PLAIN` for None."""
    if lang is None:
        return PLAIN
    try:
        locale = Locale.parse(lang, sep="-" if "-" in lang else "_")
    except (UnknownLocaleError, ValueError, TypeError):
        raise HelpflowError(f"--lang {lang!r}: no such locale (try fr, de, ar or pt-BR)") from None
    return Formats(locale, uitext.translations(lang))
