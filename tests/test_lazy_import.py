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

import numpy as np
import pytest
from model_texts import HS

import semwidget

INIT = Path(semwidget.__file__)

#: What a plain ``import semwidget`` must not load.
NOT_ON_IMPORT = ["numpy", "pandas", "scipy"]

#: What a first complete CB fit (ML, complete data) does not need.
NOT_ON_FIRST_FIT = [
    "scipy.stats", "scipy.optimize", "scipy.linalg", "joblib", "anywidget", "bqplot",
    "matplotlib", "sklearn", "semwidget.pls", "semwidget.widget", "semwidget.cb.categorical",
    "semwidget.cb.ordinal", "semwidget.cb.polychoric", "semwidget.cb.bootstrap",
    "semwidget.cb.resample_fit", "semwidget.cb.bollen_stine", "semwidget.cb.fiml",
    "semwidget.cb.group_bootstrap", "semwidget.tables.report", "semwidget.tables.explore",
]


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


def test_a_first_fit_loads_only_what_it_needs() -> None:
    code = ("import json, sys, semwidget\n"
            "hs = semwidget.datasets.load('hs1939')\n"
            f"res = semwidget.fit({HS!r}, hs)\n"
            "assert abs(res.fit_measures['cfi'] - 0.931) < 1e-3\n"
            f"{_loaded(NOT_ON_FIRST_FIT)}")
    assert _run(code) == []


def test_numpy_block_diag_is_scipys_exactly() -> None:
    from scipy import linalg

    from semwidget.cb.blocks import block_diag

    rng = np.random.default_rng(16)
    cases = [(rng.normal(size=(2, 3)), rng.normal(size=(1, 1)), np.arange(4.0)),
             (np.eye(2, dtype=int), rng.normal(size=(0, 2)), np.array(3.5)),
             (rng.normal(size=(3, 3)),), ()]
    for blocks in cases:
        ours, ref = block_diag(*blocks), linalg.block_diag(*blocks)
        assert ours.shape == ref.shape and ours.dtype == ref.dtype
        assert np.array_equal(ours, ref)


def test_the_widget_module_leaves_the_fit_and_the_comparison_views_unloaded() -> None:
    # the refit thread loads the fit; the history's comparison loads when asked for
    code = ("import json, sys, semwidget.widget.widget\n"
            + _loaded(["semwidget.fitting", "semwidget.tables.report", "semwidget.tables.compare",
                       "semwidget.tables.nesting", "semwidget.pls", "scipy.linalg",
                       "scipy.stats", "scipy.optimize"]))
    assert _run(code) == []
