"""Issue 14 (part A) against lavaan 0.6.14 (golden files by tests/golden/make_lavaan14_golden.R,
make_lavaan14_groups_golden.R and, for issue 16's sparse FIML cases, make_fiml_sparse_golden.R).

Each case file holds lavaan's call and the keyword arguments of the same fit in semwidget
("py"). Tolerances: estimates, std.all, R² and fit measures 1e-4 (chi-square-scale measures
and log-likelihoods 1e-4 relative), standard errors 1e-3 relative (FIML's observed information
is a numerical Hessian in both programs).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import semwidget

GOLDEN = Path(__file__).parent / "golden" / "lavaan14"
ROOT = Path(__file__).parent.parent
# cases.json: make_lavaan14_golden.R; groups_cases.json: make_lavaan14_groups_golden.R;
# sparse_cases.json (FIML with much missing): make_fiml_sparse_golden.R
CASES = sorted(name for index in ("cases.json", "groups_cases.json", "sparse_cases.json")
               for name in json.loads((GOLDEN / index).read_text())["cases"])
RELATIVE = {"chisq", "baseline_chisq", "logl", "unrestricted_logl", "aic", "bic", "bic2",
            "chisq_scaled", "baseline_chisq_scaled"}
TOL = 1e-4
SE_REL = 1e-3


def load_case(name: str) -> dict[str, Any]:
    return json.loads((GOLDEN / f"{name}.json").read_text())


def py_arguments(case: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The data and keyword arguments of the semwidget call the case file names."""
    kwargs = dict(case["py"])
    for key in [k for k in kwargs if k.endswith("_file")]:
        # summary statistics stored as text files beside the case (lower-triangular)
        files = kwargs.pop(key)
        kwargs[key[: -len("_file")]] = [(GOLDEN / f).read_text() for f in files] \
            if isinstance(files, list) else (GOLDEN / files).read_text()
    data = pd.read_csv(ROOT / case["data"]) if case.get("data") else None
    return data, kwargs


def fit_case(case: dict[str, Any]) -> Any:
    data, kwargs = py_arguments(case)
    kind = kwargs.pop("kind", None)
    if kind == "growth":
        return semwidget.growth(case["model"], data, **kwargs)
    return semwidget.fit(case["model"], data, **kwargs)


@pytest.fixture(scope="module", params=CASES)
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Any]:
    golden = load_case(request.param)
    return golden, fit_case(golden)


def _row(est: pd.DataFrame, ref: dict[str, Any]) -> pd.Series:
    if "group" in ref and "group" in est.columns:
        est = est[est["group"] == ref["group"]]
    hit = est[(est.lhs == ref["lhs"]) & (est.op == ref["op"]) & (est.rhs == ref["rhs"])]
    if hit.empty and ref["op"] == "~~":
        hit = est[(est.lhs == ref["rhs"]) & (est.op == "~~") & (est.rhs == ref["lhs"])]
    assert len(hit) == 1, f"row {ref['lhs']} {ref['op']} {ref['rhs']} missing"
    return hit.iloc[0]


def test_nobs(case: tuple[dict[str, Any], Any]) -> None:
    golden, result = case
    nobs = golden["nobs"]
    assert result.nobs == (sum(nobs) if isinstance(nobs, list) else nobs)


def test_estimates(case: tuple[dict[str, Any], Any]) -> None:
    golden, result = case
    for ref in golden["estimates"]:
        if ref["op"] not in ("=~", "~", "~~", "~1", ":="):
            continue
        got = _row(result.estimates, ref)
        where = f"{golden['name']}: {ref['lhs']} {ref['op']} {ref['rhs']}"
        assert got["est"] == pytest.approx(ref["est"], abs=TOL), where
        if ref["se"] is not None and ref["se"] > 0:
            assert got["se"] == pytest.approx(ref["se"], rel=SE_REL), where
        elif ref["se"] == 0:
            assert got["se"] == pytest.approx(0.0, abs=1e-8), where
        if ref.get("std.all") is not None:
            assert got["std_all"] == pytest.approx(ref["std.all"], abs=TOL), where


