"""helpflow's own interface strings: the shipped catalogs are current and complete, every
face shows them in the flow's language, a flow may reword them, and right-to-left pages say
so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from helpflow import uicatalog, uitext
from helpflow.cli import main
from helpflow.engine import CompiledFlow
from helpflow_html import HtmlRenderer
from helpflow_html.languages import native_name
from helpflow_html.site import site_files
from helpflow_html.uistrings import browser_table
from helpflow_terminal.layout import plain_text, step_lines

from support import BUNDLED

SHIPPED = ("ar", "de", "es", "fr", "ja", "pt-BR")
PLACEHOLDER = re.compile(r"%\([a-z]+\)[sd]")

Capture = pytest.CaptureFixture[str]


def shipped_catalog(lang: str) -> Catalog:
    found = uitext.catalog_file(lang, (uitext.LOCALE_DIR,))
    assert found is not None, lang
    return uicatalog.read_catalog(found, lang.replace("-", "_"))


# --- the catalogs -----------------------------------------------------------------------------


def test_the_shipped_template_holds_every_string_the_code_uses() -> None:
    extracted = uicatalog.ids(uicatalog.extract_catalog())
    shipped = uicatalog.ids(uicatalog.read_catalog(uitext.LOCALE_DIR / "helpflow.pot"))
    missing, stale = extracted - shipped, shipped - extracted
    hint = "run `python scripts/extract_ui_messages.py`"
    assert not missing, f"{hint}: missing {sorted(missing, key=str)}"
    assert not stale, f"{hint}: no longer used {sorted(stale, key=str)}"
    assert len(extracted) > 50  # templates, scripts, terminal and core were all read


def test_every_shipped_language_translates_every_string() -> None:
    assert uitext.languages((uitext.LOCALE_DIR,)) == SHIPPED
    template = uicatalog.ids(uicatalog.read_catalog(uitext.LOCALE_DIR / "helpflow.pot"))
    for lang in SHIPPED:
        catalog = shipped_catalog(lang)
        assert uicatalog.ids(catalog) == template, lang
        for message in catalog:
            if not message.id:
                continue
            string = message.string
            forms = tuple(string) if isinstance(string, tuple | list) else (str(string or ""),)
            assert all(forms), (lang, message.id)
            assert not message.fuzzy, (lang, message.id)
            assert len(forms) == (catalog.num_plurals if message.pluralizable else 1)
            source = message.id if isinstance(message.id, str) else message.id[1]
            wanted = set(PLACEHOLDER.findall(source))
            for form in forms:
                # A singular form may say "one" in words (Arabic does), never a new placeholder.
                assert set(PLACEHOLDER.findall(form)) <= wanted, (lang, form)
            if not message.pluralizable:
                assert set(PLACEHOLDER.findall(forms[0])) == wanted, (lang, forms[0])


@pytest.mark.parametrize(
    ("lang", "plurals", "counts"),
    [
        ("fr", 2, {0: 0, 1: 0, 2: 1}),
        ("pt-BR", 2, {0: 0, 1: 0, 2: 1}),
        ("de", 2, {0: 1, 1: 0, 2: 1}),
        ("es", 2, {0: 1, 1: 0, 5: 1}),
        ("ja", 1, {0: 0, 1: 0, 7: 0}),
        ("ar", 6, {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 102: 5, 103: 3}),
    ],
)
def test_plural_forms_follow_each_language(lang: str, plurals: int, counts: dict[int, int]) -> None:
    assert shipped_catalog(lang).num_plurals == plurals
    ui = uitext.translations(lang)
    assert {n: ui.plural_index(n) for n in counts} == counts


def test_languages_fall_back_to_their_primary_language_then_english() -> None:
    assert uitext.translations("fr-CA").gettext("Start again") == "Recommencer"
    assert uitext.translations("pt_br").gettext("Start again") == "Começar de novo"
    assert uitext.translations("sv").gettext("Start again") == "Start again"
    assert uitext.translations("en").gettext("Back") == "Back"
    assert [uitext.direction(x) for x in ("ar", "he-IL", "fa", "ur", "fr", "en")] == [
        "rtl", "rtl", "rtl", "rtl", "ltr", "ltr",
    ]  # fmt: skip
    assert uitext.translations("ar").html_attrs() == 'lang="ar" dir="rtl"'


def test_extract_script_check_passes_on_the_shipped_catalogs() -> None:
    import subprocess
    import sys

    script = Path(__file__).parents[1] / "scripts" / "extract_ui_messages.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- the faces, in the flow's language ----------------------------------------------------------


@pytest.fixture(scope="module")
def arabic() -> CompiledFlow:
    import helpflow

    return helpflow.load(BUNDLED, lang="ar")


def test_a_translated_flow_shows_its_interface_in_its_language(arabic: CompiledFlow) -> None:
    files, _plan = site_files(arabic)
    index = files["index.html"]
    assert '<html lang="ar" dir="rtl">' in index
    assert "ابدأ الآن" in index  # Start now
    assert "انتقل إلى المحتوى الرئيسي" in index  # Skip to main content
    page = next(text for path, text in files.items() if path.startswith("check_sign_in/"))
    assert "ابدأ من جديد" in page  # Start again
    assert "هل حُلّت المشكلة؟" in page  # the core's "Did this solve it?"
    assert "نعم، حُلّت المشكلة" in page  # the fix's default "Yes, that fixed it"
    assert "Start again" not in page
    assert "Did this solve it?" not in page


def test_terminal_and_step_json_speak_the_flow_language(arabic: CompiledFlow) -> None:
    from helpflow_json import JsonRenderer

    session = arabic.choose(arabic.choose(arabic.start(), "online"), "cant_access")
    step = arabic.step(session)
    text = plain_text(step_lines(step, arabic.ui))
    assert "نعم، حُلّت المشكلة" in text
    payload = JsonRenderer().render(step)
    assert '"lang":"ar"' in payload.replace(" ", "")
    assert "هل حُلّت المشكلة؟" in payload


def test_the_wizard_speaks_the_flow_language(arabic: CompiledFlow) -> None:
    import io

    from helpflow_terminal import TerminalRenderer

    out = io.StringIO()
    TerminalRenderer().run(arabic, stdin=io.StringIO("9\na\n\nq\n"), stdout=out)
    text = out.getvalue()
    assert "اكتب رقمًا من 1 إلى 4، أو ? للمساعدة." in text  # a number out of range
    assert "لا توجد إجابات بعد." in text  # review with no answers
    assert "للمتابعة من حيث توقفت:" in text


def test_the_browser_table_carries_every_language_and_the_flow_language() -> None:
    import helpflow

    flow = helpflow.load(BUNDLED, lang="fr")
    table = browser_table(flow)
    assert table["lang"] == "fr"
    assert sorted(table["ui"]) == ["ar", "de", "es", "fr", "ja", "pt-BR"]
    french = table["ui"]["fr"]
    assert french["m"]["Start again"] == "Recommencer"
    assert french["d"] == "ltr"
    assert table["ui"]["ar"]["d"] == "rtl"
    # 1 takes form 0 and 2 form 1 in French; the Arabic list has all six forms in use.
    assert french["n"][:3] == [0, 0, 1]
    assert sorted(set(table["ui"]["ar"]["n"])) == [0, 1, 2, 3, 4, 5]
    assert (
        len(table["ui"]["ar"]["p"]["%(num)d later answer no longer applied and was removed."]) == 6
    )


# --- a flow's own wording -----------------------------------------------------------------------

REWORDED = """\
helpflow: 1
id: reworded
title: Reworded
start: q
ui:
  Start again: Begin <b>anew</b>
  Did this solve it?: Is it {thing} now?
