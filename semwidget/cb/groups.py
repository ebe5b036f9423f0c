"""A CB-SEM fit over several groups (lavaan's ``group =``), step by step.

The data are split by the grouping column (groups in order of first appearance, as lavaan
orders them), the full table is built with a ``group`` column, each group gets its own RAM
model over one shared parameter vector, and the result carries the estimates of every group
(``group``, ``group_label``), fit measures of the whole model, R² by group and one
single-group view per group (``group_results``) for the per-group tables.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb import estimate as cbsem
from semwidget.cb import robust, robust_fiml
from semwidget.cb.assemble import model_warnings, r_squared, standardized
from semwidget.cb.constraints import fit_groups_constrained as fit_constrained_groups
from semwidget.cb.constraints import general_rows, read_constraints
from semwidget.cb.data import Moments, check_data, moments
from semwidget.cb.fiml import drop_missing_covariates
from semwidget.cb.group_fiml import fiml_groups
from semwidget.cb.group_measures import group_fit_measures
from semwidget.cb.group_robust import robust_groups
from semwidget.cb.group_wls import LSData, fit_ls_groups, ls_fit_measures
from semwidget.cb.multigroup import GroupData, fit_ml_groups
from semwidget.cb.prepare import (
    check_identified,
    exo_names,
    fill_exogenous,
    inequality_bounds,
    unidentified_message,
    user_starts,
)
from semwidget.cb.ram import Implied, RAMModel
from semwidget.cb.result import ESTIMATE_COLUMNS, Z975, CBResult
from semwidget.cb.sample_stats import SummaryData
from semwidget.distributions import norm_sf
from semwidget.errors import DataError, ModelSpecError
from semwidget.model.defined import compile_expression
from semwidget.model.frame_arrays import column_arrays
from semwidget.model.partable import build, count_moments, observed_names, user_table

GROUP_COLUMNS = [*ESTIMATE_COLUMNS, "group", "group_label"]


def split_groups(data: pd.DataFrame, group: str) -> tuple[list[Any], list[pd.DataFrame]]:
    """The groups' values (first-appearance order) and their rows.

    Raises
    ------
    DataError
        If ``group`` is not a column, has missing values, or has fewer than two values.
    """
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    if group not in data.columns:
        raise DataError(f"the grouping variable '{group}' is not a column of the data",
                        column=str(group))
    col = data[group]
    if col.isna().any():
        raise DataError(f"the grouping variable '{group}' has {int(col.isna().sum())} missing "
                        "value(s); drop or recode those rows", column=str(group))
    values = list(dict.fromkeys(col.tolist()))
    if len(values) < 2:
        raise DataError(f"the grouping variable '{group}' has a single value "
                        f"({values[0]!r}); a multigroup fit needs two or more",
                        column=str(group))
    return values, [data[col == v] for v in values]


def fit_groups(model: str | pd.DataFrame, data: pd.DataFrame, *, group: str,
               group_equal: list[str], group_partial: list[str], estimator: str = "ML",
               missing: str = "listwise", std_lv: bool = False, orthogonal: bool = False,
               fixed_x: bool = True, se: str = "standard", test: str = "standard",
               summary: SummaryData | None = None, keep_x: bool = False) -> CBResult:
    """Fit one model to several groups at once (checked options, see :func:`semwidget.fit`).

    Under FIML with fixed covariates the rows missing a covariate are dropped in each group
    (lavaan's ``missing="ml"``) unless ``keep_x`` (``missing="fiml.x"``).

    With ``summary`` (sample_cov= as a list) the groups' moments replace ``data``.
    """
    user = user_table(model)
    if summary is None:
        values, parts = split_groups(data, group)
        labels = [str(v) for v in values]
        columns = [str(c) for c in data.columns if c != group]
    else:
        labels = list(summary.labels)
        values, parts, columns = labels, [], summary.names
    full = build(user, columns, std_lv=std_lv, orthogonal=orthogonal, fixed_x=fixed_x,
                 meanstructure=True, groups=len(values), group_equal=group_equal,
                 group_partial=group_partial)
    if inequality_bounds(full):
        raise ModelSpecError("inequality constraints ('<', '>') with group= are not "
                             "supported yet")
    ov = observed_names(full)
    dropped: list[str] = []
    if summary is None:
        frames: list[pd.DataFrame | None] = [check_data(p, ov) for p in parts]
        if missing == "fiml" and fixed_x and not keep_x:
            exo = set(exo_names(full))
            for g, f in enumerate(frames):
                assert f is not None
                frames[g], gone = drop_missing_covariates(f, exo)
                dropped += [f"group {labels[g]!r}: {w}" for w in gone]
        moms = [moments(f, missing) for f in frames]
    else:
        frames, moms = [None] * len(labels), summary.moments(ov)
    npar = int(full["free"].max()) if (full["free"] > 0).any() else 0
    rows = [np.flatnonzero(full["group"].to_numpy() == g + 1) for g in range(len(values))]
    nx = len(exo_names(full))
    n_mom = len(values) * count_moments(len(ov), nx, True)
    check_identified(full, npar, n_mom)
    options = {"estimator": estimator, "missing": missing, "std_lv": std_lv,
               "orthogonal": orthogonal, "fixed_x": fixed_x, "group": group,
               "group_equal": list(group_equal), "group_partial": list(group_partial),
               "se": se, "test": test}
    if missing == "fiml":
        full, models, res, imps, measures, moms = fiml_groups(full, ov, rows, moms, npar,
                                                              _starts)
        if res.vcov is None:
            raise ModelSpecError(unidentified_message(
                full.iloc[rows[0]].reset_index(drop=True), models[0], res.theta,
                moms[0].cov, "ML", None))
        if se in robust.ROBUST_SE or test in robust.SCALED_TESTS:
            # MLR: the observed information per case is the inverse of N times vcov
            H = np.linalg.inv(res.vcov) / sum(m.n for m in moms)
            vcov_r, measures = robust_fiml.apply_groups(
                se, test, models, res.theta, imps, [m.data for m in moms], H,
                [(m.cov, m.mean) for m in moms], measures,
                xi=[k for k, v in enumerate(ov) if v in set(exo_names(full))])
            if vcov_r is not None:
                res = dataclasses.replace(res, vcov=vcov_r)
        out = _assemble(full, rows, models, imps, res, moms, frames, measures, labels, options)
        out.warnings[:0] = dropped
        return out
    full = _fill_exogenous(full, ov, moms)
    models = []
    for idx in rows:
        sub = full.iloc[idx].reset_index(drop=True)
        m = RAMModel.from_table(sub, ov, meanstructure=True)
        models.append(dataclasses.replace(m, n_par=npar))
    data_g = [GroupData(m.cov, m.mean, m.n) for m in moms]
    theta0 = _starts(full, rows, models, data_g, npar)
    # general (nonlinear) constraints: the same objective, minimised under them
    cons = read_constraints(full, RAMModel.from_table(full, ov, meanstructure=True)) \
        if general_rows(full) else None
    if cons is not None:
        if estimator != "ML":
            raise ModelSpecError(f"nonlinear constraints with group= need estimator='ML', "
                                 f"not {estimator}")
        res = fit_constrained_groups(models, data_g, fit_ml_groups(models, data_g, theta0)
                                     .theta, cons)
        npar -= cons.n_eq  # lavaan: one parameter less (and so one df more) per equality
    else:
        res = fit_ml_groups(models, data_g, theta0)
    if group_equal and cons is None:
        # Equality constraints can give the likelihood several optima (as with equal
        # intercepts and free loadings): also start from the configural fit, keep the best.
        other = _configural_start(user, columns, full, rows, ov, data_g, theta0,
                                  std_lv=std_lv, orthogonal=orthogonal, fixed_x=fixed_x,
                                  groups=len(values))
        if other is not None:
            alt = fit_ml_groups(models, data_g, other)
            if alt.converged and alt.vcov is not None and alt.fmin < res.fmin - 1e-9:
                res = alt
    if res.vcov is None:
        sub = full.iloc[rows[0]].reset_index(drop=True)
        raise ModelSpecError(unidentified_message(sub, models[0], res.theta, moms[0].cov,
                                                  "ML", None))
    imps = [m.implied(res.theta) for m in models]
    df = n_mom - npar
    subs = [full.iloc[idx].reset_index(drop=True) for idx in rows]
    if estimator != "ML":
        # GLS/ULS fit the unbiased covariances, started from the ML estimate
        ls = [LSData(m.cov * m.n / (m.n - 1.0), m.mean, m.n, estimator) for m in moms]
        res = fit_ls_groups(models, ls, res.theta)
        if res.vcov is None:
            raise ModelSpecError(unidentified_message(subs[0], models[0], res.theta,
                                                      ls[0].S, estimator, ls[0].Wc))
        imps = [m.implied(res.theta) for m in models]
        measures = ls_fit_measures(models, ls, imps, subs, ov, res.fmin, npar, df, estimator)
        moms = [Moments(m.names, m.n, d.S, m.mean, m.data) for m, d in zip(moms, ls,
                                                                         strict=True)]
    else:
        measures = group_fit_measures(models, data_g, imps, subs, ov, res.fmin, npar, df)
        if se in robust.ROBUST_SE or test in robust.SCALED_TESTS:
            vcov, measures, rm = robust_groups(se, test, models, res.theta, imps,
                                               [m.data for m in moms], data_g, subs, ov,
                                               measures)
            if vcov is not None:
                res = dataclasses.replace(res, vcov=vcov)
            out = _assemble(full, rows, models, imps, res, moms, frames, measures, labels,
                            options)
            return dataclasses.replace(out, robust_moments=rm)
    return _assemble(full, rows, models, imps, res, moms, frames, measures, labels, options)


def _configural_start(user: pd.DataFrame, columns: list[str], full: pd.DataFrame,
                      rows: list[np.ndarray], ov: list[str], data: list[GroupData],
                      theta0: np.ndarray, *, std_lv: bool, orthogonal: bool, fixed_x: bool,
                      groups: int) -> np.ndarray | None:
    """Start values from the configural model: a tied parameter starts at its rows' mean.

    Returns None when the configural model cannot be fitted (then only the usual starts are
    used; the constrained fit reports its own problems).
    """
    conf = build(user, columns, std_lv=std_lv, orthogonal=orthogonal, fixed_x=fixed_x,
                 meanstructure=True, groups=groups)
    if len(conf) != len(full):
        return None
    conf = conf.copy()
    conf["ustart"] = np.where(full["exo"].to_numpy() == 1, full["ustart"].to_numpy(),
                              conf["ustart"].to_numpy())
    q = int(conf["free"].max()) if (conf["free"] > 0).any() else 0
    models = []
    for idx in rows:
        m = RAMModel.from_table(conf.iloc[idx].reset_index(drop=True), ov, meanstructure=True)
        models.append(dataclasses.replace(m, n_par=q))
    try:
        res = fit_ml_groups(models, data, _starts(conf, rows, models, data, q))
    except (np.linalg.LinAlgError, ModelSpecError):
        return None
    if not res.converged:
        return None
    sums = np.zeros(len(theta0))
    counts = np.zeros(len(theta0))
    free = full["free"].to_numpy()
    for idx, m in zip(rows, models, strict=True):
        vals = m.values(res.theta)
        for pos, tix in enumerate(m.table_index):
            f = free[idx[tix]]
            if f > 0 and m.pidx[pos] >= 0:
                sums[f - 1] += vals[pos]
                counts[f - 1] += 1
    return np.where(counts > 0, sums / np.maximum(counts, 1), theta0)


def _fill_exogenous(full: pd.DataFrame, ov: list[str], moms: list[Moments]) -> pd.DataFrame:
    """Fixed-x covariates take each group's own sample moments."""
    if not (full["exo"] == 1).any():
        return full
    full = full.copy()
    for g, mom in enumerate(moms):
        mask = full["group"].to_numpy() == g + 1
        filled = fill_exogenous(full[mask], ov, mom.cov, mom.mean)
        full.loc[mask, "ustart"] = filled["ustart"].to_numpy()
    return full


def _starts(full: pd.DataFrame, rows: list[np.ndarray], models: list[RAMModel],
            data: list[GroupData], npar: int) -> np.ndarray:
    """Start values of each group's model; a shared parameter takes its first group's."""
    theta = np.zeros(npar)
    done = np.zeros(npar, dtype=bool)
    for idx, m, d in zip(rows, models, data, strict=True):
        sub = full.iloc[idx].reset_index(drop=True)
        given = user_starts(sub, m)
        th = cbsem.start_values(m, d.S, given)
        p = m.n_obs
        # observed intercepts start at the group's means, latent means at 0
        for k, i, f in zip(m.kind, m.row_i, m.pidx, strict=True):
            if k == 2 and f >= 0 and i < p and np.isnan(given[f]):
                th[f] = d.mean[i]
        present = np.unique(m.pidx[m.pidx >= 0])
        new = present[~done[present]]
        theta[new] = th[new]
        done[new] = True
    return theta


def _assemble(full: pd.DataFrame, rows: list[np.ndarray], models: list[RAMModel],
              imps: list[Implied], res: cbsem.Estimate, moms: list[Moments],
              frames: list[pd.DataFrame], measures: dict[str, float], labels: list[str],
              options: dict[str, Any]) -> CBResult:
    n_rows = len(full)
    est_col = np.full(n_rows, np.nan)
    se_col = np.full(n_rows, np.nan)
    lv_col = np.full(n_rows, np.nan)
    all_col = np.full(n_rows, np.nan)
    se_par = np.sqrt(np.clip(np.diag(res.vcov), 0.0, None)) if res.vcov is not None else None
    per_group: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for idx, m, imp in zip(rows, models, imps, strict=True):
        values = m.values(res.theta)
        lv, al = standardized(m, imp, values)
        where = idx[m.table_index]
        est_col[where] = values
        se = np.zeros(len(values))
        free = m.pidx >= 0
        se[free] = se_par[m.pidx[free]] if se_par is not None else np.nan
        se_col[where] = se
        lv_col[where] = lv
        all_col[where] = al
        per_group.append((values, lv, al))
    for i, (e, s, l_, a) in _defined(full, rows, models, res, per_group).items():
        est_col[i], se_col[i], lv_col[i], all_col[i] = e, s, l_, a
    ops = full["op"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se_col > 0, est_col / se_col, np.nan)
    pval = 2.0 * norm_sf(np.abs(z))
    is_fixed = (full["free"].to_numpy() == 0) & (ops != ":=")
    cols = column_arrays(full)
    cols.update(est=est_col, se=np.where(is_fixed, 0.0, se_col), z=z, pvalue=pval,
                ci_lower=np.where(is_fixed, est_col, est_col - Z975 * se_col),
                ci_upper=np.where(is_fixed, est_col, est_col + Z975 * se_col),
                std_lv=lv_col, std_all=all_col)
    gcol = full["group"].to_numpy()
    cols["group_label"] = np.array([labels[g - 1] if g > 0 else "" for g in gcol], dtype=object)
    table = pd.DataFrame(cols)
    keep = np.isin(ops, ["=~", "~", "~~", "~1", ":="])
    estimates = pd.DataFrame({c: cols[c][keep] for c in GROUP_COLUMNS}).reset_index(drop=True)
    names = models[0].names[: models[0].n_obs]
    warnings: list[str] = []
    views: list[CBResult] = []
    r2: dict[str, dict[str, float]] = {}
    for g, (idx, m, imp, mom, frame) in enumerate(zip(rows, models, imps, moms, frames,
                                                      strict=True)):
        lab = labels[g]
        r2[lab] = r_squared(m, imp)
        found = model_warnings(m, imp, dataclasses.replace(res, converged=True))
        warnings += [f"group '{lab}': {w}" for w in found]
        sub = table.iloc[idx].reset_index(drop=True)
        views.append(CBResult(
            table=sub, estimates=estimates[estimates["group"] == g + 1].reset_index(drop=True),
            fit_measures=measures, r2=r2[lab], warnings=[], nobs=mom.n,
            sample_cov=pd.DataFrame(mom.cov, index=names, columns=names),
            implied_cov=pd.DataFrame(imp.sigma, index=names, columns=names),
            sample_mean=pd.Series(mom.mean, index=names),
            implied_mean=pd.Series(imp.mu, index=names),
            estimator=options["estimator"], missing=options["missing"],
            converged=res.converged,
            iterations=res.iterations, model=m, theta=res.theta, vcov=res.vcov,
            options=options, data=frame, groups=[lab]))
    if not res.converged:
        warnings.insert(0, f"the optimizer did not converge after {res.iterations} "
                           "iterations; estimates are not trustworthy")
    return CBResult(
        table=table, estimates=estimates, fit_measures=measures, r2=r2, warnings=warnings,
        nobs=int(sum(m.n for m in moms)),
        sample_cov={v.groups[0]: v.sample_cov for v in views},
        implied_cov={v.groups[0]: v.implied_cov for v in views},
        sample_mean={v.groups[0]: v.sample_mean for v in views},
        implied_mean={v.groups[0]: v.implied_mean for v in views},
        estimator=options["estimator"], missing=options["missing"], converged=res.converged,
        iterations=res.iterations, model=models[0], theta=res.theta, vcov=res.vcov,
        options=options, data=None, groups=labels,
        nobs_per_group={lab: int(m.n) for lab, m in zip(labels, moms, strict=True)},
        group_results=views)


def _defined(full: pd.DataFrame, rows: list[np.ndarray], models: list[RAMModel],
             res: cbsem.Estimate, per_group: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
             ) -> dict[int, tuple[float, float, float, float]]:
    """``:=`` rows over labels of any group: estimate, delta-method SE, std.lv, std.all."""
    if not (full["op"].to_numpy() == ":=").any():
        return {}
    labelled, funcs = _defined_setup(full, rows, models)

    def evaluate(which: int, theta: np.ndarray | None = None) -> dict[str, float]:
        env: dict[str, float] = {}
        for lab, (g, pos) in labelled.items():
            vals = per_group[g][which] if theta is None else models[g].values(theta)
            env[lab] = float(vals[pos])
        for _, name, fn in funcs:
            env[name] = fn(env)
        return env

    base, lv, al = evaluate(0), evaluate(1), evaluate(2)
    q = len(res.theta)
    grads = np.zeros((len(funcs), q))
    for k in range(q):
        h = 1e-6 * max(1.0, abs(res.theta[k]))
        tp, tm = res.theta.copy(), res.theta.copy()
        tp[k] += h
        tm[k] -= h
        ep, em = evaluate(0, tp), evaluate(0, tm)
        for r, (_, name, _) in enumerate(funcs):
            grads[r, k] = (ep[name] - em[name]) / (2 * h)
    out = {}
    for r, (tix, name, _) in enumerate(funcs):
        se = math.nan
        if res.vcov is not None:
            se = float(np.sqrt(max(grads[r] @ res.vcov @ grads[r], 0.0)))
        out[int(tix)] = (base[name], se, lv[name], al[name])
    return out


def _defined_setup(full: pd.DataFrame, rows: list[np.ndarray], models: list[RAMModel]
                   ) -> tuple[dict[str, tuple[int, int]], list[tuple[int, str, Any]]]:
    """Labels → (group, model row) of their first row; the compiled ``:=`` rows in order."""
    labelled: dict[str, tuple[int, int]] = {}
    lab_col = full["label"].to_numpy()
    for g, (idx, m) in enumerate(zip(rows, models, strict=True)):
        for pos, tix in enumerate(m.table_index):
            lab = lab_col[idx[tix]]
            if lab:
                labelled.setdefault(lab, (g, pos))
    funcs = []
    known = set(labelled)
    for tix in np.flatnonzero(full["op"].to_numpy() == ":="):
        name, rhs = str(full["lhs"].iloc[tix]), str(full["rhs"].iloc[tix])
        funcs.append((int(tix), name, compile_expression(rhs, known, f"{name} := {rhs}")))
        known.add(name)
    return labelled, funcs


def defined_values(full: pd.DataFrame, rows: list[np.ndarray], models: list[RAMModel],
                   theta: np.ndarray) -> dict[int, float]:
    """The value of every ``:=`` row at ``theta``, by table position."""
    if not (full["op"].to_numpy() == ":=").any():
        return {}
    labelled, funcs = _defined_setup(full, rows, models)
    env: dict[str, float] = {}
    for lab, (g, pos) in labelled.items():
        env[lab] = float(models[g].values(theta)[pos])
    out = {}
    for tix, name, fn in funcs:
        env[name] = fn(env)
        out[tix] = env[name]
    return out
