"""Fit measures of a multigroup ML model, with lavaan's rules for combining the groups.

- chi-square ``N F`` (the sum of the groups' ``n_g F_g``); df = all groups' moments - npar;
- the baseline model is the independence model fitted in every group; CFI, TLI, ... from
  the summed baseline chi-square and df;
- RMSEA uses the total N and is multiplied by ``sqrt(G)`` (its interval too), and the
  close-fit test's non-centrality is divided by ``G`` (Steiger's multigroup correction, as
  lavaan's ``fitMeasures``);
- SRMR, RMR and GFI are the ``n_g / N``-weighted means of the groups' values; AGFI counts the
  moments of every group;
- log-likelihoods add up; AIC and BIC use the total N.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special

from semwidget.cb.measures import (
    FIT_ORDER,
    baseline_complete,
    incremental,
    information_criteria,
    normal_loglik,
    residual_measures,
    rmsea_measures,
    vech_quadratic,
)
from semwidget.cb.multigroup import GroupData
from semwidget.cb.prepare import exo_names
from semwidget.cb.ram import Implied, RAMModel
from semwidget.distributions import chi2_sf

_WEIGHTED = ("srmr", "srmr_bentler", "srmr_bentler_nomean", "rmr", "rmr_nomean")


def rmsea_groups(chisq: float, df: int, n: int, g: int) -> dict[str, float]:
    """RMSEA with lavaan's multigroup correction (``sqrt(G)``; close-fit ncp over ``G``)."""
    out = rmsea_measures(chisq, df, n)
    if df <= 0:
        return out
    root = math.sqrt(g)
    for k in ("rmsea", "rmsea_ci_lower", "rmsea_ci_upper"):
        out[k] = out[k] * root
    out["rmsea_pvalue"] = float(1.0 - special.chndtr(chisq, df, n * df * 0.05**2 / g))
    return out


def gfi_group(S: np.ndarray, sigma: np.ndarray, mean: np.ndarray, mu: np.ndarray,
         is_x: np.ndarray) -> float:
    """One group's GFI: lavaan's WLS form with the ML weight (Sigma^-1 for the means).

    Fixed covariates are not modelled, so their moments (means too) stay out.
    """
    xi, y = np.flatnonzero(is_x), ~is_x
    inv = np.linalg.inv(sigma)
    resid, moments = S - sigma, S.copy()
    resid[np.ix_(xi, xi)] = 0.0
    moments[np.ix_(xi, xi)] = 0.0
    B = inv[np.ix_(y, y)]
    d, m = (mean - mu)[y], mean[y]
    num = vech_quadratic(resid, inv) + float(d @ B @ d)
    return 1.0 - num / (vech_quadratic(moments, inv) + float(m @ B @ m))


def group_fit_measures(models: Sequence[RAMModel], data: Sequence[GroupData],
                       imps: Sequence[Implied], subs: Sequence[pd.DataFrame], ov: list[str],
                       fmin: float, npar: int, df: int) -> dict[str, float]:
    """Every fit measure of a multigroup ML fit on complete data (lavaan's names)."""
    ng = np.array([d.n for d in data], dtype=float)
    n = int(ng.sum())
    w = ng / n
    G = len(data)
    out: dict[str, float] = {"npar": float(npar), "ntotal": float(n)}
    chisq = max(n * fmin, 0.0)
    out["chisq"] = chisq
    out["df"] = float(df)
    out["pvalue"] = float(chi2_sf(chisq, df)) if df > 0 else math.nan
    out["chisq_df"] = chisq / df if df > 0 else math.nan
    b_chisq, b_df = 0.0, 0
    for d, sub in zip(data, subs, strict=True):
        bc, bd = baseline_complete(d.S, d.n, "ML", sub, ov, None, means=True)
        b_chisq += bc
        b_df += bd
    out["baseline_chisq"] = b_chisq
    out["baseline_df"] = float(b_df)
    out["baseline_pvalue"] = float(chi2_sf(b_chisq, b_df)) if b_df > 0 else math.nan
    out.update(incremental(chisq, df, b_chisq, b_df))
    out.update(rmsea_groups(chisq, df, n, G))
    resid = [residual_measures(d.S, imp.sigma, d.mean, imp.mu)
             for d, imp in zip(data, imps, strict=True)]
    for k in _WEIGHTED:
        out[k] = float(sum(wg * r[k] for wg, r in zip(w, resid, strict=True)))
    xs = exo_names(subs[0])
    is_x = np.array([v in xs for v in ov])
    gfi = [gfi_group(d.S, imp.sigma, d.mean, imp.mu, is_x)
           for d, imp in zip(data, imps, strict=True)]
    out["gfi"] = float(np.dot(w, gfi))
    p = len(ov)
    nel = G * (p * (p + 1) // 2 + p)
    out["agfi"] = 1.0 - (nel / df) * (1.0 - out["gfi"]) if df > 0 else 1.0
    xi = np.flatnonzero(is_x)
    logl = unres = 0.0
    for d, imp in zip(data, imps, strict=True):
        # with fixed.x the likelihood is conditional on the covariates (their marginal dropped)
        Sx = d.S[np.ix_(xi, xi)]
        lx = normal_loglik(Sx, Sx, d.n) if len(xi) else 0.0
        logl += normal_loglik(d.S, imp.sigma, d.n, d.mean, imp.mu) - lx
        unres += normal_loglik(d.S, d.S, d.n) - lx
    out["logl"] = logl
    out["unrestricted_logl"] = unres
    out.update(information_criteria(logl, npar, n))
    return {k: out[k] for k in FIT_ORDER if k in out}
