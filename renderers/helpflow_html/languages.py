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
from helpflow.assets import asset_files
from helpflow.engine import CompiledFlow


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


def multilingual_site(
    flow: CompiledFlow,
    translations: Mapping[str, CompiledFlow],
    *,
    base_url: str = "",
    events_url: str = "",
) -> tuple[dict[str, str | bytes], int]:
    """Every file of the site in `flow`'s language and each of `translations`, and the
    number of pages. Shared files (stylesheet, scripts) are written once, at the root; each
    language has its own `_assets/` (pages address images from their flow's folder)."""
    from helpflow_html.site import site_files

    languages = site_languages(flow.lang, translations, base_url)
    files: dict[str, str | bytes] = {}
    built, plan = site_files(flow, base_url=base_url, events_url=events_url, languages=languages)
    files.update(built)
    pages = len(plan.pages) + 2  # the step pages, the index and the article
    for lang in languages.langs[1:]:
        other = translations[lang]
        url = base_url.rstrip("/") + f"/{lang}/" if base_url else ""
        built, plan = site_files(
            other,
            base_url=url,
            assets="../",
            with_assets=False,
            events_url=events_url,
            languages=languages.for_lang(lang),
        )
        files.update({f"{lang}/{name}": text for name, text in built.items()})
        files.update({f"{lang}/{name}": data for name, data in asset_files(other.assets).items()})
        pages += len(plan.pages) + 2
    return files, pages
