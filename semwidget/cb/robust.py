"""Robust ML for complete data: sandwich standard errors and scaled test statistics.

lavaan's robust estimators are ML with other standard errors and tests (Rosseel, 2012):
``MLM`` = ``se="robust.sem"`` + ``test="satorra.bentler"`` (Satorra & Bentler, 1994),
``MLMV`` = ``robust.sem`` + ``scaled.shifted`` (Asparouhov & Muthén, 2010), ``MLR`` =
``se="robust.huber.white"`` + ``test="yuan.bentler.mplus"`` (Yuan & Bentler, 2000; the
approximation Mplus uses). Everything is built from four matrices over the sample moments
``(means; vech S)``:

- ``Delta``: the Jacobian of the implied moments in the free parameters;
- ``W``: the normal-theory weight (the h1 expected information) at the implied moments;
- ``Gamma``: the asymptotic covariance of the sample moments (fourth moments, divisor N);
- ``H0``: the observed information of the model (Hessian of the per-case ML discrepancy).

With ``U = W - W Delta (Delta' W Delta)^-1 Delta' W`` the Satorra-Bentler scaling factor is
``tr(U Gamma) / df``; the scaled-shifted statistic uses ``tr((U Gamma)^2)`` too. Fit indices on
top of the scaled statistics follow Brosseau-Liard & Savalei (2014) for CFI/TLI, Brosseau-Liard,
Savalei & Li (2012) and Savalei (2018) for RMSEA, as lavaan 0.6 reports them.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from semwidget.cb import estimate as cbsem
from semwidget.cb.constraints import constrained_vcov
from semwidget.cb.ram import Implied, RAMModel
from semwidget.distributions import chi2_sf
from semwidget.errors import ModelSpecError

#: lavaan's robust estimators as (se, test).
ROBUST_ESTIMATORS = {
    "MLR": ("robust.huber.white", "yuan.bentler.mplus"),
    "MLM": ("robust.sem", "satorra.bentler"),
    "MLMV": ("robust.sem", "scaled.shifted"),
}
ROBUST_SE = ("robust.sem", "robust.huber.white")
SCALED_TESTS = ("satorra.bentler", "yuan.bentler", "yuan.bentler.mplus", "scaled.shifted",
                "mean.var.adjusted")
#: Fit measures the scaled tests add, in lavaan's order (``.`` written ``_``).
ROBUST_ORDER = [
    "chisq_scaled", "df_scaled", "pvalue_scaled", "chisq_scaling_factor", "chisq_shift",
    "baseline_chisq_scaled", "baseline_df_scaled", "baseline_pvalue_scaled",
    "baseline_chisq_scaling_factor", "cfi_scaled", "tli_scaled", "cfi_robust", "tli_robust",
    "nnfi_scaled", "nnfi_robust", "rfi_scaled", "nfi_scaled", "ifi_scaled", "rni_scaled",
    "rni_robust", "rmsea_scaled", "rmsea_ci_lower_scaled", "rmsea_ci_upper_scaled",
    "rmsea_pvalue_scaled", "rmsea_robust", "rmsea_ci_lower_robust", "rmsea_ci_upper_robust",
    "rmsea_pvalue_robust",
]


@dataclass
class ScaledTest:
    """A scaled test statistic as lavaan's ``lavInspect(fit, "test")`` reports it."""

    test: str
    stat: float
    df: float
    pvalue: float
    scaling_factor: float
    shift: float = math.nan
    trace_ug: float = math.nan
    trace_ug2: float = math.nan


@dataclass
class Moments:
    """The ingredients of every robust quantity, over the moments ``(means; vech S)``."""

    delta: np.ndarray    # (k, q) Jacobian of the implied moments
    w: np.ndarray        # (k, k) normal-theory weight at the implied moments
    w_sample: np.ndarray  # (k, k) the same at the sample moments (unstructured h1)
    gamma: np.ndarray    # (k, k) asymptotic covariance of the sample moments
    resid: np.ndarray    # (k,) sample minus implied moments
    keep: np.ndarray     # (k,) moments modelled (False: moments among fixed covariates)
    gamma_raw: np.ndarray  # (k, k) as gamma, before fixed covariates are partialled out
    h1_observed: np.ndarray | None = None  # (k, k) observed h1 information at the implied
    # sampling weights (normalised to sum N) and the cases' deviations from the weighted mean
    # moments: weighted case scores do not reduce to gamma_raw + r r' (see first_order)
    case_w: np.ndarray | None = None
    case_dev: np.ndarray | None = None
    # Jacobian of the active (nonlinear) constraints: information matrices are then inverted
    # on its null space, as lavaan's augmented information (cb.constraints)
    con_jac: np.ndarray | None = None


