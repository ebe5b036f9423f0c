"""GLS and ULS over several groups, with lavaan's weighting and scaling.

Each group fits its unbiased (``n_g - 1``) covariance matrix and its means: with
``e_g = [m_g - mu_g, vech(S_g - Sigma_g)]`` and the weight ``W_g`` (GLS: ``S_g^-1`` for the
means and ``1/2 D'(S_g^-1 (x) S_g^-1) D`` for the covariances; ULS: identity), the objective is
``F = sum_g (n_g - 1) / (N - G) * 1/2 e_g' W_g e_g``, ``chisq = 2 (N - G) F`` and the
covariance of the estimates ``(sum_g (n_g - 1) Delta_g' W_g Delta_g)^-1``, as lavaan computes
them; RMSEA uses ``N - G`` (with the ``sqrt(G)`` correction), SRMR and GFI the groups'
``n_g / N``-weighted values against the unbiased covariances.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from semwidget.cb import estimate as cbsem
from semwidget.cb.group_measures import rmsea_groups
from semwidget.cb.measures import FIT_ORDER, baseline_complete, incremental, residual_measures
from semwidget.cb.prepare import exo_names
from semwidget.cb.ram import Implied, RAMModel
from semwidget.distributions import chi2_sf
from semwidget.model.partable import roles


class LSData:
    """One group's unbiased covariance, means, size and least-squares weights."""

    __slots__ = ("S", "mean", "n", "Wc", "Wm", "r", "c")

    def __init__(self, S: np.ndarray, mean: np.ndarray, n: int, estimator: str) -> None:
        self.S, self.mean, self.n = S, mean, n
        self.Wc = cbsem.wls_weight(S, estimator)
        self.Wm = np.linalg.inv(S) if estimator == "GLS" else np.eye(len(mean))
        self.r, self.c = cbsem.vech_indices(len(mean))


def _pieces(m: RAMModel, d: LSData, theta: np.ndarray, jac: bool = True
            ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray, Implied]:
    imp = m.implied(theta)
    es = d.S[d.r, d.c] - imp.sigma[d.r, d.c]
    em = d.mean - imp.mu
    f = 0.5 * float(es @ d.Wc @ es + em @ d.Wm @ em)
    if not jac:
        return f, es, em, np.empty(0), np.empty(0), imp
    dsig, dmu = m.jacobian(theta, imp)
    return f, es, em, dsig[:, d.r, d.c].T, dmu.T, imp


