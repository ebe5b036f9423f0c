"""Ordinal indicators with ``group=``: the configural model, as lavaan 0.6.14 fits it.

With nothing equal across groups each group has its own thresholds, polychorics and ``Gamma``,
and lavaan's identification (delta scale factors fixed at 1, intercepts and latent means 0) is
the single-group one, so the groups' fits are independent: the estimates and standard errors
are the groups' own, ``chisq = sum_g (n_g - 1) F_g`` (the single-group statistic, summed), and
the scaled tests and robust indices add the groups' traces (the block-diagonal ``U Gamma``).
Fit measures: :mod:`semwidget.cb.ordinal_group_measures`. With ``group_equal``
holding thresholds and loadings equal the groups are fitted jointly
(:mod:`semwidget.cb.ordinal_invariance`); other equality sets and labels shared across
groups are refused by name.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb import categorical as cat
from semwidget.cb import robust
from semwidget.cb.blocks import block_diag
from semwidget.cb.estimate import CATEGORICAL_ESTIMATORS
from semwidget.cb.ordinal import OrdinalFit, fit_ordinal_parts
from semwidget.cb.ordinal_group_measures import GroupParts, group_measures, stacked
from semwidget.cb.ordinal_invariance import check_invariance, fit_ordinal_invariance
from semwidget.cb.result import CBResult
from semwidget.errors import ModelSpecError


def refuse_constrained(user: pd.DataFrame, group_equal: list[str],
                       group_partial: list[str]) -> None:
    """Refuse what makes ordinal groups depend on each other (not fitted yet), by name."""
    if group_equal:
        check_invariance(group_equal)
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
                       options: dict[str, Any], group_equal: list[str] | None = None
                       ) -> CBResult:
    """The ordinal fit over the groups ``labels`` (rows in ``frames``): configural, or with
    thresholds and loadings equal (:mod:`semwidget.cb.ordinal_invariance`).

    Raises
    ------
    ModelSpecError
        As :func:`semwidget.cb.ordinal.fit_ordinal`, for any group.
    """
    how = CATEGORICAL_ESTIMATORS[estimator][0]
    if group_equal:
        views, info = fit_ordinal_invariance(
            user, labels, frames, ordered, estimator=estimator, se=se, test=test,
            parameterization=parameterization, std_lv=std_lv, orthogonal=orthogonal,
            group_equal=group_equal, options=options)
        measures = group_measures(info.parts, info.chisq, info.npar, how, test, info.rm)
        if test in robust.SCALED_TESTS:
            # lavaan 0.6.14 gives NA for the cat-ML robust indices of this model
            measures.update(dict.fromkeys(cat.CATML_KEYS, math.nan))
        return _combined(labels, views, measures, options, info.vcov, info.theta,
                         shared=True)
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
    measures = _measures(parts, how, test)
    vcov = None if any(v.vcov is None for v in views) else \
        block_diag(*[v.vcov for v in views])
    return _combined(labels, views, measures, options, vcov,
                     np.concatenate([v.theta for v in views]))


def _combined(labels: list[str], views: list[CBResult], measures: dict[str, float],
              options: dict[str, Any], vcov: np.ndarray | None, theta: np.ndarray,
              shared: bool = False) -> CBResult:
    """One multigroup result from the groups' single-group views (``shared``: their free
    indices already number one parameter vector)."""
    estimates, table = [], []
    offset = 0
    for g, (lab, v) in enumerate(zip(labels, views, strict=True)):
        estimates.append(v.estimates.assign(group=g + 1, group_label=str(lab)))
        t = v.table.assign(group=g + 1)
        free = t["free"].to_numpy().copy()
        if not shared:
            free[free > 0] += offset
        t["free"] = free
        offset = int(max(offset, free.max()))
        table.append(t)
    warnings = [f"group '{lab}': {w}" for lab, v in zip(labels, views, strict=True)
                for w in v.warnings]
    first = views[0]
    if not all(v.converged for v in views) and not any("did not converge" in w
                                                       for w in warnings):
        warnings.insert(0, f"the optimizer did not converge after "
                           f"{max(v.iterations for v in views)} iterations; estimates are "
                           "not trustworthy")
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
        theta=theta, vcov=vcov, options=options,
        data=None, groups=[str(lab) for lab in labels],
        nobs_per_group={str(lab): int(v.nobs) for lab, v in zip(labels, views, strict=True)},
        group_results=views)


def _measures(parts: list[OrdinalFit], how: str, test: str) -> dict[str, float]:
    """Fit measures of the whole (configural) model from the groups' pieces."""
    pieces = [GroupParts(p.om, p.rm.w, p.model.implied(p.theta)[0]) for p in parts]
    out = group_measures(pieces, sum(p.result.fit_measures["chisq"] for p in parts),
                         sum(int(p.result.fit_measures["npar"]) for p in parts), how, test,
                         stacked([p.rm for p in parts]))
    if test in robust.SCALED_TESTS:
        out.update(_catml(parts, out["df"], out["baseline_df"],
                          int(out["ntotal"]) - len(parts), len(parts)))
    return out


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