def resolve(estimator: str, se: str, test: str) -> tuple[str, str, str]:
    """The estimator, se and test lavaan uses for what the user asked.

    ``MLR``/``MLM``/``MLMV`` become ML with their se and test (an explicit ``se`` or ``test``
    other than the default still wins, as in lavaan); ``se="robust"`` means ``robust.sem``.

    Raises
    ------
    ModelSpecError
        If ``se`` or ``test`` is not an option of lavaan's ML, naming the value.
    """
    est = estimator.upper()
    rob_se, rob_test = ROBUST_ESTIMATORS.get(est, ("standard", "standard"))
    if se == "robust":
        se = "robust.sem"
    if se not in ("standard", "bootstrap", *ROBUST_SE):
        raise ModelSpecError(
            f"unknown se={se!r}: use 'standard', 'robust.sem', 'robust.huber.white' or "
            "'bootstrap'")
    if test not in ("standard", *SCALED_TESTS):
        raise ModelSpecError(
            f"unknown test={test!r}: use 'standard', 'satorra.bentler', 'yuan.bentler', "
            "'yuan.bentler.mplus', 'scaled.shifted' or 'mean.var.adjusted'")
    se_used = rob_se if se == "standard" else se
    test_used = rob_test if test == "standard" else test
    if est == "MLR" and test_used == "yuan.bentler":
        # lavaan 0.6.14 then reports MLR's Mplus variant first, with its h0 information
        # replaced by the h1 one: a third statistic that is neither test
        raise ModelSpecError(
            "estimator='MLR' with test='yuan.bentler' is not fitted: lavaan 0.6.14 reports "
            "a Mplus-variant statistic for it; use estimator='ML', se='robust.huber.white', "
            "test='yuan.bentler' for the Yuan-Bentler test, or MLR's default test")
    return est, se_used, test_used


def _vech_block(sigma: np.ndarray, means: bool) -> np.ndarray:
    """Normal-theory weight over ``(means; vech)``: ``diag(Sigma^-1, 1/2 D'(S^-1 (x) S^-1) D)``."""
    Wc = cbsem.wls_weight(sigma, "GLS")
    if not means:
        return Wc
    p = sigma.shape[0]
    out = np.zeros((p + len(Wc), p + len(Wc)))
    out[:p, :p] = np.linalg.inv(sigma)
    out[p:, p:] = Wc
    return out


def h1_observed_information(sigma: np.ndarray, S: np.ndarray, d: np.ndarray | None
                            ) -> np.ndarray:
    """Observed information of the saturated model at ``(mu, Sigma)`` (lavaan's "observed,
    structured" h1 information): the Hessian of ``(log|Sigma| + tr(Sigma^-1 T)) / 2`` with
    ``T = S + d d'`` and ``d`` the sample minus the implied means (``None``: no means).

    Over ``vech``: ``D'(Sigma^-1 (x) Sigma^-1 T Sigma^-1 - Sigma^-1 (x) Sigma^-1 / 2) D``,
    symmetrised; the means block is ``Sigma^-1`` and the cross block
    ``((Sigma^-1 d)' (x) Sigma^-1) D``. At ``T = Sigma`` it is the expected information.
    """
    p = sigma.shape[0]
    Si = np.linalg.inv(sigma)
    T = S if d is None else S + np.outer(d, d)
    M = Si @ T @ Si
    D = cbsem.duplication_matrix(p)
    K = 0.5 * (np.kron(Si, M) + np.kron(M, Si)) - 0.5 * np.kron(Si, Si)
    H = D.T @ K @ D
    if d is None:
        return H
    cross = np.kron((Si @ d)[None, :], Si) @ D
    return np.block([[Si, cross], [cross.T, H]])


