"""Inline SVG charts for the HTML report: no scripts, no external files, text as real text
(readable by screen readers through each chart's title and the tables beside it)."""

from __future__ import annotations

from collections import defaultdict, deque
from html import escape
from typing import Any

from helpflow.report.numbers import PLAIN, Formats

BOX_W, BOX_H, COL_W, ROW_H = 170, 46, 230, 64


def _svg(width: int, height: int, label: str, body: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def _layers(nodes: dict[str, Any], edges: list[dict[str, Any]]) -> dict[str, int]:
    """Column per node: its distance from the start (the most reached node nobody leads to)."""
    targets = {e["to"] for e in edges}
    roots = [n for n in nodes if n not in targets] or list(nodes)[:1]
    out: defaultdict[str, list[str]] = defaultdict(list)
    for e in edges:
        out[e["from"]].append(e["to"])
    depth = {root: 0 for root in roots[:1]}
    queue = deque(depth)
    while queue:
        node = queue.popleft()
        for nxt in out[node]:
            if nxt not in depth:
                depth[nxt] = depth[node] + 1
                queue.append(nxt)
    last = max(depth.values(), default=0) + 1
    return {n: depth.get(n, last) for n in nodes}


def _shade(rate: float) -> str:
    """White for no drop-off to a light red for all: dark text stays readable on every shade."""
    r, g, b = 255, round(255 - 120 * rate), round(255 - 130 * rate)
    return f"#{r:02x}{g:02x}{b:02x}"


def flow_diagram(flow: dict[str, Any], fmt: Formats = PLAIN) -> str:
    nodes, edges = flow["nodes"], flow["edges"]
    column = _layers(nodes, edges)
    rows: defaultdict[int, int] = defaultdict(int)
    place: dict[str, tuple[int, int]] = {}
    for node in sorted(nodes, key=lambda n: (column[n], -nodes[n]["reached"])):
        place[node] = (20 + column[node] * COL_W, 20 + rows[column[node]] * ROW_H)
        rows[column[node]] += 1
    width = 40 + (max(column.values(), default=0) + 1) * COL_W
    height = 40 + max(rows.values(), default=1) * ROW_H
    top = max((e["visits"] for e in edges), default=1)
    # Shaded relative to the worst node, so a 6% drop-off stands out next to a 1% one.
    worst = max((c["left_here"] / c["reached"] for c in nodes.values() if c["reached"]), default=0)
    _, ngettext = fmt.ui.gettext, fmt.ui.ngettext
    parts = []
    for e in edges:
        if e["from"] in place and e["to"] in place:
            (x1, y1), (x2, y2) = place[e["from"]], place[e["to"]]
            stroke = 1 + 9 * e["visits"] / top
            parts.append(
                f'<line x1="{x1 + BOX_W}" y1="{y1 + BOX_H // 2}" x2="{x2}" y2="{y2 + BOX_H // 2}"'
                f' stroke="#4a6fa5" stroke-opacity="0.55" stroke-width="{stroke:.1f}">'
                f"<title>{escape(_edge(e, fmt))}</title></line>"
            )
    for node, (x, y) in place.items():
        counts = nodes[node]
        rate = counts["left_here"] / counts["reached"] if counts["reached"] else 0.0
        _box = ngettext(
            "%(num)s reached · %(rate)s left", "%(num)s reached · %(rate)s left", counts["reached"]
        )
        title = counts["title"] if len(counts["title"]) <= 24 else counts["title"][:23] + "…"
        parts.append(
            f"<g><title>{escape(_node(counts, rate, fmt))}</title>"
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'fill="{_shade(rate / worst if worst else 0.0)}" stroke="#333"/>'
            f'<text x="{x + 8}" y="{y + 18}" font-size="13" fill="#111">{escape(title)}</text>'
            f'<text x="{x + 8}" y="{y + 36}" font-size="12" fill="#222">'
            f"{escape(_box % {'num': fmt.number(counts['reached']), 'rate': fmt.percent(rate)})}"
            "</text></g>"
        )
    label = _(
        "Flow diagram: each node shaded by the share of readers who left there (darker: more), "
        "each line as thick as the traffic along it"
    )
    return _svg(width, height, label, "".join(parts))


def _edge(edge: dict[str, Any], fmt: Formats) -> str:
    return fmt.ui.ngettext(
        "%(from)s to %(to)s: %(num)s visit", "%(from)s to %(to)s: %(num)s visits", edge["visits"]
    ) % {"from": edge["from"], "to": edge["to"], "num": fmt.number(edge["visits"])}


def _node(counts: dict[str, Any], rate: float, fmt: Formats) -> str:
    return fmt.ui.gettext("%(title)s: reached %(reached)s, left here %(left)s (%(rate)s)") % {
        "title": counts["title"],
        "reached": fmt.number(counts["reached"]),
        "left": fmt.number(counts["left_here"]),
        "rate": fmt.percent(rate),
    }


def solve_rates(fixes: dict[str, Any], titles: dict[str, str], fmt: Formats = PLAIN) -> str:
    rows = [(n, f) for n, f in fixes.items() if f["solve_rate"] is not None]
    parts = []
    for i, (node, fix) in enumerate(rows):
        y, rate = 10 + i * 30, fix["solve_rate"]
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="13" fill="#111">'
            f"{escape(titles.get(node, node)[:34])}</text>"
            f'<rect x="260" y="{y}" width="{300 * rate:.1f}" height="20" fill="#2e7d32"/>'
            f'<rect x="{260 + 300 * rate:.1f}" y="{y}" width="{300 * (1 - rate):.1f}" '
            'height="20" fill="#e0e0e0"/>'
            f'<text x="570" y="{y + 15}" font-size="13" fill="#111">{escape(_of(rate, fix, fmt))}'
            "</text>"
        )
    return _svg(660, 20 + 30 * len(rows), fmt.ui.gettext("Solve rate per fix"), "".join(parts))