def test_fit_measures(case: tuple[dict[str, Any], Any]) -> None:
    golden, result = case
    checked = 0
    for key, ref in golden["fit"].items():
        name = key.replace(".", "_")
        if name not in result.fit_measures:
            continue
        got = result.fit_measures[name]
        where = f"{golden['name']}: {name}"
        if ref is None:
            assert got is None or math.isnan(got), f"{where}: lavaan reports NA, got {got}"
        elif name in RELATIVE:
            assert got == pytest.approx(ref, rel=TOL, abs=TOL), where
        else:
            assert got == pytest.approx(ref, abs=TOL), where
        checked += 1
    assert checked >= 20, golden["name"]


def test_r2(case: tuple[dict[str, Any], Any]) -> None:
    golden, result = case
    refs, ours = golden["r2"], result.r2
    if refs and isinstance(next(iter(refs.values())), dict):
        # several groups: lavaan's labels are the list names, ours the positions
        refs = {f"{g}:{k}": v for g, r in enumerate(refs.values()) for k, v in r.items()}
        ours = {f"{g}:{k}": v for g, r in enumerate(ours.values()) for k, v in r.items()}
    for name, ref in refs.items():
        assert ours[name] == pytest.approx(ref, abs=TOL), name


def test_warns_as_lavaan_about_dropped_covariate_rows() -> None:
    golden = load_case("fiml_hs_cov_ml")
    assert any("68 cases were deleted" in w for w in golden["lavaan_warnings"])
    result = fit_case(golden)
    assert any(w.startswith("68 case(s) were deleted") and "'x7', 'x8'" in w
               for w in result.warnings)
    kept = fit_case(load_case("fiml_hs_cov_mlx"))
    assert not any("deleted" in w for w in kept.warnings)


def test_missing_words_are_lavaans() -> None:
    with pytest.raises(semwidget.errors.ModelSpecError, match="'fiml.x'"):
        semwidget.fit("f =~ x1 + x2 + x3", semwidget.datasets.load("hs1939"), missing="pairwise")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"information": "first.order"}, "information='first.order' is not available"),
    ({"information": 3}, "information must be text"),
    ({"meanstructure": "yes"}, "meanstructure must be True or False"),
    ({"information": "observed", "estimator": "MLR"}, "information='observed' with robust"),
    ({"information": "observed", "estimator": "GLS"}, "information='observed' is for ML"),
])
def test_information_options_are_checked(kwargs: dict[str, Any], match: str) -> None:
    data = semwidget.datasets.load("hs1939")
    with pytest.raises(semwidget.errors.ModelSpecError, match=match):
        semwidget.fit("f =~ x1 + x2 + x3 + x4", data, **kwargs)


def test_observed_information_changes_only_the_standard_errors() -> None:
    data = semwidget.datasets.load("hs1939")
    model = load_case("info_hs_cfa_observed")["model"]
    expected = semwidget.fit(model, data)
    observed = semwidget.fit(model, data, information="observed")
    assert observed.estimates["est"].to_numpy() == pytest.approx(
        expected.estimates["est"].to_numpy(), abs=1e-8)
    assert (observed.estimates["se"] - expected.estimates["se"]).abs().max() > 1e-3


HS_TEXT = """
      x1    x2    x3
x1  1.363
x2  0.409 1.386
x3  0.582 0.453 1.275
"""


def test_textbook_matrix_equals_the_data_fit() -> None:
    data = semwidget.datasets.load("hs1939")[["x1", "x2", "x3", "x4"]]
    model = "f =~ x1 + x2 + x3 + x4"
    from_data = semwidget.fit(model, data)
    from_cov = semwidget.fit(model, sample_cov=data.cov(), sample_nobs=len(data))
    assert from_cov.estimates["est"].to_numpy() == pytest.approx(
        from_data.estimates["est"].to_numpy(), abs=1e-7)
    assert from_cov.fit_measures["chisq"] == pytest.approx(from_data.fit_measures["chisq"],
                                                          abs=1e-8)
    assert from_cov.data is None


