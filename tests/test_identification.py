"""Identification: the parameters not identified are named, with one sentence on why.

Each model's expected parameters follow from its covariance algebra (written beside it); the
finder takes the null space of the Jacobian of the implied moments at a random point.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import semwidget
from semwidget.cb.identification import find_unidentified
from semwidget.cb.ram import RAMModel
from semwidget.errors import IdentificationError
from semwidget.model.partable import build, parse

# Latent change scores (McArdle & Hamagami, 2001; the lavaan tutorial's univariate LCS) over
# the four WISC occasions (grades 1, 2, 4, 6), with a free measurement residual at every
# occasion and uncorrelated changes: var(v6) = var(l1) + var(d2) + var(d3) + var(d4) +
# var(e6), and no other moment holds var(d4) or var(e6), so only their sum is identified.
LCS = """l1 =~ 1*v1
l2 =~ 1*v2
l3 =~ 1*v4
l4 =~ 1*v6
l2 ~ 1*l1
l3 ~ 1*l2
l4 ~ 1*l3
d2 =~ 1*l2
d3 =~ 1*l3
d4 =~ 1*l4
l2 ~~ 0*l2
l3 ~~ 0*l3
l4 ~~ 0*l4
l1 ~~ l1
d2 ~~ d2
d3 ~~ d3
d4 ~~ d4
l1 ~~ 0*d2 + 0*d3 + 0*d4
d2 ~~ 0*d3 + 0*d4
d3 ~~ 0*d4
v1 ~~ v1
v2 ~~ v2
v4 ~~ v4
v6 ~~ v6
l1 ~ 1
d2 ~ 1
d3 ~ 1
d4 ~ 1
v1 ~ 0*1
v2 ~ 0*1
v4 ~ 0*1
v6 ~ 0*1"""


@pytest.fixture(scope="module")
def wisc() -> pd.DataFrame:
    """WISC-like verbal scores (n = 204, means as in the WISC data) from a linear growth model."""
    growth = """i =~ 1*v1 + 1*v2 + 1*v4 + 1*v6
