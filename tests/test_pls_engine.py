"""PLS engine behaviour beyond the golden numbers: model reading, missing data, result
shapes and JSON, effects, bootstrap statistics, progress and the CLI options."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from semwidget.cli import add_pls_arguments, pls_kwargs_from_args
from semwidget.pls.bootstrap import draw_counts, weighted_correlations
from semwidget.pls.fit import fit_pls

GOLDEN = Path(__file__).parent / "golden_pls"
MOBI = pd.read_csv(GOLDEN / "data" / "mobi.csv")
CORP = pd.read_csv(GOLDEN / "data" / "corp_rep.csv")
MOBI_MODEL = json.loads((GOLDEN / "mobi_path.json").read_text())["syntax"]
CORP_MODEL = json.loads((GOLDEN / "corp_rep_path.json").read_text())["syntax"]


@pytest.fixture(scope="module")
def boot_fit():
    return fit_pls(MOBI_MODEL, MOBI, bootstrap=400, seed=3)


def test_observed_variable_in_a_path_is_a_single_item_construct():
    explicit = fit_pls(MOBI_MODEL + "Complaints =~ CUSCO\nLoyalty ~ Complaints\n", MOBI)
    implicit = fit_pls(MOBI_MODEL + "Loyalty ~ CUSCO\n", MOBI)
    row = implicit.estimates.query("lhs == 'Loyalty' and rhs == 'CUSCO'").est.item()
    assert row == pytest.approx(
        explicit.estimates.query("lhs == 'Loyalty' and rhs == 'Complaints'").est.item()
    )
    w = implicit.weights.set_index("item").loc["CUSCO"]
    assert (w.construct, w.est) == ("CUSCO", pytest.approx(1.0))
    assert implicit.reliability.loc["CUSCO"].tolist() == pytest.approx([1, 1, 1, 1])


def test_missing_code_mean_replacement_and_listwise():
    items = [c for c in CORP.columns if c not in ("servicetype", "serviceprovider")]
    coded = CORP[items].replace(-99, np.nan)
    mean = fit_pls(CORP_MODEL, CORP, missing_value=-99)
    by_hand = fit_pls(CORP_MODEL, coded.fillna(coded.mean()))
    assert mean.nobs == 344
    assert mean.estimates.est.to_numpy() == pytest.approx(by_hand.estimates.est.to_numpy())
    listwise = fit_pls(CORP_MODEL, CORP, missing_value=-99, missing="listwise")
    dropped = fit_pls(CORP_MODEL, coded.dropna())
    assert listwise.nobs == len(coded.dropna()) < 344
    assert listwise.estimates.est.to_numpy() == pytest.approx(dropped.estimates.est.to_numpy())
    assert any("listwise deletion dropped" in w for w in listwise.warnings)


def test_non_convergence_is_reported():
    res = fit_pls(MOBI_MODEL, MOBI, max_iter=2)
    assert not res.converged and res.iterations == 2
    assert any("did not converge in 2 iterations" in w for w in res.warnings)
    assert any("did not converge" in w for w in res.to_dict()["warnings"])


def test_ignored_statements_and_labels():
    model = MOBI_MODEL.replace("Loyalty ~ Image", "Loyalty ~ b1*Image") + "Image ~~ Value\n"
    res = fit_pls(model, MOBI)
    assert res.estimates.query("lhs == 'Loyalty' and rhs == 'Image'").label.item() == "b1"
    assert "ignored by the PLS engine: 'Image ~~ Value'" in res.warnings


def test_estimates_table_shape(boot_fit):
    est = boot_fit.estimates
    assert list(est.columns) == [
        "lhs", "op", "rhs", "label", "est", "se", "z", "pvalue",
        "ci_lower", "ci_upper", "std_lv", "std_all", "t",
    ]  # fmt: skip
    assert set(est.op) == {"=~", "~"}
    assert (est.std_all == est.est).all() and (est.z == est.t).all()
    assert est.t.to_numpy() == pytest.approx((est.est / est.se).to_numpy())
    p = 2 * stats.t.sf(np.abs(est.t), df=boot_fit.nobs - 1)
    assert est.pvalue.to_numpy() == pytest.approx(p)
    inside = (est.ci_lower <= est.est) & (est.est <= est.ci_upper)
    assert inside.all()


def test_to_dict_is_the_cli_json(boot_fit):
    plain = fit_pls(MOBI_MODEL, MOBI).to_dict()
    assert list(plain) == [
        "engine", "nobs", "estimates", "weights", "r2", "r2_adj", "reliability", "htmt",
        "warnings",
    ]  # fmt: skip
    assert plain["engine"] == "pls" and plain["nobs"] == 250
    assert set(plain["weights"][0]) == {"construct", "item", "est"}
    assert set(plain["reliability"]["Image"]) == {"alpha", "rho_a", "rho_c", "ave"}
    assert set(plain["htmt"][0]) == {"a", "b", "est"}
    assert plain["estimates"][0]["se"] is None  # NaN -> null without bootstrap
    json.dumps(plain, allow_nan=False)
    booted = boot_fit.to_dict()
    assert set(booted["htmt"][0]) == {"a", "b", "est", "se", "t", "pvalue", "ci_lower", "ci_upper"}
    assert booted["estimates"][0]["se"] > 0
    json.dumps(booted, allow_nan=False)


def test_indirect_effects_add_up(boot_fit):
    ind = boot_fit.indirect
    paths = {(r.rhs, r.lhs): r.est for r in boot_fit.estimates.itertuples() if r.op == "~"}
    specific = ind[ind.type == "specific"]
    route = specific[specific.path == "Image -> Expectation -> Value"].est.item()
    assert route == pytest.approx(paths[("Image", "Expectation")] * paths[("Expectation", "Value")])
    for _, row in ind[ind.type == "total"].iterrows():
        pair = (row["from"], row.to)
        parts = specific[(specific["from"] == pair[0]) & (specific.to == pair[1])].est.sum()
        assert row.est == pytest.approx(paths.get(pair, 0.0) + parts)
        total_ind = ind[(ind.type == "total_indirect") & (ind["from"] == pair[0])
                        & (ind.to == pair[1])]  # fmt: skip
        if len(total_ind):
            assert total_ind.est.item() == pytest.approx(parts)
    assert (ind.se > 0).all()


def test_f2_and_scores():
    res = fit_pls(MOBI_MODEL, MOBI)
    r2 = res.r2["Value"]  # Value has one predictor: f2 = R2 / (1 - R2)
    assert res.f2.query("lhs == 'Value'").f2.item() == pytest.approx(r2 / (1 - r2))
    assert (res.f2.f2 > 0).all() and len(res.f2) == 7
    scores = res.scores.to_numpy()
    assert scores.std(axis=0, ddof=1) == pytest.approx(np.ones(5))
    assert np.corrcoef(scores.T) == pytest.approx(res.construct_cor.to_numpy())


def test_srmr():
    singles = fit_pls("A =~ CUEX1\nB =~ CUSA1\nC =~ CUSL1\nB ~ A\nC ~ B\n", MOBI)
    assert singles.srmr == pytest.approx(0.0, abs=1e-12)  # saturated, nothing to misfit
    plain = fit_pls(MOBI_MODEL, MOBI)
    plsc = fit_pls(MOBI_MODEL, MOBI, consistent=True)
    assert 0.0 < plain.srmr < 0.12 and plsc.srmr > 0 and plsc.srmr != plain.srmr


def test_bca_and_sign_change():
    bca = fit_pls(MOBI_MODEL, MOBI, bootstrap=400, seed=3, boot_ci="bca")
    pct = fit_pls(MOBI_MODEL, MOBI, bootstrap=400, seed=3)
    assert bca.estimates.se.equals(pct.estimates.se)  # same resamples
    assert (bca.estimates.ci_lower < bca.estimates.ci_upper).all()
    assert not np.allclose(bca.estimates.ci_lower, pct.estimates.ci_lower)
    # BCa moves the percentile interval by less than its width
    width = pct.estimates.ci_upper - pct.estimates.ci_lower
    assert ((bca.estimates.ci_lower - pct.estimates.ci_lower).abs() < width).all()

    # a weak path: some bootstrap draws have the other sign unless signs are changed
    model = "A =~ CUEX1 + CUEX2 + CUEX3\nB =~ CUSCO\nB ~ A\n"
    data = MOBI.assign(CUSCO=np.random.default_rng(1).permutation(MOBI.CUSCO))
    none = fit_pls(model, data, bootstrap=300, seed=1)
    indiv = fit_pls(model, data, bootstrap=300, seed=1, sign_change="individual")
    est = none.estimates.query("op == '~'").est.item()
    draws_none = none.boot_samples["paths"][:, 0]
    assert (np.sign(draws_none) != np.sign(est)).any()
    assert (np.sign(indiv.boot_samples["paths"][:, 0]) == np.sign(est)).all()


def test_resamples_with_a_constant_indicator_are_dropped():
    rng = np.random.default_rng(4)
    n = 40
    x = rng.standard_normal((n, 3)) + rng.standard_normal((n, 1))
    rare = np.zeros(n)
    rare[0] = 1.0  # one case: missing from about a third of the resamples
    data = pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "y1": x[:, 2] + rng.standard_normal(n),
                         "y2": rare + x[:, 2]})  # fmt: skip
    data["z"] = rare
    res = fit_pls("X =~ x1 + x2\nY =~ y1 + y2\nY ~ X + z\n", data, bootstrap=100, seed=2)
    assert 40 < res.bootstrap < 85
    assert any("could not be fitted" in w and "dropped" in w for w in res.warnings)


def test_progress_bar(capsys):
    fit_pls(MOBI_MODEL, MOBI, bootstrap=50, seed=1, progress=True)
    assert "PLS bootstrap" in capsys.readouterr().err
    fit_pls(MOBI_MODEL, MOBI, bootstrap=50, seed=1)  # not interactive: no bar
    assert "PLS bootstrap" not in capsys.readouterr().err


def test_counts_follow_the_index_stream_in_any_chunking():
    n, b = 30, 7
    rng = np.random.default_rng(9)
    counts = np.vstack([draw_counts(n, 3, rng), draw_counts(n, 4, rng)])
    ref = np.random.default_rng(9)
    for row in counts:
        assert (row == np.bincount(ref.integers(0, n, size=n), minlength=n)).all()
    assert counts.shape == (b, n) and (counts.sum(axis=1) == n).all()


def test_weighted_correlations_equal_resampled_rows():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((25, 4)) @ rng.standard_normal((4, 4))
    counts = draw_counts(25, 5, rng)
    s = weighted_correlations(z, counts)
    for b in range(5):
        rows = np.repeat(np.arange(25), counts[b])
        assert s[b] == pytest.approx(np.corrcoef(z[rows].T), abs=1e-12)


def test_public_fit_routes_to_pls():
    from semwidget.fitting import fit

    res = fit(MOBI_MODEL, MOBI, engine="pls", scheme="factorial")
    assert res.engine == "pls" and res.options["scheme"] == "factorial"


def test_cli_options():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int)  # the CB engine may own some flags already
    add_pls_arguments(parser)
    args = parser.parse_args(
        ["--scheme", "centroid", "--consistent", "--bootstrap", "100", "--seed", "4",
         "--missing-value", "-99", "--boot-ci", "bca"]
    )  # fmt: skip
    kwargs = pls_kwargs_from_args(args)
    assert kwargs == {
        "scheme": "centroid", "consistent": True, "bootstrap": 100, "seed": 4,
        "missing_value": -99.0, "missing": "mean", "boot_ci": "bca", "sign_change": "none",
        "max_iter": 300, "tol": 1e-7,
    }  # fmt: skip
    res = fit_pls(CORP_MODEL, CORP, **{**kwargs, "bootstrap": 20})
    assert res.options["scheme"] == "centroid" and res.bootstrap == 20
    assert pls_kwargs_from_args(argparse.Namespace(seed=None)) == {"seed": None}


def test_bca_with_a_jackknife_fit_that_breaks_down():
    rng = np.random.default_rng(4)
    n = 40
    x = rng.standard_normal((n, 3)) + rng.standard_normal((n, 1))
    rare = np.zeros(n)
    rare[:2] = 1.0  # leaving out one of two cases keeps variance; a resample may lose both
    data = pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "y1": x[:, 2], "z": rare})
    res = fit_pls("X =~ x1 + x2\nY =~ y1\nY ~ X + z\n", data, bootstrap=200, seed=2,
                  boot_ci="bca")  # fmt: skip
    paths = res.estimates.query("op == '~'")
    assert np.isfinite(paths[["ci_lower", "ci_upper", "se"]].to_numpy()).all()


def test_inadmissible_plsc_is_reported():
    # an indicator that correlates negatively with its block mates drives rho_A off range
    data = MOBI.assign(CUEX3=-MOBI.CUEX3 + 0.5 * MOBI.CUEX1)
    res = fit_pls(MOBI_MODEL, data, consistent=True)
    plain = fit_pls(MOBI_MODEL, MOBI, consistent=True)
    assert not any("inadmissible" in w for w in plain.warnings)
    assert any("inadmissible" in w for w in res.warnings), res.reliability


def test_bootstrap_chunked_by_memory_gives_the_same_numbers(monkeypatch):
    """A tiny memory budget (many chunks, row blocks of the moments) changes no number."""
    from semwidget.pls import bootstrap as boot

    full = fit_pls(MOBI_MODEL, MOBI, bootstrap=60, seed=5, progress=False)
    monkeypatch.setattr(boot, "MEMORY_BYTES", 40_000)
    assert boot.chunk_size(250, 16) < 60
    small = fit_pls(MOBI_MODEL, MOBI, bootstrap=60, seed=5, progress=False)
    for name, values in full.boot_samples.items():
        assert small.boot_samples[name] == pytest.approx(values, abs=1e-12), name