def moments(model: RAMModel, theta: np.ndarray, imp: Implied, X: np.ndarray,
            fixed_x: np.ndarray, weights: np.ndarray | None = None) -> Moments:
    """Build :class:`Moments` from the data rows ``X`` (complete cases, model's column order).

    ``fixed_x`` flags the observed variables whose (co)variances are fixed at their sample
    values; their moments are not modelled, so their rows of ``Gamma`` are left out, as lavaan
    does. ``weights`` (sampling weights summing to N) weight the moments by case and the
    case scores by case, so ``Gamma`` sums ``w_i^2`` times the cross-products (lavaan's
    weighted scores).
    """
    n, p = X.shape
    w = np.ones(n) if weights is None else weights
    r, c = cbsem.vech_indices(p)
    means = model.meanstructure
    dsig, dmu = model.jacobian(theta, imp)
    delta = dsig[:, r, c].T
    xbar = w @ X / n
    xc = X - xbar
    S = (xc * w[:, None]).T @ xc / n
    z = xc[:, r] * xc[:, c]
    if means:
        z = np.hstack([X, z])
    raw = z - w @ z / n
    gamma_raw = (raw * (w * w)[:, None]).T @ raw / n
    if fixed_x.any():
        # Fixed covariates: only the part of each moment not explained by the covariates
        # varies (Gamma of the residual moments, as lavaan computes it for fixed.x).
        xi = np.flatnonzero(fixed_x)
        design = np.column_stack([np.ones(n), X[:, xi]])
        sw = np.sqrt(w)[:, None]
        coef, *_ = np.linalg.lstsq(design * sw, X * sw, rcond=None)
        yhat = design @ coef
        yhat[:, xi] = X[:, xi]
        hc = yhat - w @ yhat / n
        zhat = hc[:, r] * hc[:, c]
        z = z - (np.hstack([yhat, zhat]) if means else zhat)
    dev = z - w @ z / n
    resid = S[r, c] - imp.sigma[r, c]
    if means:
        delta = np.vstack([dmu.T, delta])
        resid = np.concatenate([xbar - imp.mu, resid])
    gamma = (dev * (w * w)[:, None]).T @ dev / n
    keep = ~(fixed_x[r] & fixed_x[c])
    if means:
        keep = np.concatenate([~fixed_x, keep])
    gamma[~keep, :] = 0.0
    gamma[:, ~keep] = 0.0
    return Moments(delta, _vech_block(imp.sigma, means), _vech_block(S, means), gamma, resid,
                   keep, gamma_raw, case_w=weights, case_dev=None if weights is None else raw)


def observed_information(model: RAMModel, theta: np.ndarray, S: np.ndarray,
                         mean: np.ndarray | None) -> np.ndarray:
    """Hessian of the per-case ML discrepancy ``F_ML / 2`` (central differences of its gradient).

    The gradient is analytic: ``Delta_sigma' W (sigma - s - vech(d d')) - Delta_mu' Sigma^-1 d``
    with ``d = m - mu``.
    """

    def grad(t: np.ndarray) -> np.ndarray:
        imp = model.implied(t)
        dsig, dmu = model.jacobian(t, imp)
        target = S
        g = np.zeros(len(t))
        inv = np.linalg.inv(imp.sigma)
        if mean is not None and model.meanstructure:
            d = mean - imp.mu
            target = S + np.outer(d, d)
            g -= dmu @ (inv @ d)
        R = 0.5 * inv @ (imp.sigma - target) @ inv
        return g + dsig.reshape(len(t), -1) @ R.ravel()

    return cbsem.numeric_hessian(grad, theta)


def _inverse(M: np.ndarray, what: str) -> np.ndarray:
    try:
        return np.linalg.inv(M)
    except np.linalg.LinAlgError as err:
        raise ModelSpecError(f"the {what} is singular: robust standard errors and tests "
                             "cannot be computed (is the model identified?)") from err


def _inverse_info(M: np.ndarray, what: str, con_jac: np.ndarray | None) -> np.ndarray:
    """The inverse of an information matrix, under the constraints when there are any."""
    if con_jac is None:
        return _inverse(M, what)
    out = constrained_vcov(M, con_jac)
    if out is None:
        raise ModelSpecError(f"the {what} is singular under the constraints: robust standard "
                             "errors and tests cannot be computed (is the model identified?)")
    return out


def first_order(mom: Moments) -> np.ndarray:
    """The h0 first-order (cross-product of case scores) information, ``Delta' W G1 W Delta``.

    Case scores of the normal log-likelihood in the moments are ``W (d_i - sigma)``; their
    mean cross-product is ``W (Gamma + r r') W`` with ``r`` the sample-minus-implied moments.
    """
    if mom.case_w is None or mom.case_dev is None:
        g1 = mom.gamma_raw + np.outer(mom.resid, mom.resid)
    else:  # weighted scores: sum_i w_i^2 (d_i + r)(d_i + r)' / N, d_i about the weighted mean
        e = mom.case_dev + mom.resid
        g1 = (e * (mom.case_w ** 2)[:, None]).T @ e / len(e)
    wd = mom.w @ mom.delta
    return wd.T @ g1 @ wd


