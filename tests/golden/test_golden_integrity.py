"""Checks that the committed lavaan/semTools golden files are complete and describe the data
that Python reads (R is not needed: these only read the JSON and the CSV files)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import multivariate_normal

GOLDEN = Path(__file__).resolve().parent
ROOT = GOLDEN.parents[1]
INDEX = json.loads((GOLDEN / "cases.json").read_text())
CASES = sorted(INDEX["cases"])
ESTIMATE_KEYS = {
    "lhs",
    "op",
    "rhs",
    "label",
    "est",
    "se",
    "z",
    "pvalue",
    "ci.lower",
    "ci.upper",
    "std.lv",
    "std.all",
    "std.nox",
}
CASE_KEYS = {
    "name",
    "model",
    "data",
    "call",
    "options",
    "nobs",
    "npar",
    "df",
    "converged",
    "estimates",
    "fit",
    "r2",
    "implied_cov",
    "resid_cov",
    "sample_cov",
    "partable",
    "lavaan_version",
}


def load(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text())


def matrix(entry: dict) -> tuple[list[str], np.ndarray]:
    return entry["names"], np.array(entry["matrix"], dtype=float)


def test_index_lists_every_lavaan_case_file() -> None:
    files = {p.stem for p in GOLDEN.glob("*.json")}
    others = {"cases", "hs_mediation_boot"} | {f for f in files if f.startswith("semtools_")}
    others |= {f for f in files if f.startswith(("robust_", "ordinal_", "lavaan14b_",
                                                 "ordgroups_"))}
    assert set(CASES) == files - others


@pytest.mark.parametrize("prefix", ["robust", "ordinal", "lavaan14b", "ordgroups"])
def test_indexes_list_every_case_file(prefix: str) -> None:
    files = {p.stem for p in GOLDEN.glob(f"{prefix}_*.json")} - {f"{prefix}_cases"}
    index = json.loads((GOLDEN / f"{prefix}_cases.json").read_text())
    assert index["lavaan_version"] == "0.6.14"
    assert {entry["file"][:-5] for entry in index["cases"].values()} == files


@pytest.mark.parametrize("name", CASES)
def test_case_is_complete(name: str) -> None:
    case = load(name)
    assert CASE_KEYS <= case.keys()
    assert case["name"] == name
    assert case["converged"] is True
    assert case["lavaan_version"] == "0.6.14"
    assert case["options"]["function"] in {"cfa", "sem"}
    for row in case["estimates"]:
        assert set(row) == ESTIMATE_KEYS
        assert isinstance(row["est"], (int, float))
    # Every fit measure is a number or null, never a string placeholder.
    assert all(v is None or isinstance(v, (int, float)) for v in case["fit"].values())
    assert case["fit"]["npar"] == case["npar"]
    assert case["fit"]["df"] == case["df"]


def _complete_case_names() -> list[str]:
    return [c for c in CASES if load(c)["options"]["missing"] != "ml"]


def _exogenous(case: dict) -> list[str]:
    """Observed covariates whose (co)variances lavaan fixed at their sample values."""
    return sorted({r["lhs"] for r in case["partable"] if r["exo"] == 1 and r["op"] == "~~"})


@pytest.mark.parametrize("name", _complete_case_names())
def test_sample_cov_is_the_covariance_of_the_csv(name: str) -> None:
    """Python reading the committed CSV gets the very moments lavaan fitted.

    lavaan divides by N for ML and by N - 1 for GLS and ULS.
    """
    case = load(name)
    names, s = matrix(case["sample_cov"])
    data = pd.read_csv(ROOT / case["data"])[names].dropna()
    assert len(data) == case["nobs"]
    ddof = 0 if case["options"]["estimator"] == "ML" else 1
    np.testing.assert_allclose(data.cov(ddof=ddof).to_numpy(), s, rtol=1e-9, atol=1e-12)


def _logdet(a: np.ndarray) -> float:
    return float(np.linalg.slogdet(a)[1])


def _normal_logl(n: int, s: np.ndarray, sigma: np.ndarray) -> float:
    p = len(s)
    return (
        -n / 2 * (p * math.log(2 * math.pi) + _logdet(sigma) + np.trace(s @ np.linalg.inv(sigma)))
    )


@pytest.mark.parametrize(
    "name", [c for c in _complete_case_names() if load(c)["options"]["estimator"] == "ML"]
)
def test_ml_chisq_and_logl_follow_from_the_matrices(name: str) -> None:
    """chi^2 = N * F_ML, and logl from the implied matrix (conditional on fixed.x covariates)."""
    case = load(name)
    names, s = matrix(case["sample_cov"])
    names_i, sigma = matrix(case["implied_cov"])
    assert names == names_i
    n, p = case["nobs"], len(names)
    f_ml = _logdet(sigma) + np.trace(s @ np.linalg.inv(sigma)) - _logdet(s) - p
    mean_part = 0.0
    if "implied_mean" in case and case["options"]["missing"] != "ml":
        # a mean structure adds (m - mu)' Sigma^-1 (m - mu) to F_ML
        d = np.array([case["sample_mean"][v] - case["implied_mean"][v] for v in names])
        mean_part = float(d @ np.linalg.inv(sigma) @ d)
    f_ml += mean_part
    assert math.isclose(n * f_ml, case["fit"]["chisq"], rel_tol=1e-7, abs_tol=1e-7)
    logl = _normal_logl(n, s, sigma) - n / 2 * mean_part
    exo = [names.index(v) for v in _exogenous(case)]
    if exo:
        # With fixed.x = TRUE lavaan reports logl of the endogenous variables given the covariates.
        s_x = s[np.ix_(exo, exo)]
        logl -= _normal_logl(n, s_x, s_x)
    assert math.isclose(logl, case["fit"]["logl"], rel_tol=1e-9)


@pytest.mark.parametrize("name", [c for c in CASES if load(c)["options"]["estimator"] != "ML"])
def test_least_squares_chisq_follows_from_the_matrices(name: str) -> None:
    """GLS: (N-1) * tr[((S - Sigma) S^-1)^2] / 2; ULS: (N-1) * sum((S - Sigma)^2) / 2."""
    case = load(name)
    _, s = matrix(case["sample_cov"])
    _, sigma = matrix(case["implied_cov"])
    r = s - sigma
    if case["options"]["estimator"] == "GLS":
        rw = r @ np.linalg.inv(s)
        f = 0.5 * np.trace(rw @ rw)
    else:
        f = 0.5 * np.sum(r * r)
    assert math.isclose((case["nobs"] - 1) * f, case["fit"]["chisq"], rel_tol=1e-7)
    assert "logl" not in case["fit"]


def test_fiml_likelihoods_match_the_missing_data_csv() -> None:
    """The missing-data CSV is the one lavaan fitted: both log-likelihoods recompute from it."""
    case = load("hs_fiml")
    assert case["options"]["missing"] == "ml" and case["options"]["information"] == "observed"
    data = pd.read_csv(ROOT / case["data"])
    assert data.isna().to_numpy().mean() == pytest.approx(0.10, abs=0.002)
    assert len(data) == case["nobs"]

    def loglik(cov_key: str, mean_key: str) -> float:
        names, cov = matrix(case[cov_key])
        mean = np.array([case[mean_key][v] for v in names])
        values = data[names].to_numpy()
        total = 0.0
        for row in values:
            seen = ~np.isnan(row)
            total += multivariate_normal.logpdf(row[seen], mean[seen], cov[np.ix_(seen, seen)])
        return total

    h1 = loglik("sample_cov", "sample_mean")
    h0 = loglik("implied_cov", "implied_mean")
    assert h1 == pytest.approx(case["fit"]["unrestricted.logl"], rel=1e-9)
    assert h0 == pytest.approx(case["fit"]["logl"], rel=1e-9)
    assert 2 * (h1 - h0) == pytest.approx(case["fit"]["chisq"], rel=1e-6)


@pytest.mark.parametrize("name", ["hs_cfa", "poldem_sem", "hs_mediation"])
def test_semtools_file_is_complete(name: str) -> None:
    st = json.loads((GOLDEN / f"semtools_{name}.json").read_text())
    constructs = st["constructs"]
    for key in ("AVE", "alpha_textbook", "cr_textbook", "ave_textbook"):
        assert set(st[key]) == set(constructs)
    for key in ("omega", "omega_implied_var", "alpha"):
        assert set(st["compRelSEM"][key]) == set(constructs)
    # semTools' tau-equivalent reliability is Cronbach's alpha of the item covariances.
    for c in constructs:
        assert st["compRelSEM"]["alpha"][c] == pytest.approx(st["alpha_textbook"][c], rel=1e-9)
    names, htmt = matrix(st["htmt"])
    assert names == constructs
    np.testing.assert_allclose(htmt, htmt.T)
    assert {"mi", "epc", "sepc.lv", "sepc.all", "sepc.nox"} <= set(st["modindices"][0])


def test_bootstrap_file_is_complete() -> None:
    boot = json.loads((GOLDEN / "hs_mediation_boot.json").read_text())
    assert boot["bootstrap"] == 1000 and boot["seed"] == 1
    assert boot["bootstrap_ok"] + boot["bootstrap_failed"] == 1000
    assert boot["elapsed_seconds"] > 0
    ind = next(r for r in boot["estimates"] if r["lhs"] == "ind" and r["op"] == ":=")
    for kind in ("perc", "bca"):
        assert ind[f"ci.{kind}.lower"] < ind["est"] < ind[f"ci.{kind}.upper"]
