"""`helpflow report`: counts from events, as JSON keyed by node ids, CSV, and an HTML page
with inline SVG charts that passes axe."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from helpflow.cli import main
from helpflow.events import Event, open_store
from helpflow.report import build

from browser import axe_violations, serve
from support import BUNDLED

DAY = 86_400_000
T0 = 1_767_225_600_000  # 2026-01-01


def visit(name: str, *steps: str, at: int = T0) -> list[Event]:
    """Events of one visit, written short: "node" reached, "node=choice" answered,
    "node!escalate" outcome reached, "back", "node+" / "node-" feedback (helpful or not)."""
    events = [Event("started", "f", "v1", name, at=at)]
    for step in steps:
        if step == "back":
            events.append(Event("back", "f", "v1", name, at=at))
        elif step[-1] in "+-":
            comment = "<b>slow</b>" if step[-1] == "-" else None
            events.append(
                Event(
                    "feedback",
                    "f",
                    "v1",
                    name,
                    step[:-1],
                    helpful=step[-1] == "+",
                    comment=comment,
                    at=at,
                )
            )
        elif "!" in step:
            node, resolution = step.split("!")
            events.append(Event("reached", "f", "v1", name, node, resolution=resolution, at=at))
        elif "=" in step:
            node, choice = step.split("=")
            events.append(Event("answered", "f", "v1", name, node, choice, at=at))
        else:
            events.append(Event("reached", "f", "v1", name, step, at=at))
    return events


EVENTS = [
    # visit a: channel=shop, the fix works, feedback: helpful
    *visit("visit-a0001", "channel", "channel=shop", "fix", "fix=solved", "done!solved", "done+"),
    # visit b, a day later: channel=isp, the fix fails, escalates, not helpful with a comment
    *visit(
        "visit-b0001",
        "channel",
        "channel=isp",
        "fix",
        "fix=not_solved",
        "support!escalate",
        "support-",
        at=T0 + DAY,
    ),
    # visit c: channel=isp, goes back once at the fix, then leaves at the fix
    *visit("visit-c0001", "channel", "channel=isp", "fix", "back", "channel", "channel=isp", "fix"),
]


@pytest.fixture
def report() -> dict[str, Any]:
    data: dict[str, Any] = build(EVENTS)["flows"]["f"]
    return data


def test_node_counters_by_id(report: dict[str, Any]) -> None:
    assert report["visits"] == 3
    assert report["nodes"]["channel"] == {
        "title": "channel",
        "reached": 4,
        "left_here": 0,
        "back": 0,
        "choices": {"shop": 1, "isp": 3},
    }
    assert report["nodes"]["fix"]["reached"] == 4
    assert report["nodes"]["fix"]["left_here"] == 1  # visit c ended there without an outcome
    assert report["nodes"]["fix"]["back"] == 1


def test_fix_outcome_and_escalation_figures(report: dict[str, Any]) -> None:
    assert report["fixes"]["fix"] == {
        "solved": 1,
        "not_solved": 1,
        "solve_rate": 0.5,
        "helpful": 0,
        "not_helpful": 0,
    }
    assert report["outcomes"]["support"] == {
        "resolution": "escalate",
        "reached": 1,
        "helpful": 0,
        "not_helpful": 1,
        "comments": ["<b>slow</b>"],
    }
    assert report["outcomes"]["done"]["helpful"] == 1
    assert report["escalation"]["rate"] == round(1 / 3, 4)
    assert report["escalation"]["by_answer"]["channel"] == {
        "shop": {"visits": 1, "escalated": 0, "rate": 0.0},
        "isp": {"visits": 2, "escalated": 1, "rate": 0.5},
    }
    assert report["feedback_by_day"] == [
        {"day": "2026-01-01", "helpful": 1, "not_helpful": 0},
        {"day": "2026-01-02", "helpful": 0, "not_helpful": 1},
    ]
    assert report["paths"][0]["visits"] == 1
    assert {"from": "channel", "to": "fix", "visits": 4} in report["edges"]


@pytest.fixture
def db(tmp_path: Path) -> str:
    target = str(tmp_path / "events.db")
    store = open_store(target)
    for event in EVENTS:
        store.record(event)
    store.record(Event("started", "other", "v9", "visit-z0001", at=T0))
    store.close()
    return target


def test_report_command_json_filters(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--events", db, "--format", "json"]) == 0
    assert set(json.loads(capsys.readouterr().out)["flows"]) == {"f", "other"}
    assert main(["report", "--events", db, "--flow", "f", "--since", "2026-01-02"]) == 0
    only = json.loads(capsys.readouterr().out)["flows"]
    assert set(only) == {"f"}
    assert only["f"]["visits"] == 1  # only visit b happened on or after Jan 2


def test_report_command_csv(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--events", db, "--flow", "f", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    found = {(r["section"], r["node"], r["measure"]): r["value"] for r in rows}
    assert found["nodes", "fix", "left_here"] == "1"
    assert found["fixes", "fix", "solve_rate"] == "0.5"
    assert found["flow", "", "visits"] == "3"


def test_report_command_refuses_a_bad_since(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--events", db, "--since", "yesterday"]) == 1
    assert capsys.readouterr().err.startswith("helpflow: error: 'yesterday' is not a date")


def test_html_report_charts_are_inline_and_accessible(db: str, tmp_path: Path, page: Any) -> None:
    out = tmp_path / "site" / "report.html"
    out.parent.mkdir()
    assert (
        main(
            [
                "report",
                "--events",
                db,
                "--flows",
                str(BUNDLED),
                "--format",
                "html",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    text = out.read_text(encoding="utf-8")
    assert "<script" not in text
    assert "<b>slow</b>" not in text  # comments are escaped
    assert "&lt;b&gt;slow&lt;/b&gt;" in text
    with serve(out.parent) as url:
        page.goto(url + "report.html")
        charts = page.locator("svg[role=img]")
        assert charts.count() == 6  # three charts per flow, two flows
        assert "Flow diagram" in (charts.first.get_attribute("aria-label") or "")
        assert page.locator("svg rect").count() > 5
        assert page.get_by_role("table", name="Nodes").first.is_visible()
        assert axe_violations(page) == []
