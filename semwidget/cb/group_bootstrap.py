"""The bootstrap of a multigroup ML fit: rows resampled within each group (as lavaan does).

Each replicate draws ``n_g`` rows with replacement from group ``g``, refits the multigroup
model from the estimate, and keeps every parameter and ``:=`` value. Standard errors are the
replicates' standard deviations; ``ci_lower``/``ci_upper`` are percentile intervals
(lavaan's ``parameterEstimates(boot.ci.type = "perc")``). Replicates that fail to converge are
dropped, as lavaan drops them, and counted in a warning.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from semwidget.cb.groups import defined_values
from semwidget.cb.multigroup import GroupData, fit_ml_groups
from semwidget.cb.prepare import fill_exogenous
from semwidget.cb.ram import RAMModel
from semwidget.cb.result import CBResult
from semwidget.distributions import norm_sf
from semwidget.errors import ModelSpecError


def _complete(frame: pd.DataFrame) -> np.ndarray:
    X = frame.to_numpy(dtype=float)
    return X[~np.isnan(X).any(axis=1)]


def bootstrap_groups(result: CBResult, n_boot: int = 1000, seed: int | None = None,
                     ci: str = "perc") -> CBResult:
    """A copy of ``result`` with bootstrap SEs and percentile intervals.

    Parameters
    ----------
    result : CBResult
        A multigroup ML fit on complete data (``missing="listwise"``).
    n_boot : int
        Number of resamples.
    seed : int, optional
        Seed of the random numbers.
    ci : {"perc"}
        The interval; bias-corrected intervals are not computed for groups.

    Returns
    -------
    CBResult
        ``se``, ``z``, ``pvalue``, ``ci_lower``, ``ci_upper`` from the replicates; the
        replicate values (rows: replicates, columns: rows of ``table``) in ``.bootstrap``.
    """
    if ci != "perc":
        raise ModelSpecError(f"boot_ci={ci!r} with group= is not supported: use 'perc'")
    if result.missing != "listwise" or result.estimator != "ML":
        raise ModelSpecError("se='bootstrap' with group= needs estimator='ML' and "
                             "missing='listwise'")
    if n_boot < 2:
        raise ModelSpecError(f"bootstrap needs at least 2 resamples, not {n_boot}")
    table = result.table
    views = result.group_results or []
    ov = views[0].model.names[: views[0].model.n_obs]
    data = [_complete(v.data) for v in views]
    rows = [np.flatnonzero(table["group"].to_numpy() == g + 1) for g in range(len(views))]
    npar = len(result.theta)
    has_exo = bool((table["exo"] == 1).any())
    rng = np.random.default_rng(seed)
    out = np.full((n_boot, len(table)), np.nan)
    failed = 0
    for b in range(n_boot):
        samples = [X[rng.integers(0, len(X), len(X))] for X in data]
        moms = []
        for Xb in samples:
            mean = Xb.mean(axis=0)
            Xc = Xb - mean
            moms.append(GroupData(Xc.T @ Xc / len(Xb), mean, len(Xb)))
        models = [v.model for v in views]
        if has_exo:
            models = []
            for idx, d in zip(rows, moms, strict=True):
                sub = fill_exogenous(table.iloc[idx].reset_index(drop=True), ov, d.S, d.mean)
                m = RAMModel.from_table(sub, ov, meanstructure=True)
                models.append(dataclasses.replace(m, n_par=npar))
        try:
            res = fit_ml_groups(models, moms, result.theta, tol=1e-6)
        except (np.linalg.LinAlgError, ModelSpecError):
            failed += 1
            continue
        if not res.converged:
            failed += 1
            continue
        for idx, m in zip(rows, models, strict=True):
            out[b, idx[m.table_index]] = m.values(res.theta)
        for i, value in defined_values(table, rows, models, res.theta).items():
            out[b, i] = value
    kept = out[~np.isnan(out[:, table["op"].isin(["=~", "~", "~~", "~1"]).to_numpy()])
               .any(axis=1)]
    if len(kept) < 2:
        raise ModelSpecError("the bootstrap failed: fewer than 2 resamples converged")
    se = kept.std(axis=0, ddof=1)
    lo, hi = np.nanpercentile(kept, [2.5, 97.5], axis=0)
    return _with_bootstrap(result, kept, se, lo, hi, failed, n_boot)


def _with_bootstrap(result: CBResult, draws: np.ndarray, se: np.ndarray, lo: np.ndarray,
                    hi: np.ndarray, failed: int, n_boot: int) -> CBResult:
    table = result.table.copy()
    fixed = (table["free"].to_numpy() == 0) & (table["op"].to_numpy() != ":=")
    est = table["est"].to_numpy()
    se = np.where(fixed, 0.0, se)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, est / se, np.nan)
    table["se"] = se
    table["z"] = z
    table["pvalue"] = 2.0 * norm_sf(np.abs(z))
    table["ci_lower"] = np.where(fixed, est, lo)
    table["ci_upper"] = np.where(fixed, est, hi)
    keep = table["op"].isin(["=~", "~", "~~", "~1", ":="]).to_numpy()
    estimates = result.estimates.copy()
    for col in ("se", "z", "pvalue", "ci_lower", "ci_upper"):
        estimates[col] = table[col].to_numpy()[keep]
    warnings = list(result.warnings)
    if failed:
        warnings.append(f"{failed} of {n_boot} bootstrap resamples did not converge and were "
                        "dropped")
    views = []
    for g, view in enumerate(result.group_results or [], start=1):
        sub = estimates[estimates["group"] == g].reset_index(drop=True)
        views.append(dataclasses.replace(view, estimates=sub,
                                         table=table[table["group"] == g].reset_index(drop=True)))
    options = {**result.options, "se": "bootstrap", "bootstrap": n_boot}
    return dataclasses.replace(result, table=table, estimates=estimates, warnings=warnings,
                               bootstrap=draws, options=options, group_results=views)
