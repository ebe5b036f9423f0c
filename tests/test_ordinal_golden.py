"""Ordinal indicators (thresholds, polychorics, WLSMV, DWLS, WLS, ULSMV) against lavaan 0.6.14.

Golden files: tests/golden/ordinal_*.json from tests/golden/make_ordinal_golden.R, which also
writes the data (HS items cut at fixed quantiles into 4 and into 2 categories, PolDem's y1-y8
into 3). Ordinal and numeric indicators are mixed in the ``*_mixed*`` cases. Sample
statistics (thresholds, polychoric correlations, the diagonal of their asymptotic covariance),
estimates with thresholds, SEs, std.all, R² and every fit measure we report are compared.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from golden_checks import ORDINAL_NOT_REPORTED, assert_fit_measures

import semwidget
from semwidget.cb.polychoric import bvn_cdf, ordinal_moments
from semwidget.cb.polyserial import mixed_moments
from semwidget.errors import DataError, ModelSpecError

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
INDEX = json.loads((GOLDEN / "ordinal_cases.json").read_text())["cases"]
CASES = sorted(INDEX)
MIXED = sorted(name for name in INDEX if "mixed" in name)
NOT_REPORTED = ORDINAL_NOT_REPORTED


def _golden(name: str) -> dict:
    return json.loads((GOLDEN / INDEX[name]["file"]).read_text())


def _fit(name: str) -> tuple[dict, semwidget.FitResult]:
    g = _golden(name)
    data = pd.read_csv(ROOT / g["data"])
    args = g["call_args"] if isinstance(g["call_args"], dict) else {}
    return g, semwidget.fit(g["model"], data, ordered=g["ordered"], **args)


@pytest.mark.parametrize("name", ["hs4_wlsmv", "hs2_wlsmv"])
def test_thresholds_polychorics_and_their_asymptotic_covariance(name: str) -> None:
    g = _golden(name)
    data = pd.read_csv(ROOT / g["data"])
    names = g["sample_cov"]["names"]
    om = ordinal_moments(names, data[names].to_numpy())
    assert np.concatenate(om.thresholds) == pytest.approx(list(g["sample_th"].values()),
                                                          abs=1e-10)
    assert om.cor == pytest.approx(np.array(g["sample_cov"]["matrix"]), abs=1e-6)
    assert np.diag(om.gamma) == pytest.approx(np.array(g["gamma_diag"]), rel=1e-5)


@pytest.mark.parametrize("name", MIXED)
def test_polyserial_pearson_and_the_joint_asymptotic_covariance(name: str) -> None:
    # lavaan's sample statistics with numeric variables: covariances (divisor N) between
    # numeric ones, polyserial correlation x SD between numeric and ordinal ones, and the
    # NACOV of (thresholds and means; variances; correlations) from the joint first stage
    g = _golden(name)
    data = pd.read_csv(ROOT / g["data"])
    names = g["sample_cov"]["names"]
    om = mixed_moments(names, data[names].to_numpy(dtype=float),
                       [v in g["ordered"] for v in names])
    th = np.concatenate([t for t in om.thresholds if len(t)])
    assert th == pytest.approx(list(g["sample_th"].values()), abs=1e-10)
    # lavaan's optimizer stops a weak polyserial correlation short by up to ~1e-5 (in
    # hs_mixed_binary, x1c2-x7: our value has the higher pair log-likelihood, by 1e-8)
    assert om.cor == pytest.approx(np.array(g["sample_cov"]["matrix"]), abs=5e-5)
    assert np.diag(om.gamma) == pytest.approx(np.array(g["gamma_diag"]), rel=1e-5)


@pytest.mark.parametrize("name", CASES)
def test_estimates_thresholds_and_standard_errors(name: str) -> None:
    g, r = _fit(name)
    gold = pd.DataFrame(g["estimates"])
    merged = r.estimates.merge(gold, on=["lhs", "op", "rhs"], suffixes=("", "_lav"))
    assert len(merged) == len(gold) == len(r.estimates)
    for ours, theirs in [("est", "est_lav"), ("se", "se_lav"), ("std_all", "std.all")]:
        diff = (merged[ours] - merged[theirs].astype(float)).abs()
        assert diff.max() < 1e-4, merged.loc[diff.idxmax(), ["lhs", "op", "rhs", ours, theirs]]
    for var, value in g["r2"].items():
        assert r.r2[var] == pytest.approx(value, abs=1e-5)


@pytest.mark.parametrize("name", CASES)
def test_every_fit_measure(name: str) -> None:
    g, r = _fit(name)
    assert_fit_measures(g["fit"], r.fit_measures, NOT_REPORTED)


def test_pandas_ordered_categoricals_are_ordinal_without_listing_them() -> None:
    g = _golden("hs4_wlsmv")
    data = pd.read_csv(ROOT / g["data"])
    for col in g["ordered"]:
        data[col] = pd.Categorical(data[col].map({1: "low", 2: "mid", 3: "high", 4: "top"}),
                                   categories=["low", "mid", "high", "top"], ordered=True)
    r = semwidget.fit(g["model"], data)
    assert r.estimator == "WLSMV"
    gold = pd.DataFrame(g["estimates"])
    chisq = g["fit"]["chisq"]
    assert r.fit_measures["chisq"] == pytest.approx(chisq, abs=1e-3)
    assert len(r.estimates) == len(gold)


def test_bivariate_normal_cdf() -> None:
    # P(X <= 0, Y <= 0) = 1/4 + asin(r) / (2 pi)
    for r in (-0.9, -0.3, 0.0, 0.5, 0.95):
        assert float(bvn_cdf(np.array(0.0), np.array(0.0), r)) == pytest.approx(
            0.25 + math.asin(r) / (2 * math.pi), abs=1e-9)


def test_refusals_name_what_is_wrong() -> None:
    g = _golden("hs_mixed_wlsmv")
    data = pd.read_csv(ROOT / g["data"])
    # an exogenous observed covariate needs lavaan's conditional.x, which is not built
    with pytest.raises(ModelSpecError, match="covariate x4 is exogenous"):
        semwidget.fit("visual =~ x1c4 + x2c4 + x3c4\nvisual ~ x4", data, ordered=g["ordered"])
    with pytest.raises(ModelSpecError, match="none of the model's observed variables"):
        semwidget.fit("textual =~ x4 + x5 + x6", data, ordered=["x1c4"])
    hs4 = _golden("hs4_wlsmv")
    with pytest.raises(ModelSpecError, match="estimator='MLR' does not fit ordinal"):
        semwidget.fit(hs4["model"], data, ordered=hs4["ordered"], estimator="MLR")
    with pytest.raises(ModelSpecError, match="'x4 | t1'"):
        semwidget.fit("f =~ x4 + x5 + x6\nx4 | t1", data)
    with pytest.raises(ModelSpecError, match="t1..t3"):
        semwidget.fit(hs4["model"] + "\nx1c4 | t5", data, ordered=hs4["ordered"])
    with pytest.raises(DataError, match="'nope'"):
        semwidget.fit(hs4["model"], data, ordered=["nope"])
    with pytest.raises(ModelSpecError, match="WLSMV' is for ordinal"):
        semwidget.fit("f =~ x4 + x5 + x6", data, estimator="WLSMV")


@pytest.mark.parametrize("name", ["hs4_wlsmv", "hs2_wlsmv", "hs_mixed_wlsmv",
                                  "hs_mixed_binary"])
def test_reliability_of_ordinal_items_as_semtools(name: str) -> None:
    # mixed models: ordinal constructs by Green & Yang, numeric ones as usual, and NA where
    # a construct has ordinal and numeric items (semTools' compRelSEM)
    ref = json.loads((GOLDEN / f"semtools_ordinal_{name}.json").read_text())
    _, r = _fit(name)
    rel = r.reliability()
    for ours, theirs in [("omega", "omega"), ("omega_implied", "omega_implied"),
                         ("alpha", "alpha"), ("ave_semtools", "AVE")]:
        for construct, value in ref[theirs].items():
            mine = rel.loc[construct, ours]
            if value is None:
                assert math.isnan(mine), (ours, construct)
                continue
            assert mine == pytest.approx(value, abs=1e-6), (ours, construct)


def test_scaling_factors_fixed_at_one_are_accepted_and_free_ones_refused() -> None:
    g = _golden("hs4_wlsmv")
    data = pd.read_csv(ROOT / g["data"])
    fixed = semwidget.fit(g["model"] + "\nx1c4 ~*~ 1*x1c4", data, ordered=g["ordered"])
    assert fixed.fit_measures["chisq"] == pytest.approx(g["fit"]["chisq"], abs=1e-3)
    with pytest.raises(ModelSpecError, match="scaling factors are fixed"):
        semwidget.fit(g["model"] + "\nx1c4 ~*~ x1c4", data, ordered=g["ordered"])


def test_scaled_difference_of_mixed_models_as_lavtestlrt() -> None:
    ref = json.loads((GOLDEN / "lrt" / "ordinal_mixed.json").read_text())
    data = pd.read_csv(ROOT / ref["data"])
    free = semwidget.fit(ref["free"], data, ordered=ref["ordered"])
    equal = semwidget.fit(ref["equal"], data, ordered=ref["ordered"])
    comparison = semwidget.compare(free, equal)
    row = comparison.table.iloc[1]
    assert comparison.method == "satorra.2000"
    assert row["chisq_diff"] == pytest.approx(ref["chisq_diff"], abs=1e-4)
    assert row["df_diff"] == ref["df_diff"]
    assert row["pvalue"] == pytest.approx(ref["pvalue"], abs=1e-5)