vars:
  thing:
    default: fixed
nodes:
  q:
    kind: question
    prompt: Pick one
    choices:
      - {id: a, label: A, to: f}
  f:
    kind: fix
    title: Try this
    steps: [Turn it off and on.]
    solved: done
    not_solved: done
  done:
    kind: outcome
    resolution: solved
    title: Done
"""


def test_a_flow_rewords_interface_strings_as_plain_text(
    compile_text: object, tmp_path: Path
) -> None:
    flow = compile_text(REWORDED)  # type: ignore[operator]
    files, _plan = site_files(flow)
    page = next(text for path, text in files.items() if path.startswith("f/"))
    assert "Begin &lt;b&gt;anew&lt;/b&gt;" in page  # flow text, never markup
    assert "Is it fixed now?" in page  # the core's default, reworded, with vars filled in
    assert "Start again" not in page
    table = browser_table(flow)
    assert table["ui"]["en"]["m"]["Start again"] == "Begin <b>anew</b>"  # textContent in JS


def test_a_flow_s_wording_is_translated_with_its_catalog(
    write_flow: object, capsys: Capture
) -> None:
    from babel.messages.pofile import read_po, write_po

    import helpflow

    path = write_flow(REWORDED)  # type: ignore[operator]
    assert main(["i18n", "init", str(path), "--lang", "fr"]) == 0
    po = path.parent / "locales" / "fr" / "LC_MESSAGES" / "reworded.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.get("Begin <b>anew</b>", "ui.Start again") is not None
    for message in catalog:
        if message.id:
            message.string = "Tout reprendre" if message.id == "Begin <b>anew</b>" else message.id
    with po.open("wb") as handle:
        write_po(handle, catalog)
    files, _plan = site_files(helpflow.load(path, lang="fr"))
    page = next(text for name, text in files.items() if name.startswith("f/"))
    assert ">Tout reprendre<" in page
    assert ">Retour<" in page  # the rest of the interface: French from helpflow's catalog


def test_lint_names_an_unknown_interface_string(write_flow: object, capsys: Capture) -> None:
    path = write_flow(REWORDED.replace("Start again:", "Strat again:"))  # type: ignore[operator]
    assert main(["lint", str(path)]) == 0
    err = capsys.readouterr().out
    assert f"{path}:6:3: warning: ui: 'Strat again' is not one of helpflow's interface" in err
    assert "(did you mean 'Start again'?)" in err


# --- several languages in one site ------------------------------------------------------------


def test_build_writes_every_language_with_alternates_and_a_switcher(
    tmp_path: Path, capsys: Capture
) -> None:
    out = tmp_path / "site"
    assert main(["build", str(BUNDLED), "--out", str(out), "--base-url", "https://h.example/"]) == 0
    assert "wrote 105 pages" in capsys.readouterr().out
    page = "problem/purchase_channel=retail/index.html"
    for lang, prefix in (("en", ""), ("fr", "fr/"), ("ar", "ar/")):
        text = (out / prefix / page).read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in text
        for other, where in (("en", ""), ("fr", "fr/"), ("ar", "ar/")):
            url = f"https://h.example/{where}problem/purchase_channel=retail/"
            assert f'<link rel="alternate" hreflang="{other}" href="{url}">' in text
        assert f'<span aria-current="page" lang="{lang}"' in text
    french = (out / "fr" / page).read_text(encoding="utf-8")
    assert 'href="../../../helpflow.css"' in french  # shared files once, at the root
    assert ">Recommencer<" in french
    assert ">Retour<" in french
    assert (
        '<a href="https://h.example/ar/problem/purchase_channel=retail/" hreflang="ar" ' in french
    )
    assert "العربية" in french
    assert native_name("fr") == "Français"
    assert (out / "fr" / "sitemap.xml").read_text().count("https://h.example/fr/") == 34


def test_build_lang_builds_one_language(tmp_path: Path, capsys: Capture) -> None:
    out = tmp_path / "fr"
    assert main(["build", str(BUNDLED), "--lang", "fr", "--out", str(out)]) == 0
    assert "wrote 35 pages" in capsys.readouterr().out
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in index
    assert ">Commencer<" in index
    assert "hreflang" not in index  # one language: nothing to switch to
    assert main(["build", str(BUNDLED), "--lang", "xx", "--out", str(tmp_path / "x")]) == 1
    assert "no 'xx' translation" in capsys.readouterr().err


def test_a_flow_without_catalogs_builds_as_before(tmp_path: Path, mini: CompiledFlow) -> None:
    report = HtmlRenderer().build(mini, tmp_path / "s")
    index = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert report.pages > 1
    assert '<html lang="en">' in index
    assert "hreflang" not in index
