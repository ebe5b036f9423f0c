"""ML, GLS and ULS on complete data (listwise), with simple bounds as an active set."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb import estimate as cbsem
from semwidget.cb import robust
from semwidget.cb.assemble import assemble
from semwidget.cb.data import Moments
from semwidget.cb.measures import complete_fit_measures
from semwidget.cb.prepare import (
    check_identified,
    exo_names,
    fill_exogenous,
    inequality_bounds,
    renumber_free,
    unidentified_error,
    user_starts,
    violated_bounds,
)
from semwidget.cb.ram import RAMModel
from semwidget.cb.result import CBResult
from semwidget.errors import ModelSpecError
from semwidget.model.partable import MODEL_OPS, count_moments, roles


def fit_complete(full: pd.DataFrame, ov: list[str], mom: Moments, est: str,
                 options: dict[str, Any], frame: pd.DataFrame | None = None) -> CBResult:
    """ML / GLS / ULS on complete data (listwise)."""
    ms = bool((full["op"] == "~1").any())
    if ms and est != "ML":
        raise ModelSpecError(f"intercepts ('~ 1') are estimated with ML; {est} fits the "
                             "covariances only")
    full = fill_exogenous(full, ov, mom.cov, mom.mean)
    model = RAMModel.from_table(full, ov, meanstructure=ms)
    nx = len(exo_names(full))
    n_mom = count_moments(len(ov), nx, ms)
    mean = mom.mean if ms else None
    check_identified(full, model.n_par, n_mom, model,
                     cbsem.start_values(model, mom.cov, user_starts(full, model)))
    # lavaan's least-squares estimators (GLS, ULS) fit the unbiased (N - 1) covariance matrix.
    S = mom.cov if est == "ML" else mom.cov * mom.n / (mom.n - 1.0)
    theta0 = cbsem.start_values(model, S, user_starts(full, model))
    W = None if est == "ML" else cbsem.wls_weight(S, est)
    n_par = model.n_par
    bounds = inequality_bounds(full)
    while True:
        if est == "ML":
            res = cbsem.fit_ml(model, S, mom.n, theta0, mean=mean)
        else:
            res = cbsem.fit_wls(model, S, mom.n, theta0, W)
        if res.vcov is None:
            raise unidentified_error(full, model, res.theta, S, est, W)
        active = violated_bounds(full, model, res.theta, bounds)
        if not active:
            break
        # Active-set step: a violated bound becomes an equality (as lavaan reports it: the
        # parameter sits on its bound with SE 0), then the rest is refitted.
        full = full.copy()
        for label, value in active.items():
            full.loc[(full["label"] == label) & full["op"].isin(MODEL_OPS), ["free", "ustart"]] = \
                (0, value)
            bounds.pop(label)
        full["free"] = renumber_free(full["free"].to_numpy())
        old_theta = dict(zip(model.table_index, model.values(res.theta), strict=True))
        model = RAMModel.from_table(full, ov, meanstructure=ms)
        theta0 = np.zeros(model.n_par)
        for pos, tix in enumerate(model.table_index):
            if model.pidx[pos] >= 0:
                theta0[model.pidx[pos]] = old_theta[tix]
    imp = model.implied(res.theta)
    df = n_mom - n_par
    measures = complete_fit_measures(S, imp.sigma, mom.n, est, res.fmin, n_par, df,
                                     full, ov, W, mean=mean, mu=imp.mu if ms else None)
    se, test = options.get("se", "standard"), options.get("test", "standard")
    if se in robust.ROBUST_SE or test in robust.SCALED_TESTS:
        if est != "ML":
            raise ModelSpecError(f"robust standard errors and scaled tests need ML (or MLR, "
                                 f"MLM, MLMV), not {est}")
        is_x = np.array([v in exo_names(full) for v in ov])
        is_ov_x = np.array([v in set(roles(full).ov_x) for v in ov])
        vcov, measures, robust_moments = robust.apply(se, test, model, res.theta, imp,
                                                      mom.data, S, mean, is_x, is_ov_x,
                                                      measures)
        if vcov is not None:
            res = dataclasses.replace(res, vcov=vcov)
        result = assemble(full, model, res, imp, mom, measures, est, options, frame)
        return dataclasses.replace(result, robust_moments=robust_moments)
    if est != "ML":
        mom = Moments(mom.names, mom.n, S, mom.mean, mom.data)
    return assemble(full, model, res, imp, mom, measures, est, options, frame)
