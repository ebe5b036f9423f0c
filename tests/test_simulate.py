"""Tests for semwidget.cb.simulate: population moments, reproducibility, Likert cuts, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from semwidget.cb.simulate import likert_thresholds, population, simulate
from semwidget.errors import DataError, ModelSpecError, SemWidgetError

THREE = """
F1 =~ .8*a1 + .7*a2 + .6*a3
F2 =~ .7*b1 + .7*b2 + .7*b3
F3 =~ .6*c1 + .8*c2 + .7*c3
F2 ~ .4*F1
F3 ~ .3*F1 + .5*F2
"""


def test_standardized_population_has_unit_variances() -> None:
    pop = population(THREE)
    C = pop.cov
    np.testing.assert_allclose(np.diag(C), 1.0, atol=1e-12)
    # paths multiply along chains: cor(F1, F3) = .3 + .5 * .4
    assert C.loc["F1", "F3"] == pytest.approx(0.5, abs=1e-12)
    assert C.loc["F2", "F3"] == pytest.approx(0.5 + 0.3 * 0.4, abs=1e-12)
    # indicator residual variance is 1 - lambda^2, latent residual 1 - R²
    names = pop.names
    assert pop.S[names.index("a1"), names.index("a1")] == pytest.approx(1 - 0.64)
    assert pop.S[names.index("F2"), names.index("F2")] == pytest.approx(1 - 0.16)
    r2_f3 = 0.3 * 0.5 + 0.5 * 0.62  # sum of beta * cor(predictor, F3)
    assert pop.S[names.index("F3"), names.index("F3")] == pytest.approx(1 - r2_f3)
    assert C.loc["a1", "b2"] == pytest.approx(0.8 * 0.4 * 0.7, abs=1e-12)


def test_observed_first_in_model_order_and_latent_scores() -> None:
    df = simulate(THREE, 50, seed=1)
    assert list(df.columns) == ["a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2", "c3"]
    both = simulate(THREE, 50, seed=1, latent=True)
    assert list(both.columns)[-3:] == ["F1", "F2", "F3"]
    pd.testing.assert_frame_equal(both[df.columns], df)


def test_large_sample_recovers_the_population() -> None:
    df = simulate(THREE, 200_000, seed=11)
    R = df.corr().to_numpy()
    target = population(THREE).observed_cov.to_numpy()
    np.testing.assert_allclose(R, target, atol=0.01)
    np.testing.assert_allclose(df.std(), 1.0, atol=0.01)


def test_correlations_and_residual_correlations() -> None:
    model = """
    X1 =~ .7*x1 + .7*x2 + .7*x3
    X2 =~ .7*x4 + .7*x5 + .7*x6
    X1 ~~ .3*X2
    y ~ .5*X1
    z ~ .2*y
    x1 ~~ .25*x4
    """
    pop = population(model)
    C = pop.cov
    np.testing.assert_allclose(np.diag(C), 1.0, atol=1e-12)
    assert C.loc["X1", "X2"] == pytest.approx(0.3)
    # a '~~' between residuals is the correlation of the residual parts
    explained = 0.7 * 0.7 * 0.3
    assert C.loc["x1", "x4"] == pytest.approx(explained + 0.25 * (1 - 0.49), abs=1e-12)
    assert C.loc["y", "z"] == pytest.approx(0.2)


def test_given_variances_and_unstandardized_mode() -> None:
    pop = population("F =~ .4*a + .4*b + .4*c\nF ~~ 4*F")
    assert pop.cov.loc["F", "F"] == pytest.approx(4.0)
    # the residual still makes each indicator's variance 1: .4² * 4 explained, .36 left
    assert pop.cov.loc["a", "a"] == pytest.approx(1.0)
    assert pop.S[pop.names.index("a"), pop.names.index("a")] == pytest.approx(0.36)
    raw = population("F =~ 1*a + 2*b\nF ~~ 2*F\na ~~ 1*a\nb ~~ 3*b", standardized=False)
    assert raw.cov.loc["b", "b"] == pytest.approx(4 * 2 + 3)
    assert raw.cov.loc["a", "b"] == pytest.approx(2 * 2)


def test_intercepts_set_the_means() -> None:
    df = simulate("F =~ .8*a + .8*b + .8*c\na ~ 3*1\nF ~ 1*1", 100_000, seed=5)
    assert df["a"].mean() == pytest.approx(3 + 0.8, abs=0.02)
    assert df["b"].mean() == pytest.approx(0.8, abs=0.02)


def test_same_seed_same_data_and_generators() -> None:
    a = simulate(THREE, 100, seed=42)
    b = simulate(THREE, 100, seed=42)
    c = simulate(THREE, 100, seed=43)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    g = simulate(THREE, 100, seed=np.random.default_rng(42))
    pd.testing.assert_frame_equal(a, g)


def test_likert_items() -> None:
    df = simulate(THREE, 20_000, seed=3, likert=5)
    assert all(df[c].dtype == np.int64 for c in df)
    assert set(np.unique(df.to_numpy())) == {1, 2, 3, 4, 5}
    share = df["a1"].value_counts(normalize=True).sort_index().to_numpy()
    np.testing.assert_allclose(share, np.array([1, 4, 6, 4, 1]) / 16, atol=0.01)
    some = simulate(THREE, 200, seed=3, likert={"a1": 7, "c3": 2})
    assert some["a1"].between(1, 7).all() and set(some["c3"]) <= {1, 2}
    assert some["a2"].dtype == np.float64


@pytest.mark.parametrize("k", [2, 3, 5, 7, 11])
def test_thresholds_are_symmetric(k: int) -> None:
    t = likert_thresholds(k)
    assert len(t) == k - 1
    assert np.all(np.diff(t) > 0)
    np.testing.assert_allclose(t, -t[::-1], atol=1e-12)


def test_from_fit_result_uses_its_estimates() -> None:
    from semwidget.fitting import fit

    data = simulate(THREE, 500, seed=9)
    free = "F1 =~ a1 + a2 + a3\nF2 =~ b1 + b2 + b3\nF3 =~ c1 + c2 + c3\nF2 ~ F1\nF3 ~ F1 + F2"
    res = fit(free, data)
    pop = population(res)
    np.testing.assert_allclose(pop.observed_cov.to_numpy(), res.implied_cov.to_numpy(),
                               atol=1e-10)
    again = simulate(res, 100_000, seed=1)
    np.testing.assert_allclose(again.cov().to_numpy(), res.implied_cov.to_numpy(), atol=0.02)
    np.testing.assert_allclose(again.mean().to_numpy(), data.mean().to_numpy(), atol=0.02)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.2, 0.95), min_size=6, max_size=6), st.floats(-0.7, 0.7),
       st.floats(-0.7, 0.7))
def test_any_valid_standardized_model_has_unit_variances(lams: list[float], b1: float,
                                                         b2: float) -> None:
    model = (f"A =~ {lams[0]}*a1 + {lams[1]}*a2 + {lams[2]}*a3\n"
             f"B =~ {lams[3]}*b1 + {lams[4]}*b2 + {lams[5]}*b3\n"
             f"B ~ {b1}*A\nc ~ {b2}*B + 0.1*A\n")
    np.testing.assert_allclose(np.diag(population(model).cov), 1.0, atol=1e-10)


@pytest.mark.parametrize(
    ("model", "fragment", "name"),
    [
        ("F =~ .8*a + b + .7*c", "loading 'F =~ b' has no value", "b"),
        ("F =~ .8*a + .8*b\ny ~ F", "regression path 'y ~ F' has no value", "F"),
        ("F =~ 1.2*a + .8*b + .7*c", "'a' (R² > 1)", "a"),
        ("F =~ .8*a + .8*b\ny ~ .9*F + .9*a", "'y' (R² > 1)", "y"),
        ("F =~ .8*a + .8*b\nF ~~ 1.5*a", "between -1 and 1", "F"),
        ("F =~ .8*a + .8*b + .8*c\nF =~ .5*a", "written twice", "F"),
        ("F <~ a + b", "composites", "F"),
        ("F =~ .8*a + .8*b\nF ~~ -1*F", "cannot be negative", "F"),
    ],
)
def test_model_errors_name_the_problem(model: str, fragment: str, name: str) -> None:
    with pytest.raises(ModelSpecError) as err:
        simulate(model, 10)
    assert fragment in str(err.value)
    assert err.value.name == name


def test_impossible_correlations_are_named() -> None:
    model = """A =~ .7*a1 + .7*a2
    B =~ .7*b1 + .7*b2
    C =~ .7*c1 + .7*c2
    A ~~ .9*B
    A ~~ .9*C
    B ~~ -.9*C"""
    with pytest.raises(ModelSpecError, match="'C' together with A, B are not positive definite"):
        simulate(model, 10)


def test_singular_observed_covariance_is_named() -> None:
    with pytest.raises(ModelSpecError, match="not positive definite.*involves (a, b|b, a)"):
        simulate("F =~ 1*a + 1*b + .5*c", 10)


def test_unstandardized_needs_every_variance() -> None:
    with pytest.raises(ModelSpecError, match="'a' has none"):
        simulate("F =~ 1*a + 1*b\nF ~~ 1*F", 10, standardized=False)


@pytest.mark.parametrize("n", [1, 0, -5, 2.5, "100", True])
def test_bad_n(n: object) -> None:
    with pytest.raises(DataError, match="n must be a whole number"):
        simulate(THREE, n)  # type: ignore[arg-type]


def test_bad_likert() -> None:
    with pytest.raises(ModelSpecError, match="'zz', which is not an observed variable"):
        simulate(THREE, 10, likert={"zz": 5})
    with pytest.raises(ModelSpecError, match="'F1', which is not an observed"):
        simulate(THREE, 10, likert={"F1": 5})
    with pytest.raises(DataError, match="whole number of categories"):
        simulate(THREE, 10, likert=1)
    with pytest.raises(DataError, match="whole number of categories"):
        simulate(THREE, 10, likert={"a1": 4.5})


def test_wrong_model_type() -> None:
    with pytest.raises(SemWidgetError, match="model must be lavaan syntax"):
        simulate(42, 10)


def test_empirical_moments_are_exact() -> None:
    df = simulate(THREE, 50, seed=2, empirical=True)
    target = population(THREE).observed_cov.to_numpy()
    np.testing.assert_allclose(df.cov().to_numpy(), target, atol=1e-12)
    np.testing.assert_allclose(df.mean().to_numpy(), 0.0, atol=1e-12)
    with pytest.raises(DataError, match="more cases than observed variables"):
        simulate(THREE, 5, empirical=True)
