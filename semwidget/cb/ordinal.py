"""One fit with ordinal indicators, step by step (the categorical branch of the pipeline).

Sample thresholds and polychorics → the full table without intercepts, the ordinal residual
variances fixed (theta) or derived (delta) → least squares → standard errors and tests → the
result, with the threshold rows (``x | t1``) among the estimates.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb import categorical as cat
from semwidget.cb.assemble import assemble
from semwidget.cb.data import Moments, check_data
from semwidget.cb.estimate import CATEGORICAL_ESTIMATORS, Estimate
from semwidget.cb.polychoric import ordinal_moments
from semwidget.cb.polyserial import mixed_moments
from semwidget.cb.prepare import renumber_free, user_starts
from semwidget.cb.ram import RAMModel
from semwidget.cb.result import Z975, CBResult
from semwidget.distributions import norm_sf
from semwidget.errors import DataError, ModelSpecError
from semwidget.model.partable import build, observed_names


@dataclasses.dataclass
class OrdinalFit:
    """One ordinal fit and what a multigroup fit combines: the model, sample statistics,
    all parameters (RAM, then thresholds), the minimum and the robust ingredients."""

    result: CBResult
    model: cat.CategoricalModel
    om: Any
    theta: np.ndarray
    fmin: float
    rm: Any


def fit_ordinal(user: pd.DataFrame, data: pd.DataFrame, ordered: list[str], *, estimator: str,
                se: str, test: str, parameterization: str, std_lv: bool, orthogonal: bool,
                options: dict[str, Any]) -> CBResult:
    """Fit a model whose indicators include ordinal variables (WLSMV, DWLS, WLS, ULSMV, ULS).

    Numeric observed variables may be mixed in (polyserial and Pearson correlations, their
    means and variances in the first stage; :mod:`semwidget.cb.polyserial`).

    Raises
    ------
    ModelSpecError
        For what lavaan refuses or this engine does not fit (an exogenous observed
        covariate, intercepts of ordinal variables), naming it.
    """
    return fit_ordinal_parts(user, data, ordered, estimator=estimator, se=se, test=test,
                             parameterization=parameterization, std_lv=std_lv,
                             orthogonal=orthogonal, options=options).result


def fit_ordinal_parts(user: pd.DataFrame, data: pd.DataFrame, ordered: list[str], *,
                      estimator: str, se: str, test: str, parameterization: str,
                      std_lv: bool, orthogonal: bool, options: dict[str, Any]) -> OrdinalFit:
    """:func:`fit_ordinal`, with the pieces a multigroup fit needs (:class:`OrdinalFit`)."""
    how = CATEGORICAL_ESTIMATORS[estimator][0]
    if parameterization not in cat.PARAMETERIZATIONS:
        raise ModelSpecError(f"unknown parameterization={parameterization!r}: use 'delta' or "
                             "'theta'")
    core = user[~user["op"].isin(["|", "~*~"])].reset_index(drop=True)
    for r in user[user["op"] == "~*~"].itertuples(index=False):
        # one group: the scales of y* are fixed (1 under delta); writing them fixed is fine
        if r.lhs != r.rhs or int(r.free) != 0 or float(r.ustart) != 1.0:
            raise ModelSpecError(f"'{r.lhs} ~*~ {r.rhs}': scaling factors are fixed at 1 in a "
                                 f"single-group model; write '{r.lhs} ~*~ 1*{r.lhs}' or leave it "
                                 "out", name=str(r.lhs))
    probe = build(core, [str(c) for c in data.columns], std_lv=std_lv, orthogonal=orthogonal,
                  fixed_x=False, meanstructure=False)
    ov = observed_names(probe)
    continuous = [v for v in ov if v not in ordered]
    if len(continuous) == len(ov):
        raise ModelSpecError(f"none of the model's observed variables is ordered "
                             f"(ordered={list(ordered)}); fit continuous data with ML or MLR")
    mixed = bool(continuous)
    _refuse_covariates(probe, ov, continuous)
    ordinal_rows = core["op"].eq("~1") & core["lhs"].isin(ordered)
    if ordinal_rows.any():
        raise ModelSpecError("intercepts ('~ 1') of ordinal variables are fixed at 0; write "
                             "thresholds ('x | t1 + t2') instead", name=str(
                                 core.loc[ordinal_rows, "lhs"].iloc[0]))
    # with numeric variables their intercepts are parameters: lavaan's mean structure
    full = build(core, [str(c) for c in data.columns], std_lv=std_lv, orthogonal=orthogonal,
                 fixed_x=False, meanstructure=mixed) if mixed else probe
    frame = check_data(data, ov)  # names text, infinities or empty columns before anything
    X = frame.to_numpy(dtype=float)
    X = X[~np.isnan(X).any(axis=1)]
    if len(X) <= len(ov):
        raise DataError(f"the data have {len(X)} complete rows for {len(ov)} ordinal "
                        "variables; that is too few for polychoric correlations")
    is_ord = [v not in continuous for v in ov]
    om = mixed_moments(ov, X, is_ord) if mixed else ordinal_moments(ov, X)
    ord_names = [v for v in ov if v not in continuous]
    # The ordinal residual variances are not free: fixed at 1 (theta) or derived (delta);
    # the intercepts of ordinal variables are 0 (their thresholds carry the location).
    full = full.copy()
    is_res = (full["op"] == "~~") & (full["lhs"] == full["rhs"]) & full["lhs"].isin(ord_names)
    full.loc[is_res, "free"] = 0
    full.loc[is_res, "ustart"] = 1.0
    is_int = (full["op"] == "~1") & full["lhs"].isin(ord_names)
    full.loc[is_int, "free"] = 0
    full.loc[is_int, "ustart"] = 0.0
    full["free"] = renumber_free(full["free"].to_numpy())
    ram = RAMModel.from_table(full, ov, meanstructure=mixed)
    th = cat.threshold_rows(user, ov, om)
    model = cat.CategoricalModel(ram, th, [j for j, o in enumerate(is_ord) if o],
                                 parameterization)
    theta0 = cat.start(model, om, user_starts(full, ram))
    theta, fmin, converged, iterations = cat.fit(model, om, how, theta0)
    vcov, rm = cat.standard_errors(model, om, how, se, theta)
    measures = cat.fit_measures(model, om, how, test, theta, fmin, rm)
    t_ram, tau = model.split(theta)
    if parameterization == "delta":
        # write the derived residual variances into the table, so the implied covariance of
        # y* (unit diagonal) and the standardized solution come out of the usual path
        imp0 = ram.implied(t_ram)
        for v in ord_names:
            v_idx = ov.index(v)
            row = is_res & (full["lhs"] == v)
            full.loc[row, "ustart"] = 1.0 - (imp0.sigma[v_idx, v_idx] - 1.0)
        ram = RAMModel.from_table(full, ov, meanstructure=mixed)
    imp = ram.implied(t_ram)
    res = Estimate(t_ram, fmin, converged, iterations, vcov[: ram.n_par, : ram.n_par])
    mom = Moments(ov, om.n, om.cor, om.means if mixed else np.zeros(len(ov)), X)
    result = assemble(full, ram, res, imp, mom, measures, estimator, options, frame)
    result = dataclasses.replace(result, robust_moments=rm)
    result = with_thresholds(result, th, ov, tau, vcov[ram.n_par:, ram.n_par:], model,
                              ord_names)
    return OrdinalFit(result, model, om, theta, fmin, rm)


def _refuse_covariates(full: pd.DataFrame, ov: list[str], continuous: list[str]) -> None:
    """Exogenous observed covariates need lavaan's conditional.x treatment (probit and
    linear regressions in the first stage), which this engine does not fit: refuse by name."""
    predictors = set(full.loc[full["op"] == "~", "rhs"])
    outcomes = set(full.loc[full["op"] == "~", "lhs"]) | set(full.loc[full["op"] == "=~", "rhs"])
    exo = [v for v in ov if v in predictors and v not in outcomes]
    if exo:
        raise ModelSpecError(
            f"the observed covariate{'s' if len(exo) > 1 else ''} {', '.join(exo)} "
            f"{'are' if len(exo) > 1 else 'is'} exogenous: with ordered data lavaan conditions "
            "on such covariates (conditional.x), which this engine does not fit yet; make "
            f"{'them' if len(exo) > 1 else 'it'} the single indicator of a latent variable or "
            "fit without ordered=", name=exo[0])


def with_thresholds(result: CBResult, th: cat.Thresholds, ov: list[str], tau: np.ndarray,
                     vcov_th: np.ndarray, model: cat.CategoricalModel,
                     ord_names: list[str]) -> CBResult:
    """Add the ``x | t`` rows (after the rows the user wrote, as lavaan lists them), the
    scale factors of the ordinal variables and the fixed intercepts and latent means."""
    se = np.zeros(len(tau))
    se[th.free] = np.sqrt(np.clip(np.diag(vcov_th), 0.0, None))
    # thresholds on the y* scale: std.all divides by the implied SD (1 under delta)
    sd = np.sqrt(np.diag(result.implied_cov.to_numpy()))
    var = np.asarray(th.var)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, tau / se, np.nan)
    rows = pd.DataFrame({
        "lhs": [ov[v] for v in th.var], "op": "|", "rhs": [f"t{k + 1}" for k in th.k],
        "label": th.label, "est": tau, "se": se, "z": z,
        "pvalue": 2.0 * norm_sf(np.abs(z)),
        "ci_lower": tau - Z975 * se, "ci_upper": tau + Z975 * se,
        "std_lv": tau, "std_all": tau / sd[var],
    })
    est = result.estimates
    n_user = int((result.table["user"] == 1).sum())
    estimates = pd.concat([est.iloc[:n_user], rows, est.iloc[n_user:]], ignore_index=True)
    table_rows = rows.assign(user=0, free=np.where(th.free, 1, 0), ustart=np.where(
        th.free, math.nan, tau), freed=0, exo=0)
    # the fixed rows lavaan lists too: scale factors of y* (1/SD), intercepts and latent means
    scales = [1.0 / sd[ov.index(v)] for v in ord_names]
    # with numeric variables the intercept rows are in the table already (a mean structure)
    means = [] if model.ram.meanstructure else [*ov, *model.ram.names[model.ram.n_obs:]]
    fixed = pd.DataFrame({
        "lhs": [*ord_names, *means], "op": ["~*~"] * len(ord_names) + ["~1"] * len(means),
        "rhs": [*ord_names, *([""] * len(means))], "label": "",
        "est": [*scales, *np.zeros(len(means))], "se": 0.0, "z": np.nan,
        "pvalue": np.nan,
    })
    fixed["ci_lower"] = fixed["est"]
    fixed["ci_upper"] = fixed["est"]
    fixed["std_lv"] = fixed["est"]
    fixed["std_all"] = np.where(fixed["op"] == "~*~", 1.0, 0.0)
    estimates = pd.concat([estimates, fixed], ignore_index=True)
    table = pd.concat([result.table, table_rows,
                       fixed.assign(user=0, free=0, ustart=fixed["est"], freed=0, exo=0)],
                      ignore_index=True)
    if model.ram.meanstructure:
        # lavaan lists the intercepts and latent means after the scale factors
        for frame in ("estimates", "table"):
            f = estimates if frame == "estimates" else table
            is_mean = (f["op"] == "~1").to_numpy().copy()
            is_mean[: n_user] = False
            order = np.concatenate([np.flatnonzero(~is_mean), np.flatnonzero(is_mean)])
            if frame == "estimates":
                estimates = f.iloc[order].reset_index(drop=True)
            else:
                table = f.iloc[order].reset_index(drop=True)
    return dataclasses.replace(result, estimates=estimates, table=table)
