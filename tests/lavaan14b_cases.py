"""Shared checks of the issue-14 part B golden files (tests/golden/lavaan14b_*.json).

The files are written by tests/golden/make_lavaan14b_golden.R; every comparison is to 1e-4
(fit measures above 1, such as chi-squares and log-likelihoods, to 1e-4 of their size).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from golden_checks import NOT_REPORTED  # lavaan measures this engine never reports

import semwidget
from semwidget.cb.robust_fiml import FIML_NOT_COMPUTED

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
ALL_CASES = json.loads((GOLDEN / "lavaan14b_cases.json").read_text())["cases"]


def case_names(prefix: str) -> list[str]:
    """The golden cases whose name starts with ``prefix``."""
    return sorted(n for n in ALL_CASES if n.startswith(prefix))


def load_case(name: str) -> tuple[dict, semwidget.FitResult]:
    """The golden JSON of one case and our fit of the same call."""
    g = json.loads((GOLDEN / f"lavaan14b_{name}.json").read_text())
    data = pd.read_csv(ROOT / g["data"])
    args = g["call_args"] or {}  # jsonlite writes an empty list() as []
    kwargs = {k.replace(".", "_"): v for k, v in args.items()}
    if kwargs.get("missing") == "ml":
        kwargs["missing"] = "fiml"
    return g, semwidget.fit(g["model"], data, **kwargs)


def check_estimates(g: dict, r: semwidget.FitResult) -> None:
    """Estimates, SEs, std.all of every row lavaan reports, and R²."""
    gold = pd.DataFrame([e for e in g["estimates"] if e["op"] not in ("==", "<", ">")])
    keys = ["lhs", "op", "rhs"] + (["group"] if "group" in gold.columns else [])
    if "group" in gold.columns:  # lavaan numbers := rows group 0, as we do
        gold["group"] = gold["group"].astype(int)
        gold["rhs"] = gold["rhs"].fillna("")
    merged = r.estimates.merge(gold, on=keys, suffixes=("", "_lav"))
    assert len(merged) == len(gold)
    for ours, theirs in [("est", "est_lav"), ("se", "se_lav"), ("std_all", "std.all")]:
        diff = (merged[ours] - merged[theirs].astype(float)).abs()
        assert diff.max() < 1e-4, merged.loc[diff.idxmax(), ["lhs", "op", "rhs", ours, theirs]]
    for var, value in g["r2"].items():
        if isinstance(value, dict):  # by group
            for name, v in value.items():
                assert r.r2[var][name] == pytest.approx(v, abs=1e-4), (var, name)
        else:
            assert r.r2[var] == pytest.approx(value, abs=1e-4), var


def check_fit_measures(g: dict, r: semwidget.FitResult, minimum: int = 20) -> None:
    """Every fit measure lavaan reports that is not on :data:`NOT_REPORTED`."""
    checked = 0
    fiml = g["options"]["missing"] == "ml"
    for key, value in g["fit"].items():
        ours = key.replace(".", "_")
        # under FIML: measures not computed (tests/test_robust_golden.py), and the robust
        # CFI/TLI/RMSEA that lavaan also prints for plain ML (reported here with MLR only)
        if key in NOT_REPORTED or (fiml and (ours in FIML_NOT_COMPUTED or (
                ours.endswith("_robust") and ours not in r.fit_measures))):
            continue
        assert ours in r.fit_measures, f"{key} is missing"
        mine = r.fit_measures[ours]
        if value is None:
            assert math.isnan(mine), key
            continue
        # 1e-4, of the size for values above 1 (chi-squares, logl, and a TLI far from 1 when
        # the baseline chi-square is below its df)
        tol = 1e-4 * max(1.0, abs(value))
        assert mine == pytest.approx(value, abs=tol), key
        checked += 1
    assert checked >= minimum
    assert r.fit_measures["npar"] == g["npar"]


def check_implied(g: dict, r: semwidget.FitResult) -> None:
    """The model-implied covariance matrix of the observed variables (of each group)."""
    ref = g["implied_cov"]
    pairs = [(r.implied_cov, ref)] if "names" in ref else \
        [(r.implied_cov[label], m) for label, m in ref.items()]
    for ours, theirs in pairs:
        names = theirs["names"]
        for i, a in enumerate(names):
            for j, b in enumerate(names):
                assert ours.loc[a, b] == pytest.approx(theirs["matrix"][i][j], abs=1e-4), (a, b)
