"""A help centre in its flows' languages: the home page in the language they are written in,
and one more home page per language a flow is translated into (`/<lang>/index.html`)."""

from __future__ import annotations

import re
import shutil
from html import escape
from pathlib import Path

import pytest
from sitegen import intake_flow

from helpflow import uitext
from helpflow.cli import main
from helpflow.errors import HelpflowError
from helpflow_html.centre import build_centre

from support import BUNDLED

FRENCH_FLOW = """\
helpflow: 1
id: {id}
lang: {lang}
title: Le wifi ne marche pas
intro: Quelques vérifications rapides.
start: q
nodes:
  q:
    kind: question
    prompt: Le voyant est-il allumé ?
    choices:
      - {{id: lit, label: Oui, to: done}}
      - {{id: dark, label: Non, to: done}}
  done:
    kind: outcome
    resolution: solved
    title: C'est réglé
"""


def said(lang: str, english: str) -> str:
    """`english` as a page in `lang` shows it (escaped like the templates do)."""
    shown = uitext.translations(lang).gettext(english)
    assert shown != english
    return escape(shown, quote=False)


def test_flows_written_in_one_language_get_a_home_page_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "flows"
    folder.mkdir()
    (folder / "wifi.yaml").write_text(FRENCH_FLOW.format(id="wifi", lang="fr"), "utf-8")
    (folder / "box.yaml").write_text(FRENCH_FLOW.format(id="box", lang="fr"), "utf-8")
    build_centre(folder, tmp_path / "site")
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert '<html lang="fr">' in home
    assert f"<title>{said('fr', 'Help centre')}</title>" in home
    assert f">{said('fr', 'Skip to main content')}<" in home
    assert '<li data-flow="wifi">' in home  # the page's own language: no lang of its own
    assert not (tmp_path / "site" / "fr").exists()  # no translations, no other home page
    assert 'hreflang="' not in home


def test_an_arabic_centre_reads_right_to_left(tmp_path: Path) -> None:
    folder = tmp_path / "flows"
    folder.mkdir()
    (folder / "wifi.yaml").write_text(FRENCH_FLOW.format(id="wifi", lang="ar"), "utf-8")
    build_centre(folder, tmp_path / "site", title="Aide")
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in home
    assert "<title>Aide</title>" in home  # the author's title, as given


def test_mixed_languages_keep_the_home_page_english(tmp_path: Path) -> None:
    folder = tmp_path / "flows"
    folder.mkdir()
    (folder / "wifi.yaml").write_text(FRENCH_FLOW.format(id="wifi", lang="fr"), "utf-8")
    (folder / "intake.yaml").write_text(intake_flow(2), "utf-8")
    build_centre(folder, tmp_path / "site")
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert '<html lang="en">' in home
    assert "<title>Help centre</title>" in home
    assert '<li data-flow="wifi" lang="fr">' in home
    assert '<li data-flow="intake">' in home
    # The French flow is French: a French home page lists it (and the English one as is).
    french = (tmp_path / "site" / "fr" / "index.html").read_text("utf-8")
    assert '<li data-flow="wifi">' in french
    assert '<li data-flow="intake" lang="en">' in french


@pytest.fixture
def translated(tmp_path: Path) -> Path:
    """The bundled flow (French and Arabic catalogs) beside an English-only flow."""
    folder = tmp_path / "flows"
    shutil.copytree(BUNDLED.parent, folder)
    (folder / "intake.yaml").write_text(intake_flow(2), "utf-8")
    return folder


def test_a_home_page_per_language(translated: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    report = build_centre(translated, site, base_url="https://help.example.com")
    root = (site / "index.html").read_text("utf-8")
    assert '<html lang="en">' in root
    assert '<link rel="alternate" hreflang="fr" href="https://help.example.com/fr/">' in root
    assert '<link rel="alternate" hreflang="ar" href="https://help.example.com/ar/">' in root
    assert 'href="account-login/index.html">Trouble signing in' in root
    for lang, html in (("fr", '<html lang="fr">'), ("ar", '<html lang="ar" dir="rtl">')):
        page = (site / lang / "index.html").read_text("utf-8")
        assert html in page
        assert f"<title>{said(lang, 'Help centre')}</title>" in page
        assert f'<link rel="canonical" href="https://help.example.com/{lang}/">' in page
        assert '<link rel="alternate" hreflang="en" href="https://help.example.com/">' in page
        assert '<span aria-current="page"' in page  # the switcher marks this language
        assert 'href="../helpflow.css"' in page
        # The translated flow in this language, the English-only one as written.
        links = dict(re.findall(r'<li data-flow="([^"]+)"[^>]*>\s*<h2><a href="([^"]+)"', page))
        assert links == {
            "account-login": f"../account-login/{lang}/index.html",
            "intake": "../intake/index.html",
        }
        assert '<li data-flow="intake" lang="en">' in page
        assert (site / lang / links["account-login"]).resolve().is_file()
        flow_home = (site / "account-login" / lang / "index.html").read_text("utf-8")
        title = re.search(r"<title>([^<]*)</title>", flow_home)
        assert title is not None
        assert f">{title.group(1)}</a></h2>" in page  # the flow's title in that language
        assert 'href="../../helpflow.css"' in flow_home
    urls = re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text())
    assert "https://help.example.com/fr/" in urls
    assert "https://help.example.com/account-login/ar/" in urls
    # Every page counted: three home pages, the bundled flow in three languages, intake.
    assert report.pages == len(list(site.rglob("*.html")))
    assert len(list(site.glob("*/index.html"))) == 4  # fr, ar and the two flows


def test_translations_come_and_go_with_their_catalogs(translated: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_centre(translated, site)
    catalog = translated / "locales" / "fr" / "LC_MESSAGES" / "account-login.po"
    catalog.write_text(
        catalog.read_text("utf-8").replace(
            'msgstr "Problème de connexion', 'msgstr "Souci de connexion'
        ),
        "utf-8",
    )
    again = build_centre(translated, site)
    assert (again.built, again.kept) == (1, 1)  # a changed catalog rebuilds its flow only
    assert "Souci de connexion" in (site / "fr" / "index.html").read_text("utf-8")
    shutil.rmtree(translated / "locales")
    build_centre(translated, site)
    assert sorted(p.name for p in site.iterdir() if p.is_dir()) == ["account-login", "intake"]
    assert 'hreflang="' not in (site / "index.html").read_text("utf-8")


def test_a_flow_id_that_is_a_language_folder_is_refused(
    translated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (translated / "intake.yaml").write_text(intake_flow(2).replace("id: intake", "id: fr"))
    with pytest.raises(HelpflowError, match="flow id 'fr' is also the folder"):
        build_centre(translated, tmp_path / "site")
    assert main(["build", str(translated), "--out", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err
    assert "intake.yaml: flow id 'fr' is also the folder of the help centre's Français home" in err
    assert "Traceback" not in err
