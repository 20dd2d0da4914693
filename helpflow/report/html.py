"""The report as one self-contained HTML page: charts first (inline SVG), then the tables
they are drawn from. Every text from events or flows is escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from helpflow.report.charts import feedback_over_time, flow_diagram, solve_rates
from helpflow.report.numbers import PLAIN, Formats

_CSS = (
    "body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;"
    "color:#111}table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid "
    "#999;padding:.2rem .5rem;text-align:start}td.n{text-align:end}figure{margin:0 0 1.5rem}"
    "figcaption{font-weight:600}svg{max-width:100%;height:auto}"
)


def _table(caption: str, head: list[str], rows: list[list[Any]], fmt: Formats) -> str:
    cells = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{escape(fmt.number(v))}</td>'
            if isinstance(v, int)
            else f"<td>{escape(str(v))}</td>"
            for v in row
        )
        + "</tr>"
        for row in rows
    )
    header = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    return f"<table><caption>{escape(caption)}</caption><tr>{header}</tr>{cells}</table>"


def _flow_section(flow_id: str, flow: dict[str, Any], fmt: Formats) -> str:
    _pct = fmt.percent
    titles = {node: counts["title"] for node, counts in flow["nodes"].items()}
    nodes = [
        [titles[n], n, c["reached"], c["left_here"], c["back"]] for n, c in flow["nodes"].items()
    ]
    fixes = [
        [titles.get(n, n), f["solved"], f["not_solved"], _pct(f["solve_rate"])]
        for n, f in flow["fixes"].items()
    ]
    outcomes = [
        [titles.get(n, n), o["resolution"], o["reached"], o["helpful"], o["not_helpful"]]
        for n, o in flow["outcomes"].items()
    ]
    comments = [[titles.get(n, n), c] for n, o in flow["outcomes"].items() for c in o["comments"]]
    by_answer = [
        [titles.get(node, node), choice, c["visits"], _pct(c["rate"])]
        for node, choices in flow["escalation"]["by_answer"].items()
        for choice, c in choices.items()
    ]
    paths = [[p["path"], p["visits"]] for p in flow["paths"]]
    return (
        f"<section><h2>{escape(flow_id)}</h2>"
        f"<p>{escape(fmt.number(flow['visits']))} visits; "
        f"versions {escape(', '.join(flow['versions']))}; "
        f"escalated: {_pct(flow['escalation']['rate'])}.</p>"
        f"<figure><figcaption>Where readers go and where they leave</figcaption>"
        f"{flow_diagram(flow, fmt)}</figure>"
        f"<figure><figcaption>Solve rate per fix</figcaption>"
        f"{solve_rates(flow['fixes'], titles, fmt)}</figure>"
        f"<figure><figcaption>Was this helpful? Answers per day</figcaption>"
        f"{feedback_over_time(flow['feedback_by_day'], fmt)}</figure>"
        + _table("Nodes", ["Node", "Id", "Reached", "Left here", "Back"], nodes, fmt)
        + _table("Fixes", ["Fix", "Solved", "Not solved", "Solve rate"], fixes, fmt)
        + _table(
            "Outcomes", ["Outcome", "Kind", "Reached", "Helpful", "Not helpful"], outcomes, fmt
        )
        + _table(
            "Escalation by earlier answer",
            ["Question", "Answer", "Visits", "Escalated"],
            by_answer,
            fmt,
        )
        + _table("Paths most taken", ["Path", "Visits"], paths, fmt)
        + (_table("Comments", ["Page", "Comment"], comments, fmt) if comments else "")
        + "</section>"
    )


def to_html(report: dict[str, Any], fmt: Formats = PLAIN) -> str:
    """The page; `fmt`: how numbers, percentages and days are written (see `numbers`)."""
    sections = "".join(_flow_section(fid, flow, fmt) for fid, flow in report["flows"].items())
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>helpflow report</title><style>{_CSS}</style></head><body><main>"
        f"<h1>Help guide report</h1>{sections or '<p>No events yet.</p>'}</main></body></html>\n"
    )
