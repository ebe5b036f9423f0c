"""Multigroup PLS (``group=``): per-group fits, the path-difference tests and MICOM.

Per-group estimates, bootstrap means and Henseler's PLS-MGA p-values are checked against
seminr's ``estimate_pls_mga`` (tests/golden_pls/mga/, written by
tests/golden_pls/make_mga_golden.py; same resamples). seminr has no permutation test,
t-tests or MICOM: those are checked against a direct computation (one ``fit_pls`` per
permuted group, scipy's two-sample t-tests from summary statistics).
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd
import pytest
from pls_cases import GOLDEN, data, permuted_fits
from scipy import stats

import semwidget
from semwidget.errors import DataError, ModelSpecError
from semwidget.pls.fit import fit_pls
from semwidget.pls.mga import henseler_p

CASES = sorted(p.stem for p in (GOLDEN / "mga").glob("*.json"))


@cache
def golden(name: str) -> dict:
    return json.loads((GOLDEN / "mga" / f"{name}.json").read_text())


@cache
def fitted(name: str, permutations: int = 0):
    g = golden(name)
    opt = g["options"]
    return fit_pls(
        g["syntax"], data(g["data"]), group=g["group"], bootstrap=opt["bootstrap"],
        seed=opt["seed"], missing_value=opt["missing_value"], permutations=permutations,
        progress=False, interaction=opt.get("interaction", "two_stage"),
    )  # fmt: skip


def test_cases_present():
    assert len(CASES) >= 3


@pytest.mark.parametrize("name", CASES)
def test_against_seminr_estimate_pls_mga(name):
    g, res = golden(name), fitted(name)
    assert len(res.groups) == 2
    a, b = res.groups
    mga = res.mga.set_index(["rhs", "lhs"])
    for row in g["paths"]:
        mine = mga.loc[(row["source"], row["target"])]
        assert (mine.group_a, mine.group_b) == (a, b)
        assert mine.est_a == pytest.approx(row["est_a"], abs=1e-6)
        assert mine.est_b == pytest.approx(row["est_b"], abs=1e-6)
        assert mine["diff"] == pytest.approx(row["diff"], abs=1e-6)
        assert mine.p_henseler == pytest.approx(row["p_henseler"], abs=1e-9)
        j = [(r.rhs, r.lhs) for r in res.groups[a].estimates.itertuples() if r.op == "~"]
        k = j.index((row["source"], row["target"]))
        assert res.groups[a].boot_samples["paths"][:, k].mean() == pytest.approx(
            row["boot_mean_a"], abs=1e-6)  # fmt: skip
        assert res.groups[b].boot_samples["paths"][:, k].mean() == pytest.approx(
            row["boot_mean_b"], abs=1e-6)  # fmt: skip


def test_henseler_p_by_sorting_equals_the_grid():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0.3, 0.1, 300), rng.normal(0.25, 0.12, 300)
    grid = (2 * a.mean() - a - 2 * b.mean())[:, None] + b[None, :]
    assert henseler_p(a, b) == pytest.approx(1 - (grid > 0).mean(), abs=1e-15)


def test_t_tests_equal_scipy_two_sample_tests():
    """Keil et al.'s parametric test is Student's pooled t with sd = se sqrt(n - 1); the
    Welch–Satterthwaite t is Welch's, its df SmartPLS's (Welch's df minus 2)."""
    res = fitted("genre")
    (a, fa), (b, fb) = res.groups.items()
    for row in res.mga.itertuples():
        se_a = fa.estimates.query("lhs == @row.lhs and rhs == @row.rhs and op == '~'").se.iloc[0]
        se_b = fb.estimates.query("lhs == @row.lhs and rhs == @row.rhs and op == '~'").se.iloc[0]
        na, nb = fa.nobs, fb.nobs
        student = stats.ttest_ind_from_stats(row.est_a, se_a * np.sqrt(na - 1), na, row.est_b,
                                             se_b * np.sqrt(nb - 1), nb, equal_var=True)
        assert row.t_parametric == pytest.approx(student.statistic, rel=1e-10)
        assert row.p_parametric == pytest.approx(student.pvalue, rel=1e-8)
        assert row.df_parametric == na + nb - 2
        va, vb = (na - 1) / na * se_a**2, (nb - 1) / nb * se_b**2
        welch_df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
        assert row.t_welch == pytest.approx(row.diff / np.sqrt(va + vb), rel=1e-10)
        assert row.df_welch == pytest.approx(welch_df - 2, rel=1e-10)
        assert row.p_welch == pytest.approx(2 * stats.t.sf(abs(row.t_welch), welch_df - 2))


def _permuted_fits(name: str, n_perm: int, seed: int):
    """The permutation groups refitted one by one (independent of the batched code)."""
    g = golden(name)
    return permuted_fits(data(g["data"]), g["group"], g["syntax"], n_perm, seed)


def test_permutation_p_values_equal_a_direct_computation():
    res = fit_pls(golden("genre")["syntax"], data("genre.csv"), group="genre", permutations=40,
                  seed=3, progress=False)  # fmt: skip
    _, _, perms = _permuted_fits("genre", 40, 3)
    for row in res.mga.itertuples():
        d = []
        for _, fa, fb in perms:
            pa = fa.estimates.query("lhs == @row.lhs and rhs == @row.rhs and op == '~'").est
            pb = fb.estimates.query("lhs == @row.lhs and rhs == @row.rhs and op == '~'").est
            d.append(pa.iloc[0] - pb.iloc[0])
        expected = np.mean(np.abs(d) >= abs(row.diff) - 1e-12)
        assert row.p_permutation == pytest.approx(expected, abs=1e-12), (row.lhs, row.rhs)
    assert np.isnan(res.mga.p_henseler).all()  # no bootstrap, no bootstrap-based tests


def test_micom_equals_a_direct_computation():
    g = golden("genre")
    res = fit_pls(g["syntax"], data("genre.csv"), group="genre", permutations=30, seed=5,
                  progress=False)  # fmt: skip
    pooled, is_a, perms = _permuted_fits("genre", 30, 5)
    items = list(res.groups["game"].weights["item"])
    owner = list(res.groups["game"].weights["construct"])
    x = pooled[items].to_numpy(float)
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    names = list(dict.fromkeys(owner))

    def composites(weights: pd.DataFrame) -> np.ndarray:
        w = weights.set_index("item").loc[items, "est"].to_numpy()
        return np.column_stack([z[:, [o == c for o in owner]] @ w[[o == c for o in owner]]
                                for c in names])  # fmt: skip

    def c_values(wa, wb):
        ya, yb = composites(wa), composites(wb)
        return np.array([np.corrcoef(ya[:, k], yb[:, k])[0, 1] for k in range(len(names))])

    c_obs = c_values(res.groups["game"].weights, res.groups["shopping"].weights)
    c_perm = np.array([c_values(fa.weights, fb.weights) for _, fa, fb in perms])
    comp = res.micom.compositional.set_index("construct")
    for k, c in enumerate(names):
        assert comp.loc[c, "c"] == pytest.approx(c_obs[k], abs=1e-9)
        assert comp.loc[c, "c_5pct"] == pytest.approx(np.quantile(c_perm[:, k], 0.05), abs=1e-9)
        assert comp.loc[c, "p"] == pytest.approx(np.mean(c_perm[:, k] <= c_obs[k] + 1e-12))

    scores = composites(fit_pls(g["syntax"], pooled).weights)
    step3 = res.micom.means_variances.set_index("construct")
    for k, c in enumerate(names):
        def mv(mask, col=scores[:, k]):
            return (col[mask].mean() - col[~mask].mean(),
                    np.log(col[mask].var(ddof=1) / col[~mask].var(ddof=1)))

        obs = mv(is_a)
        dist = np.array([mv(mask) for mask, _, _ in perms])
        assert step3.loc[c, "mean_diff"] == pytest.approx(obs[0], abs=1e-9)
        assert step3.loc[c, "log_var_ratio"] == pytest.approx(obs[1], abs=1e-9)
        lo, hi = np.quantile(dist[:, 0], [0.025, 0.975])
        assert (step3.loc[c, "mean_lower"], step3.loc[c, "mean_upper"]) == pytest.approx((lo, hi))
        assert step3.loc[c, "var_p"] == pytest.approx(
            np.mean(np.abs(dist[:, 1]) >= abs(obs[1]) - 1e-12))  # fmt: skip
    verdict = res.micom.invariance
    assert set(verdict.verdict) <= {"full", "partial", "none"}


def test_public_fit_with_group_and_genre_effect():
    """The simulated genre effect (INT -> CLE 0.45 vs 0.10) is found by every test."""
    res = semwidget.fit(golden("genre")["syntax"], data("genre.csv"), engine="pls",
                        group="genre", bootstrap=500, seed=1, permutations=500)  # fmt: skip
    row = res.mga.set_index(["lhs", "rhs"]).loc[("CLE", "INT")]
    assert row.est_a > row.est_b
    assert row.p_permutation < 0.05 and row.p_welch < 0.05 and row.p_parametric < 0.05
    assert row.p_henseler_two_sided < 0.05
    assert res.nobs == {"game": 150, "shopping": 150}


def test_group_errors_name_the_problem():
    frame = data("genre.csv").copy()
    syntax = golden("genre")["syntax"]
    with pytest.raises(ModelSpecError, match="'nope'"):
        fit_pls(syntax, frame, group="nope")
    one = frame.assign(genre="game")
    with pytest.raises(DataError, match="at least two groups"):
        fit_pls(syntax, one, group="genre")
    gap = frame.copy()
    gap.loc[4, "genre"] = None
    with pytest.raises(DataError, match="1 missing value.*row 5"):
        fit_pls(syntax, gap, group="genre")
    with pytest.raises(ModelSpecError, match="permutations"):
        fit_pls(syntax, frame, group="genre", permutations=-1)
    with pytest.raises(ModelSpecError, match="'Nope'"):
        fit_pls(syntax.replace("CLE ~ INT", "CLE ~ INT:Nope + INT"), frame, group="genre")
    with pytest.raises(ModelSpecError, match="interaction must be one of"):
        fit_pls(syntax.replace("CLE ~ INT", "CLE ~ INT:PSN + INT"), frame, group="genre",
                interaction="pi")
    tiny = frame.groupby("genre").head(2)
    with pytest.raises(DataError, match="group 'game'"):
        fit_pls(syntax, tiny, group="genre")


def test_mga_table_micom_table_and_apa_text():
    from semwidget.tables.pls_mga import mga_apa, mga_report, mga_table, micom_table

    res = fit_pls(golden("genre")["syntax"], data("genre.csv"), group="genre", bootstrap=300,
                  permutations=300, seed=2, progress=False)  # fmt: skip
    table = mga_table(res).table
    assert list(table["Path"])[0] == "INT → CLE" and len(table) == len(res.mga)
    row = res.mga.iloc[0]
    assert table["Δβ"][0] == f"{row['diff']:.3f}"
    micom = micom_table(res).table
    assert set(micom["Construct"]) == {"INT", "INF", "PSN", "CLE", "VCC"}
    text = mga_apa(res)
    assert text.startswith("The effect of INT on CLE was stronger for game (β = ")
    assert "permutation p" in text and "Welch–Satterthwaite t(" in text
    assert "did not differ significantly" in text
    assert "MICOM" in mga_report(res).to_markdown()
    no_perm = fit_pls(golden("genre")["syntax"], data("genre.csv"), group="genre",
                      permutations=0, progress=False)  # fmt: skip
    with pytest.raises(ModelSpecError, match="permutations"):
        micom_table(no_perm)
    with pytest.raises(ModelSpecError, match="group="):
        mga_table(fit_pls(golden("genre")["syntax"], data("genre.csv")))


def test_group_result_and_prediction_to_json():
    """The widget reads these through JSON: no NaN, booleans stay booleans."""
    from semwidget.pls.predict import predict_pls

    res = fit_pls(golden("genre")["syntax"], data("genre.csv"), group="genre", bootstrap=50,
                  permutations=50, seed=2, progress=False)  # fmt: skip
    out = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert set(out["groups"]) == {"game", "shopping"} and len(out["mga"]) == 4
    assert isinstance(out["micom"][0]["compositional"], bool)
    pred = predict_pls(golden("genre")["syntax"], data("genre.csv"), folds=5, repetitions=2)
    out = json.loads(json.dumps(pred.to_dict(), allow_nan=False))
    assert out["folds"] == 5 and len(out["items"]) == 9