def _of(rate: float, fix: dict[str, Any], fmt: Formats) -> str:
    """ "50% of 12": the share of readers this fix solved it for."""
    answered = fix["solved"] + fix["not_solved"]
    return fmt.ui.ngettext("%(rate)s of %(num)s", "%(rate)s of %(num)s", answered) % {
        "rate": fmt.percent(rate),
        "num": fmt.number(answered),
    }


def feedback_over_time(days: list[dict[str, Any]], fmt: Formats = PLAIN) -> str:
    top = max((d["helpful"] + d["not_helpful"] for d in days), default=1) or 1
    bar = max(8, min(40, 600 // max(len(days), 1)))
    parts = []
    for i, day in enumerate(days):
        x = 40 + i * (bar + 4)
        yes_h, no_h = 160 * day["helpful"] / top, 160 * day["not_helpful"] / top
        parts.append(
            f"<g><title>{escape(_day(day, fmt))}</title>"
            f'<rect x="{x}" y="{180 - yes_h:.1f}" width="{bar}" height="{yes_h:.1f}" '
            'fill="#2e7d32"/>'
            f'<rect x="{x}" y="{180 - yes_h - no_h:.1f}" width="{bar}" height="{no_h:.1f}" '
            'fill="#c62828"/></g>'
        )
    width = 60 + len(days) * (bar + 4)
    legend = ""
    if days:
        first, last = escape(fmt.day(days[0]["day"])), escape(fmt.day(days[-1]["day"]))
        legend = (
            f'<text x="40" y="200" font-size="12" fill="#111">{first}</text>'
            f'<text x="{width - 90}" y="200" font-size="12" fill="#111">{last}</text>'
        )
    label = fmt.ui.gettext(
        "Feedback over time: helpful (green) and not helpful (red) answers per day"
    )
    return _svg(max(width, 260), 210, label, "".join(parts) + legend)


def _day(day: dict[str, Any], fmt: Formats) -> str:
    return fmt.ui.gettext("%(day)s: %(helpful)s helpful, %(not_helpful)s not helpful") % {
        "day": fmt.day(day["day"]),
        "helpful": fmt.number(day["helpful"]),
        "not_helpful": fmt.number(day["not_helpful"]),
    }
