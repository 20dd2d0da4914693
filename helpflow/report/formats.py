"""The report as JSON (the data as built), CSV (one row per flow, node and measure) or HTML."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from helpflow.errors import HelpflowError


def to_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["flow", "section", "node", "measure", "value"])
    for flow_id, flow in report["flows"].items():
        writer.writerow([flow_id, "flow", "", "visits", flow["visits"]])
        writer.writerow([flow_id, "flow", "", "escalation_rate", flow["escalation"]["rate"]])
        for section in ("nodes", "fixes", "outcomes"):
            for node, counters in flow[section].items():
                for measure, value in counters.items():
                    if isinstance(value, (int, float, str)) and measure != "title":
                        writer.writerow([flow_id, section, node, measure, value])
    return out.getvalue()


def render(report: dict[str, Any], fmt: str, lang: str | None = None) -> str:
    """`lang`: write the HTML report's numbers, percentages and days in that locale (JSON and
    CSV stay plain data for programs)."""
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return to_csv(report)
    if fmt == "html":
        from helpflow.report.html import to_html
        from helpflow.report.numbers import formats

        return to_html(report, formats(lang))
    raise HelpflowError(f"no report format {fmt!r}; use json, csv or html")
