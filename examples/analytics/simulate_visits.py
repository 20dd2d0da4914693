"""Simulate readers walking the bundled flow, record their events, and build the report.

    python examples/analytics/simulate_visits.py --visits 10000 --events /tmp/demo.db \
        --html /tmp/report.html

Readers choose at random with a bias (some fixes work more often than others), sometimes give
up, go back, or answer "Was this helpful?". The events go through the same store the server
uses, so `helpflow report --events /tmp/demo.db` reads them too.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import helpflow
from helpflow.events import Event, new_visit, open_store
from helpflow.report import build
from helpflow.report.formats import render

ROOT = Path(__file__).resolve().parents[2]
FLOW = ROOT / "flows" / "account-login.yaml"
DAY_MS = 86_400_000


def simulate(flow: helpflow.CompiledFlow, store: object, visits: int, seed: int) -> None:
    rng = random.Random(seed)
    record = store.record  # type: ignore[attr-defined]
    start_ms = 1_767_225_600_000  # 2026-01-01
    # Fixed per-fix solve odds, so the chart shows that some fixes work better than others.
    odds = {node: rng.uniform(0.3, 0.85) for node in flow.flow.nodes}
    for i in range(visits):
        at = start_ms + (i * 30 * DAY_MS) // visits
        visit, session = new_visit(), flow.start()
        ev = dict(flow=flow.id, version=flow.version, visit=visit)
        record(Event("started", at=at, **ev))  # type: ignore[arg-type]
        while True:
            step = flow.step(session)
            record(Event("reached", node=step.node_id, resolution=step.outcome, at=at, **ev))  # type: ignore[arg-type]
            if step.finished or rng.random() < 0.06:  # done, or gave up here
                if step.kind != "question" and rng.random() < 0.3:
                    helpful = rng.random() < (0.75 if step.outcome == "solved" else 0.45)
                    record(Event("feedback", node=step.node_id, helpful=helpful, at=at, **ev))  # type: ignore[arg-type]
                break
            ids = [c.id for c in step.choices]
            if "solved" in ids:
                choice = "solved" if rng.random() < odds[step.node_id] else "not_solved"
            else:
                choice = rng.choice(ids)
            if session.answers and rng.random() < 0.04:
                record(Event("back", at=at, **ev))  # type: ignore[arg-type]
                session = flow.back(session)
                continue
            record(Event("answered", node=step.node_id, choice=choice, at=at, **ev))  # type: ignore[arg-type]
            session = flow.choose(session, choice)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--events", default="demo-events.db")
    parser.add_argument("--html", default="report.html")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    flow = helpflow.load(FLOW)
    store = open_store(args.events)
    simulate(flow, store, args.visits, args.seed)
    store.flush()
    report = build(store.events(), flows=str(FLOW))
    store.close()
    Path(args.html).write_text(render(report, "html"), encoding="utf-8")
    print(f"{args.visits} visits simulated; report in {args.html}")


if __name__ == "__main__":
    main()
