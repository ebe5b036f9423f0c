"""From estimated parameters to a result: the filled table, standardized values, R², warnings."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb import estimate as cbsem
from semwidget.cb.data import Moments
from semwidget.cb.ram import Implied, RAMModel
from semwidget.cb.result import ESTIMATE_COLUMNS, Z975, CBResult
from semwidget.distributions import norm_sf
from semwidget.model.defined import defined_functions
from semwidget.model.frame_arrays import column_arrays, frame_of, names_index

#: The rows parameterEstimates() shows: model parameters and defined ones (no constraints).
_ESTIMATE_OPS = frozenset(("=~", "~", "~~", "~1", ":="))


def standardized(model: RAMModel, imp: Implied, values: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """std.lv and std.all of every model row (lavaan's ``standardizedSolution``).

    std.all scales each variable by its model-implied standard deviation; std.lv scales only
    the latent variables.
    """
    sd = np.sqrt(np.clip(np.diag(imp.C), 0.0, None))
    sd_lv = sd.copy()
    sd_lv[: model.n_obs] = 1.0
    # Covariances between two different variables are (residual) correlations, as in lavaan:
    # they are scaled by the (residual) variances on the diagonal of S, not by total variances.
    rsd = np.sqrt(np.abs(np.diag(imp.S)))
    rsd_lv = rsd.copy()
    rsd_lv[: model.n_obs] = 1.0
    k, i, j = model.kind, model.row_i, model.row_j
    cov = (k == 1) & (i != j)
    with np.errstate(divide="ignore", invalid="ignore"):
        all_ = np.where(k == 0, values * sd[j] / sd[i],
                        np.where(k == 1, values / (sd[i] * sd[j]), values / sd[i]))
        lv = np.where(k == 0, values * sd_lv[j] / sd_lv[i],
                      np.where(k == 1, values / (sd_lv[i] * sd_lv[j]), values / sd_lv[i]))
        all_ = np.where(cov, values / (rsd[i] * rsd[j]), all_)
        lv = np.where(cov, values / (rsd_lv[i] * rsd_lv[j]), lv)
    return lv, all_


def r_squared(model: RAMModel, imp: Implied) -> dict[str, float]:
    """R² of every variable with incoming directed effects: 1 - residual / total variance."""
    endo = sorted(set(model.row_i[model.kind == 0].tolist()))
    out = {}
    for v in endo:
        total = imp.C[v, v]
        out[model.names[v]] = float(1.0 - imp.S[v, v] / total) if total > 0 else math.nan
    return out


def defined_rows(table: pd.DataFrame, model: RAMModel, theta: np.ndarray, values: np.ndarray,
                 std_lv: np.ndarray, std_all: np.ndarray, vcov: np.ndarray | None,
                 ops: np.ndarray | None = None
                 ) -> dict[int, tuple[float, float, float, float]]:
    """Estimate, SE (delta method), std.lv and std.all of each ``:=`` row, by table index.

    ``ops``: the table's ``op`` column as an array, when the caller has it.
    """
    if not ((table["op"].to_numpy() if ops is None else ops) == ":=").any():
        return {}
    labelled, funcs = defined_functions(table, model)

    def evaluate(vals: np.ndarray) -> dict[str, float]:
        env = {lab: float(vals[pos]) for lab, pos in labelled.items()}
        for _, name, fn in funcs:
            env[name] = fn(env)
        return env

    base = evaluate(values)
    lv = evaluate(std_lv)
    al = evaluate(std_all)
    out: dict[int, tuple[float, float, float, float]] = {}
    grads = np.zeros((len(funcs), model.n_par))
    for k in range(model.n_par):
        h = 1e-6 * max(1.0, abs(theta[k]))
        tp, tm = theta.copy(), theta.copy()
        tp[k] += h
        tm[k] -= h
        ep, em = evaluate(model.values(tp)), evaluate(model.values(tm))
        for r, (_, name, _) in enumerate(funcs):
            grads[r, k] = (ep[name] - em[name]) / (2 * h)
    for r, (tix, name, _) in enumerate(funcs):
        se = math.nan
        if vcov is not None:
            se = float(np.sqrt(max(grads[r] @ vcov @ grads[r], 0.0)))
        out[tix] = (base[name], se, lv[name], al[name])
    return out


def assemble(full: pd.DataFrame, model: RAMModel, res: cbsem.Estimate, imp: Any,
             mom: Moments, measures: dict[str, float], est: str, options: dict[str, Any],
             frame: pd.DataFrame | None) -> CBResult:
    """Merge estimates into the table and collect warnings."""
    values = model.values(res.theta)
    se_par = np.sqrt(np.clip(np.diag(res.vcov), 0.0, None)) if res.vcov is not None else None
    n_rows = len(full)
    est_col = np.full(n_rows, np.nan)
    se_col = np.full(n_rows, np.nan)
    std_lv_col = np.full(n_rows, np.nan)
    std_all_col = np.full(n_rows, np.nan)
    lv, al = standardized(model, imp, values)
    tix = model.table_index
    est_col[tix] = values
    se = np.zeros(len(values))
    free = model.pidx >= 0
    if se_par is not None:
        se[free] = se_par[model.pidx[free]]
    else:
        se[free] = np.nan
    se_col[tix] = se
    std_lv_col[tix] = lv
    std_all_col[tix] = al
    # Built column by column in one constructor each: repeated frame assignment is the
    # slowest part of a small fit.
    cols = column_arrays(full)
    ops = np.asarray(cols["op"], dtype=object)
    for i, (e, s, l_, a) in defined_rows(full, model, res.theta, values, lv, al,
                                         res.vcov, ops).items():
        est_col[i], se_col[i], std_lv_col[i], std_all_col[i] = e, s, l_, a
    keep = np.array([o in _ESTIMATE_OPS for o in ops.tolist()], dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se_col > 0, est_col / se_col, np.nan)
    pval = 2.0 * norm_sf(np.abs(z))
    is_fixed = (cols["free"] == 0) & (ops != ":=")
    lo = np.where(is_fixed, est_col, est_col - Z975 * se_col)
    hi = np.where(is_fixed, est_col, est_col + Z975 * se_col)
    cols.update(est=est_col, se=np.where(is_fixed, 0.0, se_col), z=z, pvalue=pval,
                ci_lower=lo, ci_upper=hi, std_lv=std_lv_col, std_all=std_all_col)
    table = frame_of(cols)
    every = keep.all()  # no constraint rows: no row selection to make
    estimates = frame_of({c: cols[c] if every else cols[c][keep] for c in ESTIMATE_COLUMNS})
    warnings = model_warnings(model, imp, res)
    # one Index for the four moment frames: each frame making its own from a list cost more
    # than the frame itself
    names = names_index(tuple(model.names[: model.n_obs]))
    return CBResult(
        table=table,
        estimates=estimates,
        fit_measures=measures,
        r2=r_squared(model, imp),
        warnings=warnings,
        nobs=mom.n,
        sample_cov=pd.DataFrame(mom.cov, index=names, columns=names),
        implied_cov=pd.DataFrame(imp.sigma, index=names, columns=names),
        sample_mean=pd.Series(mom.mean, index=names) if model.meanstructure else None,
        implied_mean=pd.Series(imp.mu, index=names) if model.meanstructure else None,
        estimator=est,
        missing=options.get("missing", "listwise"),
        converged=res.converged,
        iterations=res.iterations,
        model=model,
        theta=res.theta,
        vcov=res.vcov,
        options=options,
        data=frame,
    )


def model_warnings(model: RAMModel, imp: Any, res: cbsem.Estimate) -> list[str]:
    """Non-convergence, negative variances (Heywood cases) and non-positive-definite matrices."""
    out = []
    if not res.converged:
        out.append(f"the optimizer did not converge after {res.iterations} iterations; "
                   "estimates are not trustworthy")
    p = model.n_obs
    for v in np.flatnonzero(np.diag(imp.S) < 0).tolist():
        kind = "residual variance" if v < p else "variance"
        out.append(f"Heywood case: the {kind} of '{model.names[v]}' is negative "
                   f"({imp.S[v, v]:.3f})")
    psi = imp.S[p:, p:]
    if psi.size and np.all(np.diag(psi) >= 0):
        if _negative_eigenvalue(psi):
            out.append("the covariance matrix of the latent variables is not positive definite")
    theta_m = imp.S[:p, :p]
    if np.all(np.diag(theta_m) >= 0) and _negative_eigenvalue(theta_m):
        out.append("the residual covariance matrix of the observed variables is not "
                   "positive definite")
    return out


def _negative_eigenvalue(M: np.ndarray) -> bool:
    """Whether a symmetric matrix with a diagonal >= 0 has an eigenvalue below -1e-10."""
    if np.count_nonzero(M) == np.count_nonzero(M.diagonal()):
        return False  # diagonal (no covariances): its eigenvalues are the diagonal, >= 0
    return bool(np.linalg.eigvalsh(M).min() < -1e-10)
