"""Full-information maximum likelihood for data with missing values (lavaan's ``missing="ml"``).

The log-likelihood is summed over missing-data patterns, each contributing through the
observed part of the implied moments. The unrestricted (h1) model is estimated by EM, as lavaan
does, and standard errors come from the observed information (the Hessian of the
log-likelihood), lavaan's default for this case.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb import estimate as cbsem
from semwidget.cb import measures as fm
from semwidget.cb import robust, robust_fiml
from semwidget.cb.assemble import assemble
from semwidget.cb.data import Moments
from semwidget.cb.fiml_kernels import (
    Pattern,
    information_gradient,
    loglik,
    newton_minimize,
    patterns,
    stacks,
    total_gradient,
)
from semwidget.cb.h1_fiml import em_saturated, h1_information
from semwidget.cb.information import fiml_expected_vcov, refuse_with_robust
from semwidget.cb.measures import FIT_ORDER
from semwidget.cb.prepare import (
    check_identified,
    exo_names,
    fill_exogenous,
    unidentified_error,
    user_starts,
)
from semwidget.cb.ram import RAMModel
from semwidget.cb.result import CBResult
from semwidget.distributions import chi2_sf
from semwidget.model.partable import count_moments, roles

LOG2PI = math.log(2.0 * math.pi)


def minimize(fobj: Any, gobj: Any, hess_grad: Any, theta0: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Minimise by Newton's method, falling back on BFGS (then Newton polish) when it stalls.

    ``hess_grad(theta)`` gives the objective's Hessian and gradient. Returns the estimate, the
    Hessian of the objective there, the iterations and convergence.
    """
    theta, H, nit, ok = newton_minimize(fobj, hess_grad, theta0)
    if ok:
        return theta, H, nit, True
    # scipy.optimize costs ~0.25 s to import and only this fallback needs it
    from scipy import optimize

    opt = optimize.minimize(fobj, theta, jac=gobj, method="BFGS",
                            options={"gtol": 1e-9, "maxiter": 2000})
    theta, H = newton_polish(fobj, gobj, lambda t: hess_grad(t)[0], opt.x)
    converged = bool(opt.success or np.max(np.abs(gobj(theta))) < 1e-6)
    return theta, H, nit + int(opt.nit), converged


