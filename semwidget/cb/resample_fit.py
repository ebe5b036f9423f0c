"""Refit one model to resampled rows: the bootstrap with FIML and with mean structures.

Each resample is a new data set, as for lavaan's bootstrap (which refits ``lavaan()`` on it):
the fixed covariates' (co)variances and means are set to the resample's own moments (fixed.x),
complete data are fitted by ML with the means term when the model has a mean structure, and
rows with missing values by FIML (the observed-data likelihood over the resample's patterns).
Every refit starts from the full-sample estimates. The complete-data bootstrap without means
uses the faster batched fitter of :mod:`semwidget.cb.bootstrap`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

from semwidget.cb import estimate as cbsem
from semwidget.cb.complete import mean_starts
from semwidget.cb.fiml import _objective, em_saturated, h1_information, patterns
from semwidget.cb.prepare import user_starts
from semwidget.cb.ram import RAMModel
from semwidget.errors import DataError, SemWidgetError

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult


def needs_refit(result: CBResult) -> bool:
    """True when the batched complete-data fitter does not apply (means, FIML, fixed x)."""
    return bool(result.model.meanstructure) or result.missing != "listwise"


def rows_used(result: CBResult) -> np.ndarray:
    """The data rows the fit used (the model's columns; NaN kept under FIML)."""
    if result.data is None:
        raise DataError("the bootstrap needs the raw data rows; this fit has none (it was "
                        "made from sample_cov=)")
    names = result.model.names[: result.model.n_obs]
    X = result.data[names].to_numpy(dtype=float)
    if result.missing == "listwise":
        return X[~np.isnan(X).any(axis=1)]
    return X[~np.isnan(X).all(axis=1)]


def _exo_positions(result: CBResult) -> list[tuple[int, int, int, int]]:
    """(position, kind, i, j) of the model rows fixed at the covariates' sample moments."""
    model = result.model
    exo = result.table["exo"].to_numpy()
    return [(pos, int(model.kind[pos]), int(model.row_i[pos]), int(model.row_j[pos]))
            for pos, tix in enumerate(model.table_index)
            if model.pidx[pos] < 0 and exo[tix] == 1]


def _with_moments(model: RAMModel, exo: list[tuple[int, int, int, int]], S: np.ndarray,
                  mean: np.ndarray) -> RAMModel:
    if not exo:
        return model
    fixed = model.fixed.copy()
    for pos, kind, i, j in exo:
        fixed[pos] = mean[i] if kind == 2 else S[i, j]
    return dataclasses.replace(model, fixed=fixed)


def _fiml_moments(X: np.ndarray, exo: list[tuple[int, int, int, int]]
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Moments for the fixed covariates of a FIML resample (EM only if they have gaps)."""
    xs = sorted({i for _, _, i, _ in exo} | {j for _, k, _, j in exo if k == 1})
    if not np.isnan(X[:, xs]).any():
        mean = np.nanmean(X, axis=0)
        S = np.zeros((X.shape[1], X.shape[1]))
        Xc = X[:, xs] - mean[xs]
        S[np.ix_(xs, xs)] = Xc.T @ Xc / len(X)
        return S, mean
    mu, sig, _ = em_saturated(patterns(X), X.shape[1], np.nanmean(X, axis=0),
                              np.diag(np.nanvar(X, axis=0)))
    return sig, mu


def refit(result: CBResult, X: np.ndarray, exo: list[tuple[int, int, int, int]] | None = None
          ) -> tuple[np.ndarray, float, bool]:
    """ML (complete rows) or FIML (rows with gaps) estimates for the rows ``X``.

    Returns the parameter vector, the minimum (F_ML, or minus the log-likelihood over N under
    FIML) and whether the fit converged.
    """
    model = result.model
    exo = _exo_positions(result) if exo is None else exo
    n = len(X)
    if result.missing == "listwise":
        mean = X.mean(axis=0)
        Xc = X - mean
        S = Xc.T @ Xc / n
        fitted = _with_moments(model, exo, S, mean)
        m = mean if model.meanstructure else None
        res = cbsem.fit_ml(fitted, S, n, result.theta, mean=m)
        # a resample far from the full sample can pull the refit into another optimum from
        # the full-sample start: also start as a new fit would, keep the better optimum
        fresh_start = cbsem.start_values(fitted, S, user_starts(result.table, fitted))
        if model.meanstructure:
            fresh_start = mean_starts(fitted, fresh_start, mean, None)
        try:
            alt = cbsem.fit_ml(fitted, S, n, fresh_start, mean=m)
        except (np.linalg.LinAlgError, SemWidgetError, FloatingPointError):
            alt = None
        if alt is not None and alt.converged and (not res.converged
                                                  or alt.fmin < res.fmin - 1e-10):
            res = alt
        return res.theta, float(res.fmin), bool(res.converged)
    S, mean = _fiml_moments(X, exo) if exo else (None, None)
    fitted = _with_moments(model, exo, S, mean) if exo else model
    return fiml_scoring(fitted, patterns(X), n, result.theta)


def fiml_scoring(model: RAMModel, pats: list[Any], n: int, theta0: np.ndarray, *,
                 max_iter: int = 200, tol: float = 1e-9) -> tuple[np.ndarray, float, bool]:
    """FIML by quasi-Newton steps that start from the expected information, with halving.

    The first step is a Fisher-scoring step (the patterns' expected information at the
    start); later steps update that matrix by BFGS, so the convergence is superlinear at the
    cost of one gradient per step (scoring alone is linear when the model misfits). BFGS of
    scipy finishes a resample these steps do not.
    """
    f, g = _objective(model, pats, n)
    theta = theta0.copy()
    fx = f(theta)
    imp = model.implied(theta)
    dsig, dmu = model.jacobian(theta, imp)
    r, c = cbsem.vech_indices(model.n_obs)
    J = np.concatenate([dmu, dsig[:, r, c]], axis=1)
    H = J @ h1_information(pats, imp.sigma, n) @ J.T
    grad = g(theta)
    for _ in range(max_iter):
        try:
            step = np.linalg.solve(H, grad)
        except np.linalg.LinAlgError:
            break
        t = 1.0
        while t > 1e-8:
            cand = theta - t * step
            fc = f(cand)
            if np.isfinite(fc) and fc <= fx + 1e-13:
                break
            t *= 0.5
        else:
            break
        g_new = g(cand)
        s_, y_ = cand - theta, g_new - grad
        sy = float(s_ @ y_)
        if sy > 1e-16:
            Hs = H @ s_
            H = H + np.outer(y_, y_) / sy - np.outer(Hs, Hs) / float(s_ @ Hs)
        theta, fx, grad = cand, fc, g_new
        if np.max(np.abs(s_) / np.maximum(1.0, np.abs(theta))) < tol:
            return theta, float(fx), True
    from scipy import optimize  # loaded on first use: a plain fit does not need it

    opt = optimize.minimize(f, theta, jac=g, method="BFGS",
                            options={"gtol": 1e-9, "maxiter": 2000})
    ok = bool(opt.success or np.max(np.abs(g(opt.x))) < 1e-6) and np.isfinite(opt.fun)
    return opt.x, float(opt.fun), ok


def refit_resamples(result: CBResult, X: np.ndarray, idx: np.ndarray, bar: Any = None,
                    update_fixed_x: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Refit every resample ``X[idx[k]]``: parameter vectors, minima and convergence flags.

    ``update_fixed_x=False`` keeps the fixed covariates at the full-sample values (lavaan's
    Bollen-Stine bootstrap does; the estimates do not depend on them, the chi-square does).
    """
    exo = _exo_positions(result) if update_fixed_x else []
    theta = np.full((len(idx), result.model.n_par), np.nan)
    fmin = np.full(len(idx), np.nan)
    conv = np.zeros(len(idx), dtype=bool)
    for k, rows in enumerate(idx):
        try:
            theta[k], fmin[k], conv[k] = refit(result, X[rows], exo)
        except (np.linalg.LinAlgError, SemWidgetError, FloatingPointError, ValueError):
            conv[k] = False  # a singular or inadmissible resample counts as failed
        if bar is not None:
            bar.update(1)
    return theta, fmin, conv
