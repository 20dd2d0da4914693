"""Flow translation: the strings extracted, the catalogs' round trip (extract, init, update,
check), translated flows that share their source's version and tokens, the pseudo-locale."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

import helpflow
from helpflow import i18n
from helpflow.cli import main
from helpflow.errors import TranslationError
from helpflow.loader import load_file

from support import BUNDLED

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def flow_dir(tmp_path: Path) -> Path:
    """A copy of the bundled flow and its catalogs, to edit."""
    for name in ("account-login.yaml", "shared", "locales"):
        source = BUNDLED.parent / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    return tmp_path


def po(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def save(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


def fr_po(folder: Path) -> Path:
    return folder / "locales" / "fr" / "LC_MESSAGES" / "account-login.po"


# --- what is translatable ----------------------------------------------------------------------


def test_strings_are_keyed_by_stable_id_paths() -> None:
    found = {t.context: t.text for t in i18n.texts(load_file(BUNDLED).flow)}
    assert found["node.problem.choice.cant_access.label"] == "I can't get into my account"
    assert found["node.check_sign_in.steps.1"].startswith("If you sign in with a Google")
    assert found["node.email_by_code.links.0.label"] == "Email look-up page"
    assert found["node.contact_isp.contacts.0.note"].startswith("Use the support phone")
    assert found["var.product.description"].startswith("Product or company name")
    assert found["var.product.value"] == "Trend Micro"
    assert found["flow.applies_to.3"] == "Licences that came with your internet service"
    # Structure, addresses and notes to authors are not translatable.
    texts = set(found.values())
    assert "purchase_channel" not in texts
    assert "cant_access" not in texts
    assert "https://accounts.google.com/signin/recovery" not in {
        v for k, v in found.items() if not k.endswith(".value")
    }
    assert not any(k.endswith((".todo", ".url", ".to", ".id")) for k in found)


def test_a_conditional_step_keeps_its_id_path(compile_text: object, write_flow: object) -> None:
    path = write_flow(  # type: ignore[operator]
        """
helpflow: 1
id: f
title: T
start: q
nodes:
  q:
    kind: question
    prompt: Which?
    choices:
      - {id: a, label: A, to: fix}
  fix:
    kind: fix
    title: Fix
    steps:
      - Plain step
      - {text: Only after A, when: {q: a}}
    next: end
  end: {kind: outcome, resolution: solved, title: Done}