def test_cov_matrix_reads_a_lower_triangle() -> None:
    frame = semwidget.cov_matrix(HS_TEXT)
    assert list(frame.columns) == ["x1", "x2", "x3"]
    assert frame.loc["x3", "x1"] == frame.loc["x1", "x3"] == 0.582
    named = semwidget.cov_matrix("1 .5 1", names=["a", "b"])
    assert named.loc["a", "b"] == 0.5


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"sample_cov": HS_TEXT}, "needs sample_nobs"),
    ({"sample_cov": HS_TEXT.replace("0.453", "O.453"), "sample_nobs": 9},
     "line 4: 'O.453' is not a number"),
    ({"sample_cov": "1 .5 1", "sample_nobs": 50}, "name the variables"),
    ({"sample_cov": HS_TEXT, "sample_nobs": 2.5}, "whole number"),
    ({"sample_cov": HS_TEXT, "sample_nobs": 100, "missing": "fiml"},
     "missing='fiml' needs the raw data"),
    ({"sample_cov": HS_TEXT, "sample_nobs": 100, "se": "bootstrap"},
     "se='bootstrap' needs the raw data"),
    ({"sample_cov": HS_TEXT, "sample_nobs": 100, "estimator": "MLR"},
     "needs the raw data"),
    ({"sample_cov": HS_TEXT, "sample_nobs": 100, "meanstructure": True}, "no sample_mean"),
    ({"sample_cov": np.eye(3), "sample_nobs": 100}, "carries no variable names"),
    ({"sample_cov": [HS_TEXT, HS_TEXT], "sample_nobs": 100}, "one per group"),
    ({}, "needs data= .* or summary statistics"),
])
def test_summary_statistics_are_checked(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(semwidget.SemWidgetError, match=match):
        semwidget.fit("f =~ x1 + x2 + x3", **kwargs)


def test_a_model_variable_missing_from_the_matrix_is_named() -> None:
    with pytest.raises(semwidget.DataError, match="'x4' of the model is not in sample_cov"):
        semwidget.fit("f =~ x1 + x2 + x3 + x4", sample_cov=HS_TEXT, sample_nobs=100)


def test_growth_equals_sem_with_the_intercepts_written() -> None:
    case = load_case("growth_linear")
    data, _ = py_arguments(case)
    written = case["model"] + "\nt1 ~ 0*1\nt2 ~ 0*1\nt3 ~ 0*1\nt4 ~ 0*1\ni ~ 1\ns ~ 1"
    by_hand = semwidget.fit(written, data)
    grown = semwidget.fit(case["model"], data, kind="growth")
    assert grown.fit_measures["chisq"] == pytest.approx(by_hand.fit_measures["chisq"], abs=1e-8)
    assert grown.fit_measures["df"] == by_hand.fit_measures["df"]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"kind": "lgm"}, "unknown kind 'lgm'"),
    ({"kind": "growth", "group": "x2"}, "kind='growth' .* several groups"),
])
def test_growth_options_are_checked(kwargs: dict[str, Any], match: str) -> None:
    data, _ = py_arguments(load_case("growth_linear"))
    with pytest.raises(semwidget.ModelSpecError, match=match):
        semwidget.fit(load_case("growth_linear")["model"], data.assign(x2=[0, 1] * 150),
                      **kwargs)


# ---- bootstrap on lavaan's own resamples ----------------------------------------------------

BOOT_CASES = sorted(json.loads((GOLDEN / "boot_cases.json").read_text())["cases"])


@pytest.fixture(scope="module", params=BOOT_CASES)
def boot_case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Any, np.ndarray]:
    golden = load_case(request.param)
    indices = pd.read_csv(GOLDEN / golden["indices"]).to_numpy(dtype=np.int64)
    return golden, fit_case(golden), indices


