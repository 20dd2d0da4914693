"""The flow drawn as a graph, in Mermaid or Graphviz dot.

Nodes are labelled with their titles and shaped by kind (question: diamond, fix: box,
outcome: rounded); edges carry the choice label; edges taken only when a `when` rule holds are
dashed and say so; nodes that cannot be reached from the start are highlighted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from helpflow import graph
from helpflow.engine import CompiledFlow
from helpflow.renderer import Renderer


@dataclass(frozen=True)
class _Edge:
    source: str
    target: str
    label: str
    conditional: bool


def _edges(flow: CompiledFlow) -> Iterator[_Edge]:
    specs = graph.all_choices(flow.flow)
    for node_id, node_specs in specs.items():
        labels = flow.content(node_id).choice_labels
        for spec in node_specs:
            for edge in graph.edges(node_id, [spec]):
                conditional = edge.when is not None or spec.when is not None
                yield _Edge(node_id, edge.target, labels[spec.id], conditional)


def _unreachable(flow: CompiledFlow) -> set[str]:
    reached = graph.search(flow.flow.start, graph.adjacency(graph.all_choices(flow.flow)))
    return set(flow.flow.nodes) - set(reached)


class MermaidRenderer(Renderer):
    name: ClassVar[str] = "mermaid"

    @staticmethod
    def _text(text: str) -> str:
        return '"' + text.replace('"', "#quot;").replace("\n", " ") + '"'

    def render_flow(self, flow: CompiledFlow) -> str:
        shapes = {"question": ("{", "}"), "fix": ("[", "]"), "outcome": ("([", "])")}
        lines = ["flowchart TD"]
        for node_id, node in flow.flow.nodes.items():
            left, right = shapes[node.kind]
            lines.append(f"    {node_id}{left}{self._text(flow.content(node_id).title)}{right}")
        for edge in _edges(flow):
            arrow = "-.->" if edge.conditional else "-->"
            label = edge.label + (" (conditional)" if edge.conditional else "")
            lines.append(f"    {edge.source} {arrow}|{self._text(label)}| {edge.target}")
        lines.append("    classDef unreachable fill:#fde2e2,stroke:#b00020,stroke-dasharray:4 3")
        lines.extend(f"    class {node} unreachable" for node in sorted(_unreachable(flow)))
        return "\n".join(lines) + "\n"


class DotRenderer(Renderer):
    name: ClassVar[str] = "dot"

    @staticmethod
    def _text(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    def render_flow(self, flow: CompiledFlow) -> str:
        shapes = {"question": "diamond", "fix": "box", "outcome": "box, style=rounded"}
        unreachable = _unreachable(flow)
        q = self._text
        lines = [f"digraph {q(flow.id)} {{", "    rankdir=TB;", "    node [fontname=Helvetica];"]
        for node_id, node in flow.flow.nodes.items():
            extra = ", color=red, fontcolor=red, style=dashed" if node_id in unreachable else ""
            label = q(flow.content(node_id).title)
            lines.append(f"    {q(node_id)} [label={label}, shape={shapes[node.kind]}{extra}];")
        for edge in _edges(flow):
            style = ", style=dashed" if edge.conditional else ""
            label = q(edge.label + (" (conditional)" if edge.conditional else ""))
            lines.append(f"    {q(edge.source)} -> {q(edge.target)} [label={label}{style}];")
        lines.append("}")
        return "\n".join(lines) + "\n"


__all__ = ["DotRenderer", "MermaidRenderer"]
