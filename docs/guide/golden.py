"""The guide pages' check against the reference programs (imported by the pages, not a page).

Reads the repository's golden files (lavaan 0.6.14, semTools, seminr; each made by the R or
Python script beside it) and compares a fit with the test suite's tolerances: estimates 0.002,
SEs 3 % (relative), standardized estimates 0.003, fit measures 0.002 (χ², log-likelihoods and
information criteria relative 0.2 %).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: The repository root: the folder above ``docs/``.
ROOT = Path(__file__).resolve().parent.parent.parent
RELATIVE = {"chisq", "chisq.scaled", "baseline.chisq", "baseline.chisq.scaled", "logl",
            "unrestricted.logl", "aic", "bic", "bic2"}


def load(path: str) -> dict[str, Any]:
    """A golden file by its path below the repository root, e.g. ``tests/golden/hs_cfa.json``."""
    return json.loads((ROOT / path).read_text())


def check_fit(result: Any, golden: dict[str, Any]) -> int:
    """Assert every fit measure of ``golden`` (lavaan's ``fitMeasures``); return how many."""
    n = 0
    for key, value in golden["fit"].items():
        ours = result.fit_measures.get(key.replace(".", "_"))
        if value is None or ours is None:
            continue
        tol = 0.002 * abs(value) if key in RELATIVE else 0.002
        assert abs(ours - value) <= tol, (key, ours, value)
        n += 1
    return n


def check_estimates(result: Any, golden: dict[str, Any], ops: tuple[str, ...] = ("=~", "~", "~~"),
                    se: bool = True) -> int:
    """Assert the estimates (and SEs, and std.all where given) of rows with ``ops``."""
    est = result.estimates
    n = 0
    for ref in golden["estimates"]:
        if ref["op"] not in ops or ("group" in ref and ref["group"] not in (1, None)):
            continue
        row = est[(est.lhs == ref["lhs"]) & (est.op == ref["op"]) & (est.rhs == ref["rhs"])]
        assert len(row) == 1, ref
        row = row.iloc[0]
        assert abs(row["est"] - ref["est"]) < 0.002, (ref, row["est"])
        if se and ref.get("se"):
            assert abs(row["se"] - ref["se"]) <= 0.03 * ref["se"], (ref, row["se"])
        if ref.get("std.all") is not None:
            assert abs(row["std_all"] - ref["std.all"]) < 0.003, (ref, row["std_all"])
        n += 1
    return n
