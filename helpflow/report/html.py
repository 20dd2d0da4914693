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
    _pct, _, ngettext = fmt.percent, fmt.ui.gettext, fmt.ui.ngettext
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
    summary = ngettext(
        "%(num)s visit; versions %(versions)s; escalated: %(rate)s.",
        "%(num)s visits; versions %(versions)s; escalated: %(rate)s.",
        flow["visits"],
    ) % {
        "num": fmt.number(flow["visits"]),
        "versions": ", ".join(flow["versions"]),
        "rate": _pct(flow["escalation"]["rate"]),
    }
    # Marked outside the f-strings: the extractor does not read inside them.
    where, solve, helpful = (
        _("Where readers go and where they leave"),
        _("Solve rate per fix"),
        _("Was this helpful? Answers per day"),
    )
    return (
        f"<section><h2>{escape(flow_id)}</h2><p>{escape(summary)}</p>"
        f"<figure><figcaption>{escape(where)}</figcaption>"
        f"{flow_diagram(flow, fmt)}</figure>"
        f"<figure><figcaption>{escape(solve)}</figcaption>"
        f"{solve_rates(flow['fixes'], titles, fmt)}</figure>"
        f"<figure><figcaption>{escape(helpful)}</figcaption>"
        f"{feedback_over_time(flow['feedback_by_day'], fmt)}</figure>"
        + _table(
            _("Nodes"), [_("Node"), _("Id"), _("Reached"), _("Left here"), _("Back")], nodes, fmt
        )
        + _table(_("Fixes"), [_("Fix"), _("Solved"), _("Not solved"), _("Solve rate")], fixes, fmt)
        + _table(
            _("Outcomes"),
            [_("Outcome"), _("Kind"), _("Reached"), _("Helpful"), _("Not helpful")],
            outcomes,
            fmt,
        )
        + _table(
            _("Escalation by earlier answer"),
            [_("Question"), _("Answer"), _("Visits"), _("Escalated")],
            by_answer,
            fmt,
        )
        + _table(_("Paths most taken"), [_("Path"), _("Visits")], paths, fmt)
        + (_table(_("Comments"), [_("Page"), _("Comment")], comments, fmt) if comments else "")
        + "</section>"
    )


def to_html(report: dict[str, Any], fmt: Formats = PLAIN) -> str:
    """The page; `fmt`: how numbers, percentages and days are written and the language of
    its words (see `numbers`). `lang` and `dir` follow it: Arabic reads right to left."""
    _ = fmt.ui.gettext
    sections = "".join(_flow_section(fid, flow, fmt) for fid, flow in report["flows"].items())
    empty, title, heading = _("No events yet."), _("helpflow report"), _("Help guide report")
    return (
        f'<!doctype html><html {fmt.ui.html_attrs()}><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{escape(heading)}</h1>{sections or f'<p>{escape(empty)}</p>'}</main></body></html>\n"
    )
