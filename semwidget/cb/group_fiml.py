"""FIML over several groups: the groups' observed-data log-likelihoods add up.

Each group gets its own EM estimate of the unrestricted (h1) moments, as lavaan does; the
model's log-likelihood is the sum over groups and missing-data patterns, maximised from the
complete-data multigroup ML fit to the EM moments; standard errors come from the observed
information (the Hessian of the summed log-likelihood). Fit measures combine the groups as in
:mod:`semwidget.cb.group_measures` (chi-square, baseline, RMSEA with ``sqrt(G)``; SRMR and
GFI as ``n_g / N``-weighted means of the groups' values against their EM moments).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from semwidget.cb import estimate as cbsem
from semwidget.cb.data import Moments
from semwidget.cb.fiml import (
    em_saturated,
    fiml_fit_measures,
    loglik,
    minimize,
    patterns,
)
from semwidget.cb.fiml_kernels import information_gradient, total_gradient
from semwidget.cb.group_measures import rmsea_groups
from semwidget.cb.measures import FIT_ORDER, incremental, information_criteria
from semwidget.cb.multigroup import GroupData, fit_ml_groups
from semwidget.cb.prepare import exo_names, fill_exogenous
from semwidget.cb.ram import Implied, RAMModel
from semwidget.distributions import chi2_sf
from semwidget.model.partable import roles


def fiml_groups(full: pd.DataFrame, ov: list[str], rows: list[np.ndarray], moms: list[Moments],
                npar: int, theta_start: object
                ) -> tuple[pd.DataFrame, list[RAMModel], cbsem.Estimate, list[Implied],
                           dict[str, float], list[Moments]]:
    """Estimate a multigroup table by FIML.

    ``theta_start(full, models, data)`` gives start values (the caller's multigroup starts).

    Returns
    -------
    tuple
        The table with fixed-x values filled from the EM moments, the groups' RAM models, the
        estimate, the implied moments, the fit measures and the groups' EM (h1) moments.
    """
    p = len(ov)
    pats = [patterns(m.data) for m in moms]
    h1 = [em_saturated(pt, p, m.mean, np.diag(np.diag(m.cov))) for pt, m in zip(pats, moms,
                                                                                 strict=True)]
    full = full.copy()
    if (full["exo"] == 1).any():
        for g, (mu1, sig1, _) in enumerate(h1):
            mask = full["group"].to_numpy() == g + 1
            full.loc[mask, "ustart"] = fill_exogenous(full[mask], ov, sig1, mu1)[
                "ustart"].to_numpy()
    models = []
    for idx in rows:
        m = RAMModel.from_table(full.iloc[idx].reset_index(drop=True), ov, meanstructure=True)
        models.append(dataclasses.replace(m, n_par=npar))
    ns = np.array([m.n for m in moms], dtype=float)
    N = float(ns.sum())
    em_data = [GroupData(sig1, mu1, int(m.n)) for (mu1, sig1, _), m in zip(h1, moms,
                                                                           strict=True)]
    theta0 = theta_start(full, rows, models, em_data, npar)  # type: ignore[operator]
    theta0 = fit_ml_groups(models, em_data, theta0).theta

    def fobj(theta: np.ndarray) -> float:
        total = 0.0
        for m, pt in zip(models, pats, strict=True):
            imp = m.implied(theta)
            ll = loglik(pt, imp.sigma, imp.mu)
            if not np.isfinite(ll):
                return 1e10
            total += ll
        return -total / N

    def gobj(theta: np.ndarray) -> np.ndarray:
        return -sum(total_gradient(m, pt, theta) for m, pt in zip(models, pats, strict=True)
                    ) / N

    def hess_grad(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        parts = [information_gradient(m, pt, t) for m, pt in zip(models, pats, strict=True)]
        return sum(h for h, _ in parts) / N, -sum(g for _, g in parts) / N

    theta, H, nit, converged = minimize(fobj, gobj, hess_grad, theta0)
    vcov = cbsem._inverse(H * N)
    res = cbsem.Estimate(theta, fobj(theta), converged, nit, vcov)
    imps = [m.implied(theta) for m in models]
    measures = _measures(pats, moms, h1, imps, models, full, ov, npar)
    h1_moms = [Moments(m.names, m.n, sig1, mu1, m.data) for (mu1, sig1, _), m in zip(h1, moms,
                                                                                     strict=True)]
    return full, models, res, imps, measures, h1_moms


def _measures(pats: Sequence, moms: list[Moments], h1: list, imps: list[Implied],
              models: list[RAMModel], full: pd.DataFrame, ov: list[str], npar: int
              ) -> dict[str, float]:
    p = len(ov)
    G = len(moms)
    ns = np.array([m.n for m in moms], dtype=float)
    N = int(ns.sum())
    w = ns / N
    nx = int(len(set(full.loc[(full["exo"] == 1) & (full["op"] == "~~"), "lhs"])))
    per_group_moments = p * (p + 1) // 2 + p - (nx * (nx + 1) // 2 + nx)
    df = G * per_group_moments - npar
    ll0 = [loglik(pt, imp.sigma, imp.mu) for pt, imp in zip(pats, imps, strict=True)]
    ll1 = [h[2] for h in h1]
    # lavaan's conditional likelihood and baseline under fixed.x, group by group (cb.fiml)
    exo = exo_names(full)
    xi = [k for k, v in enumerate(ov) if v in exo]
    ov_x = set(roles(full).ov_x)
    free_x = [k for k, v in enumerate(ov) if v in ov_x and k not in xi]
    parts = [fiml_fit_measures(pt, int(m.n), p, a, b, npar, df, h[1], h[0], imp, nx,
                               X=m.data, xi=xi, free_x=free_x)
             for pt, m, a, b, h, imp in zip(pats, moms, ll0, ll1, h1, imps, strict=True)]
    out: dict[str, float] = {"npar": float(npar), "ntotal": float(N)}
    chisq = max(2.0 * (sum(ll1) - sum(ll0)), 0.0)
    out.update(chisq=chisq, df=float(df),
               pvalue=float(chi2_sf(chisq, df)) if df > 0 else math.nan,
               chisq_df=chisq / df if df > 0 else math.nan)
    b_chisq = float(sum(q["baseline_chisq"] for q in parts))
    b_df = int(sum(q["baseline_df"] for q in parts))
    out.update(baseline_chisq=b_chisq, baseline_df=float(b_df),
               baseline_pvalue=float(chi2_sf(b_chisq, b_df)))
    out.update(incremental(chisq, df, b_chisq, b_df))
    out.update(rmsea_groups(chisq, df, N, G))
    for k in ("srmr", "srmr_bentler", "srmr_bentler_nomean", "rmr", "rmr_nomean"):
        out[k] = float(sum(wg * q[k] for wg, q in zip(w, parts, strict=True)))
    # GFI as each group's FIML GFI (available-case moments, h1 information) weighted by
    # n_g / N; AGFI over every group's moments; the log-likelihoods are conditional on fixed
    # covariates, group by group (lavaan's definitions, see cb.fiml.fiml_fit_measures)
    out["gfi"] = float(sum(wg * q["gfi"] for wg, q in zip(w, parts, strict=True)))
    nel = G * (p * (p + 1) // 2 + p)
    out["agfi"] = 1.0 - (nel / df) * (1.0 - out["gfi"]) if df > 0 else 1.0
    out["logl"] = float(sum(q["logl"] for q in parts))
    out["unrestricted_logl"] = float(sum(q["unrestricted_logl"] for q in parts))
    out.update(information_criteria(out["logl"], npar, N))
    return {k: out[k] for k in FIT_ORDER if k in out}
