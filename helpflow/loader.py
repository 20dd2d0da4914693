"""Flow files → validated `Flow` models, with `path:line:col` on every problem.

All problems of a file (and the files it includes) are collected before anything is raised, so
an author fixes them in one pass.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import Node, ScalarNode

from helpflow import _yamlsrc
from helpflow.diagnostics import Diagnostic, did_you_mean, sort_key
from helpflow.errors import FlowFileError
from helpflow.model import KNOWN_KEYS, Flow, FlowFragment

#: Bigger files are refused before they are read: a help flow is hand-written text.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024

_FRAGMENT_KEYS = tuple(FlowFragment.model_fields)


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
        key_node, node, _ = _yamlsrc.find(source.node, rest)
        return source.path, key_node, node

    def describe(self, loc: tuple[str | int, ...]) -> str:
        """`node 'x': choices[0].to` for ("nodes", "x", "question", "choices", 0, "to", "node"):
        only the parts that are really written in the file."""
        source, rest = self.resolve(loc)
        prefix = ""
        if rest is not loc:
            prefix = f"{'node' if loc[0] == 'nodes' else 'var'} {loc[1]!r}"
        followed = _yamlsrc.find(source.node, rest)[2]
        path = "".join(
            f"[{part}]" if isinstance(part, int) else ("." if i else "") + part
            for i, part in enumerate(followed)
        )
        return ": ".join(p for p in (prefix, path) if p)

    def locate(self, loc: tuple[str | int, ...], *, key: bool = False) -> tuple[str, int, int]:
        """(path, 1-based line, 1-based column) of `loc`, e.g. ("nodes", "x", "choices", 0)."""
        path, key_node, node = self.find(loc)
        return _position(path, key_node if key and key_node is not None else node)

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


def _position(path: str, node: Node) -> tuple[str, int, int]:
    mark = node.start_mark
    return path, mark.line + 1, mark.column + 1


@dataclass(frozen=True)
class LoadedFlow:
    """A validated flow plus where each of its parts came from."""

    flow: Flow
    sources: SourceMap


def load_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedFlow:
    """Read, check and merge a flow file and its includes. Raises `FlowFileError`."""
    return _Reader(max_bytes).read_main(Path(path))


def load_text(text: str, *, path: str = "<string>") -> LoadedFlow:
    """Like `load_file` for text in memory; includes resolve against the current folder."""
    return _Reader(DEFAULT_MAX_BYTES).read_main(Path(path), text=text)


class _Reader:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.problems: list[Diagnostic] = []

    def read_main(self, path: Path, text: str | None = None) -> LoadedFlow:
        shown = str(path)
        doc = self._document(path, shown, text)
        if doc is None or doc.root is None:
            raise FlowFileError(sorted(self.problems, key=sort_key))
        sources = SourceMap(Source(shown, doc.root))
        data = doc.data
        if not isinstance(data, dict):
            self._add(shown, doc.root, "not-a-mapping", "a flow file must be a mapping of keys")
            raise FlowFileError(self.problems)
        self._record(sources, data, shown, doc.root)
        merged = dict(data)
        for table in ("nodes", "vars"):
            # Copies, so that merging includes never changes what the file itself said.
            if isinstance(data.get(table), dict):
                merged[table] = dict(data[table])
        if "vars" not in merged:
            merged["vars"] = {}
        self._includes(path, shown, doc.root, data, merged, sources, stack=(path.resolve(),))
        flow: Flow | None = None
        try:
            flow = Flow.model_validate(merged)
        except ValidationError as exc:
            # Where the YAML itself was refused (an alias, a merge key), the model's complaint
            # about the hole that left is noise.
            refused = {(d.path, d.line, d.col) for d in self.problems}
            self.problems.extend(
                d for d in _translate(exc, sources) if (d.path, d.line, d.col) not in refused
            )
        if self.problems or flow is None:
            raise FlowFileError(sorted(self.problems, key=sort_key))
        return LoadedFlow(flow, sources)

    def _add(self, path: str, node: Node | None, code: str, message: str) -> None:
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        self.problems.append(Diagnostic(path, line, col, "error", code, message))

    def _document(self, path: Path, shown: str, text: str | None) -> _yamlsrc.Document | None:
        if text is None:
            try:
                size = path.stat().st_size
                if size > self.max_bytes:
                    self._add(
                        shown,
                        None,
                        "file-too-large",
                        f"file is {size:,} bytes; the limit is {self.max_bytes:,}",
                    )
                    return None
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                self._add(shown, None, "encoding", f"not UTF-8 text ({exc.reason})")
                return None
            except OSError as exc:
                self._add(shown, None, "unreadable", f"cannot read file: {exc.strerror or exc}")
                return None
        elif len(text.encode("utf-8", "surrogatepass")) > self.max_bytes:
            self._add(shown, None, "file-too-large", f"text is over {self.max_bytes:,} bytes")
            return None
        doc = _yamlsrc.compose(text)
        for p in doc.problems:
            self.problems.append(
                Diagnostic(shown, p.line + 1, p.col + 1, "error", p.code, p.message)
            )
        return doc

    def _record(self, sources: SourceMap, data: dict[str, Any], shown: str, root: Node) -> None:
        for table_name in ("nodes", "vars"):
            table = getattr(sources, table_name)
            for key_node, value_node in _yamlsrc.mapping_items(
                _yamlsrc.find(root, (table_name,))[1]
            ):
                if isinstance(key_node, ScalarNode) and isinstance(data.get(table_name), dict):
                    table.setdefault(key_node.value, Source(shown, value_node))

    def _includes(
        self,
        path: Path,
        shown: str,
        root: Node,
        data: dict[str, Any],
        merged: dict[str, Any],
        sources: SourceMap,
        stack: tuple[Path, ...],
    ) -> None:
        includes = data.get("include") or []
        if not isinstance(includes, list):
            return  # the model reports the wrong type with its position
        for index, entry in enumerate(includes):
            entry_node = _yamlsrc.find(root, ("include", index))[1]
            if not isinstance(entry, str):
                continue
            target = (path.parent / entry).resolve()
            # Shown relative to the including file as the author sees it, not to our cwd.
            target_shown = os.path.normpath(os.path.join(os.path.dirname(shown), entry))
            if target in stack:
                chain = " → ".join(p.name for p in (*stack, target))
                self._add(shown, entry_node, "include-cycle", f"include cycle: {chain}")
                continue
            if not target.is_file():
                self._add(
                    shown, entry_node, "include-missing", f"included file {entry!r} does not exist"
                )
                continue
            doc = self._document(target, target_shown, None)
            if doc is None or doc.root is None:
                continue
            fragment = doc.data
            if not isinstance(fragment, dict):
                self._add(
                    target_shown, doc.root, "not-a-mapping", "an included file must be a mapping"
                )
                continue
            self._check_fragment(target_shown, doc.root, fragment)
            self._merge(target_shown, doc.root, fragment, merged, sources)
            self._includes(
                target, target_shown, doc.root, fragment, merged, sources, (*stack, target)
            )

    def _check_fragment(self, shown: str, root: Node, fragment: dict[str, Any]) -> None:
        # Only the fragment's own top level is checked here: its nodes and vars are validated
        # once, as part of the merged flow, so nothing is reported twice.
        for key in fragment:
            if key not in _FRAGMENT_KEYS:
                key_node = _yamlsrc.find(root, (key,))[0]
                allowed = ", ".join(_FRAGMENT_KEYS)
                self._add(
                    shown,
                    key_node,
                    "unknown-key",
                    f"unknown key {key!r} in an included file (it may hold {allowed})"
                    + did_you_mean(key, _FRAGMENT_KEYS),
                )
        if fragment.get("helpflow") != 1:
            where = _yamlsrc.find(root, ("helpflow",))[1] if "helpflow" in fragment else root
            self._add(shown, where, "format-version", "an included file needs 'helpflow: 1'")

    def _merge(
        self,
        shown: str,
        root: Node,
        fragment: dict[str, Any],
        merged: dict[str, Any],
        sources: SourceMap,
    ) -> None:
        for table_name in ("nodes", "vars"):
            table = fragment.get(table_name)
            target = merged.get(table_name)
            if not isinstance(table, dict) or not isinstance(target, dict):
                continue
            existing: dict[str, Source] = getattr(sources, table_name)
            for key_node, value_node in _yamlsrc.mapping_items(
                _yamlsrc.find(root, (table_name,))[1]
            ):
                name = key_node.value
                if name not in table:
                    continue
                if name in target:
                    first = existing[name]
                    first_path, first_line, first_col = _position(first.path, first.node)
                    what = "node" if table_name == "nodes" else "var"
                    self._add(
                        shown,
                        key_node,
                        f"duplicate-{what}",
                        f"{what} {name!r} is already defined at "
                        f"{first_path}:{first_line}:{first_col}",
                    )
                    continue
                target[name] = table[name]
                existing[name] = Source(shown, value_node)


# --- pydantic errors → diagnostics ----------------------------------------------------------


def _translate(exc: ValidationError, sources: SourceMap) -> list[Diagnostic]:
    out = []
    errors = exc.errors(include_url=False)
    locs = [tuple(err["loc"]) for err in errors]
    for err, loc in zip(errors, locs, strict=True):
        kind = err["type"]
        if kind == "too_short" and any(o != loc and o[: len(loc)] == loc for o in locs):
            continue  # pydantic counts only the items that validated; the items' errors say more
        code, message = _message(err, loc, sources)
        node = str(loc[1]) if len(loc) >= 2 and loc[0] == "nodes" else None
        key = kind == "extra_forbidden"
        # The key itself is named in the message for these two.
        where = sources.describe(loc[:-1] if kind in ("extra_forbidden", "missing") else loc)
        text = f"{where}: {message}" if where else message
        at = (*loc, "kind") if kind == "union_tag_invalid" else loc
        out.append(sources.diagnostic(at, code, text, key=key, node=node))
    return _dedupe(out)


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
        return "unknown-key", f"unknown key {last!r}{did_you_mean(str(last), sorted(KNOWN_KEYS))}"
    if kind == "missing":
        return "missing-key", f"missing required key {last!r}"
    if kind == "union_tag_not_found":
        return "missing-key", "missing required key 'kind' (question, fix or outcome)"
    if kind == "union_tag_invalid":
        kinds = ["question", "fix", "outcome"]
        tag = str(err.get("ctx", {}).get("tag", value))
        return "wrong-value", f"unknown kind {tag!r}; use one of {', '.join(kinds)}" + (
            did_you_mean(tag, kinds)
        )
    if (kind in ("string_type", "literal_error") and isinstance(value, (bool, int, float))) or (
        kind == "string_type" and value is not None and not isinstance(value, (dict, list))
    ):
        return "wrong-type", _quote_hint(err, loc, sources, value)
    if kind == "string_pattern_mismatch":
        return (
            "bad-id",
            f"{value!r} is not a valid id: start with a letter or digit, "
            "then use letters, digits, '_' or '-'",
        )
    if kind == "value_error":
        return "wrong-value", str(err["msg"]).removeprefix("Value error, ")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "wrong-type", f"expected a mapping, got {_yamlsrc.type_name(value)}"
    if kind in ("tuple_type", "list_type"):
        return "wrong-type", f"expected a list, got {_yamlsrc.type_name(value)}"
    if kind == "string_type":
        return "wrong-type", f"expected text, got {_yamlsrc.type_name(value)}"
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
    message = f"expected {expected}, got {_yamlsrc.type_name(value)} {raw}"
    if isinstance(node, ScalarNode) and not node.style:  # plain, unquoted scalar
        message += f'; YAML reads an unquoted {raw} that way: write "{raw}" in quotes'
    return message
