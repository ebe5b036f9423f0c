"""The unrestricted (h1) moments under FIML (cb.h1_fiml) and the analytic model curvature.

Reference: lavaan 0.6.14's EM moments run to convergence (tests/golden/lavaan14/sparse_h1.json
by tests/golden/make_fiml_sparse_golden.R), EM's own fixed point, pandas' pairwise covariances
and central differences of the analytic Jacobian.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import semwidget
from semwidget.cb import h1_fiml
from semwidget.cb.fiml import patterns
from semwidget.cb.fiml_kernels import loglik
from semwidget.cb.ml_derivatives import moment_curvature
from semwidget.cb.ram import RAMModel

ROOT = Path(__file__).parent.parent
GOLDEN = ROOT / "tests" / "golden" / "lavaan14"
H1 = json.loads((GOLDEN / "sparse_h1.json").read_text())


def _data(name: str) -> pd.DataFrame:
    case = json.loads((GOLDEN / f"{name}.json").read_text())
    return pd.read_csv(ROOT / case["data"])


def _diag_start(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.nanmean(X, axis=0), np.diag(np.nanvar(X, axis=0))


@pytest.mark.parametrize("name", sorted(H1))
def test_h1_moments_are_lavaans_converged_em(name: str) -> None:
    ref = H1[name]
    X = _data(name)[ref["names"]].to_numpy(float)
    mu, sig, ll = h1_fiml.em_saturated(patterns(X), X.shape[1], *_diag_start(X))
    np.testing.assert_allclose(mu, ref["mean"], atol=1e-5)
    np.testing.assert_allclose(sig, np.array(ref["cov"]), atol=1e-5)
    assert ll == pytest.approx(ref["unrestricted_logl"], abs=1e-5)


def test_newton_finish_reaches_ems_fixed_point(monkeypatch: pytest.MonkeyPatch) -> None:
    X = _data("sparse_sim_cfa_mcar60").to_numpy(float)
    pats, p = patterns(X), X.shape[1]
    calls = []
    newton = h1_fiml.saturated_newton

    def counted(*args: object, **kwargs: object) -> tuple[np.ndarray, np.ndarray, bool]:
        out = newton(*args, **kwargs)
        calls.append(out[2])
        return out

    monkeypatch.setattr(h1_fiml, "saturated_newton", counted)
    mu, sig, ll = h1_fiml.em_saturated(pats, p, *_diag_start(X))
    assert calls == [True]  # EM was slow here, and Newton's method finished
    m0, s0 = _diag_start(X)
    em = h1_fiml._Squarem(pats, p, np.concatenate([m0, s0.ravel()]), 1e-11)
    em.run(100000)
    assert em.converged
    np.testing.assert_allclose(mu, em.x[:p], atol=1e-7)
    np.testing.assert_allclose(sig, em.x[p:].reshape(p, p), atol=1e-7)
    assert ll >= loglik(pats, em.x[p:].reshape(p, p), em.x[:p]) - 1e-9


def test_pairwise_start_is_the_pairwise_covariance() -> None:
    X = _data("sparse_hs_cfa_mcar50")[[f"x{i}" for i in range(1, 10)]]
    mu, cov = h1_fiml.pairwise_start(patterns(X.to_numpy(float)), 9)
    seen = X.notna().to_numpy(float)
    both = seen.T @ seen
    np.testing.assert_allclose(mu, X.mean().to_numpy(), atol=1e-12)
    # pandas divides by n - 1 of each pair's rows; the start by n
    np.testing.assert_allclose(cov * both / (both - 1), X.cov().to_numpy(), atol=1e-10)


def test_pairwise_start_is_made_positive_definite() -> None:
    rng = np.random.default_rng(5)
    X = rng.normal(size=(40, 6))
    X[rng.random(X.shape) < 0.7] = np.nan
    X[np.isnan(X).all(axis=1), 0] = 1.0
    mu, cov = h1_fiml.pairwise_start(patterns(X), 6)
    assert np.linalg.eigvalsh(cov).min() > 0
    np.testing.assert_allclose(np.diag(cov), np.nanvar(X, axis=0), rtol=1e-12)


def test_a_variable_without_variance_has_no_pairwise_start() -> None:
    X = np.column_stack([np.ones(10), np.arange(10.0)])
    assert h1_fiml.pairwise_start(patterns(X), 2) is None


HS = pd.read_csv(ROOT / "semwidget" / "datasets" / "hs1939.csv")
POLDEM = pd.read_csv(ROOT / "semwidget" / "datasets" / "poldem.csv")
CURVED = [
    ("visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"
     "speed ~ visual + textual\nx1 ~~ x4", HS),
    ("ind60 =~ x1 + x2 + x3\ndem60 =~ y1 + a*y2 + b*y3 + c*y4\n"
     "dem65 =~ y5 + a*y6 + b*y7 + c*y8\ndem60 ~ ind60\ndem65 ~ ind60 + dem60\n"
     "y1 ~~ y5\ny2 ~~ y4 + y6", POLDEM),
    ("visual =~ x1 + x2 + x3\nspeed =~ x7 + x8 + x9\nx1 ~ x7\nspeed ~ visual\nx9 ~ x2\n"
     "visual ~ 1\nx1 ~ 0*1", HS),
]


@pytest.mark.parametrize(("model", "data"), CURVED)
def test_moment_curvature_is_the_jacobians_derivative(model: str, data: pd.DataFrame) -> None:
    res = semwidget.fit(model, data, meanstructure=True)
    full = res.table
    ram = RAMModel.from_table(full, list(res.sample_cov.columns), meanstructure=True)
    rng = np.random.default_rng(1)
    theta = np.zeros(ram.n_par)
    for pos, tix in enumerate(ram.table_index):
        if ram.pidx[pos] >= 0:
            theta[ram.pidx[pos]] = full.loc[tix, "est"]
    theta += rng.normal(scale=0.05, size=theta.shape)
    p = ram.n_obs
    g = rng.normal(size=(p, p))
    g_sig, g_mu = g + g.T, rng.normal(size=p)
    got = moment_curvature(ram, ram.implied(theta), g_sig, g_mu)
    ref = np.zeros_like(got)
    for k in range(ram.n_par):
        h = 1e-6 * max(1.0, abs(theta[k]))
        sides = []
        for s in (h, -h):
            t = theta.copy()
            t[k] += s
            dsig, dmu = ram.jacobian(t)
            sides.append(np.einsum("kij,ij->k", dsig, g_sig) + dmu @ g_mu)
        ref[:, k] = (sides[0] - sides[1]) / (2 * h)
    np.testing.assert_allclose(got, 0.5 * (ref + ref.T), atol=1e-6 * max(1.0, np.abs(ref).max()))
    assert np.abs(got).max() > 1.0  # the models are curved: the check is not of zeros


@pytest.mark.parametrize("weighted", [False, True])
def test_moment_information_is_the_case_scores_derivative(weighted: bool) -> None:
    from semwidget.cb.estimate import vech_indices
    from semwidget.cb.robust_fiml import moment_information, weighted_scores

    X = _data("sparse_hs_cfa_mcar50")[[f"x{i}" for i in range(1, 10)]].to_numpy(float)
    w = np.random.default_rng(3).uniform(0.5, 2.0, len(X)) if weighted else None
    p = X.shape[1]
    mu, sig, _ = h1_fiml.em_saturated(patterns(X, w), p, *_diag_start(X))
    r, c = vech_indices(p)
    v0 = np.concatenate([mu, sig[r, c]])
    ref = np.zeros((len(v0), len(v0)))
    for j in range(len(v0)):
        h = 1e-5 * max(1.0, abs(v0[j]))
        sides = []
        for s in (h, -h):
            v = v0.copy()
            v[j] += s
            S = np.zeros((p, p))
            S[r, c] = v[p:]
            S[c, r] = v[p:]
            sides.append(weighted_scores(X, S, v[:p], w).mean(axis=0))
        ref[:, j] = -(sides[0] - sides[1]) / (2 * h)
    got = moment_information(X, sig, mu, w)
    np.testing.assert_allclose(got, 0.5 * (ref + ref.T), atol=1e-7 * np.abs(ref).max())
