"""The static site in every language of a flow: its own at the root, each translation under
`<lang>/`, each page linked to its twins (`helpflow_html.languages`)."""

from __future__ import annotations

from collections.abc import Mapping

from helpflow.assets import asset_files
from helpflow.engine import CompiledFlow
from helpflow_html.languages import site_languages
from helpflow_html.site import site_files


def multilingual_site(
    flow: CompiledFlow,
    translations: Mapping[str, CompiledFlow],
    *,
    base_url: str = "",
    events_url: str = "",
    assets: str = "",
    with_assets: bool = True,
) -> tuple[dict[str, str | bytes], int]:
    """Every file of the site in `flow`'s language and each of `translations`, and the
    number of pages. Shared files (stylesheet, scripts) are written once, at the root (or,
    `with_assets=False`, left to the caller: a help centre has them at `assets`); each
    language has its own `_assets/` (pages address images from their flow's folder)."""
    languages = site_languages(flow.lang, translations, base_url)
    files: dict[str, str | bytes] = {}
    built, plan = site_files(
        flow,
        base_url=base_url,
        assets=assets,
        with_assets=with_assets,
        events_url=events_url,
        languages=languages,
    )
    files.update(built)
    pages = len(plan.pages) + 2  # the step pages, the index and the article
    for lang in languages.langs[1:]:
        other = translations[lang]
        url = base_url.rstrip("/") + f"/{lang}/" if base_url else ""
        built, plan = site_files(
            other,
            base_url=url,
            assets="../" + assets,
            with_assets=False,
            events_url=events_url,
            languages=languages.for_lang(lang),
        )
        files.update({f"{lang}/{name}": text for name, text in built.items()})
        files.update({f"{lang}/{name}": data for name, data in asset_files(other.assets).items()})
        pages += len(plan.pages) + 2
    return files, pages
