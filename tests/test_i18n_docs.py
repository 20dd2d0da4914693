"""docs/translating.md's round trip, run as written: every `$ helpflow …` command of the page,
in order, in a copy of the flows folder, with the translator's work done in between; each
command's output must contain the lines the page shows (`…` stands for any text)."""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from helpflow import i18n
from helpflow.cli import main

from support import BUNDLED, ROOT

DOC = ROOT / "docs" / "translating.md"
CATALOG = Path("flows/locales/de/LC_MESSAGES/account-login.po")

#: The commands the page shows, in order: the test acts between them as the page says.
COMMANDS = [
    "i18n extract flows/account-login.yaml --out account-login.pot",
    "i18n init flows/account-login.yaml --lang de",
    "i18n check flows/account-login.yaml --lang de",
    "i18n check flows/account-login.yaml --lang de",
    "i18n update flows/account-login.yaml --lang de",
    "i18n check flows/account-login.yaml --lang de",
    "i18n check flows/account-login.yaml --lang de",
    "step flows/account-login.yaml --lang de --go retail",
    "run flows/account-login.yaml --lang de --transcript",
]


def documented() -> list[tuple[str, list[str]]]:
    """(command, output lines shown) for every `$ helpflow` line of the page's console blocks."""
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            if line.startswith("$ helpflow "):
                found.append((line.removeprefix("$ helpflow "), []))
            elif line.strip():
                found[-1][1].append(line)
    return found


def shows(expected: str, output: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in expected.split("…"))
    return any(re.search(pattern, line) for line in output.splitlines())


def translate(path: Path, *, review_fuzzy: bool = False) -> None:
    """What the translator does in a PO editor: fill every entry (and clear fuzzy flags)."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and (not message.string or message.fuzzy):
            message.string = i18n.pseudo(str(message.id))
        if review_fuzzy:
            message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


def run(command: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit status and output of `helpflow COMMAND` run in `folder`: in this process, but the
    interactive `run` (which reads standard input) as a process of its own."""
    if command.startswith("run "):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "renderers")])}
        result = subprocess.run(
            [sys.executable, "-m", "helpflow", *shlex.split(command)],
            cwd=folder,
            env=env,
            input="",
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.returncode, result.stdout + result.stderr
    code = main(shlex.split(command))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_documented_round_trip_works_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    steps = documented()
    assert [command for command, _ in steps] == COMMANDS
    shutil.copytree(BUNDLED.parent, tmp_path / "flows")
    shutil.rmtree(tmp_path / "flows" / "locales" / "de", ignore_errors=True)
    monkeypatch.chdir(tmp_path)
    for index, (command, expected) in enumerate(steps):
        if index == 2:
            translate(tmp_path / CATALOG)
        if index == 3:  # "the author rewrites the question"
            flow = tmp_path / "flows" / "account-login.yaml"
            text = flow.read_text(encoding="utf-8")
            flow.write_text(text.replace("What's going wrong?", "What seems to be wrong?"))
        if index == 6:  # "the translator reviews the fuzzy entry"
            translate(tmp_path / CATALOG, review_fuzzy=True)
        code, output = run(command, tmp_path, capsys)
        for line in expected:
            assert shows(line, output), f"{command!r} did not print {line!r}:\n{output}"
        failing = index in (3, 5)  # the two checks the page shows finding problems
        assert code == (1 if failing else 0), f"{command!r}:\n{output}"
    assert (tmp_path / "account-login.pot").is_file()
    # The wizard's first screen, in the (pseudo-)German of the catalog.
    assert i18n.pseudo("How did you get your") in output
