"""Large, realistic-shaped flows for benchmarks: a channel question up front (so later rules
have an answer to look at), then layers of questions and fixes fanning out to outcomes."""

from __future__ import annotations

import random
import sys

import yaml


def generate(nodes: int, *, seed: int = 7) -> dict[str, object]:
    rng = random.Random(seed)
    body: dict[str, dict[str, object]] = {}
    outcomes = ["call_us", "call_shop", "done"]
    body["channel"] = {
        "kind": "question",
        "prompt": "Where did you buy {product}?",
        "help": "We ask so we can send you to the **right people** at the end.",
        "choices": [
            {"id": "shop", "label": "In a shop", "to": "n0"},
            {"id": "web", "label": "Online", "to": "n0"},
        ],
    }
    inner = nodes - len(body) - len(outcomes)
    for i in range(inner):
        later = [f"n{j}" for j in range(i + 1, min(inner, i + 40))] or outcomes
        # The first way on always leads to the next node, so every node is reachable.
        following = later[0]
        node_id = f"n{i}"
        if rng.random() < 0.5:
            body[node_id] = {
                "kind": "question",
                "prompt": f"Question {i}: which of these describes the problem best?",
                "help": "Pick the **closest** match; you can change it later.",
                "choices": [
                    {
                        "id": f"c{c}",
                        "label": f"Option {c} for question {i}",
                        "to": following if c == 0 else rng.choice(later),
                    }
                    for c in range(rng.randint(2, 4))
                ],
            }
        else:
            body[node_id] = {
                "kind": "fix",
                "title": f"Fix number {i}",
                "body": f"Try this first. It solves most *cases* like number {i}.",
                "steps": [
                    "Open **Settings** and choose *Account*.",
                    "Select [Sign out]({portal_url}) and sign in again.",
                    "Restart the app.",
                ],
                "links": [{"label": "Account portal", "url": "{portal_url}"}],
                "solved": "done",
                "not_solved": [
                    {"when": {"channel": "shop"}, "to": "call_shop"},
                    {"to": following},
                ],
            }
    body["done"] = {"kind": "outcome", "resolution": "solved", "title": "Fixed", "body": "Great."}
    for name in ("call_shop", "call_us"):
        body[name] = {
            "kind": "outcome",
            "resolution": "escalate",
            "title": "Contact support",
            "body": "They can help.",
            "contacts": [{"name": "Support", "url": "{portal_url}"}],
        }
    return {
        "helpflow": 1,
        "id": f"generated-{nodes}",
        "title": "Generated {product} flow",
        "intro": "A generated flow for benchmarks.",
        "start": "channel",
        "vars": {
            "product": {"default": "Widget"},
            "portal_url": {"default": "https://example.com/account"},
        },
        "nodes": body,
    }


def generate_yaml(nodes: int, *, seed: int = 7) -> str:
    return yaml.safe_dump(generate(nodes, seed=seed), sort_keys=False, width=100)


if __name__ == "__main__":
    sys.stdout.write(generate_yaml(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
