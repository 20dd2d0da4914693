"""The command-line faces in other languages: `helpflow run --lang` in a real pseudo-terminal
and piped, the environment's locale as the default, `helpflow step --lang` and its Step JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pexpect
import pytest

from helpflow.cli import main

from support import BUNDLED, ROOT

Capture = pytest.CaptureFixture[str]
STEP_SCHEMA = ROOT / "renderers" / "helpflow_json" / "step.schema.json"
#: No locale of the machine running the tests leaks in.
BASE_ENV = {
    k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
}


def env(**locale: str) -> dict[str, str]:
    return {**BASE_ENV, "TERM": "xterm-256color", "NO_COLOR": "", **locale}


def run_piped(*args: str, stdin: str, **locale: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "helpflow", "run", str(BUNDLED), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=30,
        env=env(**locale),
    )


def test_run_in_a_pty_follows_the_environment_locale() -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "helpflow", "run", str(BUNDLED)],
        env=env(LANG="fr_FR.UTF-8"),
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 200),
    )
    try:
        child.expect("Comment avez-vous obtenu votre produit Trend Micro")
        child.expect("> ")
        child.sendline("2")
        child.expect("Quel est le problème")
        child.expect("> ")
        child.sendline("1")
        child.expect("Vérifiez vos identifiants de connexion")
    finally:
        child.close(force=True)


def test_run_lang_overrides_the_environment_and_the_hint_keeps_it() -> None:
    result = run_piped("--lang", "ar", stdin="2\n1\n2\n", LANG="fr_FR.UTF-8")
    assert result.returncode == 0, result.stderr
    assert "كيف حصلت على منتج Trend Micro؟" in result.stdout
    assert "تواصل مع Best Buy Geek Squad" in result.stdout
    assert "--lang ar --token account-login." in result.stdout


@pytest.mark.parametrize(
    ("locale", "title"),
    [
        ({"LANG": "de_DE.UTF-8"}, "How did you get your Trend Micro product?"),  # no catalog
        ({"LC_ALL": "C.UTF-8", "LANG": "fr_FR.UTF-8"}, "How did you get your Trend Micro product?"),
        ({"LC_MESSAGES": "ar_SA.UTF-8", "LANG": "fr_FR.UTF-8"}, "كيف حصلت على منتج Trend Micro؟"),
        ({}, "How did you get your Trend Micro product?"),
    ],
)
def test_run_defaults_to_the_locale_when_the_flow_has_it(
    locale: dict[str, str], title: str
) -> None:
    result = run_piped(stdin="", **locale)
    assert result.returncode == 0, result.stderr
    assert title in result.stdout


def test_step_lang_prints_valid_step_json_in_that_language(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    schema = json.loads(STEP_SCHEMA.read_text(encoding="utf-8"))
    assert main(["step", str(BUNDLED), "--lang", "fr", "--go", "isp", "cant_access"]) == 0
    french = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(schema).validate(french)
    assert french["lang"] == "fr"
    assert french["title"] == "Vérifiez vos identifiants de connexion"
    monkeypatch.setenv("LANG", "ar_EG.UTF-8")
    assert main(["step", str(BUNDLED), "--token", french["token"], "--go", "not_solved"]) == 0
    arabic = json.loads(capsys.readouterr().out)
    assert arabic["lang"] == "ar"
    assert arabic["title"] == "تواصل مع مزوّد خدمة الإنترنت"
    assert [a["choice_id"] for a in arabic["answers"]] == ["isp", "cant_access", "not_solved"]


def test_step_schema_documents_lang(capsys: Capture) -> None:
    assert main(["schema", "--of", "step"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["lang"]["type"] == "string"
    assert json.loads(STEP_SCHEMA.read_text(encoding="utf-8")) == schema


def test_the_flow_schema_has_the_lang_key(capsys: Capture, tmp_path: Path) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "lang" in schema["properties"]
    assert not jsonschema.Draft7Validator(schema).is_valid(
        {"helpflow": 1, "id": "x", "lang": "../fr", "title": "t", "start": "a", "nodes": {}}
    )
