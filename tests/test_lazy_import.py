"""``import semwidget`` loads no heavy library, and a first fit loads only what it needs.

Structural checks on ``sys.modules`` in fresh interpreters (issue 16), not timings: the time
is measured by ``benchmarks/bench_import.py``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import semwidget

INIT = Path(semwidget.__file__)

#: What a plain ``import semwidget`` must not load.
NOT_ON_IMPORT = ["numpy", "pandas", "scipy"]


def _run(code: str) -> object:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _loaded(names: list[str]) -> str:
    return (f"print(json.dumps([m for m in {names!r} if m in sys.modules "
            f"or any(k.startswith(m + '.') for k in sys.modules)]))")


def test_import_loads_neither_numpy_pandas_nor_scipy() -> None:
    assert _run(f"import json, sys, semwidget\n{_loaded(NOT_ON_IMPORT)}") == []


def test_every_public_name_resolves_in_a_fresh_process() -> None:
    code = ("import json, sys, semwidget\n"
            "missing = [n for n in semwidget.__all__ if getattr(semwidget, n, None) is None]\n"
            "from semwidget import SEMWidget, datasets, fit, parse\n"
            "same = fit is sys.modules['semwidget.fitting'].fit and "
            "datasets is sys.modules['semwidget.datasets']\n"
            "hidden = sorted(set(semwidget.__all__) - set(dir(semwidget)))\n"
            "print(json.dumps([missing, same, hidden]))")
    assert _run(code) == [[], True, []]


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'fitt'"):
        _ = semwidget.fitt  # type: ignore[attr-defined]
    assert not hasattr(semwidget, "_no_such_name")


def test_lazy_table_and_type_checking_imports_cover_the_public_names() -> None:
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    seen: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) \
                and node.test.id == "TYPE_CHECKING":
            for stmt in ast.walk(node):
                if isinstance(stmt, ast.ImportFrom):
                    seen |= {a.asname or a.name for a in stmt.names}
    eager = {"DataError", "ModelSpecError", "ModelSyntaxError", "SemWidgetError", "__version__"}
    public = set(semwidget.__all__) - eager
    assert public == seen, "type checkers must see every lazy name (if TYPE_CHECKING:)"
    assert public == set(semwidget._LAZY)