def newton_polish(fobj: Any, gobj: Any, hess: Any, theta: np.ndarray, steps: int = 3
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Newton steps with the exact Hessian after the quasi-Newton run, and that Hessian.

    Each step is kept only if it does not raise the objective, so a poor Hessian far from the
    optimum cannot make the fit worse; the steps tighten the optimum the SEs are taken at.
    """
    H = hess(theta)
    for _ in range(steps):
        try:
            cand = theta - np.linalg.solve(H, gobj(theta))
        except np.linalg.LinAlgError:
            break
        if not fobj(cand) <= fobj(theta) + 1e-12:
            break
        moved = np.max(np.abs(cand - theta))
        theta = cand
        H = hess(theta)
        if moved < 1e-10:
            break
    return theta, H


def _objective(model: RAMModel, pats: list[Pattern], n: int):  # noqa: ANN202
    def f(theta: np.ndarray) -> float:
        imp = model.implied(theta)
        ll = loglik(pats, imp.sigma, imp.mu)
        return -ll / n if np.isfinite(ll) else 1e10

    def g(theta: np.ndarray) -> np.ndarray:
        return -total_gradient(model, pats, theta) / n

    return f, g


def fit_fiml_table(full: pd.DataFrame, ov: list[str], mom: Moments, frame: pd.DataFrame,
                   options: dict[str, Any]) -> CBResult:
    """Fit a full table (with a mean structure) by FIML and assemble the result."""
    X = mom.data
    n, p = X.shape
    pats = patterns(X, mom.weights)
    mu1, sig1, ll1 = em_saturated(pats, p, mom.mean, np.diag(np.diag(mom.cov)))
    full = fill_exogenous(full, ov, sig1, mu1)
    model = RAMModel.from_table(full, ov, meanstructure=True)
    nx = int(len(set(full.loc[(full["exo"] == 1) & (full["op"] == "~~"), "lhs"])))
    n_mom = count_moments(p, nx, meanstructure=True)
    check_identified(full, model.n_par, n_mom)
    # Start from the complete-data ML fit to the EM moments: cheap and close to the answer.
    cov_model = RAMModel.from_table(full, ov, meanstructure=False)
    th0 = cbsem.start_values(cov_model, sig1, user_starts(full, cov_model))
    cres = cbsem.fit_ml(cov_model, sig1, n, th0)
    # Identification is judged as for complete data, on the expected information at the EM
    # moments: FIML's numerical Hessian is noisy enough to look invertible for a model that
    # is not identified (and then gives SEs in the thousands).
    if cres.vcov is None:
        raise unidentified_error(full, cov_model, cres.theta, sig1, "ML", None)
    theta0 = np.zeros(model.n_par)
    cv = dict(zip(cov_model.table_index, cov_model.values(cres.theta), strict=True))
    pos_of = {v: k for k, v in enumerate(ov)}
    for pos, tix in enumerate(model.table_index):
        f = model.pidx[pos]
        if f < 0:
            continue
        if model.kind[pos] == 2:
            theta0[f] = mu1[pos_of[full.at[tix, "lhs"]]] if full.at[tix, "lhs"] in pos_of else 0
        else:
            theta0[f] = cv.get(tix, 0.0)
    fobj, gobj = _objective(model, pats, n)
    def hess_grad(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        H, g = information_gradient(model, pats, t)
        return H / n, -g / n

    theta, H, nit, converged = minimize(fobj, gobj, hess_grad, theta0)
    vcov = cbsem._inverse(H * n)
    fmin = fobj(theta)
    res = cbsem.Estimate(theta, fmin, converged, nit, vcov)
    if vcov is None:
        raise unidentified_error(full, model, theta, sig1, "ML", None)
    imp = model.implied(theta)
    ll0 = -fmin * n
    df = n_mom - model.n_par
    xi = [k for k, v in enumerate(ov) if v in exo_names(full)]
    free_x = [k for k, v in enumerate(ov) if v in set(roles(full).ov_x) and k not in xi]
    measures = fiml_fit_measures(pats, n, p, ll0, ll1, model.n_par, df, sig1, mu1, imp, nx,
                                 X=X, xi=xi, free_x=free_x)
    se, test = options.get("se", "standard"), options.get("test", "standard")
    refuse_with_robust(options.get("information"), se, test, "observed", robust.ROBUST_SE,
                       robust.SCALED_TESTS)
    if options.get("information") == "expected":
        vcov_e = fiml_expected_vcov(model, theta, h1_information(pats, imp.sigma, n), n)
        if vcov_e is None:
            raise unidentified_error(full, model, theta, sig1, "ML", None)
        res = cbsem.Estimate(theta, res.fmin, res.converged, res.iterations, vcov_e)
    if se in robust.ROBUST_SE or test in robust.SCALED_TESTS:
        vcov_r, measures = robust_fiml.apply(se, test, model, theta, imp, X, H, sig1, mu1,
                                             measures, weights=mom.weights, xi=xi)
        if vcov_r is not None:
            res = cbsem.Estimate(theta, res.fmin, res.converged, res.iterations, vcov_r)
    mom_h1 = Moments(mom.names, n, sig1, mu1, X, mom.weights)
    result = assemble(full, model, res, imp, mom_h1, measures, "ML", options, frame)
    result.warnings.extend(coverage_warnings(X, ov))
    return result


#: Pairwise coverage below which FIML estimates rest on too few joint observations (lavaan
#: warns below the same share).
MIN_COVERAGE = 0.1


def coverage_warnings(X: np.ndarray, names: list[str]) -> list[str]:
    """Warnings about sparse missing-data patterns: low pairwise coverage, many patterns."""
    seen = (~np.isnan(X)).astype(float)
    n = len(X)
    coverage = seen.T @ seen / max(n, 1)
    out = []
    low = np.argwhere(np.triu(coverage < MIN_COVERAGE))
    if len(low):
        pairs = ", ".join(f"'{names[i]}'-'{names[j]}'" if i != j else f"'{names[i]}'"
                          for i, j in low[:5])
        out.append(f"due to missing values, {len(low)} variable pair(s) are observed together "
                   f"in fewer than {MIN_COVERAGE:.0%} of the rows ({pairs}); FIML estimates "
                   "for them rest on very few cases")
    n_patterns = len({row.tobytes() for row in seen.astype(bool)})
    share_missing = 1.0 - seen.mean() if seen.size else 0.0
    if share_missing > 0.4 or n_patterns > n / 2:
        out.append(f"{share_missing:.0%} of the cells are missing, in {n_patterns} different "
                   f"patterns over {n} rows: FIML is slow and its estimates uncertain with "
                   "data this sparse")
    return out


def drop_missing_covariates(frame: pd.DataFrame, covariates: set[str]
                            ) -> tuple[pd.DataFrame, list[str]]:
    """lavaan's ``missing="ml"`` under fixed.x: drop the rows whose fixed covariates are missing.

    The likelihood is conditional on fixed covariates, so a row without them has nothing to
    condition on; ``missing="fiml.x"`` keeps such rows and models the covariates instead.
    """
    names = [c for c in frame.columns if c in covariates]
    if not names:
        return frame, []
    gone = frame[names].isna().any(axis=1).to_numpy()
    if not gone.any():
        return frame, []
    count = int(gone.sum())
    return frame.loc[~gone], [
        f"{count} case(s) were deleted due to missing values in the exogenous covariate(s) "
        f"{', '.join(repr(c) for c in names)}, while fixed_x=True (lavaan's missing='ml'); "
        "use missing='fiml.x' to keep them"]


def fiml_fit_measures(pats: list[Pattern], n: int, p: int, ll0: float, ll1: float, npar: int,
                      df: int, sig1: np.ndarray, mu1: np.ndarray, imp: Any, nx: int, *,
                      X: np.ndarray | None = None, xi: Sequence[int] = (),
                      free_x: Sequence[int] = ()) -> dict[str, float]:
    """Fit measures of a FIML fit against the EM (h1) and independence (baseline) models.

    ``X`` (rows, NaN for missing) and ``xi`` (the positions of fixed covariates) give lavaan's
    definitions with fixed.x: the log-likelihoods are conditional on the covariates (their
    marginal part, at the implied and at the pairwise sample moments, is taken off), and the
    baseline keeps the covariates' block fixed at the pairwise sample moments. Covariates
    that are not fixed (``free_x``, fixed.x=False) keep a saturated block in the baseline.
    """
    out: dict[str, float] = {"npar": float(npar), "ntotal": float(n)}
    chisq = max(2.0 * (ll1 - ll0), 0.0)
    out["chisq"] = chisq
    out["df"] = float(df)
    out["pvalue"] = float(chi2_sf(chisq, df)) if df > 0 else math.nan
    out["chisq_df"] = chisq / df if df > 0 else math.nan
    xi = list(xi)
    lx0 = lx1 = llb_x = 0.0
    if xi and X is not None:
        # lavaan's covariate moments: pairwise-present covariances rescaled to divisor N
        xs = pd.DataFrame(X[:, xi])
        s_x = xs.cov().to_numpy() * (n - 1) / n
        m_x = xs.mean().to_numpy()
        lx0 = fm.normal_loglik(imp.sigma[np.ix_(xi, xi)], imp.sigma[np.ix_(xi, xi)], n)
        lx1 = fm.normal_loglik(s_x, s_x, n)
        llb_x = loglik(patterns(X[:, xi]), s_x, m_x)
    free_x = list(free_x) if X is not None else []
    if free_x:
        xs = X[:, free_x]
        llb_x += em_saturated(patterns(xs), len(free_x), np.nanmean(xs, axis=0),
                              np.diag(np.nanvar(xs, axis=0)))[2]
    block = xi + free_x
    # baseline: independent variables with free means and variances; the likelihood then
    # separates by variable, so each uses its own observed values.
    llb = llb_x
    sums = np.zeros((3, p))  # per variable: rows seen, sum, sum of squares (all patterns)
    for st in stacks(pats, p):
        cells = st.idx.ravel()
        w = np.repeat(st.n, st.idx.shape[1])
        sq = np.diagonal(st.cov, axis1=1, axis2=2) + st.mean ** 2
        for row, vals in enumerate((w, w * st.mean.ravel(), w * sq.ravel())):
            sums[row] += np.bincount(cells, weights=vals, minlength=p)
    for j in range(p):
        if j in block or sums[0, j] == 0:
            continue
        cnt = sums[0, j]
        m = sums[1, j] / cnt
        v = sums[2, j] / cnt - m * m
        llb += -0.5 * cnt * (LOG2PI + math.log(v) + 1.0)
    b_chisq = 2.0 * (ll1 - llb)
    nf = len(free_x)
    b_df = count_moments(p, len(xi), meanstructure=True) - 2 * (p - len(block)) \
        - nf * (nf + 1) // 2 - nf
    out["baseline_chisq"] = b_chisq
    out["baseline_df"] = float(b_df)
    out["baseline_pvalue"] = float(chi2_sf(b_chisq, b_df))
    out.update(fm.incremental(chisq, df, b_chisq, b_df))
    out.update(fm.rmsea_measures(chisq, df, n))
    out.update(fm.residual_measures(sig1, imp.sigma, mu1, imp.mu))
    r, c = cbsem.vech_indices(p)
    if X is not None:
        # lavaan's GFI under FIML: available-case means and pairwise covariances (divisor N)
        # against the implied moments, weighted by the FIML information of the h1 model
        W = h1_information(pats, imp.sigma, n)
        m_obs = np.nanmean(X, axis=0)
        s_obs = pd.DataFrame(X).cov().to_numpy() * (n - 1) / n
    else:
        W = np.zeros((p + len(r), p + len(r)))
        W[:p, :p] = np.linalg.inv(imp.sigma)
        W[p:, p:] = cbsem.wls_weight(imp.sigma, "GLS")
        m_obs, s_obs = mu1, sig1
    obs = np.concatenate([m_obs, s_obs[r, c]])
    est = np.concatenate([imp.mu, imp.sigma[r, c]])
    # the means and moments among fixed covariates are not modelled: left out of GFI (their
    # rows of lavaan's weight are zero), though AGFI still counts every moment
    is_x = np.isin(np.arange(p), xi)
    keep = ~np.concatenate([is_x, is_x[r] & is_x[c]])
    out.update(fm.gfi_measures(obs[keep], est[keep], W[np.ix_(keep, keep)], df, nel=len(obs)))
    out["logl"] = float(ll0 - lx0)
    out["unrestricted_logl"] = float(ll1 - lx1)
    out.update(fm.information_criteria(out["logl"], npar, n))
    return {k: out[k] for k in FIT_ORDER if k in out}
