"""``semwidget.fit``: check the options, then hand the model to the CB-SEM or the PLS engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from semwidget.cb.estimate import ESTIMATORS
from semwidget.cb.pipeline import fit_cb
from semwidget.errors import ModelSpecError
from semwidget.pls.fit import fit_pls
from semwidget.tables.fit_result import FitResult

MISSING = ("listwise", "fiml")
SE = ("standard", "bootstrap")


def fit(model: str | pd.DataFrame, data: pd.DataFrame, *, engine: str = "sem",
        estimator: str = "ML", missing: str = "listwise", std_lv: bool = False,
        orthogonal: bool = False, fixed_x: bool | None = None, se: str = "standard",
        bootstrap: int | None = None, seed: int | None = None, n_jobs: int = 1,
        boot_ci: str = "perc", group: str | None = None,
        group_equal: str | Sequence[str] = (), group_partial: str | Sequence[str] = (),
        **options: Any) -> Any:
    """Fit a structural equation model.

    Parameters
    ----------
    model : str or DataFrame
        lavaan model syntax, or a parameter table (from :func:`semwidget.parse`).
    data : DataFrame
        One column per observed variable.
    engine : {"sem", "pls"}
        Covariance-based SEM (matches lavaan) or PLS-SEM (matches seminr/SmartPLS).
    estimator : {"ML", "GLS", "ULS"}
        CB-SEM estimator; ML is lavaan's default (chi-square = N * F_ML).
    missing : {"listwise", "fiml"}
        Drop incomplete rows, or full-information ML with a mean structure.
    std_lv : bool
        Identify latents by fixing their variances to 1 (all loadings free).
    orthogonal : bool
        Fix the default covariances among latent variables to 0.
    fixed_x : bool, optional
        Treat observed exogenous covariates as fixed (lavaan's ``fixed.x``). Default True; with
        ``group=`` lavaan's default: True for ML, False for GLS/ULS.
    se : {"standard", "bootstrap"}
        CB-SEM standard errors from the information matrix, or from ``bootstrap`` resamples
        (percentile, bias-corrected and BCa intervals; ML on complete data).
    bootstrap : int, optional
        Number of resamples. CB-SEM: used with ``se="bootstrap"`` (default 1000). PLS: any
        number > 0 bootstraps the paths, loadings, weights and HTMT (default none).
    seed : int, optional
        Seed of the bootstrap's random numbers.
    n_jobs : int
        Parallel workers for the CB-SEM bootstrap (joblib; a Dask backend works too).
    boot_ci : {"perc", "bc", "bca"}
        Which bootstrap interval goes into ``ci_lower``/``ci_upper``.
    group : str, optional
        CB-SEM: the column that splits the data into groups (lavaan's ``group``); the model
        is fitted in every group with a mean structure, groups in order of first appearance.
    group_equal : str or sequence of str
        lavaan's ``group.equal`` words held equal across groups (``"loadings"``,
        ``"intercepts"``, ``"means"``, ``"residuals"``, ``"residual.covariances"``,
        ``"lv.variances"``, ``"lv.covariances"``, ``"regressions"``); a str may list several
        separated by commas.
    group_partial : str or sequence of str
        Parameters exempt from ``group_equal``, written ``"visual =~ x2"`` or ``"x3 ~ 1"``.
    **options
        PLS options when ``engine="pls"`` (see :func:`semwidget.pls.fit.fit_pls`).

    Returns
    -------
    FitResult or PLSResult
    """
    if engine == "pls":
        if group is not None or group_equal or group_partial:
            raise ModelSpecError("group= is fitted by the CB-SEM engine (engine='sem'); "
                                 "multigroup PLS is not supported")
        if missing != "listwise":
            options.setdefault("missing", missing)
        if bootstrap is not None:
            options.setdefault("bootstrap", bootstrap)
        elif se == "bootstrap":
            options.setdefault("bootstrap", 1000)
        if seed is not None:
            options.setdefault("seed", seed)
        return fit_pls(model, data, **options)
    if engine != "sem":
        raise ModelSpecError(f"unknown engine {engine!r}: use 'sem' or 'pls'")
    if options:
        raise TypeError(
            f"fit() got unexpected keyword argument(s) for engine='sem': {sorted(options)}")
    est = str(estimator).upper()
    if est not in ESTIMATORS:
        raise ModelSpecError(f"unknown estimator {estimator!r}: use one of ML, GLS, ULS")
    if missing not in MISSING:
        raise ModelSpecError(f"unknown missing-data option {missing!r}: use 'listwise' or "
                             "'fiml'")
    if missing == "fiml" and est != "ML":
        raise ModelSpecError("missing='fiml' needs estimator='ML'")
    if se not in SE:
        raise ModelSpecError(f"unknown se={se!r}: use 'standard' or 'bootstrap'")
    if group is None and (group_equal or group_partial):
        raise ModelSpecError("group_equal and group_partial need group=<column>")
    result = fit_cb(model, data, estimator=est, missing=missing, std_lv=std_lv,
                    orthogonal=orthogonal, fixed_x=fixed_x, se=se, bootstrap=bootstrap,
                    seed=seed, n_jobs=n_jobs, boot_ci=boot_ci, group=group,
                    group_equal=_words(group_equal), group_partial=_entries(group_partial))
    return FitResult.of(result)


def _words(value: str | Sequence[str]) -> list[str]:
    """``"loadings, intercepts"`` or a list of words → a list of words."""
    if isinstance(value, str):
        return [w.strip() for w in value.split(",") if w.strip()]
    return [str(w).strip() for w in value]


def _entries(value: str | Sequence[str]) -> list[str]:
    """One ``group_partial`` entry or several (a str may list several split by commas)."""
    if isinstance(value, str):
        return [e.strip() for e in value.split(",") if e.strip()]
    return [str(e) for e in value]
