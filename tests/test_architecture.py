"""The shape of the code: no import cycles, imports that point one way, small modules.

Read statically from the source with `ast` (nothing is imported), so a cycle hidden by an
in-function import is found too; only imports under `if TYPE_CHECKING:` are left out, since they
never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (ROOT / "helpflow", *sorted((ROOT / "renderers").glob("helpflow_*")))

#: The data walk, bottom first: a module may import from its own layer and the layers below,
#: never from a layer above. Modules are matched by their dotted name or a prefix of it;
#: the most specific pattern wins. Anything unlisted in `helpflow` fails the test, so a new
#: module has to be placed on purpose.
LAYERS: tuple[tuple[str, ...], ...] = (
    # 0. leaf utilities and plain data: errors, the flow model, sessions, untrusted-text safety
    (
        "helpflow.errors",
        "helpflow.diagnostics",
        "helpflow._gcpause",
        "helpflow.versioning",
        "helpflow.session",
        "helpflow.model",
        "helpflow.sanitize",
        "helpflow.uitext",
    ),
    # 1. the flow as data: YAML with positions, validation, includes, conditions, routes
    (
        "helpflow.yamltree",
        "helpflow._files",
        "helpflow._validation",
        "helpflow.sourcemap",
        "helpflow.conditions",
        "helpflow.routes",
        "helpflow.fields",
        "helpflow.textvars",
        "helpflow.overrides",
        "helpflow.paths",
    ),
    # 2. content: Markdown → sanitized HTML and text, per node; the Step's data
    (
        "helpflow.markdown_ext",
        "helpflow.plaintext",
        "helpflow.content",
        "helpflow.assets",
        "helpflow.handoff",
        "helpflow.step",
        "helpflow.noderender",
        "helpflow.events.model",
        "helpflow.events.hook",
    ),
    # 3. checks on a loaded flow
    ("helpflow.contentlint", "helpflow.lint"),
    # 4. the state machine and what every binding of a flow version shares
    ("helpflow.tokens", "helpflow.statemachine", "helpflow.compiledversion"),
    # 5. sessions over the machine; Steps and replays built from the compiled flow
    ("helpflow.stepbuilder", "helpflow.resume", "helpflow.engine"),
    # 6. what is built on the engine: load(), tables, scenarios, the support loop
    (
        "helpflow.loader",
        "helpflow.todos",
        "helpflow.scenarios",
        "helpflow.schema",
        "helpflow.renderer",
        "helpflow.renderers",
        "helpflow.__init__",
        "helpflow.events",
        "helpflow.report",
        "helpflow.importer",
        "helpflow.scaffold",
        "helpflow.i18n",
    ),
    # 7. the faces: renderers, server, command line, author tools
    (
        "helpflow_",
        "helpflow.server",
        "helpflow.i18n.cli",
        "helpflow.uicatalog",
        "helpflow.preview",
        "helpflow.pytest_plugin",
        "helpflow.cli",
        "helpflow.__main__",
    ),
)

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[0] == "renderers":
        parts = parts[1:]
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in sorted(pkg.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import that can run, at any depth (functions included), not under TYPE_CHECKING."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]))
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _imports(node)


def _targets(module: str, node: ast.Import | ast.ImportFrom, known: set[str]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    base = node.module or ""
    if node.level:  # relative: from the module's package
        package = module.split(".")
        package = package[: len(package) - node.level + (1 if module.endswith("__init__") else 0)]
        package = [p for p in package if p != "__init__"]
        base = ".".join([*package, base] if base else package)
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        yield sub if sub in known or f"{sub}.__init__" in known else base


def _graph() -> dict[str, set[str]]:
    sources = _sources()
    known = set(sources)
    graph: dict[str, set[str]] = {}
    for module, path in sources.items():
        edges = graph.setdefault(module, set())
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _imports(tree):
            for target in _targets(module, node, known):
                resolved = target if target in known else f"{target}.__init__"
                if resolved in known and resolved != module:
                    edges.add(resolved)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _layer(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (pattern length, layer)
    bare = module.removesuffix(".__init__") if module != "helpflow.__init__" else module
    for layer, patterns in enumerate(LAYERS):
        for pattern in patterns:
            matches = bare == pattern or bare.startswith(
                pattern if pattern.endswith("_") else f"{pattern}."
            )
            if matches and (best is None or len(pattern) > best[0]):
                best = (len(pattern), layer)
    return None if best is None else best[1]


def test_no_import_cycles() -> None:
    cycles = _cycles(_graph())
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_every_module_has_a_layer() -> None:
    unplaced = [m for m in _graph() if _layer(m) is None]
    assert not unplaced, f"place these modules in LAYERS: {unplaced}"


def test_every_layer_entry_names_a_module() -> None:
    """A stale entry (a module renamed or removed) would silently place nothing."""
    modules = [m.removesuffix(".__init__") for m in _graph()]
    stale = [
        pattern
        for patterns in LAYERS
        for pattern in patterns
        if pattern != "helpflow.__init__"
        and not any(
            m == pattern
            or m.startswith(pattern.rstrip(".") + ("" if pattern.endswith("_") else "."))
            for m in modules
        )
    ]
    assert not stale, f"LAYERS names no module: {stale}"


def test_imports_point_down_the_layers() -> None:
    upward = [
        f"{module} (layer {_layer(module)}) imports {target} (layer {_layer(target)})"
        for module, targets in sorted(_graph().items())
        for target in sorted(targets)
        if (_layer(module) or 0) < (_layer(target) or 0)
    ]
    assert not upward, "imports pointing up the layers:\n" + "\n".join(upward)


def test_the_core_imports_no_renderer() -> None:
    reaching = [
        f"{module} imports {target}"
        for module, targets in sorted(_graph().items())
        if module.startswith("helpflow.")
        for target in sorted(targets)
        if target.startswith("helpflow_")
    ]
    assert not reaching, "\n".join(reaching)


def _sizes() -> Iterator[tuple[str, int, list[tuple[str, int]]]]:
    for path in _sources().values():
        relative = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        long_functions = [
            (
                f"{node.name} (line {node.lineno})",
                (node.end_lineno or node.lineno) - node.lineno + 1,
            )
            for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        yield relative, len(text.splitlines()), long_functions


def test_modules_and_functions_are_small() -> None:
    problems = []
    for relative, lines, functions in _sizes():
        if lines > MAX_MODULE_LINES:
            problems.append(f"{relative}: {lines} lines (max {MAX_MODULE_LINES})")
        problems.extend(
            f"{relative}: {name} is {length} lines (max {MAX_FUNCTION_LINES})"
            for name, length in functions
            if length > MAX_FUNCTION_LINES
        )
    assert not problems, "\n".join(problems)


def test_the_engine_stays_small() -> None:
    lines = len((ROOT / "helpflow" / "engine.py").read_text(encoding="utf-8").splitlines())
    assert lines <= 250, f"helpflow/engine.py has {lines} lines (max 250)"


def test_the_analysis_sees_cycles_and_hidden_imports() -> None:
    """The cycle finder itself: a cycle made only by an in-function import is found, one made
    only under TYPE_CHECKING is not."""
    hidden = ast.parse("def f():\n    from helpflow import b\n")
    typing_only = ast.parse("if TYPE_CHECKING:\n    from helpflow import b\n")
    known = {"helpflow.a", "helpflow.b"}
    assert [t for n in _imports(hidden) for t in _targets("helpflow.a", n, known)] == ["helpflow.b"]
    assert list(_imports(typing_only)) == []
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
