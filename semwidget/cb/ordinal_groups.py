"""Ordinal indicators with ``group=``: the configural model, as lavaan 0.6.14 fits it.

With nothing equal across groups each group has its own thresholds, polychorics and ``Gamma``,
and lavaan's identification (delta scale factors fixed at 1, intercepts and latent means 0) is
the single-group one, so the groups' fits are independent: the estimates and standard errors
are the groups' own, ``chisq = sum_g (n_g - 1) F_g`` (the single-group statistic, summed), and
the scaled tests and robust indices add the groups' traces (the block-diagonal ``U Gamma``).
RMSEA carries lavaan's ``sqrt(G)`` factor, SRMR and RMR are the groups' ``n_g / N``-weighted
values. Equality constraints across groups (``group_equal``, shared labels) change lavaan's
identification (free scale factors or residual variances and latent means in later groups) and
are refused by name.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd
from scipy.linalg import block_diag

from semwidget.cb import categorical as cat
from semwidget.cb import measures as fm
from semwidget.cb import robust
from semwidget.cb.ordinal import OrdinalFit, fit_ordinal_parts
from semwidget.cb.result import CBResult
from semwidget.distributions import chi2_sf
from semwidget.errors import ModelSpecError


def refuse_constrained(user: pd.DataFrame, group_equal: list[str],
                       group_partial: list[str]) -> None:
    """Refuse what makes ordinal groups depend on each other (not fitted yet), by name."""
    if group_equal:
        raise ModelSpecError(
            f"group_equal={list(group_equal)} with ordinal indicators is not supported yet "
            "(lavaan then frees the scale factors or residual variances and the latent means "
            "of the later groups); fit the configural model (no group_equal) or use ML/MLR",
            name="group_equal")
    if group_partial:
        raise ModelSpecError("group_partial= needs group_equal=, which is not supported "
                             "with ordinal indicators yet", name="group_partial")
    labelled = user[user["label"].astype(str) != ""]
    if len(labelled):
        r = labelled.iloc[0]
        raise ModelSpecError(
            f"the label '{r['label']}' ({r['lhs']} {r['op']} {r['rhs']}) would hold a "
            "parameter equal across groups; equality constraints with ordinal indicators and "
            "group= are not supported yet", name=str(r["label"]))


def fit_ordinal_groups(user: pd.DataFrame, labels: list[str], frames: list[pd.DataFrame],
                       ordered: list[str], *, estimator: str, se: str, test: str,
                       parameterization: str, std_lv: bool, orthogonal: bool,
                       options: dict[str, Any]) -> CBResult:
    """The configural ordinal fit over the groups ``labels`` (rows in ``frames``).

    Raises
    ------
    ModelSpecError
        As :func:`semwidget.cb.ordinal.fit_ordinal`, for any group.
    """
    parts: list[OrdinalFit] = []
    for lab, frame in zip(labels, frames, strict=True):
        try:
            parts.append(fit_ordinal_parts(
                user, frame, ordered, estimator=estimator, se=se, test=test,
                parameterization=parameterization, std_lv=std_lv, orthogonal=orthogonal,
                options=options))
        except ModelSpecError as err:
            raise ModelSpecError(f"group '{lab}': {err}") from err
    # each group's view is a single-group result, named by its group (FitResult.group)
    views = [dataclasses.replace(p.result, groups=[str(lab)])
             for lab, p in zip(labels, parts, strict=True)]
    how = cat.CATEGORICAL_ESTIMATORS[estimator][0]
    measures = _measures(parts, how, test)
    estimates, table = [], []
    offset = 0
    for g, (lab, v) in enumerate(zip(labels, views, strict=True)):
        estimates.append(v.estimates.assign(group=g + 1, group_label=str(lab)))
        t = v.table.assign(group=g + 1)
        free = t["free"].to_numpy().copy()
        free[free > 0] += offset
        t["free"] = free
        offset = int(max(offset, free.max()))
        table.append(t)
    warnings = [f"group '{lab}': {w}" for lab, v in zip(labels, views, strict=True)
                for w in v.warnings]
    vcov = None if any(v.vcov is None for v in views) else \
        block_diag(*[v.vcov for v in views])
    first = views[0]
    return CBResult(
        table=pd.concat(table, ignore_index=True),
        estimates=pd.concat(estimates, ignore_index=True), fit_measures=measures,
        r2={str(lab): v.r2 for lab, v in zip(labels, views, strict=True)}, warnings=warnings,
        nobs=int(sum(v.nobs for v in views)),
        sample_cov={str(lab): v.sample_cov for lab, v in zip(labels, views, strict=True)},
        implied_cov={str(lab): v.implied_cov for lab, v in zip(labels, views, strict=True)},
        sample_mean={str(lab): v.sample_mean for lab, v in zip(labels, views, strict=True)},
        implied_mean={str(lab): v.implied_mean for lab, v in zip(labels, views, strict=True)},
        estimator=first.estimator, missing=first.missing,
        converged=all(v.converged for v in views),
        iterations=max(v.iterations for v in views), model=first.model,
        theta=np.concatenate([v.theta for v in views]), vcov=vcov, options=options,
        data=None, groups=[str(lab) for lab in labels],
        nobs_per_group={str(lab): int(v.nobs) for lab, v in zip(labels, views, strict=True)},
        group_results=views)


def _measures(parts: list[OrdinalFit], how: str, test: str) -> dict[str, float]:
    """Fit measures of the whole (configural) model from the groups' pieces."""
    G = len(parts)
    n = sum(p.om.n for p in parts)
    each = [p.result.fit_measures for p in parts]
    chisq = sum(m["chisq"] for m in each)
    df = sum(m["df"] for m in each)
    b_chisq = sum(m["baseline_chisq"] for m in each)
    b_df = sum(m["baseline_df"] for m in each)
    npar = sum(m["npar"] for m in each)
    out: dict[str, float] = {"npar": npar, "ntotal": float(n), "chisq": chisq, "df": df}
    out["pvalue"] = float(chi2_sf(chisq, df)) if df > 0 else math.nan
    out["chisq_df"] = chisq / df if df > 0 else math.nan
    out["baseline_chisq"] = b_chisq
    out["baseline_df"] = b_df
    out["baseline_pvalue"] = float(chi2_sf(b_chisq, b_df)) if b_df > 0 else math.nan
    if how == "ULS":
        out["pvalue"] = out["baseline_pvalue"] = math.nan
    out.update(fm.incremental(chisq, df, b_chisq, b_df))
    out.update(_rmsea(chisq, df, n - G, G))
    for key in ("srmr", "rmr"):
        out[key] = sum(p.om.n * m[key] for p, m in zip(parts, each, strict=True)) / n
    if test in robust.SCALED_TESTS:
        rm = _stacked([p.rm for p in parts])
        base = _stacked([_baseline_moments(p) for p in parts])
        model_test = robust.scaled_test(test, chisq, df, rm, None)
        base_test = robust.scaled_test(test, b_chisq, b_df, base, None)
        scaled = robust.scaled_measures(model_test, base_test, chisq, df, b_chisq, b_df,
                                        n - G, groups=G)
        for key in [k for k in scaled if k.endswith("_robust")]:
            scaled.pop(key)
        out.update(scaled)
        out.update(_catml(parts, df, b_df, n - G, G))
    return out


