"""Fit measures with lavaan's formulas and names (``.`` written ``_``).

References: lavaan's ``fitMeasures`` (Rosseel, 2012); Bentler (1990) CFI; Tucker & Lewis (1973)
TLI; Bentler & Bonett (1980) NFI; Bollen (1986, 1989) RFI, IFI; Steiger (1990) RMSEA and its
confidence interval; Jöreskog & Sörbom (1981) GFI/AGFI, computed as lavaan does from the
estimator's weight matrix.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
from scipy import special

from semwidget.cb import estimate as cbsem
from semwidget.cb import small_linalg
from semwidget.cb.prepare import exo_names
from semwidget.distributions import chi2_sf
from semwidget.model.partable import count_moments, roles

#: The order of :attr:`FitResult.fit_measures`, as lavaan's ``fitMeasures`` prints them.
FIT_ORDER = [
    "npar", "chisq", "df", "pvalue", "chisq_df", "baseline_chisq", "baseline_df",
    "baseline_pvalue", "cfi", "tli", "nnfi", "nfi", "rfi", "ifi", "rmsea", "rmsea_ci_lower",
    "rmsea_ci_upper", "rmsea_pvalue", "srmr", "srmr_bentler", "srmr_bentler_nomean", "rmr",
    "rmr_nomean", "gfi", "agfi", "logl", "unrestricted_logl", "aic", "bic", "bic2", "ntotal",
]


def _ncp_bound(chisq: float, df: int, prob: float) -> float:
    """Non-centrality ``lam`` with ``P(X <= chisq | df, lam) = prob`` (0 if not reachable)."""
    if df <= 0:
        return np.nan
    if special.chdtr(df, chisq) < prob:
        return 0.0
    return float(special.chndtrinc(chisq, df, prob))


def rmsea_measures(chisq: float, df: int, n: int) -> dict[str, float]:
    """RMSEA, its 90% confidence interval and the p-value of close fit (RMSEA <= .05)."""
    if df <= 0:
        zero = 0.0 if df == 0 else np.nan
        return {"rmsea": zero, "rmsea_ci_lower": zero, "rmsea_ci_upper": zero,
                "rmsea_pvalue": np.nan}
    rmsea = float(np.sqrt(max(chisq / n / df - 1.0 / n, 0.0)))
    lo = _ncp_bound(chisq, df, 0.95)
    hi = _ncp_bound(chisq, df, 0.05)
    ci_lo = float(np.sqrt(lo / (n * df))) if np.isfinite(lo) else np.nan
    ci_hi = float(np.sqrt(hi / (n * df))) if np.isfinite(hi) else np.nan
    pclose = float(1.0 - special.chndtr(chisq, df, n * df * 0.05**2))
    return {"rmsea": rmsea, "rmsea_ci_lower": ci_lo, "rmsea_ci_upper": ci_hi,
            "rmsea_pvalue": pclose}


def incremental(chisq: float, df: int, b_chisq: float, b_df: int) -> dict[str, float]:
    """CFI, TLI, NFI, RFI, IFI against the baseline (independence) model."""
    out: dict[str, float] = {}
    d = max(chisq - df, 0.0)
    db = max(b_chisq - b_df, 0.0)
    denom = max(d, db)
    out["cfi"] = 1.0 if denom == 0 else 1.0 - d / denom
    if df > 0 and b_df > 0:
        t1 = b_chisq / b_df
        t2 = chisq / df
        out["tli"] = (t1 - t2) / (t1 - 1.0) if t1 != 1.0 else np.nan
        # lavaan: 1 when the model's chi-square per df exceeds the baseline's
        out["rfi"] = (t1 - t2) / t1 if t1 > t2 else 1.0
    else:  # a saturated model fits perfectly; lavaan reports 1
        out["tli"] = 1.0
        out["rfi"] = 1.0
    out["nfi"] = (b_chisq - chisq) / b_chisq if b_chisq > 0 else np.nan
    out["ifi"] = (b_chisq - chisq) / (b_chisq - df) if b_chisq != df else np.nan
    out["nnfi"] = out["tli"]
    if df > b_df:
        # a model with more df than its baseline has no NFI/RFI (lavaan reports NA)
        out["nfi"] = out["rfi"] = np.nan
    return out


def residual_measures(S: np.ndarray, sigma: np.ndarray, m: np.ndarray | None = None,
                      mu: np.ndarray | None = None) -> dict[str, float]:
    """RMR and SRMR (Bentler: residuals scaled by the sample standard deviations).

    With a mean structure the mean residuals join the average, as lavaan's default ``srmr``.
    """
    p = S.shape[0]
    low = _lower_triangle(p)
    resid = S - sigma
    sd = np.sqrt(np.diag(S))
    cov_sq = resid.ravel()[low] ** 2
    std_sq = (resid / np.outer(sd, sd)).ravel()[low] ** 2
    out = {
        "rmr_nomean": float(np.sqrt(cov_sq.mean())),
        "srmr_bentler_nomean": float(np.sqrt(std_sq.mean())),
    }
    if m is not None and mu is not None:
        mres = m - mu
        out["rmr"] = float(np.sqrt((cov_sq.sum() + (mres**2).sum()) / (len(cov_sq) + p)))
        out["srmr_bentler"] = float(
            np.sqrt((std_sq.sum() + ((mres / sd) ** 2).sum()) / (len(std_sq) + p)))
    else:
        out["rmr"] = out["rmr_nomean"]
        out["srmr_bentler"] = out["srmr_bentler_nomean"]
    out["srmr"] = out["srmr_bentler"]
    return out


@functools.lru_cache(maxsize=64)
def _lower_triangle(p: int) -> np.ndarray:
    """Flat indices of the lower triangle of a p x p matrix, row by row (``np.tril_indices``),
    kept per size: every fit of p variables uses the same."""
    r, c = np.tril_indices(p)
    out = r * p + c
    out.flags.writeable = False
    return out


def gfi_measures(wls_obs: np.ndarray, wls_est: np.ndarray, W: np.ndarray, df: int,
                 nel: int | None = None) -> dict[str, float]:
    """GFI and AGFI from the estimator's weight matrix over the sample moments (as lavaan).

    ``nel`` is the number of sample moments AGFI divides by; lavaan counts every moment,
    covariates' included, even though GFI itself leaves fixed covariates out.
    """
    e = wls_obs - wls_est
    nel = len(wls_obs) if nel is None else nel
    return gfi_from_quadratics(float(e @ W @ e), float(wls_obs @ W @ wls_obs), df, nel)


def gfi_from_quadratics(num: float, den: float, df: int, nel: int) -> dict[str, float]:
    """GFI = 1 - e'We / s'Ws and AGFI from ``nel`` sample moments and ``df``."""
    gfi = 1.0 - num / den
    agfi = 1.0 - (nel / df) * (1.0 - gfi) if df > 0 else 1.0
    return {"gfi": gfi, "agfi": agfi}


def vech_quadratic(E: np.ndarray, A: np.ndarray | None) -> float:
    """``vech(E)' W vech(E)`` for lavaan's normal-theory weight, without forming ``W``.

    With ``W = 1/2 D'(A (x) A) D`` (``A`` = Sigma^-1 or S^-1) the quadratic form is
    ``1/2 tr((A E)^2)``: O(p^3) time and O(p^2) memory instead of a (p*)^2 matrix with
    p* = p(p+1)/2 (9 GB at p = 200). ``A=None`` is the identity weight of ULS: the sum of
    squares of the lower triangle.
    """
    if A is None:
        return 0.5 * float(np.sum(E * E) + np.sum(np.diag(E) ** 2))
    AE = A @ E
    return 0.5 * float(np.sum(AE * AE.T))


def information_criteria(logl: float, npar: int, n: int) -> dict[str, float]:
    """AIC, BIC and the sample-size adjusted BIC."""
    return {
        "aic": -2.0 * logl + 2.0 * npar,
        "bic": -2.0 * logl + npar * np.log(n),
        "bic2": -2.0 * logl + npar * np.log((n + 2.0) / 24.0),
    }


def normal_loglik(S: np.ndarray, sigma: np.ndarray, n: int,
                  m: np.ndarray | None = None, mu: np.ndarray | None = None,
                  inv: np.ndarray | None = None) -> float:
    """Multivariate normal log-likelihood of data summarised by (S, m) under (sigma, mu).

    ``inv``: ``sigma``'s inverse, when the caller has it.
    """
    p = S.shape[0]
    sign, logdet = small_linalg.slogdet(sigma)
    if sign <= 0:
        return np.nan
    inv = small_linalg.inv(sigma) if inv is None else inv
    tr = float(np.sum(S * inv))
    if m is not None and mu is not None:
        d = m - mu
        tr += float(d @ inv @ d)
    return -0.5 * n * (p * np.log(2 * np.pi) + logdet + tr)


def complete_fit_measures(S: np.ndarray, sigma: np.ndarray, n: int, est: str, fmin: float,
                          npar: int, df: int, full: pd.DataFrame, ov: list[str],
                          W: np.ndarray | None, mean: np.ndarray | None = None,
                          mu: np.ndarray | None = None, exo: set[str] | None = None,
                          ov_x: list[str] | None = None,
                          sigma_inv: np.ndarray | None = None) -> dict[str, float]:
    """Every fit measure for a complete-data fit, with lavaan's formulas.

    ``mean`` and ``mu`` (sample and implied means) are given when the model has a mean
    structure; then SRMR, GFI and the log-likelihood include the means, as in lavaan.
    ``exo`` (the fixed covariates, :func:`exo_names` of ``full``) and ``ov_x`` (its observed
    covariates, ``roles(full).ov_x``) save reading the table again; ``sigma_inv`` (the
    inverse of ``sigma``, as the ML fit left it) saves inverting it again.
    """
    xs = exo_names(full) if exo is None else exo
    out: dict[str, float] = {"npar": float(npar), "ntotal": float(n)}
    # lavaan scales least-squares statistics by N - 1 (they fit the unbiased covariance).
    chisq = n * fmin if est == "ML" else 2.0 * (n - 1) * fmin
    chisq = max(chisq, 0.0)
    out["chisq"] = chisq
    out["df"] = float(df)
    out["pvalue"] = float(chi2_sf(chisq, df)) if df > 0 else math.nan
    out["chisq_df"] = chisq / df if df > 0 else math.nan
    b_chisq, b_df = baseline_complete(S, n, est, full, ov, W, means=mean is not None,
                                      fixed=xs, ov_x=ov_x)
    out["baseline_chisq"] = b_chisq
    out["baseline_df"] = float(b_df)
    out["baseline_pvalue"] = float(chi2_sf(b_chisq, b_df)) if b_df > 0 else math.nan
    out.update(incremental(chisq, df, b_chisq, b_df))
    out.update(rmsea_measures(chisq, df, n if est == "ML" else n - 1))
    out.update(residual_measures(S, sigma, mean, mu))
    is_x = np.array([v in xs for v in ov])
    p = S.shape[0]
    # GFI's weight is the estimator's: Sigma^-1 (ML), S^-1 (GLS) or the identity (ULS).
    if est == "ML":
        A = np.linalg.inv(sigma) if sigma_inv is None else sigma_inv
    else:
        A = None if est == "ULS" else np.linalg.inv(S)
    # lavaan leaves the moments among fixed covariates out of the fit (they are not modelled).
    xi = np.flatnonzero(is_x)
    resid, moments = S - sigma, S.copy()
    if len(xi):
        resid[np.ix_(xi, xi)] = 0.0
        moments[np.ix_(xi, xi)] = 0.0
    num, den = vech_quadratic(resid, A), vech_quadratic(moments, A)
    nel = p * (p + 1) // 2
    if mean is not None and mu is not None:
        # the mean block is weighted by Sigma^-1, as lavaan's WLS.V for ML with means
        inv = A if est == "ML" else np.linalg.inv(sigma)
        # the fixed covariates' means are not modelled either (lavaan's weight is 0 there)
        k = ~is_x
        d, m, inv_k = (mean - mu)[k], mean[k], inv[np.ix_(k, k)]
        num, den = num + float(d @ inv_k @ d), den + float(m @ inv_k @ m)
        nel += p
    out.update(gfi_from_quadratics(num, den, df, nel))
    if est == "ML":
        # With fixed.x the likelihood is conditional on the covariates: drop their marginal part.
        xi = np.flatnonzero(is_x)
        lx = normal_loglik(S[np.ix_(xi, xi)], S[np.ix_(xi, xi)], n) if len(xi) else 0.0
        logl = normal_loglik(S, sigma, n, mean, mu, inv=A) - lx
        out["logl"] = logl
        out["unrestricted_logl"] = normal_loglik(S, S, n) - lx
        out.update(information_criteria(logl, npar, n))
    else:
        for k in ("logl", "unrestricted_logl", "aic", "bic", "bic2"):
            out[k] = math.nan
    return {k: out[k] for k in FIT_ORDER if k in out}


def baseline_complete(S: np.ndarray, n: int, est: str, full: pd.DataFrame, ov: list[str],
                      W: np.ndarray | None, means: bool = False,
                      fixed: set[str] | None = None, ov_x: list[str] | None = None
                      ) -> tuple[float, int]:
    """Chi-square and df of lavaan's baseline model: independent variables, fixed-x saturated.

    ``fixed`` (the fixed covariates, :func:`exo_names` of ``full``) and ``ov_x`` (the observed
    covariates, ``roles(full).ov_x``): when the caller has them.
    """
    fixed = exo_names(full) if fixed is None else fixed
    # the baseline keeps the covariates' block saturated, fixed or not (as lavaan does)
    xs = set(roles(full).ov_x if ov_x is None else ov_x)
    p = len(ov)
    is_x = np.array([v in xs for v in ov])
    nx = int(is_x.sum())
    nx_fixed = len(fixed)
    free_var = np.flatnonzero(~is_x)
    n_x_free = 0 if nx_fixed else nx * (nx + 1) // 2
    # with a mean structure the baseline's means are free (saturated): they add no misfit
    b_df = count_moments(p, nx_fixed, means) - len(free_var) - n_x_free
    if means:
        b_df -= len(free_var) + (0 if nx_fixed else nx)
    if est == "ML":
        sig = np.diag(np.diag(S))
        if nx:
            xi = np.flatnonzero(is_x)
            sig[np.ix_(xi, xi)] = S[np.ix_(xi, xi)]
        sign, logdet = small_linalg.slogdet(sig)
        _, logdet_s = small_linalg.slogdet(S)
        with np.errstate(invalid="ignore"):  # a singular sig is refused before any fit
            f = logdet + float(np.sum(S * small_linalg.inv(sig))) - logdet_s - p
        return n * f, b_df
    # GLS/ULS: the baseline is linear in its free variances, so solve the normal equations.
    r, c = cbsem.vech_indices(p)
    s = S[r, c]
    fixed = np.zeros_like(s)
    xi_mask = is_x[r] & is_x[c]
    fixed[xi_mask] = s[xi_mask]
    M = np.zeros((len(s), len(free_var)))
    for k, v in enumerate(free_var):
        M[(r == v) & (c == v), k] = 1.0
    assert W is not None
    d = np.linalg.solve(M.T @ W @ M, M.T @ W @ (s - fixed))
    e = s - fixed - M @ d
    return float((n - 1) * (e @ W @ e)), b_df