s =~ 0*v1 + 1*v2 + 3*v4 + 5*v6
i ~~ 25*i
s ~~ 4*s
i ~~ 3*s
v1 ~~ 9*v1
v2 ~~ 9*v2
v4 ~~ 9*v4
v6 ~~ 9*v6"""
    data = semwidget.simulate(growth, 204, seed=17, standardized=False)
    return data + np.array([19.6, 25.4, 32.6, 43.7])


@pytest.fixture(scope="module")
def hs() -> pd.DataFrame:
    return semwidget.datasets.load("hs1939")


def _error(model: str, data: pd.DataFrame) -> IdentificationError:
    with pytest.raises(IdentificationError) as info:
        semwidget.fit(model, data)
    return info.value


def test_latent_change_score_names_the_two_variances(wisc: pd.DataFrame) -> None:
    err = _error(LCS, wisc)
    assert err.parameters == ["d4 ~~ d4", "v6 ~~ v6"]
    assert "The variances of d4 and v6 are identified only as their sum." in str(err)
    # fixing the last residual to the others' value (the tutorial's equal residuals) cures it
    fixed = LCS.replace("v1 ~~ v1\nv2 ~~ v2\nv4 ~~ v4\nv6 ~~ v6",
                        "v1 ~~ e*v1\nv2 ~~ e*v2\nv4 ~~ e*v4\nv6 ~~ e*v6")
    assert semwidget.fit(fixed, wisc).converged


def test_single_indicator_with_both_variances(hs: pd.DataFrame) -> None:
    # var(x4) = var(g) + var(e4): one moment, two variances
    err = _error("f =~ x1 + x2 + x3\ng =~ x4\ng ~~ g\nx4 ~~ x4\nf ~~ g", hs)
    assert err.parameters == ["g ~~ g", "x4 ~~ x4"]
    assert "variances of g and x4 are identified only as their sum" in str(err)


def test_latent_without_a_scale(hs: pd.DataFrame) -> None:
    # NA* frees the marker: λ and var(visual) trade off (λ·c, φ/c², cov/c give the same Σ)
    err = _error("visual =~ NA*x1 + x2 + x3\ntextual =~ x4 + x5 + x6", hs)
    assert err.parameters == ["visual =~ x1", "visual =~ x2", "visual =~ x3",
                              "visual ~~ visual", "visual ~~ textual"]
    assert "The scale of visual is not set" in str(err)


def test_two_indicator_factor_cut_off_from_the_rest(hs: pd.DataFrame) -> None:
    # f1 ⟂ f2: var(x1), var(x2), cov(x1, x2) for λ2, var(f1), var(e1), var(e2)
    err = _error("f1 =~ x1 + x2\nf2 =~ x4 + x5 + x6\nf1 ~~ 0*f2", hs)
    assert err.parameters == ["f1 =~ x2", "x1 ~~ x1", "x2 ~~ x2", "f1 ~~ f1"]
    assert "1 direction" in str(err)
    # the textual factor is identified: none of its parameters is named
    assert not any("f2" in p for p in err.parameters)


def test_more_parameters_than_moments_names_them(hs: pd.DataFrame) -> None:
    # two factors on the same three items: 10 parameters, 6 moments, 4 directions
    err = _error("f1 =~ x1 + x2 + x3\nf2 =~ x1 + x2 + x3", hs)
    assert "df = -4" in str(err) and "4 directions" in str(err)
    assert set(err.parameters) == {"f1 =~ x2", "f1 =~ x3", "f2 =~ x2", "f2 =~ x3",
                                   "x1 ~~ x1", "x2 ~~ x2", "x3 ~~ x3", "f1 ~~ f1", "f2 ~~ f2",
                                   "f1 ~~ f2"}


def test_correlated_residuals_of_all_indicators(hs: pd.DataFrame) -> None:
    # every pair of visual's residuals correlated: its 6 moments hold 7 parameters
    err = _error("visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nx1 ~~ x2 + x3\nx2 ~~ x3", hs)
    assert "visual ~~ visual" in err.parameters
    assert not any("textual" in p or p.startswith(("x4", "x5", "x6")) for p in err.parameters)


def _ram(model: str, data: pd.DataFrame) -> tuple[pd.DataFrame, RAMModel]:
    full = build(parse(model), list(data.columns))
    full["ustart"] = full["ustart"].astype(float)
    ov = [str(c) for c in data.columns if c in set(full["rhs"]) | set(full["lhs"])]
    return full, RAMModel.from_table(full, ov)


@pytest.mark.parametrize("model", [
    "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9",
    "f1 =~ x1 + x2\nf2 =~ x4 + x5 + x6",
])
def test_identified_models_are_not_flagged(hs: pd.DataFrame, model: str) -> None:
    full, ram = _ram(model, hs)
    theta = np.full(ram.n_par, 0.5)
    assert find_unidentified(full, ram, theta) is None


def test_empirical_under_identification(hs: pd.DataFrame) -> None:
    # identified in general, but not where the two factors do not correlate
    full, ram = _ram("f1 =~ x1 + x2\nf2 =~ x4 + x5 + x6", hs)
    theta = np.full(ram.n_par, 0.5)
    cov = [ram.pidx[k] for k, tix in enumerate(ram.table_index)
           if full.at[tix, "lhs"] == "f1" and full.at[tix, "rhs"] == "f2"]
    theta[cov[0]] = 0.0
    found = find_unidentified(full, ram, theta)
    assert found is not None and found.empirical
    assert found.parameters == ["f1 =~ x2", "x1 ~~ x1", "x2 ~~ x2", "f1 ~~ f1"]
    assert found.message().startswith("the model is empirically under-identified")


def test_widget_gets_the_parameters_to_mark(wisc: pd.DataFrame) -> None:
    from semwidget.widget import SEMWidget

    w = SEMWidget(wisc, LCS, auto_fit=False)
    with pytest.raises(IdentificationError):
        w.fit()
    assert w.results["unidentified"] == ["d4 ~~ d4", "v6 ~~ v6"]
    assert "only as their sum" in w.error