def _rmsea(chisq: float, df: float, n: int, groups: int) -> dict[str, float]:
    point, lo, hi, pclose = robust.rmsea_block(chisq, df, n, 1.0, groups=groups)
    return {"rmsea": point, "rmsea_ci_lower": lo, "rmsea_ci_upper": hi,
            "rmsea_pvalue": pclose}


def _baseline_moments(p: OrdinalFit) -> robust.Moments:
    """The baseline's robust ingredients: thresholds (and numeric moments) free only."""
    k = len(p.om.vector)
    n_th = p.om.n_first
    Jb = cat.baseline_jacobian(k, n_th)
    return robust.Moments(Jb, p.rm.w, p.rm.w, p.om.gamma, np.zeros(k), p.rm.keep, p.om.gamma)


def _stacked(moms: list[robust.Moments]) -> robust.Moments:
    """Independent groups' ingredients as one block-diagonal set (traces add up)."""
    return robust.Moments(block_diag(*[m.delta for m in moms]), block_diag(*[m.w for m in moms]),
                          block_diag(*[m.w_sample for m in moms]),
                          block_diag(*[m.gamma for m in moms]),
                          np.concatenate([m.resid for m in moms]),
                          np.concatenate([m.keep for m in moms]),
                          block_diag(*[m.gamma_raw for m in moms]))


def _catml(parts: list[OrdinalFit], df: float, b_df: float, n: int,
           groups: int) -> dict[str, float]:
    """Robust CFI, TLI and RMSEA (cat-ML, Savalei 2021) over groups: ``T3`` and the traces
    summed over the groups; NA (as lavaan) with numeric variables or a matrix that is not
    positive definite."""
    if any(p.om.numeric_mask.any() for p in parts):
        return dict.fromkeys(cat.CATML_KEYS, math.nan)
    pieces = [cat.catml_parts(p.model, p.om, p.theta, p.rm, p.om.n_first) for p in parts]
    if any(x is None for x in pieces):
        return dict.fromkeys(cat.CATML_KEYS, math.nan)
    t3, t3_null, tr = (sum(x[i] for x in pieces if x is not None) for i in range(3))
    # lavaan's baseline trace takes each group's Gamma on the whole sample's scale (N / n_g);
    # the model's trace has the group weights cancel in U
    n_all = sum(p.om.n for p in parts)
    tr_null = sum(x[3] * n_all / p.om.n for x, p in zip(pieces, parts, strict=True)
                  if x is not None)
    return cat.catml_indices(t3, t3_null, tr, tr_null, df, b_df, n, groups)
