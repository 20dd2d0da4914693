"""`helpflow report --lang`: the HTML report writes numbers, percentages and days in the
reader's locale and its words (headings, table headers, chart texts, node titles) in the
reader's language; without it, and in JSON/CSV, they stay plain data."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

import pytest

import helpflow
from helpflow import i18n
from helpflow.cli import main
from helpflow.events import Event, open_store
from helpflow.report import build
from helpflow.report.html import to_html
from helpflow.report.numbers import formats

from support import BUNDLED

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


def login_visits() -> list[Event]:
    """Two readers of the bundled flow: one answers and leaves, one goes back."""
    flow = "account-login"
    return [
        Event("started", flow, "v1", "visit-a", at=T0),
        Event("reached", flow, "v1", "visit-a", "purchase_channel", at=T0),
        Event("answered", flow, "v1", "visit-a", "purchase_channel", "online", at=T0),
        Event("reached", flow, "v1", "visit-a", "problem", at=T0),
        Event("started", flow, "v1", "visit-b", at=T0),
        Event("reached", flow, "v1", "visit-b", "purchase_channel", at=T0),
        Event("back", flow, "v1", "visit-b", at=T0),
    ]


@pytest.mark.parametrize(
    ("lang", "html"), [("fr", '<html lang="fr">'), ("ar", '<html lang="ar" dir="rtl">')]
)
def test_the_page_speaks_the_reader_s_language(lang: str, html: str) -> None:
    from helpflow import uitext

    ui = uitext.translations(lang)
    page = to_html(build(login_visits(), flows=str(BUNDLED), lang=lang), formats(lang))
    assert page.startswith(f"<!doctype html>{html}<head>")
    shown = {
        "<title>": "helpflow report",
        "<h1>": "Help guide report",
        "<caption>": "Nodes",
        '<th scope="col">': "Left here",
        "<figcaption>": "Where readers go and where they leave",
        'aria-label="': "Solve rate per fix",
    }
    for before, english in shown.items():
        assert ui.gettext(english) != english  # the catalog translates it ...
        assert before + escape(ui.gettext(english), quote=False) in page  # ... and it is shown
        assert before + english not in page
    for english in ("Flow diagram:", "Feedback over time:", " visits;", ">Node<", "n/a"):
        assert english not in page
    # The node titles come from the flow's own catalog in that language.
    problem = i18n.translated(helpflow.load(BUNDLED), BUNDLED, lang).content("problem").title
    assert problem != "What's going wrong?"
    assert f"<td>{escape(problem)}</td>" in page


def test_english_stays_as_it_was(report: dict[str, Any]) -> None:
    page = to_html(report)
    assert page.startswith('<!doctype html><html lang="en"><head>')
    assert "<title>helpflow report</title>" in page
    assert "<h1>Help guide report</h1>" in page
    assert "<caption>Nodes</caption>" in page
    assert "<title>fix: reached 1234, left here 1234 (100%)</title>" in page
    assert "Feedback over time: helpful (green) and not helpful (red) answers per day" in page
    assert to_html({"flows": {}}).endswith(
        "<h1>Help guide report</h1><p>No events yet.</p></main></body></html>\n"
    )


def test_json_and_csv_stay_plain_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = str(tmp_path / "events.db")
    store = open_store(target)
    for event in login_visits():
        store.record(event)
    store.close()
    args = ["report", "--events", target, "--flows", str(BUNDLED), "--lang", "fr"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["flows"]["account-login"]["nodes"]["problem"]["title"] == "What's going wrong?"
    assert main([*args, "--format", "html"]) == 0
    assert "Quel est le problème" in capsys.readouterr().out
