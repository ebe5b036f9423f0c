"""PLS engine against seminr (Python port) golden files in tests/golden_pls/.

The JSON files are written by tests/golden_pls/make_pls_golden.py from seminr; see that
script for the data sets and cases (mobi, corp_rep with -99 codes, a simulated set; path,
factorial and centroid schemes; Mode B blocks; single-item constructs; PLSc).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pls_cases import data, paths_of
from scipy import stats

from semwidget.pls.fit import fit_pls

GOLDEN = Path(__file__).parent / "golden_pls"
CASES = sorted(p.stem for p in GOLDEN.glob("*.json"))
BOOT_CASES = [
    (name, k) for name in CASES for k in range(len(json.loads((GOLDEN / f"{name}.json")
                                                                .read_text())["bootstrap"]))
]  # fmt: skip
#: The issue asks for 1e-3; the engine reproduces seminr to ~1e-14, so hold it to 1e-6.
ATOL = 1e-6


@cache
def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text())


@cache
def fitted(name: str, n_boot: int = 0, seed: int | None = None):
    g = golden(name)
    opt = g["options"]
    return fit_pls(
        g["syntax"], data(g["data"]), scheme=opt["scheme"], consistent=opt["consistent"],
        missing_value=opt["missing_value"], bootstrap=n_boot, seed=seed, progress=False,
    )  # fmt: skip


def by_item(frame: pd.DataFrame) -> dict[tuple[str, str], pd.Series]:
    return {(row.construct, row["item"]): row for _, row in frame.iterrows()}


def htmt_of(result) -> dict[tuple[str, str], pd.Series]:
    out = {}
    for _, row in result.htmt.iterrows():
        out[(row.a, row.b)] = out[(row.b, row.a)] = row
    return out


@pytest.mark.parametrize("name", CASES)
def test_nobs_and_convergence(name):
    res = fitted(name)
    assert res.nobs == golden(name)["nobs"]
    assert res.converged and not [w for w in res.warnings if "converge" in w]


@pytest.mark.parametrize("name", CASES)
def test_paths_and_r2(name):
    e, res = golden(name)["estimates"], fitted(name)
    paths = paths_of(res)
    for src, dst, value in e["paths"]:
        assert paths[(src, dst)].est == pytest.approx(value, abs=ATOL), (src, dst)
    for c, value in e["r2"].items():
        assert res.r2[c] == pytest.approx(value, abs=ATOL), c
        assert res.r2_adj[c] == pytest.approx(e["r2_adj"][c], abs=ATOL), c


@pytest.mark.parametrize("name", CASES)
def test_loadings_and_weights(name):
    e, res = golden(name)["estimates"], fitted(name)
    loadings, weights = by_item(res.loadings), by_item(res.weights)
    for c, items in e["loadings"].items():
        for item, value in items.items():
            assert loadings[(c, item)].est == pytest.approx(value, abs=ATOL), (c, item)
            assert weights[(c, item)].est == pytest.approx(e["weights"][c][item], abs=ATOL)
    # the estimates table carries loadings on '=~' rows and weights on '<~' rows
    for _, row in res.estimates[res.estimates.op != "~"].iterrows():
        source = e["loadings"] if row.op == "=~" else e["weights"]
        assert row.est == pytest.approx(source[row.lhs][row.rhs], abs=ATOL)


@pytest.mark.parametrize("name", CASES)
def test_reliability(name):
    e, res = golden(name)["estimates"], fitted(name)
    for c, values in e["reliability"].items():
        for key, value in values.items():
            assert res.reliability.loc[c, key] == pytest.approx(value, abs=ATOL), (c, key)


@pytest.mark.parametrize("name", CASES)
def test_htmt(name):
    e, res = golden(name)["estimates"], fitted(name)
    h = htmt_of(res)
    assert len(res.htmt) == len(e["htmt"])
    for a, b, value in e["htmt"]:
        assert h[(a, b)].est == pytest.approx(value, abs=ATOL), (a, b)


@pytest.mark.parametrize("name", CASES)
def test_total_effects_vifs_cross_loadings(name):
    e, res = golden(name)["estimates"], fitted(name)
    total = res.indirect[res.indirect.type == "total"]
    got = {(r["from"], r.to): r.est for _, r in total.iterrows()}
    assert len(got) == len(e["total_effects"])
    for a, b, value in e["total_effects"]:
        assert got[(a, b)] == pytest.approx(value, abs=ATOL), (a, b)
    vif = {(r.kind, r.lhs, r.rhs): r.vif for _, r in res.vif.iterrows()}
    for c, items in e["item_vif"].items():
        for item, value in items.items():
            assert vif[("outer", c, item)] == pytest.approx(value, abs=ATOL)
    # seminr takes the inner VIFs from the uncorrected score correlations even under PLSc;
    # semwidget uses the correlations the PLSc paths are estimated from, so compare plain PLS
    for dv, preds in e["inner_vif"].items() if not golden(name)["options"]["consistent"] else []:
        for iv, value in preds.items():
            # seminr leaves a lone predictor's VIF empty; with one predictor it is 1
            assert vif[("inner", dv, iv)] == pytest.approx(1.0 if value is None else value)
    for item, cors in e["cross_loadings"].items():
        for c, value in cors.items():
            assert res.cross_loadings.loc[item, c] == pytest.approx(value, abs=ATOL)


@pytest.mark.parametrize("name", [c for c in CASES if not golden(c)["options"]["consistent"]])
def test_fornell_larcker(name):
    e, res = golden(name)["estimates"], fitted(name)
    fl = res.fornell_larcker
    for a, row in e["fornell_larcker"].items():
        for b, value in row.items():
            # one triangle is filled; which one depends on the construct order
            got = fl.loc[a, b] if np.isfinite(fl.loc[a, b]) else fl.loc[b, a]
            assert got == pytest.approx(value, abs=ATOL), (a, b)
    assert np.isnan(fl.to_numpy()[np.triu_indices(len(fl), 1)]).all()


@pytest.mark.parametrize(("name", "k"), BOOT_CASES)
def test_bootstrap_same_resamples(name, k):
    """Same seed -> the very same resamples as seminr: SEs and percentile CIs agree exactly."""
    ref = golden(name)["bootstrap"][k]
    res = fitted(name, ref["nboot"], ref["seed"])
    assert res.bootstrap == ref["nboot"] and ref["fails"] == 0
    tol = {"rel": 1e-6, "abs": 1e-9}
    paths = paths_of(res)
    for src, dst, s in ref["paths"]:
        row = paths[(src, dst)]
        assert row.se == pytest.approx(s["se"], **tol)
        assert (row.ci_lower, row.ci_upper) == pytest.approx((s["lo"], s["hi"]), **tol)
        assert row.t == pytest.approx(row.est / s["se"], rel=1e-6)
    loadings, weights = by_item(res.loadings), by_item(res.weights)
    for key, frame in (("loadings", loadings), ("weights", weights)):
        for c, items in ref[key].items():
            for item, s in items.items():
                assert frame[(c, item)].se == pytest.approx(s["se"], **tol), (key, item)
    h = htmt_of(res)
    for a, b, s in ref["htmt"]:
        assert h[(a, b)].se == pytest.approx(s["se"], **tol)
        assert (h[(a, b)].ci_lower, h[(a, b)].ci_upper) == pytest.approx((s["lo"], s["hi"]), **tol)


def test_bootstrap_se_within_monte_carlo_error():
    """Independent resamples: SEs agree with seminr's within Monte-Carlo error.

    An SE estimated from B resamples has a sampling SD of about SE * sqrt((kurt - 1) / (4B))
    (SE / sqrt(2B) for a normal statistic, kurt = 3). Two independent runs (B1 = 2000 here,
    B2 = 2000 in seminr) therefore differ by SD = SE * sqrt((kurt - 1) / 4 * (1/B1 + 1/B2));
    every SE must be within 4 such SDs (about 9% of the SE for a normal statistic), with
    the kurtosis of each statistic taken from our own bootstrap draws.
    """
    ref = next(b for b in golden("mobi_path")["bootstrap"] if b["seed"] == 777)
    n_boot = 2000
    res = fitted("mobi_path", n_boot, 31337)

    def tolerance(se: float, draws: np.ndarray) -> float:
        kurt = stats.kurtosis(draws, fisher=False)
        return 4 * se * np.sqrt((kurt - 1) / 4 * (1 / n_boot + 1 / ref["nboot"]))

    spec_paths = [(r.rhs, r.lhs) for r in res.estimates.itertuples() if r.op == "~"]
    paths = paths_of(res)
    for src, dst, s in ref["paths"]:
        got = paths[(src, dst)].se
        draws = res.boot_samples["paths"][:, spec_paths.index((src, dst))]
        assert abs(got - s["se"]) < tolerance(s["se"], draws), (src, dst, got, s["se"])
        assert got != pytest.approx(s["se"], rel=1e-9)  # genuinely different resamples
    keys = list(zip(res.loadings.construct, res.loadings["item"], strict=True))
    for c, items in ref["loadings"].items():
        for item, s in items.items():
            j = keys.index((c, item))
            got = res.loadings.se.iloc[j]
            assert abs(got - s["se"]) < tolerance(s["se"], res.boot_samples["loadings"][:, j])


def test_bootstrap_is_reproducible_with_seed():
    a = fitted("ecsi_modeb", 200, 5)
    b = fit_pls(golden("ecsi_modeb")["syntax"], data("mobi.csv"), bootstrap=200, seed=5)
    c = fit_pls(golden("ecsi_modeb")["syntax"], data("mobi.csv"), bootstrap=200, seed=6)
    assert a.estimates.se.equals(b.estimates.se)
    assert not a.estimates.se.equals(c.estimates.se)
