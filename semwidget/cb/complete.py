"""ML, GLS and ULS on complete data (listwise), with simple bounds as an active set."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb import estimate as cbsem
from semwidget.cb import robust
from semwidget.cb.assemble import assemble
from semwidget.cb.constraints import fit_constrained, read_constraints
from semwidget.cb.data import Moments
from semwidget.cb.information import ml_observed_vcov, refuse_with_robust
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
from semwidget.model.frame_arrays import column
from semwidget.model.partable import MODEL_OPS, count_moments, roles


def mean_starts(model: RAMModel, theta: np.ndarray, mean: np.ndarray,
                user: np.ndarray | None) -> np.ndarray:
    """Start free observed intercepts where the implied means meet the sample means.

    Intercepts left at 0 while covariates with non-zero means feed the latents (or the
    outcomes) start the scoring far from the optimum, and it can settle in a wrong local one.
    """
    theta = theta.copy()
    p = model.n_obs
    rows = [(f, i) for k, i, f in zip(model.kind, model.row_i, model.pidx, strict=True)
            if k == 2 and f >= 0 and i < p and (user is None or np.isnan(user[f]))]
    for _ in range(3):  # outcomes of outcomes: a few passes settle the chain
        mu = model.implied(theta).mu
        for f, i in rows:
            theta[f] += mean[i] - mu[i]
    return theta


def fit_complete(full: pd.DataFrame, ov: list[str], mom: Moments, est: str,
                 options: dict[str, Any], frame: pd.DataFrame | None = None, *,
                 ov_x: list[str] | None = None) -> CBResult:
    """ML / GLS / ULS on complete data (listwise).

    ``ov_x``: the table's observed covariates (``roles(full).ov_x``), when the caller has
    classified the variables already.
    """
    ov_x = roles(full).ov_x if ov_x is None else ov_x
    ms = bool((column(full, "op") == "~1").any())
    if ms and est != "ML":
        written = full.loc[(full["op"] == "~1") & (full["user"] == 1), "lhs"]
        asked = f"intercepts ('{written.iloc[0]} ~ 1')" if len(written) else \
            "a mean structure (meanstructure=True or kind='growth')"
        raise ModelSpecError(f"{asked} are estimated with ML; {est} fits the covariances "
                             "only")
    full = fill_exogenous(full, ov, mom.cov, mom.mean)
    model = RAMModel.from_table(full, ov, meanstructure=ms)
    exo = exo_names(full)
    n_mom = count_moments(len(ov), len(exo), ms)
    mean = mom.mean if ms else None
    cons = read_constraints(full, model)
    n_eq = cons.n_eq if cons is not None else 0
    starts = user_starts(full, model)
    if model.n_par - n_eq > n_mom:  # the only case check_identified looks at the starts
        check_identified(full, model.n_par - n_eq, n_mom, model,
                         cbsem.start_values(model, mom.cov, starts))
    # lavaan's least-squares estimators (GLS, ULS) fit the unbiased (N - 1) covariance matrix.
    S = mom.cov if est == "ML" else mom.cov * mom.n / (mom.n - 1.0)
    theta0 = cbsem.start_values(model, S, starts)
    if ms:
        theta0 = mean_starts(model, theta0, mom.mean, starts)
    W = None if est == "ML" else cbsem.wls_weight(S, est)
    n_par = model.n_par
    bounds = inequality_bounds(full)
    while True:
        if cons is not None:
            res = fit_constrained(model, S, mom.n, theta0, cons, est, W, mean)
        elif est == "ML":
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
        cons = read_constraints(full, model)
        theta0 = np.zeros(model.n_par)
        for pos, tix in enumerate(model.table_index):
            if model.pidx[pos] >= 0:
                theta0[model.pidx[pos]] = old_theta[tix]
    imp = model.implied(res.theta) if res.implied is None else res.implied
    # lavaan: each equality constraint is one parameter less (npar) and one df more
    df = n_mom - n_par + n_eq
    measures = complete_fit_measures(S, imp.sigma, mom.n, est, res.fmin, n_par - n_eq, df,
                                     full, ov, W, mean=mean, mu=imp.mu if ms else None,
                                     exo=exo, ov_x=ov_x, sigma_inv=res.sigma_inv)
    se, test = options.get("se", "standard"), options.get("test", "standard")
    information = options.get("information")
    refuse_with_robust(information, se, test, "expected", robust.ROBUST_SE,
                       robust.SCALED_TESTS)
    if information == "observed":
        if est != "ML":
            raise ModelSpecError(f"information='observed' is for ML; {est} uses the expected "
                                 "information", name="information")
        vcov = ml_observed_vcov(model, res.theta, S, mom.n, mean)
        if vcov is None:
            raise unidentified_error(full, model, res.theta, S, est, W)
        res = dataclasses.replace(res, vcov=vcov)
    if se in robust.ROBUST_SE or test in robust.SCALED_TESTS:
        if est != "ML":
            raise ModelSpecError(f"robust standard errors and scaled tests need ML (or MLR, "
                                 f"MLM, MLMV), not {est}")
        is_x = np.array([v in exo for v in ov])
        is_ov_x = np.array([v in set(ov_x) for v in ov])
        vcov, measures, robust_moments = robust.apply(se, test, model, res.theta, imp,
                                                      mom.data, S, mean, is_x, is_ov_x,
                                                      measures, weights=mom.weights,
                                                      con_jac=None if cons is None else
                                                      cons.active(res.theta))
        if vcov is not None:
            res = dataclasses.replace(res, vcov=vcov)
        result = assemble(full, model, res, imp, mom, measures, est, options, frame)
        return dataclasses.replace(result, robust_moments=robust_moments)
    if est != "ML":
        mom = Moments(mom.names, mom.n, S, mom.mean, mom.data)
    return assemble(full, model, res, imp, mom, measures, est, options, frame)
