"""Translated flows: the same version and tokens as their source in every language, var
values per language, a declared source language, listeners shared; the pseudo-locale and
language negotiation."""

from __future__ import annotations

import pytest

import helpflow
from helpflow import i18n
from helpflow.i18n.negotiate import accepted, environment_languages, negotiate
from helpflow.i18n.validate import problems
from helpflow.loader import load_file
from helpflow.versioning import flow_version

from support import BUNDLED


def test_a_translation_keeps_version_and_tokens(bundled: helpflow.CompiledFlow) -> None:
    french, arabic = (helpflow.load(BUNDLED, lang=x) for x in ("fr", "ar"))
    assert (bundled.lang, french.lang, arabic.lang) == ("en", "fr", "ar")
    assert french.source_lang == arabic.source_lang == "en"
    assert french.version == arabic.version == bundled.version
    walk = ("retail", "cant_access", "not_solved")
    sessions = []
    for flow in (bundled, french, arabic):
        session = flow.start()
        for choice in walk:
            session = flow.choose(session, choice)
        sessions.append(flow.token(session))
    assert len(set(sessions)) == 1
    # Half-way in French, finished in Arabic with the French token.
    session = french.choose(french.start(), "retail")
    resumed = arabic.resume(french.token(session))
    assert not resumed.version_changed
    step = arabic.step(arabic.choose(resumed.session, "cant_access"))
    assert step.lang == "ar"
    assert step.title == "تحقّق من البيانات التي تسجّل الدخول بها"
    assert step.answers[0].label == "اشتريته من متجر (مثل Best Buy Geek Squad)"


def test_translated_var_values_and_overrides(bundled: helpflow.CompiledFlow) -> None:
    french = helpflow.load(BUNDLED, lang="fr")
    assert french.vars["support_url"] == "https://helpcenter.trendmicro.com/fr-fr/contact-support/"
    # Optional: an untranslated value stays the source's.
    assert helpflow.load(BUNDLED, lang="ar").vars["support_url"] == bundled.vars["support_url"]
    custom = helpflow.load(BUNDLED, lang="fr", vars={"product": "Acme"})
    assert custom.info.title == "Problème de connexion à votre compte Acme"


def test_declared_source_language(write_flow: object) -> None:
    text = """
helpflow: 1
id: f
lang: fr
title: Titre
start: end
nodes:
  end: {kind: outcome, resolution: solved, title: Fini}
"""
    path = write_flow(text)  # type: ignore[operator]
    flow = helpflow.load(path)
    assert flow.lang == "fr"
    assert i18n.source_language(flow.flow) == "fr"
    assert flow.step(flow.start()).lang == "fr"
    assert helpflow.load(path, lang="fr") is not None  # its own language needs no catalog
    # The language is not structure: declaring it keeps the version (and old tokens).
    plain = load_file(write_flow(text.replace("lang: fr\n", ""), "plain.yaml")).flow  # type: ignore[operator]
    assert flow_version(plain) == flow.version
    # One spelling per language, whatever the author typed.
    brazil = helpflow.load(write_flow(text.replace("lang: fr", "lang: PT_br"), "br.yaml"))  # type: ignore[operator]
    assert brazil.lang == "pt-BR"


def test_pseudo_accents_and_lengthens_but_keeps_markup() -> None:
    text = "Open the [reset page]({password_reset_url}) and run `helpflow --x`, then **stop**."
    out = i18n.pseudo(text)
    assert "({password_reset_url})" in out
    assert "`helpflow --x`" in out
    assert "**" in out
    assert "Open" not in out
    assert "ÓÓþééñ" in out
    block = "Steps:\n\n```\nls -la\n```\n\n> [!WARNING]\n> Careful &amp; slow <https://x.example/a>"
    out = i18n.pseudo(block)
    assert "```\nls -la\n```" in out
    assert "[!WARNING]" in out
    assert "<https://x.example/a>" in out
    assert "&amp;" in out
    assert "Careful" not in out


def test_pseudo_translations_of_the_whole_flow_pass_validation_and_are_longer() -> None:
    texts = i18n.texts(load_file(BUNDLED).flow)
    for text in texts:
        assert problems(text.text, i18n.pseudo(text.text)) == [], text.context
    prose = [t.text for t in texts if not t.context.endswith(".value")]
    # The usual allowance for translated text: 30% longer than English.
    assert sum(len(i18n.pseudo(t)) for t in prose) >= 1.3 * sum(len(t) for t in prose)


