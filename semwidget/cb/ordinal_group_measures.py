"""Fit measures of an ordinal fit over groups, as lavaan 0.6.14 reports them.

``chisq`` is the whole model's ``sum_g (n_g - 1) e_g' W_g e_g``; the baseline's is the groups'
sum; scaled tests take their traces from the stacked (block-diagonal over groups) robust
ingredients; RMSEA uses ``N - G`` with lavaan's ``sqrt(G)`` factor; SRMR and RMR are the
groups' ``n_g / N``-weighted values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from semwidget.cb import categorical as cat
from semwidget.cb import measures as fm
from semwidget.cb import robust
from semwidget.cb.blocks import block_diag
from semwidget.cb.polychoric import OrdinalMoments
from semwidget.distributions import chi2_sf


@dataclass
class GroupParts:
    """One group's pieces: sample statistics, weight, implied moments, SRMR and RMR."""

    om: OrdinalMoments
    w: np.ndarray
    implied: np.ndarray


def baseline_moments(om: OrdinalMoments, W: np.ndarray) -> robust.Moments:
    """The baseline's robust ingredients: thresholds (and numeric moments) free only."""
    k = len(om.vector)
    Jb = cat.baseline_jacobian(k, om.n_first)
    return robust.Moments(Jb, W, W, om.gamma, np.zeros(k), np.ones(k, dtype=bool), om.gamma)


def stacked(moms: list[robust.Moments]) -> robust.Moments:
    """Independent groups' ingredients as one block-diagonal set (traces add up)."""
    return robust.Moments(block_diag(*[m.delta for m in moms]), block_diag(*[m.w for m in moms]),
                          block_diag(*[m.w_sample for m in moms]),
                          block_diag(*[m.gamma for m in moms]),
                          np.concatenate([m.resid for m in moms]),
                          np.concatenate([m.keep for m in moms]),
                          block_diag(*[m.gamma_raw for m in moms]))


def group_measures(parts: list[GroupParts], chisq: float, npar: int, how: str, test: str,
                   rm: robust.Moments | None) -> dict[str, float]:
    """Standard and (with a scaled ``test`` and the model's stacked ``rm``) scaled fit
    measures; the cat-ML robust indices are added by the caller."""
    G = len(parts)
    n = sum(p.om.n for p in parts)
    df = float(sum(len(p.om.vector) for p in parts) - npar)
    b_chisq = sum(cat.baseline_chisq(p.om, p.w) for p in parts)
    b_df = float(sum(len(p.om.vector) - p.om.n_first for p in parts))
    out: dict[str, float] = {"npar": float(npar), "ntotal": float(n), "chisq": chisq, "df": df}
    out["pvalue"] = float(chi2_sf(chisq, df)) if df > 0 else math.nan
    out["chisq_df"] = chisq / df if df > 0 else math.nan
    out["baseline_chisq"] = b_chisq
    out["baseline_df"] = b_df
    out["baseline_pvalue"] = float(chi2_sf(b_chisq, b_df)) if b_df > 0 else math.nan
    if how == "ULS":
        out["pvalue"] = out["baseline_pvalue"] = math.nan
    out.update(fm.incremental(chisq, df, b_chisq, b_df))
    point, lo, hi, pclose = robust.rmsea_block(chisq, df, n - G, 1.0, groups=G)
    out.update(rmsea=point, rmsea_ci_lower=lo, rmsea_ci_upper=hi, rmsea_pvalue=pclose)
    res = [cat.residual_measures(p.om, p.implied) for p in parts]
    for key in ("srmr", "rmr"):
        out[key] = sum(p.om.n * r[key] for p, r in zip(parts, res, strict=True)) / n
    if test in robust.SCALED_TESTS and rm is not None:
        base = stacked([baseline_moments(p.om, p.w) for p in parts])
        model_test = robust.scaled_test(test, chisq, df, rm, None)
        base_test = robust.scaled_test(test, b_chisq, b_df, base, None)
        scaled = robust.scaled_measures(model_test, base_test, chisq, df, b_chisq, b_df,
                                        n - G, groups=G)
        out.update({k: v for k, v in scaled.items() if not k.endswith("_robust")})
    return out
