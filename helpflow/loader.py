"""Flow files → validated `Flow` models, with `path:line:col` on every problem; `load()`
reads, checks and compiles one.

All problems of a file (and the files it includes) are collected before anything is raised, so
an author fixes them in one pass.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from yaml.nodes import Node, ScalarNode

from helpflow import _files, yamltree
from helpflow._gcpause import collector_paused
from helpflow._validation import translate
from helpflow.diagnostics import Diagnostic, capped, did_you_mean, shown
from helpflow.engine import CompiledFlow, compile_flow
from helpflow.errors import FlowFileError
from helpflow.lint import lint
from helpflow.model import Flow, FlowFragment
from helpflow.sourcemap import LoadedFlow, Source, SourceMap, position

#: Bigger files are refused before they are read: a help flow is hand-written text.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024

_FRAGMENT_KEYS = tuple(FlowFragment.model_fields)


def load_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedFlow:
    """Read, check and merge a flow file and its includes. Raises `FlowFileError`.

    `max_bytes` bounds the flow file and all its includes together.
    """
    return _Reader(max_bytes, Path(path).resolve().parent).read_main(Path(path))


def load(
    path: str | os.PathLike[str],
    *,
    vars: Mapping[str, str] | None = None,
    secret: bytes | None = None,
    strict: bool = False,
) -> CompiledFlow:
    """Load, check and compile a flow file. Raises `FlowFileError` listing every error (and,
    with `strict`, every warning); `todo` findings never stop a load."""
    with collector_paused():
        loaded = load_file(path)
        blocking = {"error", "warning"} if strict else {"error"}
        problems = [d for d in lint(loaded) if d.severity in blocking]
        if problems:
            raise FlowFileError(problems)
        flow = loaded.flow
        # Free the YAML node tree (most of what was allocated) before the collector is back,
        # so its first pass does not walk millions of objects that are garbage anyway.
        del loaded
        compiled = compile_flow(flow, vars=vars, secret=secret, base_dir=Path(path).parent)
    return compiled


def load_text(text: str, *, path: str = "<string>") -> LoadedFlow:
    """Like `load_file` for text in memory; includes resolve against the current folder."""
    return _Reader(DEFAULT_MAX_BYTES, Path.cwd()).read_main(Path(path), text=text)


class _Reader:
    def __init__(self, max_bytes: int, folder: Path) -> None:
        self.max_bytes = max_bytes
        #: Bytes the flow's files may still take, all together: an include tree is bounded
        #: like a single file.
        self.budget = max_bytes
        #: Includes must stay inside the main file's folder (symlinks resolved).
        self.folder = folder
        #: Every file read for this flow: each is read once (an include bomb, where each file
        #: includes the next several times, would otherwise grow exponentially).
        self.seen: set[Path] = set()
        self.problems: list[Diagnostic] = []

    def _fail(self) -> FlowFileError:
        return FlowFileError(capped(self.problems))

    def read_main(self, path: Path, text: str | None = None) -> LoadedFlow:
        shown_path = str(path)
        doc = self._document(path, shown_path, text)
        if doc is None or doc.root is None:
            raise self._fail()
        sources = SourceMap(Source(shown_path, doc.root))
        data = doc.data
        if not isinstance(data, dict):
            self._add(
                shown_path, doc.root, "not-a-mapping", "a flow file must be a mapping of keys"
            )
            raise self._fail()
        self._record(sources, data, shown_path, doc.root)
        merged = dict(data)
        for table in ("nodes", "vars"):
            # Copies, so that merging includes never changes what the file itself said.
            if isinstance(data.get(table), dict):
                merged[table] = dict(data[table])
        if "vars" not in merged:
            merged["vars"] = {}
        main = path.resolve()
        self.seen.add(main)
        self._includes(main, shown_path, doc.root, data, merged, sources, stack=(main,))
        flow: Flow | None = None
        try:
            flow = Flow.model_validate(merged)
        except ValidationError as exc:
            # Where the YAML itself was refused (an alias, a merge key), the model's complaint
            # about the hole that left is noise.
            refused = {(d.path, d.line, d.col) for d in self.problems}
            self.problems.extend(
                d for d in translate(exc, sources) if (d.path, d.line, d.col) not in refused
            )
        if self.problems or flow is None:
            raise self._fail()
        return LoadedFlow(flow, sources)

    def _add(self, path: str, node: Node | None, code: str, message: str) -> None:
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        self.problems.append(Diagnostic(path, line, col, "error", code, message))

    def _document(
        self, path: Path, shown_path: str, text: str | None, *, included: bool = False
    ) -> yamltree.Document | None:
        if text is None:
            try:
                text = _files.read_text(path, self.budget)
            except _files.FileProblem as problem:
                message = problem.message
                if problem.code == "file-too-large" and self.budget < self.max_bytes:
                    message += " (for the flow and its includes together)"
                self._add(shown_path, None, problem.code, message)
                return None
            self.budget -= len(text.encode("utf-8"))
        elif len(text.encode("utf-8", "surrogatepass")) > self.max_bytes:
            self._add(shown_path, None, "file-too-large", f"text is over {self.max_bytes:,} bytes")
            return None
        doc = yamltree.compose(text)
        problems = doc.problems
        if included and not _is_flow_file(doc.data):
            # Not a flow file (some other file in the folder): only problems that quote
            # nothing of it; `_check_fragment` says what it is.
            problems = [p for p in problems if p.code in _QUOTE_NOTHING]
        for p in problems:
            self.problems.append(
                Diagnostic(shown_path, p.line + 1, p.col + 1, "error", p.code, p.message)
            )
        return doc

    def _record(self, sources: SourceMap, data: dict[str, Any], shown: str, root: Node) -> None:
        for table_name in ("nodes", "vars"):
            table = getattr(sources, table_name)
            for key_node, value_node in yamltree.mapping_items(
                yamltree.find(root, (table_name,))[1]
            ):
                if isinstance(key_node, ScalarNode) and isinstance(data.get(table_name), dict):
                    table.setdefault(key_node.value, Source(shown, value_node))

    def _includes(
        self,
        path: Path,
        shown_path: str,
        root: Node,
        data: dict[str, Any],
        merged: dict[str, Any],
        sources: SourceMap,
        stack: tuple[Path, ...],
    ) -> None:
        """Read and merge what `path` (resolved) includes, depth first."""
        includes = data.get("include") or []
        if not isinstance(includes, list):
            return  # the model reports the wrong type with its position
        for index, entry in enumerate(includes):
            entry_node = yamltree.find(root, ("include", index))[1]
            if not isinstance(entry, str):
                continue
            target = self._confine(path, entry, shown_path, entry_node, stack)
            if target is None:
                continue
            # Shown relative to the including file as the author sees it, not to our cwd.
            target_shown = os.path.normpath(os.path.join(os.path.dirname(shown_path), entry))
            self.seen.add(target)
            doc = self._document(target, target_shown, None, included=True)
            if doc is None or doc.root is None:
                continue
            fragment = doc.data
            if not self._check_fragment(target_shown, doc.root, fragment):
                continue
            self._merge(target_shown, doc.root, fragment, merged, sources)
            self._includes(
                target, target_shown, doc.root, fragment, merged, sources, (*stack, target)
            )

    def _confine(
        self, path: Path, entry: str, shown_path: str, node: Node, stack: tuple[Path, ...]
    ) -> Path | None:
        """The resolved file an include entry names, or None (and a problem) when it may not
        be read: outside the flow's folder, not a regular file, or already read."""
        name = shown(entry)

        def refuse(code: str, message: str) -> None:
            self._add(shown_path, node, code, message)

        if os.path.isabs(entry) or entry.startswith(("/", "\\")):
            refuse(
                "include-outside",
                f"include {name} is an absolute path; name a file in the "
                "flow's folder, relative to the including file",
            )
            return None
        written = Path(os.path.normpath(path.parent / entry))
        target = written.resolve()
        if not written.is_relative_to(self.folder):
            refuse("include-outside", f"include {name} is outside the flow's folder")
            return None
        if not target.is_relative_to(self.folder):
            refuse("include-outside", f"include {name} links to a file outside the flow's folder")
            return None
        if target in stack:
            chain = " → ".join(p.name for p in (*stack, target))
            refuse("include-cycle", f"include cycle: {chain}")
            return None
        if target in self.seen:
            refuse("include-again", f"{name} is already part of this flow; include a file once")
            return None
        try:
            _files.regular_size(target)
        except _files.FileProblem as problem:
            if problem.code == "not-found":
                refuse("include-missing", f"included file {name} does not exist")
            else:
                refuse(
                    problem.code,
                    f"included file {name} {problem.message.removeprefix('cannot read file: ')}",
                )
            return None
        return target

    def _check_fragment(self, shown_path: str, root: Node, fragment: Any) -> bool:
        """Whether an included file is a flow fragment worth merging.

        A file without `helpflow: 1` is not a flow file: nothing of its content is quoted
        back (it may be any file in the folder), only its position. Only the fragment's own
        top level is checked here: its nodes and vars are validated once, as part of the
        merged flow, so nothing is reported twice.
        """
        if not _is_flow_file(fragment):
            self._add(
                shown_path,
                root,
                "format-version",
                "an included file must be a mapping with 'helpflow: 1' (this is not a flow file)",
            )
            return False
        for key in fragment:
            if key not in _FRAGMENT_KEYS:
                key_node = yamltree.find(root, (key,))[0]
                allowed = ", ".join(_FRAGMENT_KEYS)
                self._add(
                    shown_path,
                    key_node,
                    "unknown-key",
                    f"unknown key {shown(key)} in an included file (it may hold {allowed})"
                    + did_you_mean(key, _FRAGMENT_KEYS),
                )
        return True

    def _merge(
        self,
        shown_path: str,
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
            for key_node, value_node in yamltree.mapping_items(
                yamltree.find(root, (table_name,))[1]
            ):
                name = key_node.value
                if name not in table:
                    continue
                if name in target:
                    first = existing[name]
                    first_path, first_line, first_col = position(first.path, first.node)
                    what = "node" if table_name == "nodes" else "var"
                    self._add(
                        shown_path,
                        key_node,
                        f"duplicate-{what}",
                        f"{what} {shown(name)} is already defined at "
                        f"{first_path}:{first_line}:{first_col}",
                    )
                    continue
                target[name] = table[name]
                existing[name] = Source(shown_path, value_node)


def _is_flow_file(data: Any) -> bool:
    return isinstance(data, dict) and data.get("helpflow") == 1


#: Problems whose messages quote nothing of the file's content.
_QUOTE_NOTHING = frozenset({"yaml-syntax", "yaml-alias", "yaml-depth", "empty-file"})
