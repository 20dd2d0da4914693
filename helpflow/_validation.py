"""pydantic's validation errors → diagnostics at the place in the file each one is about."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import ScalarNode

from helpflow import yamltree
from helpflow.diagnostics import MAX_REPORTED, UNREPORTED, Diagnostic, did_you_mean, shown, sort_key
from helpflow.model import KNOWN_KEYS

if TYPE_CHECKING:
    from helpflow.sourcemap import SourceMap


def translate(exc: ValidationError, sources: SourceMap) -> list[Diagnostic]:
    """One diagnostic per error pydantic found, in file order.

    Linear in the number of errors: only the first `MAX_REPORTED` (the ones an author will
    see) get messages; the rest are only counted.
    """
    errors = exc.errors(include_url=False)
    locs = [tuple(err["loc"]) for err in errors]
    parents = {loc[:n] for loc in locs for n in range(1, len(loc))}
    placed = []
    for err, loc in zip(errors, locs, strict=True):
        kind = err["type"]
        if kind == "too_short" and loc in parents:
            continue  # pydantic counts only the items that validated; the items' errors say more
        at = (*loc, "kind") if kind == "union_tag_invalid" else loc
        placed.append((sources.locate(at, key=kind == "extra_forbidden"), err, loc, at))
    placed.sort(key=lambda item: item[0])
    out = []
    # Past what the report shows, errors are only counted: no look-ups, no messages.
    unreported = [
        Diagnostic(*position, "error", UNREPORTED, err["type"])
        for position, err, _, _ in placed[MAX_REPORTED:]
    ]
    for _, err, loc, at in placed[:MAX_REPORTED]:
        kind = err["type"]
        code, message = _message(err, loc, sources)
        node = str(loc[1]) if len(loc) >= 2 and loc[0] == "nodes" else None
        # The key itself is named in the message for these two.
        where = sources.describe(loc[:-1] if kind in ("extra_forbidden", "missing") else loc)
        text = f"{where}: {message}" if where else message
        out.append(sources.diagnostic(at, code, text, key=kind == "extra_forbidden", node=node))
    return _dedupe(out) + unreported


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, int, int, str]] = set()
    result = []
    for d in diagnostics:
        k = sort_key(d)
        if k not in seen:
            seen.add(k)
            result.append(d)
    return result


def _message(err: ErrorDetails, loc: tuple[str | int, ...], sources: SourceMap) -> tuple[str, str]:
    kind = err["type"]
    value = err.get("input")
    last = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        hint = did_you_mean(str(last), sorted(KNOWN_KEYS))
        return "unknown-key", f"unknown key {shown(last)}{hint}"
    if kind == "missing":
        return "missing-key", f"missing required key {last!r}"
    if kind == "union_tag_not_found":
        return "missing-key", "missing required key 'kind' (question, fix or outcome)"
    if kind == "union_tag_invalid":
        kinds = ["question", "fix", "outcome"]
        tag = str(err.get("ctx", {}).get("tag", value))
        hint = did_you_mean(tag, kinds)
        return "wrong-value", f"unknown kind {shown(tag)}; use one of {', '.join(kinds)}{hint}"
    if (kind in ("string_type", "literal_error") and isinstance(value, (bool, int, float))) or (
        kind == "string_type" and value is not None and not isinstance(value, (dict, list))
    ):
        return "wrong-type", _quote_hint(err, loc, sources, value)
    if kind == "string_pattern_mismatch":
        return (
            "bad-id",
            f"{shown(value)} is not a valid id: start with a letter or digit, "
            "then use letters, digits, '_' or '-'",
        )
    if kind == "value_error":
        return "wrong-value", str(err["msg"]).removeprefix("Value error, ")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "wrong-type", f"expected a mapping, got {yamltree.type_name(value)}"
    if kind in ("tuple_type", "list_type"):
        return "wrong-type", f"expected a list, got {yamltree.type_name(value)}"
    if kind == "string_type":
        return "wrong-type", f"expected text, got {yamltree.type_name(value)}"
    if kind in ("too_short", "string_too_short"):
        return "empty", "must not be empty"
    msg = str(err["msg"])
    return "wrong-value", msg[:1].lower() + msg[1:]


def _quote_hint(
    err: ErrorDetails, loc: tuple[str | int, ...], sources: SourceMap, value: object
) -> str:
    _, _, node = sources.find(loc)
    raw = node.value if isinstance(node, ScalarNode) else str(value)
    expected = (
        "text" if err["type"] == "string_type" else str(err["msg"]).removeprefix("Input should be ")
    )
    message = f"expected {expected}, got {yamltree.type_name(value)} {raw}"
    if isinstance(node, ScalarNode) and not node.style:  # plain, unquoted scalar
        message += f'; YAML reads an unquoted {raw} that way: write "{raw}" in quotes'
    return message
