"""Languages in real Chromium: the Arabic site right to left (axe, no horizontal overflow,
mirrored boxes), the language switcher, the widget and the component taking their language
from their element or the page, and the pseudo-locale sweep of the scripted faces."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import helpflow
from helpflow import uitext
from helpflow.engine import CompiledFlow
from helpflow_html import HtmlRenderer
from helpflow_html.widget import widget_fragment

from browser import STRICT_CSP, axe_violations, serve
from pseudoui import PSEUDO, english_words, pseudo_locale
from support import BUNDLED

#: One page of each kind in the Arabic site: index, question, fix, outcome with contacts, article.
ARABIC_PAGES = (
    "index.html",
    "problem/purchase_channel=online/index.html",
    "check_sign_in/purchase_channel=online/index.html",
    "contact_support/index.html",
    "article.html",
)
SCREENSHOT = Path(__file__).parents[1] / "docs" / "images" / "arabic-page.png"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled flow's site in every language it has (English, French, Arabic)."""
    root = tmp_path_factory.mktemp("site")
    english = helpflow.load(BUNDLED)
    others = {lang: helpflow.load(BUNDLED, lang=lang) for lang in ("fr", "ar")}
    HtmlRenderer().build(english, root, translations=others)
    with serve(root) as url:
        yield url


def overflow(page: Any) -> int:
    """How far the page is wider than the window (0: nothing overflows horizontally)."""
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


@pytest.mark.parametrize("path", ARABIC_PAGES)
def test_arabic_pages_are_right_to_left_accessible_and_fit(page: Any, site: str, path: str) -> None:
    for width in (320, 1024):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{site}ar/{path}")
        assert page.evaluate("() => [document.documentElement.lang, document.dir]") == ["ar", "rtl"]
        assert overflow(page) <= 0, (path, width)
    assert axe_violations(page) == []


def test_arabic_boxes_mirror(page: Any, site: str) -> None:
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(f"{site}ar/contact_support/index.html")
    # The outcome's coloured bar is on the right, where Arabic lines start.
    bar = page.evaluate(
        """() => { const s = getComputedStyle(document.querySelector('.hf-outcome'));
                   return [s.borderRightWidth, s.borderLeftWidth]; }"""
    )
    assert bar == ["6px", "0px"]
    # Text starts at the right edge: the index's heading text, a line shorter than the page.
    page.goto(f"{site}ar/index.html")
    main = page.locator("main").bounding_box()
    left, right = page.evaluate(
        """() => { const range = document.createRange();
                   range.selectNodeContents(document.querySelector('h1'));
                   const box = range.getBoundingClientRect(); return [box.left, box.right]; }"""
    )
    assert abs(main["x"] + main["width"] - right) < 1
    assert left > main["x"] + 50
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.goto(f"{site}ar/problem/purchase_channel=online/index.html")
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_the_switcher_leads_to_the_same_page_in_another_language(page: Any, site: str) -> None:
    page.goto(f"{site}fr/problem/purchase_channel=retail/index.html")
    assert page.evaluate("() => document.documentElement.lang") == "fr"
    assert page.locator('.hf-langs [aria-current="page"]').inner_text() == "Français"
    alternates = page.eval_on_selector_all(
        'link[rel="alternate"]', "links => links.map(l => [l.hreflang, l.href])"
    )
    assert alternates == [
        [lang, f"{site}{prefix}problem/purchase_channel=retail/index.html"]
        for lang, prefix in (("en", ""), ("ar", "ar/"), ("fr", "fr/"))
    ]
    page.click('.hf-langs a[hreflang="ar"]')
    assert page.url == f"{site}ar/problem/purchase_channel=retail/index.html"
    assert page.evaluate("() => document.dir") == "rtl"
    assert page.locator("h1[data-node]").get_attribute("data-node") == "problem"
    page.click('.hf-langs a[hreflang="en"]')
    assert page.url == f"{site}problem/purchase_channel=retail/index.html"
    assert page.locator(".hf-actions a").inner_text() == "Start again"


# --- the widget and the component -------------------------------------------------------------


def host(lang: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Aide</title>'
        f"</head><body><main><h1>Aide</h1>{body}</main></body></html>"
    )


def test_the_widget_speaks_the_language_of_its_page_or_wrapper(page: Any, tmp_path: Path) -> None:
    fragment = widget_fragment(helpflow.load(BUNDLED))  # an English flow
    arabic = widget_fragment(helpflow.load(BUNDLED, lang="ar"))
    (tmp_path / "fr.html").write_text(host("fr", fragment), encoding="utf-8")
    (tmp_path / "ar.html").write_text(host("en", f'<section lang="ar">{fragment}</section>'))
    (tmp_path / "flow.html").write_text(host("sv", arabic), encoding="utf-8")
    with serve(tmp_path) as url:
        page.goto(url + "fr.html")
        page.click('.hf-app [data-choice="online"]')
        actions = page.locator(".hf-app .hf-actions button").all_inner_texts()
        assert actions == ["Retour", "Recommencer"]
        # The view is marked with the language of most of its text: the flow's.
        assert page.locator(".hf-app").get_attribute("lang") == "en"
        page.goto(url + "ar.html")
        page.click('.hf-app [data-choice="online"]')
        assert page.locator(".hf-app .hf-actions button").all_inner_texts() == [
            "رجوع",
            "ابدأ من جديد",
        ]
        assert axe_violations(page) == []
        # No strings for the page's language (Swedish): the flow's language's, right to left.
        page.goto(url + "flow.html")
        page.click('.hf-app [data-choice="online"]')
        app = page.locator(".hf-app")
        assert [app.get_attribute("lang"), app.get_attribute("dir")] == ["ar", "rtl"]
        assert page.locator(".hf-app [data-action=restart]").inner_text() == "ابدأ من جديد"
        page.set_viewport_size({"width": 320, "height": 800})
        assert overflow(page) <= 0
        assert axe_violations(page) == []


