"""Where each part of a merged flow was written: file and YAML node, for `path:line:col`.

Positions are looked up only when something is wrong (lint, validation), so the happy path
keeps the node tree and pays nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yaml.nodes import Node

from helpflow import yamltree
from helpflow.diagnostics import Diagnostic, shown
from helpflow.model import Flow


@dataclass(frozen=True)
class Source:
    """Where a piece of the flow was written: its file and its YAML node."""

    path: str
    node: Node


@dataclass
class SourceMap:
    """Finds the file position of any part of a merged flow, for diagnostics."""

    main: Source
    nodes: dict[str, Source] = field(default_factory=dict)
    vars: dict[str, Source] = field(default_factory=dict)

    def resolve(self, loc: tuple[str | int, ...]) -> tuple[Source, tuple[str | int, ...]]:
        """The file a location lives in, and the rest of the location inside that file."""
        if len(loc) >= 2 and loc[0] in ("nodes", "vars"):
            table = self.nodes if loc[0] == "nodes" else self.vars
            found = table.get(str(loc[1]))
            if found is not None:
                return found, loc[2:]
        return self.main, loc

    def find(self, loc: tuple[str | int, ...]) -> tuple[str, Node | None, Node]:
        source, rest = self.resolve(loc)
        key_node, node, _ = yamltree.find(source.node, rest)
        return source.path, key_node, node

    def describe(self, loc: tuple[str | int, ...]) -> str:
        """`node 'x': choices[0].to` for ("nodes", "x", "question", "choices", 0, "to", "node"):
        only the parts that are really written in the file."""
        source, rest = self.resolve(loc)
        prefix = ""
        if rest is not loc:
            prefix = f"{'node' if loc[0] == 'nodes' else 'var'} {shown(loc[1])}"
        followed = yamltree.find(source.node, rest)[2]
        path = "".join(
            f"[{part}]" if isinstance(part, int) else ("." if i else "") + part
            for i, part in enumerate(followed)
        )
        return ": ".join(p for p in (prefix, path) if p)

    def locate(self, loc: tuple[str | int, ...], *, key: bool = False) -> tuple[str, int, int]:
        """(path, 1-based line, 1-based column) of `loc`, e.g. ("nodes", "x", "choices", 0)."""
        path, key_node, node = self.find(loc)
        return position(path, key_node if key and key_node is not None else node)

    def diagnostic(
        self,
        loc: tuple[str | int, ...],
        code: str,
        message: str,
        *,
        severity: str = "error",
        key: bool = False,
        node: str | None = None,
        witness: tuple[str, ...] = (),
    ) -> Diagnostic:
        path, line, col = self.locate(loc, key=key)
        return Diagnostic(path, line, col, severity, code, message, node, witness)  # type: ignore[arg-type]


def position(path: str, node: Node) -> tuple[str, int, int]:
    mark = node.start_mark
    return path, mark.line + 1, mark.column + 1


@dataclass(frozen=True)
class LoadedFlow:
    """A validated flow plus where each of its parts came from."""

    flow: Flow
    sources: SourceMap
