"""Robust ML (MLR, MLM, MLMV and the se/test options) against lavaan 0.6.14.

Golden files: tests/golden/robust_*.json, written by tests/golden/make_robust_golden.R.
Estimates, robust SEs, std.all, R² and every fit measure we report (scaled and robust ones
included) are compared; a fit measure lavaan reports that we leave out must be on the documented
list of measures not computed.
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
from semwidget.errors import ModelSpecError

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CASES = json.loads((GOLDEN / "robust_cases.json").read_text())["cases"]


def _load(name: str) -> tuple[dict, semwidget.FitResult]:
    g = json.loads((GOLDEN / CASES[name]["file"]).read_text())
    data = pd.read_csv(ROOT / g["data"])
    kwargs = {k.replace(".", "_"): v for k, v in g["call_args"].items()}
    if kwargs.get("missing") == "ml":
        kwargs["missing"] = "fiml"
    return g, semwidget.fit(g["model"], data, **kwargs)


@pytest.mark.parametrize("name", sorted(CASES))
def test_estimates_and_robust_standard_errors(name: str) -> None:
    g, r = _load(name)
    gold = pd.DataFrame(g["estimates"])
    keys = ["lhs", "op", "rhs", *(["group"] if "group" in gold else [])]
    merged = r.estimates.merge(gold, on=keys, suffixes=("", "_lav"))
    assert len(merged) == len(gold)
    for ours, theirs, tol in [("est", "est_lav", 1e-4), ("se", "se_lav", 1e-4),
                              ("std_all", "std.all", 1e-4)]:
        diff = (merged[ours] - merged[theirs].astype(float)).abs()
        assert diff.max() < tol, merged.loc[diff.idxmax(), ["lhs", "op", "rhs", ours, theirs]]
    # FIML over groups: R² to 1e-4, as the estimates (the optimizer's last digits)
    tol_r2 = 1e-4 if g["options"]["missing"] == "ml" and "group" in gold else 1e-5
    for var, value in g["r2"].items():
        assert r.r2[var] == pytest.approx(value, abs=tol_r2)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_fit_measure(name: str) -> None:
    g, r = _load(name)
    fiml = g["options"]["missing"] == "ml"
    for key, value in g["fit"].items():
        ours = key.replace(".", "_")
        if key in NOT_REPORTED or (fiml and ours in FIML_NOT_COMPUTED):
            continue
        assert ours in r.fit_measures, f"{key} is missing"
        mine = r.fit_measures[ours]
        if value is None:
            assert math.isnan(mine), key
            continue
        # scaled statistics to 1e-3 of their size; indices and p-values to 1e-4
        tol = 1e-3 * max(1.0, abs(value)) if "chisq" in key else 1e-4
        assert mine == pytest.approx(value, abs=tol), key


def test_estimator_is_reported_as_chosen() -> None:
    _, r = _load("hs_mlr")
    assert r.estimator == "MLR"
    assert r.fit_measures["chisq_scaling_factor"] == pytest.approx(0.979042258766103, abs=1e-6)
    text = r.summary()
    assert "Scaled" in text and "Yuan-Bentler" in text


def test_refused_combinations_name_the_option() -> None:
    hs = semwidget.datasets.load("hs1939")
    model = "visual =~ x1 + x2 + x3"
    with pytest.raises(ModelSpecError, match="MLM"):
        semwidget.fit(model, hs, estimator="MLM", missing="fiml")
    with pytest.raises(ModelSpecError, match="test='bogus'"):
        semwidget.fit(model, hs, test="bogus")
    with pytest.raises(ModelSpecError, match="GLS"):
        semwidget.fit(model, hs, estimator="GLS", se="robust.sem")
    # lavaan 0.6.14 answers MLR + test="yuan.bentler" with a third, Mplus-variant statistic
    with pytest.raises(ModelSpecError, match="estimator='ML', se='robust.huber.white'"):
        semwidget.fit(model + "\ntextual =~ x4 + x5 + x6", hs, estimator="MLR",
                      test="yuan.bentler")


def test_yuan_bentler_is_named_in_the_summary() -> None:
    _, r = _load("hs_ml_hw_yb")
    assert "Yuan-Bentler" in r.summary() and "Mplus" not in r.summary()


@pytest.mark.parametrize("estimator", ["MLR", "MLM", "MLMV"])
def test_scaled_difference_over_groups_as_lavtestlrt(estimator: str) -> None:
    # configural vs metric by school: Satorra-Bentler 2001 (MLR, MLM), Satorra 2000 (MLMV)
    g = json.loads((GOLDEN / "multigroup" / "robust_lrt.json").read_text())
    ref = g["lrt"][estimator]
    data = pd.read_csv(ROOT / g["data"])
    free = semwidget.fit(g["model"], data, group=g["group"], estimator=estimator)
    equal = semwidget.fit(g["model"], data, group=g["group"], estimator=estimator,
                          group_equal=[g["equal"]])
    comparison = semwidget.compare(free, equal)
    row = comparison.table.iloc[1]
    assert row["chisq_diff"] == pytest.approx(ref["chisq_diff"], abs=1e-3)
    assert row["df_diff"] == ref["df_diff"]
    assert row["pvalue"] == pytest.approx(ref["pvalue"], abs=1e-5)
    assert comparison.method in ref["method"]


def test_robust_groups_refusals_name_the_option() -> None:
    data = pd.read_csv(ROOT / "semwidget" / "datasets" / "hs1939_school.csv")
    model = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6"
    with pytest.raises(ModelSpecError, match="missing='fiml'"):
        semwidget.fit(model, data, group="school", estimator="MLM", missing="fiml")
    with pytest.raises(ModelSpecError, match="yuan.bentler' with group="):
        semwidget.fit(model, data, group="school", se="robust.huber.white",
                      test="yuan.bentler")
    with pytest.raises(ModelSpecError, match="need ML .MLR, MLM, MLMV., not GLS"):
        semwidget.fit(model, data, group="school", estimator="GLS", se="robust.sem")
    with pytest.raises(ModelSpecError, match="group_equal=.*with ordinal indicators"):
        semwidget.fit(model, data, group="school", ordered=["x1"], group_equal="loadings")
