"""The package layout stays the pipeline: stages as folders, imports pointing one way.

Reads the tree with ``ast`` (Python) and the import lines of the TypeScript, so nothing is
imported to check it. Rules (see docs/architecture.md):

- at most 8 modules directly in ``semwidget/`` and at least 4 subpackages;
- every import, including those inside functions, points down the pipeline
  (views → tables → engines → model); imports under ``if TYPE_CHECKING:`` are annotations only
  and are left out;
- no two files import each other, directly or through others (Python and TypeScript);
- no Python or TypeScript file over 700 lines;
- every runtime dependency in ``pyproject.toml`` is imported by the package.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "semwidget"
JS = ROOT / "js"
MAX_LINES = 700

# Rank of each top-level unit of the package: an import may only reach a unit of lower or
# equal rank, and two different units of one rank (the two engines) never import each other.
RANK = {
    "errors": -1, "progress": -1, "distributions": -1,
    "datasets": 0,
    "model": 1,
    "cb": 2, "pls": 2,
    "tables": 3,
    "fitting": 4,
    "widget": 5,
    "cli": 6,
    "__init__": 7, "__main__": 7,
}  # fmt: skip

# TypeScript folders in the same spirit: model → layout → render → ui → the adapter.
TS_RANK = {"model": 0, "layout": 1, "render": 2, "ui": 3, "widget.ts": 4, "types": 0}


def _py_files() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts)


def _ts_files() -> list[Path]:
    return sorted(p for p in JS.rglob("*.ts") if "node_modules" not in p.parts)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in _py_files()}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement outside ``if TYPE_CHECKING:`` blocks, at any depth."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _targets(path: Path, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The package modules an import statement loads (submodules where it names them)."""
    out: set[str] = set()
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name in MODULES:
                out.add(alias.name)
        return out
    base = node.module or ""
    if node.level:
        here = _module_name(path).split(".")
        if path.name != "__init__.py":
            here = here[:-1]
        here = here[: len(here) - (node.level - 1)]
        base = ".".join([*here, base] if base else here)
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        if sub in MODULES:
            out.add(sub)
        elif base in MODULES:
            out.add(base)
    return out


def _python_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        deps: set[str] = set()
        for node in _runtime_imports(tree):
            deps |= _targets(path, node)
        deps.discard(name)
        graph[name] = deps
    return graph


def _unit(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_top_level_is_small_and_staged() -> None:
    top = sorted(p.name for p in PKG.glob("*.py"))
    assert len(top) <= 8, f"{len(top)} modules directly in semwidget/: {top}"
    subpackages = sorted(p.parent.name for p in PKG.glob("*/__init__.py"))
    assert len(subpackages) >= 4, subpackages
    for name in ("model", "cb", "pls", "tables", "widget", "datasets"):
        assert name in subpackages


def test_every_unit_has_a_rank() -> None:
    units = {_unit(m) for m in MODULES}
    assert units <= set(RANK), f"give these a rank in test_layout.RANK: {units - set(RANK)}"


def test_imports_point_down_the_pipeline() -> None:
    wrong = []
    for source, deps in _python_graph().items():
        a = _unit(source)
        for target in deps:
            b = _unit(target)
            if a == b:
                continue
            if RANK[b] >= RANK[a]:
                wrong.append(f"{source} imports {target}")
    assert not wrong, "imports against the pipeline:\n" + "\n".join(sorted(wrong))


def test_no_python_import_cycles() -> None:
    cycles = _cycles(_python_graph())
    assert not cycles, f"import cycles: {cycles}"


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_reader_sees_function_level_imports_and_skips_type_checking() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from semwidget.widget.widget import SEMWidget\n"
        "def f():\n    from semwidget.fitting import fit\n")
    targets: set[str] = set()
    for node in _runtime_imports(tree):
        targets |= _targets(PKG / "cb" / "result.py", node)
    assert targets == {"semwidget.fitting"}


_TS_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^'"]*?from\s+["'](\.{1,2}/[^"']+)["']""",
                        re.MULTILINE)


def _ts_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in _ts_files():
        deps: set[str] = set()
        for spec in _TS_IMPORT.findall(path.read_text(encoding="utf-8")):
            target = (path.parent / spec).resolve()
            for candidate in (target.with_suffix(".ts"), target / "index.ts"):
                if candidate.is_file():
                    deps.add(str(candidate.relative_to(JS)))
        graph[str(path.relative_to(JS))] = deps
    return graph


def test_no_typescript_import_cycles() -> None:
    cycles = _cycles(_ts_graph())
    assert not cycles, f"TypeScript import cycles: {cycles}"


def _ts_unit(rel: str) -> str:
    return rel.split("/")[0]


def test_typescript_imports_point_one_way() -> None:
    wrong = []
    for source, deps in _ts_graph().items():
        a = _ts_unit(source)
        if a == "test" or a not in TS_RANK:
            continue
        for target in deps:
            b = _ts_unit(target)
            if b != a and TS_RANK.get(b, 99) >= TS_RANK[a]:
                wrong.append(f"{source} imports {target}")
    assert not wrong, "TypeScript imports against the layers:\n" + "\n".join(sorted(wrong))


def test_no_file_over_700_lines() -> None:
    long = []
    for path in [*_py_files(), *_ts_files()]:
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            long.append(f"{path.relative_to(ROOT)}: {n} lines")
    assert not long, long


def _requirement_name(spec: str) -> str:
    return re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0].strip()


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_runtime_dependency_is_imported() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    imported: set[str] = set()
    for path in MODULES.values():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _runtime_imports(tree):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif node.module and not node.level:
                imported.add(node.module.split(".")[0])
    # import name -> distributions, as installed (so no hand-kept mapping can go stale)
    dists_of = metadata.packages_distributions()
    imported_dists = {_normalize(d) for name in imported for d in dists_of.get(name, [])}
    unused = [spec for spec in project["dependencies"]
              if _normalize(_requirement_name(spec)) not in imported_dists]
    assert not unused, f"runtime dependencies the package never imports: {unused}"