def robust_vcov(se: str, mom: Moments, H0: np.ndarray | None, n: int) -> np.ndarray:
    """Sandwich covariance of the estimates: ``A^-1 B A^-1 / N``.

    ``robust.sem``: ``A`` the expected information ``Delta' W Delta``, ``B = Delta' W Gamma W
    Delta``. ``robust.huber.white``: ``A`` the observed information ``H0``, ``B`` the
    first-order information (:func:`first_order`).
    """
    wd = mom.w @ mom.delta
    if se == "robust.sem":
        A = mom.delta.T @ wd
        B = wd.T @ mom.gamma @ wd
    else:
        assert H0 is not None
        A = H0
        B = first_order(mom)
    Ai = _inverse_info(A, "information matrix", mom.con_jac)
    return Ai @ B @ Ai / n


def _u_gamma(mom: Moments, observed: bool = False) -> np.ndarray:
    """``U Gamma`` with ``U = A - A Delta (Delta' A Delta)^-1 Delta' A``; ``A`` the expected
    h1 information (``W``), or the observed one (lavaan's Yuan-Bentler test with the observed
    information)."""
    k = mom.keep
    A = mom.h1_observed if observed and mom.h1_observed is not None else mom.w
    W = A[np.ix_(k, k)]
    D = mom.delta[k]
    G = mom.gamma[np.ix_(k, k)]
    WD = W @ D
    U = W - WD @ _inverse_info(D.T @ WD, "information matrix", mom.con_jac) @ WD.T
    return U @ G


def scaled_test(test: str, T: float, df: float, mom: Moments, H0: np.ndarray | None,
                observed: bool = False) -> ScaledTest:
    """The scaled statistic ``test`` for the unscaled chi-square ``T`` on ``df``.

    ``observed``: the model's information is the observed one (``se="robust.huber.white"``),
    which lavaan's original Yuan-Bentler test uses for its ``U``.
    """
    if df <= 0:
        return ScaledTest(test, T, df, math.nan, math.nan)
    if test == "yuan.bentler.mplus":
        # Mplus' approximation: tr(A1^-1 B1) at the sample moments (unstructured h1: equals
        # tr(W_S Gamma)) minus tr(H0^-1 B0) with B0 the h0 first-order information.
        k = mom.keep
        t_h1 = float(np.sum(mom.w_sample[np.ix_(k, k)] * mom.gamma[np.ix_(k, k)]))
        assert H0 is not None
        t_h0 = float(np.trace(_inverse_info(H0, "observed information", mom.con_jac)
                              @ first_order(mom)))
        trace = t_h1 - t_h0
        c = trace / df
        return ScaledTest(test, T / c, df, float(chi2_sf(T / c, df)), c, trace_ug=trace)
    # Yuan-Bentler (Yuan & Bentler, 2000, as lavaan computes it): tr(U Gamma) with U from the
    # h1 information at the implied moments, expected or observed; with the expected one it
    # is the Satorra-Bentler trace
    UG = _u_gamma(mom, observed and test == "yuan.bentler")
    trace = float(np.trace(UG))
    if test in ("satorra.bentler", "yuan.bentler"):
        c = trace / df
        if test == "yuan.bentler" and c < 0:
            # the observed information need not be positive definite: lavaan gives NA
            c = math.nan
        return ScaledTest(test, T / c, df, float(chi2_sf(T / c, df)), c, trace_ug=trace)
    trace2 = float(np.sum(UG * UG.T))
    if test == "scaled.shifted":
        a = math.sqrt(df / trace2)
        b = df - a * trace
        stat = a * T + b
        return ScaledTest(test, stat, df, float(chi2_sf(stat, df)), 1.0 / a, b,
                          trace, trace2)
    # mean.var.adjusted (Satterthwaite): df estimated as tr(UG)^2 / tr((UG)^2)
    df_mv = trace * trace / trace2
    stat = T * df_mv / trace
    return ScaledTest(test, stat, df_mv, float(chi2_sf(stat, df_mv)), trace / df_mv,
                      trace_ug=trace, trace_ug2=trace2)


