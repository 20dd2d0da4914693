"""A flow's version: a hash of its normalized content, carried in every session token."""

from __future__ import annotations

import hashlib

from pydantic import TypeAdapter

from helpflow.model import AnyNode, Flow, Var

_NODE_JSON: TypeAdapter[AnyNode] = TypeAdapter(AnyNode)
_VAR_JSON: TypeAdapter[Var] = TypeAdapter(Var)


def flow_version(flow: Flow) -> str:
    """A hash of the flow's normalized content: equal flows have equal versions, whatever
    their formatting, comments, key order or the order of their nodes."""
    digest = hashlib.sha256()
    # `lang` names the language of the text, not its structure: translations share the version.
    # `ui` (added later) counts only when written: versions of flows without it stay as
    # they were, and so do their readers' tokens.
    unwritten = {"ui"} if not flow.ui else set()
    head = flow.model_dump_json(exclude={"include", "nodes", "vars", "lang", *unwritten})
    digest.update(head.encode())
    for table, adapter in ((flow.vars, _VAR_JSON), (flow.nodes, _NODE_JSON)):
        digest.update(b"\x00")
        for key in sorted(table):
            digest.update(key.encode() + b"\x00" + adapter.dump_json(table[key]))  # type: ignore[arg-type]
    return digest.hexdigest()[:12]
