"""The rank-two ML gradient/information equal the Jacobian's; the Jacobian equals its sum form.

The reference is the definition: ``dSigma/dtheta`` by central differences of the implied
covariance, contracted with ``Sigma^-1 (Sigma - S) Sigma^-1`` (gradient) and
``tr(Sigma^-1 dSigma_k Sigma^-1 dSigma_l)`` (expected information), at a point off the optimum.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import semwidget
from semwidget.cb import bootstrap as bs
from semwidget.cb import estimate as cbsem
from semwidget.cb.ml_derivatives import ml_gradient_information
from semwidget.datasets import load

HS = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
CASES = {
    "hs_cfa": (HS + "\nspeed ~ textual", "HolzingerSwineford1939"),
    "hs_equal_and_means": ("visual =~ x1 + a*x2 + a*x3\ntextual =~ x4 + x5 + x6\n"
                           "x1 ~ 1\nx4 ~ 1\nx4 ~~ x7\nx7 ~ 1", "HolzingerSwineford1939"),
    "hs_shared_covariate_paths": ("visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\n"
                                  "visual ~ x8 + x9\ntextual ~ b*x9 + b*x8",
                                  "HolzingerSwineford1939"),
    "poldem_equal_loadings": ("ind60 =~ x1 + x2 + x3\ndem60 =~ y1 + a*y2 + b*y3 + c*y4\n"
                              "dem65 =~ y5 + a*y6 + b*y7 + c*y8\ndem60 ~ ind60\n"
                              "dem65 ~ ind60 + dem60\ny1 ~~ y5", "PoliticalDemocracy"),
    "poldem_means": ("ind60 =~ x1 + x2 + x3\ndem60 =~ y1 + y2 + y3 + y4\n"
                     "dem60 ~ ind60\ny1 ~ 1\nx1 ~ 1", "PoliticalDemocracy"),
}


def _data(name: str) -> pd.DataFrame:
    return load(name)


def _numeric_jacobian(model, theta: np.ndarray, h: float = 1e-6):
    dsig, dmu = [], []
    for k in range(len(theta)):
        e = np.zeros_like(theta)
        e[k] = h
        up, dn = model.implied(theta + e), model.implied(theta - e)
        dsig.append((up.sigma - dn.sigma) / (2 * h))
        dmu.append((up.mu - dn.mu) / (2 * h))
    return np.array(dsig), np.array(dmu)


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    syntax, data = CASES[request.param]
    res = semwidget.fit(syntax, _data(data))
    rng = np.random.default_rng(3)
    theta = res.theta + 0.05 * rng.standard_normal(len(res.theta))
    return res, theta


def test_jacobian_matches_finite_differences(case) -> None:
    res, theta = case
    dsig, dmu = res.model.jacobian(theta)
    nsig, nmu = _numeric_jacobian(res.model, theta)
    np.testing.assert_allclose(dsig, nsig, atol=1e-6)
    np.testing.assert_allclose(dmu, nmu, atol=1e-6)


def test_rank_two_gradient_and_information_match_the_jacobian(case) -> None:
    res, theta = case
    model = res.model
    imp = model.implied(theta)
    S = res.sample_cov.to_numpy()
    mean = res.sample_mean.to_numpy() if model.meanstructure else None
    inv = np.linalg.inv(imp.sigma)
    dsig, dmu = _numeric_jacobian(model, theta)
    q = len(theta)
    if mean is None:
        R = inv @ (imp.sigma - S) @ inv
        g_ref = dsig.reshape(q, -1) @ R.ravel()
    else:
        d = mean - imp.mu
        R = inv @ (imp.sigma - S - np.outer(d, d)) @ inv
        g_ref = dsig.reshape(q, -1) @ R.ravel() - 2.0 * dmu @ (inv @ d)
    V = inv @ dsig
    h_ref = np.einsum("kij,lji->kl", V, V)
    if mean is not None:
        h_ref += 2.0 * dmu @ inv @ dmu.T
    g, h = ml_gradient_information(model, imp.G, imp.C, imp.sigma, inv, S, mean=mean,
                                   mu=imp.mu, eta=imp.eta)
    scale = max(1.0, np.abs(h_ref).max())
    np.testing.assert_allclose(g, g_ref, atol=1e-6 * scale)
    np.testing.assert_allclose(h, h_ref, atol=1e-6 * scale)
    np.testing.assert_allclose(h, h.T, atol=1e-12 * scale)


def test_batched_fitter_with_equality_labels_matches_serial_ml() -> None:
    syntax, data = CASES["poldem_equal_loadings"]
    base = semwidget.fit(syntax, _data(data))
    assert base.model._shares_parameters()
    X = base.data[list(base.sample_cov.columns)].to_numpy()
    S = bs._covariances(X, bs.draw_indices(len(X), 8, seed=11))
    theta, conv = bs.fit_ml_batch(base.model, S, base.theta)
    for k in np.flatnonzero(conv):
        ref = cbsem.fit_ml(base.model, S[k], len(X), base.theta)
        np.testing.assert_allclose(theta[k], ref.theta, atol=1e-5)
    assert conv.sum() >= 6