def fit_ls_groups(models: Sequence[RAMModel], data: Sequence[LSData], theta0: np.ndarray,
                  *, max_iter: int = 500, tol: float = 1e-10) -> cbsem.Estimate:
    """Gauss-Newton with step halving on the weighted least-squares objective of all groups."""
    ns = np.array([d.n for d in data], dtype=float)
    w = (ns - 1.0) / (ns.sum() - len(data))

    def objective(theta: np.ndarray) -> float:
        return float(sum(wg * _pieces(m, d, theta, jac=False)[0]
                         for m, d, wg in zip(models, data, w, strict=True)))

    def derivatives(theta: np.ndarray, scale: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        q = len(theta)
        grad, H = np.zeros(q), np.zeros((q, q))
        for m, d, sg in zip(models, data, scale, strict=True):
            _, es, em, Ds, Dm, _ = _pieces(m, d, theta)
            WDs, WDm = d.Wc @ Ds, d.Wm @ Dm
            grad -= sg * (WDs.T @ es + WDm.T @ em)
            H += sg * (Ds.T @ WDs + Dm.T @ WDm)
        return grad, H

    theta = theta0.copy()
    f = objective(theta)
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - iteration count reported
        grad, H = derivatives(theta, w)
        step = cbsem._solve(H, grad)
        t = 1.0
        while True:
            cand = theta - t * step
            f_c = objective(cand)
            if f_c <= f + 1e-14:
                break
            t *= 0.5
            if t < 1e-10:
                break
        if t < 1e-10:
            converged = bool(np.max(np.abs(grad)) < 1e-6)
            break
        theta, f = cand, f_c
        if np.max(np.abs(t * step)) < tol:
            converged = True
            break
    _, info = derivatives(theta, ns - 1.0)
    return cbsem.Estimate(theta, f, converged, it, cbsem._inverse(info))


def _baseline_free_x(d: LSData, is_x: np.ndarray) -> float:
    """Least-squares baseline χ² with the covariates' block estimated (``fixed.x = FALSE``).

    The baseline frees the variances of the other variables and every (co)variance among the
    covariates; under GLS these are estimated with the weight, not set to the sample values.
    """
    s = d.S[d.r, d.c]
    cols = [k for k in range(len(s)) if (d.r[k] == d.c[k] and not is_x[d.r[k]])
            or (is_x[d.r[k]] and is_x[d.c[k]])]
    M = np.zeros((len(s), len(cols)))
    M[cols, np.arange(len(cols))] = 1.0
    est = np.linalg.solve(M.T @ d.Wc @ M, M.T @ d.Wc @ s)
    e = s - M @ est
    return float((d.n - 1) * (e @ d.Wc @ e))


def ls_fit_measures(models: Sequence[RAMModel], data: Sequence[LSData],
                    imps: Sequence[Implied], subs: Sequence[pd.DataFrame], ov: list[str],
                    fmin: float, npar: int, df: int, estimator: str) -> dict[str, float]:
    """lavaan's fit measures of a multigroup GLS/ULS fit (no likelihood-based ones)."""
    ns = np.array([d.n for d in data], dtype=float)
    N, G = int(ns.sum()), len(data)
    out: dict[str, float] = {"npar": float(npar)}
    chisq = max(2.0 * (N - G) * fmin, 0.0)
    out.update(chisq=chisq, df=float(df),
               pvalue=float(chi2_sf(chisq, df)) if df > 0 else math.nan,
               chisq_df=chisq / df if df > 0 else math.nan)
    b_chisq, b_df = 0.0, 0
    xs = set(roles(subs[0]).ov_x)
    free_x = bool(xs) and not exo_names(subs[0])
    is_x = np.array([v in xs for v in ov])
    for d, sub in zip(data, subs, strict=True):
        bc, bd = baseline_complete(d.S, d.n, estimator, sub, ov, d.Wc, means=True)
        b_chisq += _baseline_free_x(d, is_x) if free_x else bc
        b_df += bd
    out.update(baseline_chisq=b_chisq, baseline_df=float(b_df),
               baseline_pvalue=float(chi2_sf(b_chisq, b_df)) if b_df > 0 else math.nan)
    out.update(incremental(chisq, df, b_chisq, b_df))
    out.update(rmsea_groups(chisq, df, N - G, G))
    w = ns / N
    resid = [residual_measures(d.S, imp.sigma, d.mean, imp.mu)
             for d, imp in zip(data, imps, strict=True)]
    for k in ("srmr", "srmr_bentler", "srmr_bentler_nomean", "rmr", "rmr_nomean"):
        out[k] = float(sum(wg * r[k] for wg, r in zip(w, resid, strict=True)))
    gfi = []
    for d, imp in zip(data, imps, strict=True):
        obs = np.concatenate([d.mean, d.S[d.r, d.c]])
        e = obs - np.concatenate([imp.mu, imp.sigma[d.r, d.c]])
        p = len(d.mean)
        W = np.zeros((len(obs), len(obs)))
        W[:p, :p], W[p:, p:] = d.Wm, d.Wc
        gfi.append(1.0 - float(e @ W @ e) / float(obs @ W @ obs))
    out["gfi"] = float(np.dot(w, gfi))
    p = len(ov)
    nel = G * (p * (p + 1) // 2 + p)
    out["agfi"] = 1.0 - (nel / df) * (1.0 - out["gfi"]) if df > 0 else 1.0
    return {k: out[k] for k in FIT_ORDER if k in out}
