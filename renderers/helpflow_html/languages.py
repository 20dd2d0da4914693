"""A static site in several languages: the source language at the site's root, each
translation under `<lang>/` with the same page paths (a flow's structure is one, so page
`x/index.html` is the same step in every language). Every page links its other-language
twins: `<link rel="alternate" hreflang>` in the head, a language switcher in the header.

The source stays at the root so a site that gains a translation keeps every address it had.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError

from helpflow import uitext


@dataclass(frozen=True)
class Alternate:
    lang: str
    #: The language's own name for itself ("Français", "العربية").
    name: str
    href: str
    current: bool
    dir: str


@cache
def native_name(lang: str) -> str:
    try:
        name = Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return lang
    return (name[:1].upper() + name[1:]) if name else lang


@dataclass(frozen=True)
class SiteLanguages:
    """The languages of one build (`source` first) and the one being rendered."""

    source: str
    langs: tuple[str, ...]
    current: str
    #: The absolute URL of the source language's root ('' for relative links).
    base_url: str = ""

    def prefix(self, lang: str) -> str:
        return "" if lang == self.source else f"{lang}/"

    def for_lang(self, lang: str) -> SiteLanguages:
        return SiteLanguages(self.source, self.langs, lang, self.base_url)

    def alternates(self, path: str) -> list[Alternate]:
        """The page at `path` (relative to its language's root) in every language."""
        up = "../" * (path.count("/") + self.prefix(self.current).count("/"))
        public = path[: -len("index.html")] if path.endswith("index.html") else path
        base = self.base_url.rstrip("/") + "/" if self.base_url else ""
        return [
            Alternate(
                lang,
                native_name(lang),
                base + self.prefix(lang) + public if base else up + self.prefix(lang) + path,
                lang == self.current,
                uitext.direction(lang),
            )
            for lang in self.langs
        ]


def site_languages(source: str, others: Mapping[str, object], base_url: str = "") -> SiteLanguages:
    langs = (source, *sorted(lang for lang in others if lang != source))
    return SiteLanguages(source, langs, source, base_url)
