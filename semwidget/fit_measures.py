"""Fit measures with lavaan's formulas and names (``.`` written ``_``).

References: lavaan's ``fitMeasures`` (Rosseel, 2012); Bentler (1990) CFI; Tucker & Lewis (1973)
TLI; Bentler & Bonett (1980) NFI; Bollen (1986, 1989) RFI, IFI; Steiger (1990) RMSEA and its
confidence interval; Jöreskog & Sörbom (1981) GFI/AGFI, computed as lavaan does from the
estimator's weight matrix.
"""

from __future__ import annotations

import numpy as np
from scipy import special


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
        out["rfi"] = (t1 - t2) / t1 if t1 != 0 else np.nan
    else:  # a saturated model fits perfectly; lavaan reports 1
        out["tli"] = 1.0
        out["rfi"] = 1.0
    out["nfi"] = (b_chisq - chisq) / b_chisq if b_chisq > 0 else np.nan
    out["ifi"] = (b_chisq - chisq) / (b_chisq - df) if b_chisq != df else np.nan
    out["nnfi"] = out["tli"]
    return out


def residual_measures(S: np.ndarray, sigma: np.ndarray, m: np.ndarray | None = None,
                      mu: np.ndarray | None = None) -> dict[str, float]:
    """RMR and SRMR (Bentler: residuals scaled by the sample standard deviations).

    With a mean structure the mean residuals join the average, as lavaan's default ``srmr``.
    """
    p = S.shape[0]
    r, c = np.tril_indices(p)
    resid = S - sigma
    sd = np.sqrt(np.diag(S))
    cov_sq = resid[r, c] ** 2
    std_sq = (resid / np.outer(sd, sd))[r, c] ** 2
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


def gfi_measures(wls_obs: np.ndarray, wls_est: np.ndarray, W: np.ndarray, df: int,
                 nel: int | None = None) -> dict[str, float]:
    """GFI and AGFI from the estimator's weight matrix over the sample moments (as lavaan).

    ``nel`` is the number of sample moments AGFI divides by; lavaan counts every moment,
    covariates' included, even though GFI itself leaves fixed covariates out.
    """
    e = wls_obs - wls_est
    gfi = 1.0 - float(e @ W @ e) / float(wls_obs @ W @ wls_obs)
    nel = len(wls_obs) if nel is None else nel
    agfi = 1.0 - (nel / df) * (1.0 - gfi) if df > 0 else 1.0
    return {"gfi": gfi, "agfi": agfi}


def information_criteria(logl: float, npar: int, n: int) -> dict[str, float]:
    """AIC, BIC and the sample-size adjusted BIC."""
    return {
        "aic": -2.0 * logl + 2.0 * npar,
        "bic": -2.0 * logl + npar * np.log(n),
        "bic2": -2.0 * logl + npar * np.log((n + 2.0) / 24.0),
    }


def normal_loglik(S: np.ndarray, sigma: np.ndarray, n: int,
                  m: np.ndarray | None = None, mu: np.ndarray | None = None) -> float:
    """Multivariate normal log-likelihood of data summarised by (S, m) under (sigma, mu)."""
    p = S.shape[0]
    sign, logdet = np.linalg.slogdet(sigma)
    if sign <= 0:
        return np.nan
    inv = np.linalg.inv(sigma)
    tr = float(np.sum(S * inv))
    if m is not None and mu is not None:
        d = m - mu
        tr += float(d @ inv @ d)
    return -0.5 * n * (p * np.log(2 * np.pi) + logdet + tr)