def baseline_moments(S: np.ndarray, mom: Moments, fixed_x: np.ndarray, x_all: np.ndarray
                     ) -> Moments:
    """:class:`Moments` of lavaan's baseline (independence) model at its estimate.

    The baseline frees each variance (and each mean) and keeps the covariates' block
    saturated; at its estimate the implied matrix is ``diag(S)`` with that block filled in.
    """
    p = S.shape[0]
    r, c = cbsem.vech_indices(p)
    sig = np.diag(np.diag(S))
    xi = np.flatnonzero(x_all)
    sig[np.ix_(xi, xi)] = S[np.ix_(xi, xi)]
    means = mom.delta.shape[0] > len(r)
    cols = []
    nvech = len(r)
    off = p if means else 0
    k = nvech + off
    for j in range(p):
        if x_all[j] and fixed_x[j]:
            continue
        if x_all[j]:
            continue
        col = np.zeros(k)
        col[off + np.flatnonzero((r == j) & (c == j))[0]] = 1.0
        cols.append(col)
    for a, b in zip(r, c, strict=True):
        if x_all[a] and x_all[b] and not (fixed_x[a] and fixed_x[b]):
            col = np.zeros(k)
            col[off + np.flatnonzero((r == a) & (c == b))[0]] = 1.0
            cols.append(col)
    if means:
        for j in range(p):
            if fixed_x[j]:
                continue
            col = np.zeros(k)
            col[j] = 1.0
            cols.append(col)
    delta = np.array(cols).T
    resid = np.concatenate([np.zeros(off), S[r, c] - sig[r, c]])
    # only the Yuan-Bentler test with the observed information needs it (p^2 x p^2 work)
    h1 = h1_observed_information(sig, S, np.zeros(p) if means else None) \
        if mom.h1_observed is not None else None
    return Moments(delta, _vech_block(sig, means), mom.w_sample, mom.gamma, resid, mom.keep,
                   mom.gamma_raw, h1_observed=h1, case_w=mom.case_w, case_dev=mom.case_dev)


# ---- fit measures from the scaled statistics -------------------------------------------------


def _ncp_bound(x2: float, df: float, prob: float) -> float:
    if special.chdtr(df, x2) < prob:
        return 0.0
    return float(special.chndtrinc(x2, df, prob))


def rmsea_block(x2: float, df: float, n: int, c_hat: float = 1.0, groups: int = 1
                ) -> tuple[float, ...]:
    """RMSEA point (with ``c_hat`` as the expected value of the statistic per df), its 90% CI
    and the close-fit p-value, computed as lavaan's ``lav_fit_rmsea*`` functions (with
    ``groups`` > 1: times ``sqrt(G)``, the close-fit non-centrality over ``G``)."""
    if not (df > 0 and np.isfinite(x2) and np.isfinite(c_hat)):
        return (math.nan,) * 4
    root = math.sqrt(groups)
    point = math.sqrt(max(x2 / n / df - c_hat / n, 0.0)) * root
    lo = math.sqrt(c_hat * _ncp_bound(x2, df, 0.95) / (n * df)) * root
    hi = math.sqrt(c_hat * _ncp_bound(x2, df, 0.05) / (n * df)) * root
    pclose = float(1.0 - special.chndtr(x2, df, n * df / c_hat * 0.05**2 / groups))
    return point, lo, hi, pclose


def incremental_indices(x2: float, df: float, b: float, b_df: float, c: float = 1.0,
                 cb: float = 1.0) -> tuple[float, float, float]:
    """CFI, TLI and RNI; with scaling factors ``c``/``cb`` the robust versions."""
    if math.isnan(x2 + b + c + cb):  # an undefined scaling factor (lavaan: NA)
        return math.nan, math.nan, math.nan
    t1, t2 = x2 - c * df, b - cb * b_df
    denom = max(t1, t2, 0.0)
    cfi = 1.0 if denom == 0 else 1.0 - max(t1, 0.0) / denom
    tli = 1.0 - (t1 * b_df) / (t2 * df) if df > 0 and t2 != 0 else 1.0
    rni = 1.0 - t1 / t2 if t2 != 0 else math.nan
    return cfi, tli, rni


