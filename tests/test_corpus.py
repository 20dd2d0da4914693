"""Broken flow files and the exact messages an author gets for them.

Each `tests/corpus/broken/NAME.yaml` has a `NAME.expected` beside it: what
`helpflow validate --strict NAME.yaml` prints, run from that folder. Regenerate with
`pytest --update-goldens` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpflow.cli import main

from golden_files import Golden

CORPUS = Path(__file__).parent / "corpus" / "broken"
CASES = sorted(p.name for p in CORPUS.glob("*.yaml"))


@pytest.mark.parametrize("name", CASES)
def test_broken_flow_messages(
    name: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    golden: Golden,
) -> None:
    monkeypatch.chdir(CORPUS)
    code = main(["validate", "--strict", name])
    out = capsys.readouterr().out
    golden(f"corpus/broken/{name.replace('.yaml', '.expected')}", out)
    assert code == 1
    assert "Traceback" not in out


def test_no_corpus_output_holds_escapes_or_foreign_content() -> None:
    out = "".join((CORPUS / n.replace(".yaml", ".expected")).read_text() for n in CASES)
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "hunter2" not in out
    assert "sk-live" not in out
    assert "PWNED" not in out


def test_corpus_covers_every_loader_check() -> None:
    codes = " ".join((CORPUS / n.replace(".yaml", ".expected")).read_text() for n in CASES)
    for needle in [
        "YAML syntax",
        "aliases are not allowed",
        "merge keys",
        "duplicate key",
        "in quotes",
        "did you mean",
        "expected text",
        "missing required key",
        "unknown kind",
        "does not exist",
        "include cycle",
        "already defined",
        "is not a node",
        "not defined in 'vars'",
        "does not use http",
        "not a valid id",
        "default",
        "empty",
        "not UTF-8",
        "cannot be reached",
        "no path from here",
        "without answering it",
        "every choice has a 'when'",
        # the attacks of issue 9: each refused with its position, nothing echoed or expanded
        "(anchor &s)",
        "is outside the flow's folder",
        "is an absolute path",
        "links to a file outside the flow's folder",
        "is a directory",
        "this is not a flow file",
        "already part of this flow",
        "U+0000 is not allowed",
        "'\\\\\\\\evil.example/x'",
    ]:
        assert needle in codes, needle