"""
    )
    found = {t.context: t.text for t in i18n.texts(load_file(path).flow)}
    assert found["node.fix.steps.1"] == "Only after A"


# --- extract, init, update, check ----------------------------------------------------------------


def test_extract_writes_a_template_with_contexts_and_source_lines(
    tmp_path: Path, capsys: Capture
) -> None:
    out = tmp_path / "flow.pot"
    assert main(["i18n", "extract", str(BUNDLED), "--out", str(out)]) == 0
    catalog = po(out)
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    message = catalog.get("What's going wrong?", "node.problem.prompt")
    assert message is not None
    assert message.string == ""
    ((file, line),) = message.locations
    assert file == "account-login.yaml"
    assert "prompt: What's going wrong?" in lines[line - 1]
    contact = catalog.get("Your internet service provider", "node.contact_isp.contacts.0.name")
    assert contact is not None
    assert contact.locations[0][0] == "shared/contacts.yaml"
    assert len(list(catalog)) - 1 == len(i18n.texts(load_file(BUNDLED).flow))


def test_extract_to_standard_output(capsys: Capture) -> None:
    assert main(["i18n", "extract", str(BUNDLED)]) == 0
    assert 'msgctxt "node.check_sign_in.steps.0"' in capsys.readouterr().out


def test_the_shipped_catalogs_are_complete_and_valid(capsys: Capture) -> None:
    assert i18n.languages(BUNDLED) == ["ar", "fr"]
    assert main(["i18n", "check", str(BUNDLED)]) == 0
    captured = capsys.readouterr()
    assert "error" not in captured.out


def test_round_trip_init_translate_check_edit_update(flow_dir: Path, capsys: Capture) -> None:
    flow = flow_dir / "account-login.yaml"
    assert main(["i18n", "init", str(flow), "--lang", "de"]) == 0
    de = flow_dir / "locales" / "de" / "LC_MESSAGES" / "account-login.po"
    assert de.is_file()
    assert main(["i18n", "init", str(flow), "--lang", "de"]) == 1  # never overwritten
    assert "exists already" in capsys.readouterr().err

    assert main(["i18n", "check", str(flow), "--lang", "de"]) == 1
    out = capsys.readouterr().out
    assert f"{de}:" in out
    assert "de: node.problem.prompt: not translated" in out

    # A translator fills every entry (here: with the pseudo-locale).
    catalog = po(de)
    for message in catalog:
        if message.id:
            message.string = i18n.pseudo(str(message.id))
    save(catalog, de)
    assert main(["i18n", "check", str(flow), "--lang", "de"]) == 0
    pseudo = helpflow.load(flow, lang="de")
    assert pseudo.step(pseudo.start()).title == i18n.pseudo(
        "How did you get your {product} product?"
    ).replace("{product}", i18n.pseudo("Trend Micro"))

    # The author edits a question and adds a choice: the catalog is now stale.
    text = flow.read_text(encoding="utf-8")
    text = text.replace("prompt: What's going wrong?", "prompt: What seems to be wrong?")
    text = text.replace(
        "        label: My password\n        to: forgot_password\n",
        "        label: My password\n        to: forgot_password\n"
        "      - id: pin\n        label: My PIN\n        to: forgot_password\n",
    )
    flow.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["i18n", "check", str(flow), "--lang", "de"]) == 1
    out = capsys.readouterr().out
    stale = next(line for line in out.splitlines() if "node.problem.prompt" in line)
    assert "stale" in stale
    assert stale.startswith(f"{de}:")
    line = int(stale.split(":")[1])
    assert de.read_text(encoding="utf-8").splitlines()[line - 1].startswith("msgid")
    assert f"{flow}:" in out
    assert "node.forgot_what.choice.pin.label: missing" in out
    # Readers get the source text for the stale string meanwhile, never the old translation.
    reader = helpflow.load(flow, lang="de")
    assert reader.step(reader.choose(reader.start(), "retail")).title == "What seems to be wrong?"

    assert main(["i18n", "update", str(flow), "--lang", "de"]) == 0
    capsys.readouterr()
    assert main(["i18n", "check", str(flow), "--lang", "de"]) == 1
    out = capsys.readouterr().out
    assert "node.problem.prompt: fuzzy" in out
    assert "node.forgot_what.choice.pin.label: not translated" in out
    catalog = po(de)
    fuzzy = catalog.get("What seems to be wrong?", "node.problem.prompt")
    assert fuzzy is not None
    assert fuzzy.fuzzy
    assert fuzzy.string == i18n.pseudo("What's going wrong?")  # kept for the translator
    fuzzy.flags.discard("fuzzy")
    fuzzy.string = i18n.pseudo(str(fuzzy.id))
    pin = catalog.get("My PIN", "node.forgot_what.choice.pin.label")
    assert pin is not None
    pin.string = i18n.pseudo("My PIN")
    save(catalog, de)
    assert main(["i18n", "check", str(flow), "--lang", "de"]) == 0


def test_removed_strings_become_obsolete_notes(flow_dir: Path, capsys: Capture) -> None:
    flow = flow_dir / "account-login.yaml"
    text = flow.read_text(encoding="utf-8")
    flow.write_text(text.replace("  - Licences that came with your internet service\n", ""))
    assert main(["i18n", "check", str(flow), "--lang", "fr"]) == 1
    assert "flow.applies_to.3: no longer in the flow" in capsys.readouterr().out
    assert main(["i18n", "update", str(flow)]) == 0
    assert '#~ msgctxt "flow.applies_to.3"' in fr_po(flow_dir).read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["i18n", "check", str(flow), "--lang", "fr"]) == 0
    assert "note: fr: flow.applies_to.3: obsolete" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("context", "translation", "complaint"),
    [
        (
            "node.email_by_code.steps.0",
            "Ouvrez la [page](https://evil.example/).",
            "link targets differ from the source (not in the source: https://evil.example/; "
            "missing: {email_lookup_url})",
        ),
        (
            "node.check_spam.steps.0",
            "Cherchez les e-mails de {produit}.",
            "placeholders differ from the source (missing {product}; unknown {produit})",
        ),
        (
            "node.solved.body",
            "Réglé. <script>alert(1)</script>",
            "unsafe or unsupported content the source does not have: "
            "HTML element <script> is removed",
        ),
        (
            "node.contact_support.title",
            "Contactez le support {product",
            "placeholders differ from the source (missing {product}; unknown {product)",
        ),
    ],
)
def test_check_refuses_translations_that_break_the_source(
    flow_dir: Path, capsys: Capture, context: str, translation: str, complaint: str
) -> None:
    path = fr_po(flow_dir)
    catalog = po(path)
    message = next(m for m in catalog if m.context == context)
    message.string = translation
    save(catalog, path)
    flow = flow_dir / "account-login.yaml"
    assert main(["i18n", "check", str(flow)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:" in out
    assert f"fr: {context}: {complaint}" in out
    # Readers never get it: the source text is shown instead.
    french = helpflow.load(flow, lang="fr")
    assert translation not in repr(french.content(context.split(".")[1]))


def test_a_broken_po_file_is_a_positioned_error(flow_dir: Path, capsys: Capture) -> None:
    path = fr_po(flow_dir)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[30] = "nonsense here"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    flow = flow_dir / "account-login.yaml"
    assert main(["i18n", "check", str(flow)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"helpflow: error: {path}:31: not a valid .po file: Unknown or misformatted keyword\n"
    )
    assert "Traceback" not in err
    with pytest.raises(TranslationError, match=str(path)):
        helpflow.load(flow, lang="fr")
    assert main(["step", str(flow), "--lang", "fr"]) == 1


def test_bad_languages_are_clear_errors(capsys: Capture) -> None:
    assert main(["step", str(BUNDLED), "--lang", "de"]) == 1
    assert "has no 'de' translation" in capsys.readouterr().err
    for bad in ("../../etc", "fr/../x", ""):
        with pytest.raises(TranslationError, match="not a language tag"):
            i18n.tag(bad)
    assert main(["i18n", "init", str(BUNDLED), "--lang", "../x"]) == 1
    assert "not a language tag" in capsys.readouterr().err


# --- languages and the pseudo-locale catalog -----------------------------------------------------


def test_languages_exclude_the_source_language(flow_dir: Path) -> None:
    flow = flow_dir / "account-login.yaml"
    assert main(["i18n", "init", str(flow), "--lang", "en"]) == 0
    assert i18n.languages(flow) == ["ar", "fr"]


def test_pseudo_catalog_covers_every_string(flow_dir: Path) -> None:
    flow = flow_dir / "account-login.yaml"
    path = i18n.pseudo_catalog(flow)
    assert path == flow_dir / "locales" / "en_XA" / "LC_MESSAGES" / "account-login.po"
    assert "en-XA" in i18n.languages(flow)
    pseudo = helpflow.load(flow, lang="en-XA")
    assert pseudo.lang == "en-XA"
    session = pseudo.choose(pseudo.start(), "retail")
    step = pseudo.step(pseudo.choose(session, "cant_access"))
    assert step.title == i18n.pseudo("Check the details you sign in with")
    assert "<strong>" in step.steps[0].html  # Markdown still Markdown
    assert main(["i18n", "check", str(flow), "--lang", "en-XA"]) == 0


def test_update_and_check_without_catalogs_say_so(tmp_path: Path, capsys: Capture) -> None:
    shutil.copy(BUNDLED, tmp_path / "flow.yaml")
    shutil.copytree(BUNDLED.parent / "shared", tmp_path / "shared")
    for action in ("update", "check"):
        assert main(["i18n", action, str(tmp_path / "flow.yaml")]) == 0
        assert "no catalogs next to" in capsys.readouterr().err


def test_the_test_command_walks_every_translation(flow_dir: Path, capsys: Capture) -> None:
    flow = str(flow_dir / "account-login.yaml")
    assert main(["test", flow]) == 0
    assert "rendered in every translation too: ar: 260 steps, fr: 260 steps\n" in (
        capsys.readouterr().out
    )
    path = fr_po(flow_dir)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[30] = "nonsense here"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["test", flow]) == 1  # a catalog that does not load fails the test
    err = capsys.readouterr().err
    assert f"{path}:31: not a valid .po file" in err
    assert "Traceback" not in err