def test_bootstrap_on_lavaans_resamples(boot_case: tuple[dict[str, Any], Any, np.ndarray]
                                        ) -> None:
    """lavaan's draws (bootstrapLavaan keep.idx) refitted here: the same SEs and intervals."""
    from semwidget.cb.bollen_stine import bollen_stine
    from semwidget.cb.bootstrap import bootstrap_result

    golden, result, indices = boot_case
    assert indices.shape == (golden["R"], result.nobs)
    if golden["type"] == "bollen.stine":
        out = bollen_stine(result, indices=indices, progress=False)
        ours = np.array(out.options["bollen_stine_chisq"])
        assert len(ours) == len(golden["boot_chisq"])
        assert ours == pytest.approx(np.array(golden["boot_chisq"]), rel=1e-4, abs=1e-4)
        assert out.fit_measures["bollen_stine_pvalue"] == pytest.approx(
            golden["bollen_stine_pvalue"], abs=1e-12)
        assert out.fit_measures["chisq"] == pytest.approx(golden["chisq"], rel=1e-6)
        return
    out = bootstrap_result(result, indices=indices, ci="perc", progress=False)
    assert out.bootstrap.failed == golden["failed"]
    est = out.estimates
    for ref in golden["boot_se"]:
        got = _row(est, ref)
        assert got["se"] == pytest.approx(ref["se"], rel=1e-3, abs=TOL), \
            f"{golden['name']}: {ref['lhs']} {ref['op']} {ref['rhs']}"
    for ref in golden["boot_ci"]:
        got = _row(est, ref)
        where = f"{golden['name']}: {ref['lhs']} {ref['op']} {ref['rhs']}"
        assert got["est"] == pytest.approx(ref["est"], abs=TOL), where
        assert got["ci_lower"] == pytest.approx(ref["ci.lower"], abs=TOL), where
        assert got["ci_upper"] == pytest.approx(ref["ci.upper"], abs=TOL), where


def test_bootstrap_with_fiml_and_means_runs_from_fit() -> None:
    data = pd.read_csv(ROOT / "tests/golden/data/hs_missing10.csv")
    out = semwidget.fit("f =~ x1 + x2 + x3", data, missing="fiml", se="bootstrap",
                        bootstrap=20, seed=3)
    assert out.bootstrap.ok >= 10
    intercepts = (out.estimates.op == "~1") & out.estimates.lhs.isin(["x1", "x2", "x3"])
    assert (out.estimates.loc[intercepts, "se"] > 0).all()
    again = semwidget.fit("f =~ x1 + x2 + x3", data, missing="fiml", se="bootstrap",
                          bootstrap=20, seed=3)
    assert again.estimates["se"].to_numpy() == pytest.approx(out.estimates["se"].to_numpy())


def test_bollen_stine_refusals_name_the_feature() -> None:
    data = pd.read_csv(ROOT / "tests/golden/data/hs_missing10.csv")
    with pytest.raises(semwidget.ModelSpecError, match="Bollen-Stine.*missing='fiml'"):
        semwidget.fit("f =~ x1 + x2 + x3", data, missing="fiml", test="bootstrap",
                      bootstrap=10)
    with pytest.raises(semwidget.ModelSpecError, match="Bollen-Stine.*sample_cov"):
        semwidget.fit("f =~ x1 + x2 + x3", sample_cov=HS_TEXT, sample_nobs=100,
                      test="bootstrap")


def test_widget_fits_summary_statistics_without_data() -> None:
    w = semwidget.SEMWidget(syntax="f =~ x1 + x2 + x3", sample_cov=HS_TEXT, sample_nobs=100,
                            auto_fit=False)
    assert w.columns == ["x1", "x2", "x3"]
    w.fit()
    assert w.error == ""
    assert w.results["fit"]["df"] == 0
    assert w.result.nobs == 100


def test_widget_fit_bar_gets_the_bollen_stine_p_value() -> None:
    w = semwidget.SEMWidget(semwidget.datasets.load("hs1939"), syntax="f =~ x1 + x2 + x3 + x4",
                            test="bootstrap", bootstrap=20, seed=1, auto_fit=False)
    w.fit()
    p = w.results["fit"]["bollen_stine_pvalue"]
    assert 0.0 <= p <= 1.0


def test_cli_fits_a_covariance_file(capsys: pytest.CaptureFixture[str], tmp_path: Path
                                    ) -> None:
    from semwidget.cli import main

    model = tmp_path / "m.lav"
    model.write_text(load_case("sstats_hs_cfa")["model"])
    cov = str(GOLDEN / "hs_cov.txt")
    assert main(["fit", str(model), "--cov", cov, "--nobs", "301", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    ref = load_case("sstats_hs_cfa")["fit"]["chisq"]
    assert out["fit"]["chisq"] == pytest.approx(ref, rel=TOL)
    assert main(["fit", str(model), "--cov", cov]) == 2
    assert "--nobs N" in capsys.readouterr().err
