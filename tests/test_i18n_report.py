"""`helpflow report --lang`: the HTML report writes numbers, percentages and days in the
reader's locale; without it, and in JSON/CSV, they stay plain data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpflow.cli import main
from helpflow.events import Event, open_store
from helpflow.report import build
from helpflow.report.html import to_html
from helpflow.report.numbers import formats

DAY = 86_400_000
T0 = 1_767_225_600_000  # 2026-01-01


def many_visits() -> list[Event]:
    """1,234 visits to one fix: half solved; feedback on two days."""
    events = []
    for i in range(1234):
        name = f"visit-{i:06d}"
        at = T0 + (i % 2) * DAY
        events += [
            Event("started", "f", "v1", name, at=at),
            Event("reached", "f", "v1", name, "fix", at=at),
            Event("answered", "f", "v1", name, "fix", "solved" if i % 2 else "not_solved", at=at),
            Event("feedback", "f", "v1", name, "fix", helpful=bool(i % 2), at=at),
        ]
    return events


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return build(many_visits())


def test_plain_by_default(report: dict[str, Any]) -> None:
    page = to_html(report)
    assert "<p>1234 visits;" in page
    assert ">50% of 1234<" in page
    assert ">2026-01-01<" in page


@pytest.mark.parametrize(
    ("lang", "visits", "rate", "day"),
    [
        ("fr", "1\u202f234 visites ;", "50\u00a0% sur 1\u202f234", "1 janv. 2026"),
        ("de", "1.234 Besuche;", "50\u00a0% von 1.234", "01.01.2026"),
        ("en", "1,234 visits;", "50% of 1,234", "Jan 1, 2026"),
        # 1234 takes Arabic's "many" form (n % 100 in 11..99).
        ("ar", "1,234 زيارة؛", "50% من 1,234", "01\u200f/01\u200f/2026"),
    ],
)
def test_locale_formats(
    report: dict[str, Any], lang: str, visits: str, rate: str, day: str
) -> None:
    page = to_html(report, formats(lang))
    assert f"<p>{visits} " in page
    assert f">{rate}<" in page
    assert f">{day}<" in page


def test_report_command_lang_and_a_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "events.db")
    store = open_store(target)
    for event in many_visits()[:40]:
        store.record(event)
    store.close()
    out = tmp_path / "report.html"
    assert (
        main(["report", "--events", target, "--format", "html", "--lang", "fr", "--out", str(out)])
        == 0
    )
    assert "1 janv. 2026" in out.read_text(encoding="utf-8")
    assert main(["report", "--events", target, "--format", "html", "--lang", "xx-nonsense"]) == 1
    assert "no such locale" in capsys.readouterr().err
