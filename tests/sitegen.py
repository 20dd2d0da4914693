"""Flows for static-site tests: intake questions whose answers only a late rule looks at (the
shape that multiplied pages), as YAML text."""

from __future__ import annotations

from typing import Any

import yaml


def intake_flow(questions: int, *, choices: int = 3, fixes: int = 4) -> str:
    """`questions` intake questions, then a few fixes, then one "who to contact" rule that
    looks at every intake answer through `all`/`any`/`not`."""
    ids = [f"q{i}" for i in range(questions)]
    opts = [f"o{c}" for c in range(choices)]
    nodes: dict[str, Any] = {}
    for i, q in enumerate(ids):
        nxt = ids[i + 1] if i + 1 < questions else "fix0"
        nodes[q] = {
            "kind": "question",
            "prompt": f"Intake question {i}",
            "choices": [{"id": o, "label": f"Option {o}", "to": nxt} for o in opts],
        }
    rules: list[dict[str, Any]] = []
    for i, q in enumerate(ids):
        other = ids[(i + 1) % questions]
        kinds = [
            {"all": [{q: opts[0]}, {other: opts[1:] or [opts[0]]}]},
            {"any": [{q: opts[1 % choices]}, {"not": {other: opts[0]}}]},
            {q: opts[-1]},
        ]
        rules.append({"when": kinds[i % 3], "to": f"contact{i}"})
    rules.append({"to": "support"})
    for f in range(fixes):
        nodes[f"fix{f}"] = {
            "kind": "fix",
            "title": f"Fix {f}",
            "steps": ["Try this."],
            "solved": "solved",
            "not_solved": f"fix{f + 1}" if f + 1 < fixes else rules,
        }
    for i in range(questions):
        nodes[f"contact{i}"] = {
            "kind": "outcome",
            "resolution": "escalate",
            "title": f"Contact team {i}",
            "body": "They can help.",
        }
    nodes["support"] = {
        "kind": "outcome",
        "resolution": "escalate",
        "title": "Support",
        "body": "x",
    }
    nodes["solved"] = {"kind": "outcome", "resolution": "solved", "title": "Solved", "body": "x"}
    flow = {"helpflow": 1, "id": "intake", "title": "Intake", "start": ids[0], "nodes": nodes}
    return yaml.safe_dump(flow, sort_keys=False)
