"""YAML text → plain Python data, keeping the node tree for `line:col` look-ups.

PyYAML's constructors lose positions, accept aliases (alias bombs) and silently keep the last
of two duplicate keys. We let libyaml's C composer build the node tree (fast), convert it
ourselves with those checks, and keep the tree: positions are only looked up when something is
wrong, so the happy path pays nothing for them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

try:
    from yaml import CSafeLoader as _BaseLoader

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    HAVE_LIBYAML = False

_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 4096


class _Loader(_BaseLoader):
    """The safe loader, remembering how short plain scalars resolve.

    libyaml calls back into Python to resolve the tag of every scalar, running PyYAML's
    regexes each time; flows repeat the same keys and ids thousands of times. For a plain
    scalar the tag depends only on its text (no path resolvers are registered), so the answer
    can be kept. Measured: compose 15% faster on a 1,000-node flow.
    """

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0] and len(value) <= 40:
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(_RESOLVED) < _RESOLVED_MAX:
                    _RESOLVED[value] = tag
            return tag
        resolved: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return resolved


_STR = "tag:yaml.org,2002:str"
_SCALARS = {
    "tag:yaml.org,2002:int": SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": SafeConstructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": SafeConstructor.construct_yaml_bool,
    "tag:yaml.org,2002:null": SafeConstructor.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": SafeConstructor.construct_yaml_timestamp,
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_CONSTRUCTOR = SafeConstructor()


@dataclass(frozen=True)
class Problem:
    """A problem found while reading, at a 0-based position (PyYAML's marks)."""

    line: int
    col: int
    code: str
    message: str


@dataclass
class Document:
    data: Any
    root: Node | None
    problems: list[Problem] = field(default_factory=list)


def compose(text: str) -> Document:
    """Parse `text`; syntax errors come back as problems, never as exceptions."""
    refused = _anchors(text)
    if refused:
        # Nothing is composed: an alias bomb is refused before it can be expanded.
        return Document(None, None, refused)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return Document(None, None, [_syntax_problem(exc)])
    except ReaderError as exc:
        return Document(None, None, [_reader_problem(text, exc)])
    except yaml.YAMLError as exc:
        return Document(None, None, [Problem(0, 0, "yaml-syntax", f"YAML syntax: {exc}")])
    except RecursionError:
        return Document(None, None, [Problem(0, 0, "yaml-depth", "YAML nested too deeply")])
    if root is None:
        return Document(None, None, [Problem(0, 0, "empty-file", "the file is empty")])
    converter = _Converter()
    try:
        data = converter.convert(root)
    except RecursionError:
        return Document(None, None, [Problem(0, 0, "yaml-depth", "YAML nested too deeply")])
    return Document(data, root, converter.problems)


_ALIAS_MESSAGE = "YAML anchors and aliases are not allowed"


def _anchors(text: str) -> list[Problem]:
    """Every anchor and alias in `text`, as the parser's events see them.

    libyaml scans an anchor only at a literal '&', and an alias without an anchor before it
    fails to compose (reported as an alias below), so text without '&' cannot hold one and
    skips this second pass over the events.
    """
    if "&" not in text:
        return []
    found: list[Problem] = []
    named: set[str] = set()
    loader = _BaseLoader(text)
    try:
        for event in iter(loader.get_event, None):
            anchor: str | None = getattr(event, "anchor", None)
            if anchor is None:
                continue
            kind = "alias *" if type(event) is yaml.AliasEvent else "anchor &"
            if kind + anchor in named:
                continue  # each anchor and alias is reported where it first appears
            named.add(kind + anchor)
            mark = event.start_mark
            line, col = (mark.line, mark.column) if mark else (0, 0)
            found.append(
                Problem(line, col, "yaml-alias", f"{_ALIAS_MESSAGE} ({kind}{anchor[:40]})")
            )
    except yaml.YAMLError:
        pass  # a syntax error: composing reports it with its position
    finally:
        loader.dispose()
    return found


def _syntax_problem(exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line, mark.column) if mark else (0, 0)
    if isinstance(exc, ComposerError) and exc.problem == "found undefined alias":
        return Problem(line, col, "yaml-alias", f"{_ALIAS_MESSAGE} (alias of no anchor)")
    what = exc.problem or "invalid YAML"
    if exc.context:
        what = f"{exc.context}: {what}"
    return Problem(line, col, "yaml-syntax", f"YAML syntax: {what}")


def _reader_problem(text: str, exc: ReaderError) -> Problem:
    """A character YAML refuses (NUL, say), at its real line and column.

    libyaml counts the position in UTF-8 bytes, PyYAML's own reader in characters.
    """
    if HAVE_LIBYAML:
        before = text.encode("utf-8", "surrogatepass")[: exc.position].decode("utf-8", "replace")
    else:  # pragma: no cover - depends on how PyYAML was built
        before = text[: exc.position]
    line = before.count("\n")
    col = len(before) - before.rfind("\n") - 1
    char = text[len(before)] if len(before) < len(text) else ""
    code = f"U+{ord(char):04X}" if char else "a character"
    return Problem(line, col, "yaml-syntax", f"YAML syntax: {code} is not allowed in YAML text")


class _Converter:
    """Node tree → plain data. Aliases were refused from the events before composing, so
    every node is reached once and the tree is converted in one linear pass."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def _problem(self, node: Node, code: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(mark.line, mark.column, code, message))

    def convert(self, node: Node) -> Any:
        if type(node) is ScalarNode:
            return node.value if node.tag == _STR else self._scalar(node)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self._problem(node, "yaml-tag", f"unsupported YAML tag {node.tag!r}")
            return [self.convert(item) for item in node.value]
        if isinstance(node, MappingNode):
            return self._mapping(node)
        raise AssertionError(f"unknown YAML node {node!r}")  # pragma: no cover

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag == _STR:
            return node.value
        construct = _SCALARS.get(node.tag)
        if construct is None:
            self._problem(node, "yaml-tag", f"unsupported YAML tag {node.tag!r}")
            return node.value
        try:
            return construct(_CONSTRUCTOR, node)
        except (ValueError, yaml.YAMLError):
            # A timestamp that matches the resolver but is no real date, say.
            return node.value

    def _mapping(self, node: MappingNode) -> dict[str, Any]:
        if node.tag != _MAP:
            self._problem(node, "yaml-tag", f"unsupported YAML tag {node.tag!r}")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(key_node, "yaml-alias", "YAML merge keys ('<<') are not allowed")
                continue
            key = self.convert(key_node)
            if not isinstance(key, str):
                shown = key_node.value if isinstance(key_node, ScalarNode) else "this key"
                self._problem(
                    key_node,
                    "key-type",
                    f"key {shown!r} must be text; YAML read it as {type_name(key)}: "
                    f'quote it ("{shown}")',
                )
                continue
            if key in result:
                self._problem(key_node, "duplicate-key", f"duplicate key {key!r}")
                continue
            result[key] = self.convert(value_node)
        return result


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return {str: "text", int: "a number", float: "a number", list: "a list", dict: "a mapping"}.get(
        type(value), f"a {type(value).__name__}"
    )


def find(root: Node, loc: Sequence[str | int]) -> tuple[Node | None, Node, tuple[str | int, ...]]:
    """Follow `loc` through the node tree as far as it goes.

    Returns the key node of the last mapping step (or None), the deepest node reached, and the
    parts of `loc` that were real keys or indexes: pydantic puts union tags in its locations,
    which are skipped.
    """
    key_node: Node | None = None
    node = root
    followed: list[str | int] = []
    for part in loc:
        nxt = _child(node, part)
        if nxt is None:
            continue
        key_node, node = nxt
        followed.append(part)
    return key_node, node, tuple(followed)


def _child(node: Node, part: str | int) -> tuple[Node | None, Node] | None:
    if isinstance(node, MappingNode):
        return _key_index(node).get(part) if isinstance(part, str) else None
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _key_index(node: MappingNode) -> dict[str, tuple[Node, Node]]:
    """The mapping's text keys → (key node, value node), built once per mapping: looking up
    each of N problems in a big mapping by scanning it was quadratic."""
    index: dict[str, tuple[Node, Node]] | None = getattr(node, "_helpflow_keys", None)
    if index is None:
        index = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                index.setdefault(key_node.value, (key_node, value_node))
        node._helpflow_keys = index  # type: ignore[attr-defined]
    return index


def mapping_items(node: Node) -> Iterator[tuple[Node, Node]]:
    if isinstance(node, MappingNode):
        yield from node.value