def test_accept_language_and_environment() -> None:
    assert accepted("fr-CA;q=0.8, ar, en;q=0.1, *;q=0.5, de;q=0") == ["ar", "fr-CA", "en"]
    assert accepted("x;q=nonsense, fr") == ["fr"]
    assert accepted(",".join(["zz"] * 10_000) + ",fr") == ["zz"] * 16  # bounded work
    assert negotiate(["en", "ar", "fr"], ["fr-CA", "ar"]) == "fr"
    assert negotiate(["en", "pt-BR"], ["PT-br"]) == "pt-BR"
    assert negotiate(["en", "fr"], ["de"]) is None
    assert environment_languages({"LANG": "fr_FR.UTF-8"}) == ["fr-FR"]
    assert environment_languages({"LC_ALL": "ar_EG", "LANG": "fr_FR"}) == ["ar-EG"]
    assert environment_languages({"LC_ALL": "C.UTF-8", "LANG": "fr_FR"}) == []
    assert environment_languages({}) == []


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_step_of_every_path_is_translated(bundled: helpflow.CompiledFlow, lang: str) -> None:
    """Walked side by side with the English flow: the same nodes, and every title, body, step
    and question choice in the other language (UI strings such as "Yes, that fixed it" are
    the renderers' own catalogs, not the flow's)."""
    other = helpflow.load(BUNDLED, lang=lang)
    paths = bundled.paths()
    assert paths
    for path in paths:
        english, translated = bundled.start(record=False), other.start(record=False)
        for hop in (*path.answers, None):
            a, b = bundled.step(english), other.step(translated)
            assert (a.node_id, b.lang) == (b.node_id, lang)
            assert a.title != b.title, (lang, a.node_id)
            assert a.body.text == b.body.text == "" or a.body.text != b.body.text
            assert all(x.text != y.text for x, y in zip(a.steps, b.steps, strict=True))
            if a.kind == "question":
                assert all(x.label != y.label for x, y in zip(a.choices, b.choices, strict=True))
            if hop is None:
                break
            english = bundled.choose(english, hop.choice, record=False)
            translated = other.choose(translated, hop.choice, record=False)
        assert other.token(translated) == bundled.token(english)


def test_event_listeners_hear_readers_of_every_language() -> None:
    source = helpflow.load(BUNDLED)
    heard: list[tuple[str, str | None]] = []
    source.on_event(lambda event: heard.append((event.type, event.choice)))
    french = i18n.translated(source, BUNDLED, "fr")
    french.choose(french.start(), "retail")
    assert heard == [("started", None), ("answered", "retail")]


@pytest.mark.parametrize(
    "translation",
    ["javascript:alert(document.cookie)", "JaVa\tscript:alert(1)", "data:text/html,x", "x y"],
)
def test_a_translated_address_must_stay_a_safe_address(translation: str) -> None:
    # A var's value (support_url) goes into contact addresses: an unsafe one would be dropped
    # there silently, leaving readers a contact they cannot reach.
    source = "https://helpcenter.example.com/en-us/contact/"
    assert problems(source, translation) == [
        "not a safe address like its source (http, https, mailto or tel)"
    ]
    assert problems(source, "https://helpcenter.example.com/fr-fr/contact/") == []
    assert problems("mailto:help@example.com", "mailto:aide@example.com") == []
    assert problems("Note: restart it", "javascript: non") == []  # prose, not an address


@pytest.mark.parametrize("markup", ["[", "]", "<", "[a](b) "])
def test_a_translation_full_of_markup_is_refused_before_markdown(markup: str) -> None:
    # Markdown takes minutes on a few thousand unbalanced `[`: a hostile catalog far below its
    # size cap stalled `helpflow serve` start-up and `--lang` before this check.
    found = problems("Open the [settings](https://example.com/s).", markup * 50)
    assert len(found) == 1
    assert "than the source: not rendered" in found[0]
    assert problems("[a](b) [c](d)", "[c](d) [a](b)") == []


def test_accept_language_weight_after_other_parameters() -> None:
    # RFC 9110 allows parameters before q: `fr;level=1;q=0.1` wants French least.
    assert accepted("fr;level=1;q=0.1, ar;q=0.9") == ["ar", "fr"]
    assert accepted("ar;q=0.5;q=1, fr;q=0.1") == ["ar", "fr"]
    assert accepted("de;level=1;q=oops, fr") == ["fr"]