def scaled_measures(model_test: ScaledTest, base_test: ScaledTest, T: float, df: float,
                    Tb: float, b_df: float, n: int, groups: int = 1) -> dict[str, float]:
    """Every ``*.scaled`` and ``*.robust`` fit measure lavaan prints for these tests."""
    out: dict[str, float] = {
        "chisq_scaled": model_test.stat, "df_scaled": model_test.df,
        "pvalue_scaled": model_test.pvalue, "chisq_scaling_factor": model_test.scaling_factor,
        "baseline_chisq_scaled": base_test.stat, "baseline_df_scaled": base_test.df,
        "baseline_pvalue_scaled": base_test.pvalue,
        "baseline_chisq_scaling_factor": base_test.scaling_factor,
    }
    if model_test.test == "scaled.shifted":
        out["chisq_shift"] = model_test.shift
    ts, tbs = model_test.stat, base_test.stat
    cfi, tli, rni = incremental_indices(ts, model_test.df, tbs, base_test.df)
    out.update(cfi_scaled=cfi, tli_scaled=tli, nnfi_scaled=tli, rni_scaled=rni)
    out["nfi_scaled"] = (tbs - ts) / tbs if tbs > 0 else math.nan
    out["ifi_scaled"] = (tbs - ts) / (tbs - df) if tbs != df else math.nan
    out["rfi_scaled"] = ((tbs / b_df - ts / df) / (tbs / b_df)) if df > 0 and b_df > 0 \
        else math.nan
    # robust: the unscaled statistics with the scaling factor as their expected value per df
    c, cb = _c_hat(model_test, df), _c_hat(base_test, b_df)
    cfi_r, tli_r, rni_r = incremental_indices(T, df, Tb, b_df, c, cb)
    out.update(cfi_robust=cfi_r, tli_robust=tli_r, nnfi_robust=tli_r, rni_robust=rni_r)
    # scaled RMSEA: for the scaled (not shifted) tests lavaan keeps T and puts tr(UG) as df
    if model_test.test == "scaled.shifted":
        xs, dfs = model_test.stat, df
    else:
        xs, dfs = T, model_test.scaling_factor * df
    (out["rmsea_scaled"], out["rmsea_ci_lower_scaled"], out["rmsea_ci_upper_scaled"],
     out["rmsea_pvalue_scaled"]) = rmsea_block(xs, dfs, n, groups=groups)
    point, _, _, _ = rmsea_block(T, df, n, c, groups)
    _, lo, hi, pclose = rmsea_block(model_test.stat, df, n, model_test.scaling_factor, groups)
    out.update(rmsea_robust=point, rmsea_ci_lower_robust=lo, rmsea_ci_upper_robust=hi,
               rmsea_pvalue_robust=pclose)
    return out


def _c_hat(t: ScaledTest, df: float) -> float:
    """The expected statistic per df: the scaling factor, or ``a (df - b) / df`` when shifted."""
    if t.test == "scaled.shifted":
        return t.scaling_factor * (df - t.shift) / df
    return t.scaling_factor


def apply(se: str, test: str, model: RAMModel, theta: np.ndarray, imp: Implied,
          X: np.ndarray, S: np.ndarray, mean: np.ndarray | None, fixed_x: np.ndarray,
          x_all: np.ndarray, measures: dict[str, float], weights: np.ndarray | None = None,
          con_jac: np.ndarray | None = None
          ) -> tuple[np.ndarray | None, dict[str, float], Moments]:
    """Robust standard errors and scaled tests of a complete-data ML fit.

    Returns the sandwich covariance of the estimates (``None`` when ``se`` is not robust), the
    fit measures with the scaled and robust ones added, and the :class:`Moments` they came
    from (kept on the result for scaled difference tests). ``weights``: sampling weights
    (summing to N) of the rows of ``X``; ``con_jac``: the Jacobian of the active nonlinear
    constraints at ``theta``.
    """
    n = X.shape[0]
    mom = moments(model, theta, imp, X, fixed_x, weights)
    mom.con_jac = con_jac
    needs_h0 = se == "robust.huber.white" or test == "yuan.bentler.mplus"
    H0 = observed_information(model, theta, S, mean) if needs_h0 else None
    vcov = robust_vcov(se, mom, H0, n) if se in ROBUST_SE else None
    if test in SCALED_TESTS:
        T, df = measures["chisq"], measures["df"]
        observed = se == "robust.huber.white"
        if observed and test == "yuan.bentler":
            d = X.mean(axis=0) - imp.mu if model.meanstructure else None
            mom = dataclasses.replace(mom, h1_observed=h1_observed_information(imp.sigma, S, d))
        model_test = scaled_test(test, T, df, mom, H0, observed)
        base = baseline_moments(S, mom, fixed_x, x_all)
        # at the baseline's estimate the observed and expected information coincide
        H0b = base.delta.T @ base.w @ base.delta
        base_test = scaled_test(test, measures["baseline_chisq"], measures["baseline_df"],
                                base, H0b, observed)
        measures = {**measures, **scaled_measures(
            model_test, base_test, T, df, measures["baseline_chisq"],
            measures["baseline_df"], n)}
    return vcov, measures, mom
