"""Monte Carlo power: against the analytic power of one regression path, against a simsem-style
run (simulate() and fit() per replication) within Monte Carlo error, and its options."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import semwidget
from semwidget.errors import DataError, ModelSpecError

HS = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
MEDIATION = """visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ a*visual
speed ~ b*textual + c*visual
ind := a*b"""


def _mc_tol(p: float, reps: float) -> float:
    """3.5 Monte Carlo standard errors of a share (at least that of p = .05)."""
    return 3.5 * math.sqrt(max(p * (1 - p), 0.05 * 0.95) / reps)


@pytest.fixture(scope="module")
def hs():
    return semwidget.datasets.load("hs1939")


@pytest.fixture(scope="module")
def regression():
    # population: y = .25 x + e, var(x) = 1, var(e) = 1 - .25²; exact moments so the fit's
    # estimates are the population values
    data = semwidget.simulate("y ~ .25*x", 200_000, seed=3, empirical=True)
    return semwidget.fit("y ~ x", data)


def test_single_path_matches_the_analytic_power(regression) -> None:
    ns = [60, 120, 240]
    reps = 2000
    out = semwidget.power(regression, n=ns, reps=reps, seed=11)
    b = regression.estimates.query("op == '~'")["est"].iloc[0]
    var_e = regression.estimates.query("lhs == 'y' and op == '~~'")["est"].iloc[0]
    z = stats.norm.ppf(0.975)
    for n in ns:
        se = math.sqrt(var_e / n)  # var(x) = 1: the asymptotic SE of an ML regression slope
        analytic = stats.norm.cdf(b / se - z) + stats.norm.cdf(-b / se - z)
        row = out.table.query("n == @n and effect == 'y ~ x'").iloc[0]
        assert row["power"] == pytest.approx(analytic, abs=_mc_tol(analytic, reps) + 0.01)
        assert row["coverage"] == pytest.approx(0.95, abs=_mc_tol(0.95, reps) + 0.005)
        assert abs(row["bias"]) < 3.5 * row["sd_est"] / math.sqrt(reps)
    assert list(out.table["effect"].unique()) == ["y ~ x"]  # the covariate's variance is not a path


def test_agrees_with_a_simsem_style_run(hs) -> None:
    base = semwidget.fit(MEDIATION, hs)
    n, slow_reps = 90, 150
    fast = semwidget.power(base, n=n, reps=1000, seed=5, effects=["a", "b", "ind"])
    # the slow way: one simulate() and one full fit() per replication
    hits = {"a": 0, "b": 0, "ind": 0}
    for r in range(slow_reps):
        data = semwidget.simulate(base, n, seed=1000 + r)
        est = semwidget.fit(MEDIATION, data).estimates
        p_of = {"a": est.query("label == 'a'")["pvalue"].iloc[0],
                "b": est.query("label == 'b'")["pvalue"].iloc[0],
                "ind": est.query("lhs == 'ind'")["pvalue"].iloc[0]}
        for k in hits:
            hits[k] += p_of[k] < 0.05
    for k, h in hits.items():
        slow = h / slow_reps
        got = fast.table.query("effect == @k")["power"].iloc[0]
        tol = 3.5 * math.sqrt(max(slow * (1 - slow), 0.05) * (1 / slow_reps + 1 / 1000))
        assert got == pytest.approx(slow, abs=tol), k


def test_defined_effect_and_expression_agree(hs) -> None:
    base = semwidget.fit(MEDIATION, hs)
    out = semwidget.power(base, n=[80, 160], reps=300, seed=2, effects=["ind", "a*b"])
    t = out.table.set_index(["n", "effect"])
    for n in (80, 160):
        assert t.loc[(n, "ind"), "power"] == t.loc[(n, "a*b"), "power"]
        assert t.loc[(n, "ind"), "population"] == pytest.approx(
            base.estimates.query("lhs == 'ind'")["est"].iloc[0], rel=1e-9)


def test_user_values_replace_the_estimates(hs) -> None:
    base = semwidget.fit(MEDIATION, hs)
    out = semwidget.power(base, n=100, reps=200, seed=1, effects=["a", "b"],
                          values={"a": 0.0, "speed ~ textual": 0.3})
    t = out.table.set_index("effect")
    assert t.loc["a", "population"] == 0.0 and t.loc["b", "population"] == 0.3
    # with a = 0 the rejection rate is the test's size
    assert t.loc["a", "power"] == pytest.approx(0.05, abs=_mc_tol(0.05, 200) + 0.01)
    with pytest.raises(ModelSpecError, match="'zz' is neither a label"):
        semwidget.power(base, n=100, reps=10, values={"zz": 1.0})
    with pytest.raises(ModelSpecError, match="'visual =~ x1' is fixed"):
        semwidget.power(base, n=100, reps=10, values={"visual =~ x1": 0.5})
    with pytest.raises(ModelSpecError, match="'textual ~~ speed' is not a row"):
        semwidget.power(base, n=100, reps=10, effects=["textual ~~ speed"])
    with pytest.raises(ModelSpecError, match="'q' in 'a\\*q' is not the label"):
        semwidget.power(base, n=100, reps=10, effects=["a*q"])


def test_same_seed_same_numbers_whatever_the_workers(hs) -> None:
    base = semwidget.fit(HS, hs)
    one = semwidget.power(base, n=[120], reps=260, seed=9, n_jobs=1)
    two = semwidget.power(base, n=[120], reps=260, seed=9, n_jobs=2)
    assert one.table.equals(two.table)
    other = semwidget.power(base, n=[120], reps=260, seed=10)
    assert not one.table.equals(other.table)


def test_dask_client_runs_the_same_code_path(hs) -> None:
    distributed = pytest.importorskip("distributed")
    base = semwidget.fit(HS, hs)
    local = semwidget.power(base, n=[60], reps=260, seed=4)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1,
                            dashboard_address=None) as client:
        remote = semwidget.power(base, n=[60], reps=260, seed=4, client=client)
    assert local.table.equals(remote.table)


def test_smallest_n_curve_and_widget(hs) -> None:
    from semwidget.widget import SEMWidget

    w = SEMWidget(hs, HS, auto_fit=False)
    with pytest.raises(ModelSpecError, match="not been fitted"):
        semwidget.power(w, n=50, reps=10)
    w.fit()
    out = semwidget.power(w, n=[60, 120, 240], reps=200, seed=3,
                          effects=["textual ~~ speed", "visual ~~ textual"])
    small = out.smallest_n(0.8)
    grid = out.power
    for effect, row in small.iterrows():
        p = grid[effect]
        if np.isfinite(row["n_grid"]):
            assert p.loc[row["n_grid"]] >= 0.8
            below = p[p.index < row["n_grid"]]
            assert (below < 0.8).all()
            if len(below):
                assert below.index.max() <= row["n_interpolated"] <= row["n_grid"]
        else:
            assert (p < 0.8).all()
    fig = out.plot()
    assert type(fig).__name__ == "Figure"
    assert len(fig.marks[0].y) == 2


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"n": [1]}, "whole numbers ≥ 2"), ({"n": []}, "at least one"),
    ({"reps": 1}, "reps must be"), ({"alpha": 1.5}, "alpha must lie"),
])
def test_bad_options_are_named(hs, kwargs: dict, match: str) -> None:
    base = semwidget.fit(HS, hs)
    args = {"n": 50, "reps": 10, **kwargs}
    with pytest.raises(DataError, match=match):
        semwidget.power(base, **args)


def test_models_it_cannot_simulate_are_named(hs) -> None:
    with pytest.raises(ModelSpecError, match="has no value"):
        semwidget.power(HS, n=50, reps=10)  # syntax needs a value on every loading
    grouped = semwidget.fit(HS, semwidget.datasets.load("hs1939_school"), group="school")
    with pytest.raises(ModelSpecError, match="single-group"):
        semwidget.power(grouped, n=50, reps=10)


def test_values_written_in_the_syntax() -> None:
    model = "F1 =~ .8*a1 + .7*a2 + .6*a3\nF2 =~ .7*b1 + .7*b2 + .7*b3\nF2 ~ .3*F1"
    out = semwidget.power(model, n=[80], reps=200, seed=1)
    pop = out.table.set_index("effect")["population"]
    # std_lv scaling: F1's loadings as written; F2's residual variance is 1 - .3² = .91
    assert pop["F1 =~ a2"] == pytest.approx(0.7, abs=1e-4)
    assert pop["F2 =~ b1"] == pytest.approx(0.7 * math.sqrt(0.91), abs=1e-4)
    assert pop["F2 ~ F1"] == pytest.approx(0.3 / math.sqrt(0.91), abs=1e-4)
    assert out.table["coverage"].between(0.85, 1).all()
