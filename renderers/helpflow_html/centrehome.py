"""A help centre's home pages: one per language its flows are written or translated in.

    SITE/index.html         in the flows' common language (English when they differ)
    SITE/<lang>/index.html  each other language: every flow, in that language where it has
                            a translation (its pages under `<flow id>/<lang>/`), else as
                            written, marked with its own `lang`

The home pages link each other like a flow's pages do (`hreflang` alternates and a language
switcher), and a centre whose flows have no translations has one home page, as before.
"""

from __future__ import annotations

from typing import Any

from helpflow import uitext
from helpflow.errors import HelpflowError
from helpflow_html.languages import SiteLanguages, native_name
from helpflow_html.templating import render


def home_language(entries: list[dict[str, Any]]) -> str:
    """The root home page's language: the one every flow is written in, else English (the
    interface's source)."""
    langs = {_lang(e) for e in entries}
    return langs.pop() if len(langs) == 1 else uitext.SOURCE_LANG


def _lang(entry: dict[str, Any]) -> str:
    return uitext.tag(entry.get("lang") or uitext.SOURCE_LANG)


def home_languages(entries: list[dict[str, Any]], base_url: str = "") -> SiteLanguages:
    """The root's language first, then every other language a flow is in, sorted."""
    root = home_language(entries)
    found = {_lang(e) for e in entries} | {t for e in entries for t in e.get("translations", {})}
    langs = (root, *sorted(found - {root}))
    by_id = {e["id"].lower(): e for e in entries}
    for lang in langs[1:]:
        # `<lang>/` and `<flow id>/` share the top folder: one of them would overwrite the other.
        if lang.lower() in by_id:
            raise HelpflowError(
                f"{by_id[lang.lower()]['source']}: flow id {lang!r} is also the folder of the "
                f"help centre's {native_name(lang)} home page ({lang}/); rename the flow"
            )
    return SiteLanguages(root, langs, root, base_url)


def _listing(entry: dict[str, Any], lang: str, up: str) -> dict[str, Any]:
    """One flow on the home page in `lang`: its translation, else the flow as written."""
    translated = entry.get("translations", {}).get(lang)
    if translated is not None:
        return {
            "id": entry["id"],
            **translated,
            "lang": lang,
            "href": f"{up}{entry['id']}/{lang}/index.html",
        }
    return {
        "id": entry["id"],
        "title": entry["title"],
        "intro": entry["intro"],
        "lang": _lang(entry),
        "href": f"{up}{entry['id']}/index.html",
    }


def home_pages(
    entries: list[dict[str, Any]], *, base_url: str, title: str | None
) -> dict[str, str]:
    """Path → text of every home page. `title`: the author's, as given in every language;
    else "Help centre" in each page's language."""
    languages = home_languages(entries, base_url)
    multilingual = len(languages.langs) > 1
    base = base_url.rstrip("/") + "/" if base_url else ""
    pages = {}
    for lang in languages.langs:
        here = languages.for_lang(lang)
        prefix = here.prefix(lang)
        up = "../" * prefix.count("/")
        with uitext.using(uitext.translations(lang)) as ui:
            heading = title or ui.gettext("Help centre")
            pages[prefix + "index.html"] = render(
                "centre.html",
                flows=[_listing(entry, lang, up) for entry in entries],
                flow={"title": heading},
                page_title=heading,
                home_href="index.html",
                css_href=f"{up}helpflow.css",
                # The root's as given (the address it always had), the others' below it.
                canonical=base + prefix if base and prefix else base_url,
                languages=here.alternates("index.html") if multilingual else [],
            )
    return pages
