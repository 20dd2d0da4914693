"""The compiled flow as one JSON-able table, for clients that walk a flow without a server.

The embeddable widget walks this table in the browser. It holds each node's rendered, sanitized
content, its choices, and the `when` rules as data, so the client needs no flow logic beyond
evaluating that tiny grammar. Where each choice goes is read from the transition table derived
from the flow's state machine (`CompiledFlow.compiled.table`), the one the server's hot path
follows, so browser, server and machine cannot disagree.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from helpflow import routes
from helpflow.conditions import normal_form
from helpflow.engine import CompiledFlow
from helpflow.model import OutcomeNode
from helpflow.noderender import NodeContent, NodeRenderer

TABLE_FORMAT = "helpflow.table/1"
#: `{answers.NODE}` in the table's text: RECALL_OPEN + NODE + RECALL_CLOSE, which the client
#: replaces with the label of the reader's latest answer at NODE (private-use characters, so
#: neither Markdown, the sanitizer nor HTML escaping touches them).
RECALL_OPEN, RECALL_CLOSE = "\ue000", "\ue001"


class _RecallMarks(dict[str, str]):
    """Answers that are not known yet: each recalled answer becomes its marker."""

    def get(self, key: str, default: str | None = None) -> str:  # type: ignore[override]
        return f"{RECALL_OPEN}{key}{RECALL_CLOSE}"


def _content(flow: CompiledFlow, node_id: str) -> NodeContent:
    """The node's content as the table carries it: every step with its `when`, and each
    recalled answer as a marker (the engine's shared content shows "your answer" there)."""
    content = flow.content(node_id)
    if not content.personal:
        return content
    labels = {o.id: o.label for o in flow.compiled.options[node_id].values()}
    texts = NodeRenderer(flow.vars, flow.compiled.templates, _RecallMarks(), ui=flow.ui.gettext)
    return texts.node(flow.flow.nodes[node_id], labels)


def flow_table(flow: CompiledFlow) -> dict[str, Any]:
    nodes: dict[str, Any] = {}
    machine = flow.compiled.table  # derived from the state machine, as the server's hot path reads
    for node_id, node in flow.flow.nodes.items():
        content = _content(flow, node_id)
        by_choice = machine.get(node_id, {})
        choices = [
            {
                "id": spec.id,
                "label": content.choice_labels[spec.id],
                "when": normal_form(spec.when),
                "to": [
                    {"when": normal_form(when), "to": dest} for _, dest, when in by_choice[spec.id]
                ],
            }
            for spec in routes.choices(node_id, node)
        ]
        nodes[node_id] = {
            "kind": node.kind,
            "title": content.title,
            "body": content.body.html,
            "steps": [s.html for s in content.steps],
            # Per-variant steps: the `when` of each step (null: always shown).
            "step_when": [normal_form(w) for w in content.step_whens],
            "after": content.after.html,
            "ask": content.ask,
            "links_title": content.links_title,
            "links": [{"label": link.label, "url": link.url} for link in content.links],
            "contacts": [
                {k: v for k, v in dataclasses.asdict(c).items() if v} for c in content.contacts
            ],
            "resolution": node.resolution if isinstance(node, OutcomeNode) else None,
            "choices": choices,
        }
    return {
        "format": TABLE_FORMAT,
        "id": flow.id,
        "version": flow.version,
        "title": flow.info.title,
        "intro": flow.info.intro.html,
        "applies_to": list(flow.info.applies_to),
        "start": flow.flow.start,
        "nodes": nodes,
    }
