"""Outcome analytics built from stored events (never from logs): per node how many readers
reached it, left there, or went back; per fix how often it solved the problem; per outcome how
often it was reached and found helpful; escalation overall and per earlier answer; the paths
most taken. `build` returns plain data keyed by node ids; `formats` writes it as JSON, CSV or
an HTML page with charts."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpflow.events.model import Event

TOP_PATHS = 10


@dataclass
class _Visit:
    last: str | None = None
    ended: bool = False  # reached an outcome
    escalated: bool = False
    answers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Flow:
    versions: set[str] = field(default_factory=set)
    reached: Counter[str] = field(default_factory=Counter)
    back: Counter[str] = field(default_factory=Counter)
    choices: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    edges: Counter[tuple[str, str]] = field(default_factory=Counter)
    resolution: dict[str, str] = field(default_factory=dict)
    helpful: defaultdict[str, Counter[bool]] = field(default_factory=lambda: defaultdict(Counter))
    comments: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_day: defaultdict[str, Counter[bool]] = field(default_factory=lambda: defaultdict(Counter))
    visits: dict[str, _Visit] = field(default_factory=dict)


def _fold(events: Iterable[Event]) -> dict[str, _Flow]:
    flows: dict[str, _Flow] = {}
    for e in events:
        f = flows.setdefault(e.flow, _Flow())
        f.versions.add(e.version)
        visit = f.visits.setdefault(e.visit, _Visit())
        if e.type == "reached" and e.node:
            f.reached[e.node] += 1
            if visit.last is not None and visit.last != e.node:
                f.edges[visit.last, e.node] += 1
            visit.last = e.node
            if e.resolution:
                f.resolution[e.node] = e.resolution
                visit.ended = True
                visit.escalated = visit.escalated or e.resolution == "escalate"
        elif e.type in ("answered", "changed") and e.node and e.choice:
            f.choices[e.node][e.choice] += 1
            visit.answers.append((e.node, e.choice))
        elif e.type == "back" and visit.last:
            f.back[visit.last] += 1
        elif e.type in ("restart", "started"):
            visit.answers.clear()
            visit.last = None
        elif e.type == "feedback" and e.node and e.helpful is not None:
            f.helpful[e.node][e.helpful] += 1
            day = dt.datetime.fromtimestamp(e.at / 1000, dt.timezone.utc).date().isoformat()
            f.by_day[day][e.helpful] += 1
            if e.comment:
                f.comments[e.node].append(e.comment)
    return flows


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _flow_report(f: _Flow, titles: dict[str, str]) -> dict[str, Any]:
    left = Counter(v.last for v in f.visits.values() if v.last and not v.ended)
    nodes = {
        node: {
            "title": titles.get(node, node),
            "reached": f.reached[node],
            "left_here": left[node],
            "back": f.back[node],
            "choices": dict(f.choices[node]),
        }
        for node in sorted(set(f.reached) | set(f.choices), key=lambda n: -f.reached[n])
    }
    fixes = {
        node: {
            "solved": c["solved"],
            "not_solved": c["not_solved"],
            "solve_rate": _rate(c["solved"], c["solved"] + c["not_solved"]),
        }
        for node, c in f.choices.items()
        if "solved" in c or "not_solved" in c
    }
    outcomes = {
        node: {
            "resolution": resolution,
            "reached": f.reached[node],
            "helpful": f.helpful[node][True],
            "not_helpful": f.helpful[node][False],
            "comments": f.comments[node],
        }
        for node, resolution in f.resolution.items()
    }
    for node in fixes:
        fixes[node].update(helpful=f.helpful[node][True], not_helpful=f.helpful[node][False])
    visits = [v for v in f.visits.values() if v.last is not None]
    per_answer: defaultdict[str, defaultdict[str, Counter[str]]] = defaultdict(
        lambda: defaultdict(Counter)
    )
    for v in visits:
        for node, choice in dict(v.answers).items():
            per_answer[node][choice]["visits"] += 1
            per_answer[node][choice]["escalated"] += v.escalated
    paths = Counter(" > ".join(f"{n}={c}" for n, c in v.answers) for v in visits if v.ended)
    return {
        "versions": sorted(f.versions),
        "visits": len(visits),
        "escalation": {
            "rate": _rate(sum(v.escalated for v in visits), len(visits)),
            "by_answer": {
                node: {
                    choice: {**c, "rate": _rate(c["escalated"], c["visits"])}
                    for choice, c in choices.items()
                }
                for node, choices in per_answer.items()
            },
        },
        "nodes": nodes,
        "fixes": fixes,
        "outcomes": outcomes,
        "edges": [{"from": a, "to": b, "visits": n} for (a, b), n in f.edges.most_common()],
        "paths": [{"path": p, "visits": n} for p, n in paths.most_common(TOP_PATHS)],
        "feedback_by_day": [
            {"day": day, "helpful": c[True], "not_helpful": c[False]}
            for day, c in sorted(f.by_day.items())
        ],
    }


def _titles(path: str | None, lang: str | None = None) -> dict[str, dict[str, str]]:
    """Node titles per flow id, in `lang` for the flows that have a catalog for it."""
    if not path:
        return {}
    from helpflow import i18n
    from helpflow.errors import FlowFileError
    from helpflow.i18n.catalogs import catalog_path
    from helpflow.loader import load

    given = Path(path)
    titles = {}
    for file in [given] if given.is_file() else sorted(given.glob("*.y*ml")):
        try:
            flow = load(file)
        except FlowFileError:
            if given.is_file():
                raise
            continue  # an included fragment, not a flow
        if lang and catalog_path(file, flow.id, lang).is_file():
            flow = i18n.translated(flow, file, lang)
        titles[flow.id] = {node: flow.content(node).title for node in flow.flow.nodes}
    return titles


def build(
    events: Iterable[Event], *, flows: str | None = None, lang: str | None = None
) -> dict[str, Any]:
    """The report for `events`; `flows` (a flow file or folder) supplies node titles, in
    `lang` where a flow is translated into it."""
    titles = _titles(flows, lang)
    folded = _fold(events)
    return {
        "flows": {fid: _flow_report(f, titles.get(fid, {})) for fid, f in sorted(folded.items())}
    }


__all__ = ["build"]