def component_page(root: Path, flow: CompiledFlow, lang_attr: str, page_lang: str) -> None:
    HtmlRenderer().build(flow, root / "embed", base_url="embed/", embed=True)
    snippet = (root / "embed" / "snippet.html").read_text(encoding="utf-8")
    snippet = snippet.replace(f'lang="{flow.lang}"', lang_attr)
    (root / "index.html").write_text(host(page_lang, snippet), encoding="utf-8")


SHADOW_TEXT = """() => {
  const root = document.querySelector('help-flow').shadowRoot;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (el.closest('pre, code, style, [hidden]')) continue;
    if (node.nodeValue.trim()) found.push(node.nodeValue.trim());
  }
  root.querySelectorAll('[aria-label]').forEach(e => found.push(e.getAttribute('aria-label')));
  return found;
}"""


def test_the_component_in_the_pseudo_locale_shows_no_english(
    page: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("component")
    with pseudo_locale(root / "pseudo") as flow_file:
        flow = helpflow.load(flow_file, lang=PSEUDO)
        component_page(root / "site", flow, f'lang="{PSEUDO}"', "en")
    with serve(root / "site", {"Content-Security-Policy": STRICT_CSP}) as url:
        page.goto(url)
        seen: list[str] = []
        # online → cannot access → the fix (not solved) → its outcome with the hand-off;
        # then change an answer (summary), back, and the feedback question.
        for choice in ("online", "cant_access", "not_solved"):
            page.click(f'help-flow [data-choice="{choice}"]')
            seen += page.evaluate(SHADOW_TEXT)
        page.click("help-flow [data-helpful=yes]")
        seen += page.evaluate(SHADOW_TEXT)
        page.click("help-flow [data-action=back]")
        seen += page.evaluate(SHADOW_TEXT)
    assert len(seen) > 20
    assert english_words(" ".join(seen)) == []


def test_the_component_takes_its_own_lang_over_the_page(page: Any, tmp_path: Path) -> None:
    component_page(tmp_path, helpflow.load(BUNDLED), 'lang="ar"', "fr")
    with serve(tmp_path) as url:  # no CSP header: axe is injected inline
        page.goto(url)
        page.click('help-flow [data-choice="online"]')
        assert page.locator("help-flow .hf-app").get_attribute("lang") == "en"  # the flow's
        assert page.locator("help-flow [data-action=restart]").inner_text() == "ابدأ من جديد"
        assert axe_violations(page) == []


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A help centre of the bundled flow (English, French, Arabic) and an English-only one."""
    from sitegen import intake_flow

    from helpflow_html.centre import build_centre

    folder = tmp_path_factory.mktemp("flows")
    shutil.copytree(BUNDLED.parent, folder, dirs_exist_ok=True)
    (folder / "intake.yaml").write_text(intake_flow(2), "utf-8")
    root = tmp_path_factory.mktemp("centre")
    build_centre(folder, root)
    with serve(root) as url:
        yield url


def test_the_arabic_centre_home_page_is_right_to_left_accessible_and_fits(
    page: Any, centre: str
) -> None:
    for width in (320, 1024):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{centre}ar/index.html")
        assert page.evaluate("() => [document.documentElement.lang, document.dir]") == ["ar", "rtl"]
        assert overflow(page) <= 0, width
    assert axe_violations(page) == []
    # The heading sits on the right; the flow is listed and opens in Arabic.
    box = page.locator("h1").bounding_box()
    assert box is not None
    assert box["x"] + box["width"] > 1024 * 0.8
    page.locator('[data-flow="account-login"] a').click()
    assert page.evaluate("() => [document.documentElement.lang, location.pathname]") == [
        "ar",
        "/account-login/ar/index.html",
    ]


def test_the_centre_switcher_leads_to_the_home_page_in_another_language(
    page: Any, centre: str
) -> None:
    page.goto(f"{centre}index.html")
    page.locator('.hf-langs a[hreflang="fr"]').click()
    assert page.evaluate("() => document.documentElement.lang") == "fr"
    assert page.locator("h1").inner_text() == uitext.translations("fr").gettext("Help centre")
    assert axe_violations(page) == []


def test_the_arabic_report_is_right_to_left_and_accessible(page: Any, tmp_path: Path) -> None:
    from test_i18n_report import login_visits

    from helpflow.report import build
    from helpflow.report.html import to_html
    from helpflow.report.numbers import formats

    report = build(login_visits(), flows=str(BUNDLED), lang="ar")
    (tmp_path / "report.html").write_text(to_html(report, formats("ar")), "utf-8")
    with serve(tmp_path) as url:
        page.goto(url + "report.html")
        assert page.evaluate("() => [document.documentElement.lang, document.dir]") == ["ar", "rtl"]
        assert page.get_by_role("table", name="الخطوات").is_visible()
        assert axe_violations(page) == []
