"""``semwidget.fit``: check the options, then hand the model to the CB-SEM or the PLS engine."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb.estimate import CATEGORICAL_ESTIMATORS, ESTIMATORS
from semwidget.cb.growth import KINDS
from semwidget.cb.information import check_information
from semwidget.cb.pipeline import fit_cb
from semwidget.cb.robust import ROBUST_ESTIMATORS
from semwidget.cb.robust import resolve as resolve_robust
from semwidget.cb.sample_stats import SummaryData, summary_data
from semwidget.errors import DataError, ModelSpecError
from semwidget.model import parse, variables
from semwidget.model.columns import check_collinear
from semwidget.model.numeric import finite_result, numeric_guard
from semwidget.tables.fit_result import FitResult

MISSING = ("listwise", "fiml", "fiml.x")


#: The most resamples a bootstrap may draw (memory and time grow with them).
MAX_BOOTSTRAP = 100_000


def _whole(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or not low <= value <= high:
        raise ModelSpecError(f"{name} must be a whole number from {low} to {high}, got "
                             f"{shorten_value(value)}", name=name)


def shorten_value(value: Any) -> str:
    """A value for a message: short, and safe for integers of any size."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _finite_number(value: Any, positive: bool = False) -> bool:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        return False
    try:
        number = float(value)
    except OverflowError:
        return False
    return math.isfinite(number) and (number > 0 or not positive)


def check_options(engine: str, options: dict[str, Any]) -> None:
    """Check the options both engines share, by type and range, before anything runs.

    Raises
    ------
    ModelSpecError
        Naming the option and the value.
    """
    for name in ("std_lv", "orthogonal", "fixed_x", "consistent"):
        if name == "fixed_x" and options.get(name) is None:
            continue  # None: lavaan's default for the estimator (and groups)
        if name in options and not isinstance(options[name], (bool, np.bool_)):
            raise ModelSpecError(f"{name} must be True or False, got "
                                 f"{shorten_value(options[name])}", name=name)
    if options.get("bootstrap") is not None:
        _whole("bootstrap", options["bootstrap"], 0 if engine == "pls" else 1, MAX_BOOTSTRAP)
    if options.get("seed") is not None:
        _whole("seed", options["seed"], 0, 2**32 - 1)
    if "n_jobs" in options:
        _whole("n_jobs", options["n_jobs"], -1024, 1024)
        if options["n_jobs"] == 0:
            raise ModelSpecError("n_jobs must not be 0 (-1 uses every core)", name="n_jobs")
    if "max_iter" in options:
        _whole("max_iter", options["max_iter"], 1, 1_000_000)
    for name in ("tol", "missing_value"):
        value = options.get(name)
        if value is None and name == "missing_value":
            continue
        if name in options and not _finite_number(value, positive=name == "tol"):
            raise ModelSpecError(f"{name} must be a finite{' positive' if name == 'tol' else ''}"
                                 f" number, got {shorten_value(value)}", name=name)
    for name in ("estimator", "missing", "se", "test", "parameterization", "boot_ci", "scheme",
                 "sign_change"):
        if options.get(name) is not None and not isinstance(options[name], str):
            raise ModelSpecError(f"{name} must be text, got {shorten_value(options[name])}",
                                 name=name)


def _collinear_indicators(model: str | pd.DataFrame, data: pd.DataFrame) -> None:
    """After a numeric breakdown: raise a DataError if the model's indicators are collinear."""
    table = parse(model) if isinstance(model, str) else model
    names = [v for v in variables(table)["observed"] if v in data.columns]
    frame = data[names].apply(pd.to_numeric, errors="coerce").dropna()
    if len(frame) > 1:
        check_collinear(names, np.cov(frame.to_numpy(dtype=float), rowvar=False))


def fit(model: str | pd.DataFrame, data: pd.DataFrame | None = None, *, engine: str = "sem",
        estimator: str | None = None, missing: str | None = None, std_lv: bool = False,
        orthogonal: bool = False, fixed_x: bool | None = None, se: str = "standard",
        test: str = "standard", ordered: list[str] | None = None,
        parameterization: str = "delta",
        bootstrap: int | None = None, seed: int | None = None, n_jobs: int = 1,
        boot_ci: str = "perc", group: str | None = None,
        group_equal: str | Sequence[str] = (), group_partial: str | Sequence[str] = (),
        # issue 14a: lavaan's information / meanstructure / summary-statistics options
        information: str | None = None, meanstructure: bool | None = None,
        sample_cov: Any = None, sample_mean: Any = None, sample_nobs: Any = None,
        kind: str = "sem",
        # issue 14b: sampling weights and exploratory SEM rotations
        sampling_weights: str | None = None, rotation: str = "geomin",
        rotation_args: dict[str, Any] | None = None, start: Any = None,
        **options: Any) -> Any:
    """Fit a structural equation model.

    Parameters
    ----------
    model : str or DataFrame
        lavaan model syntax, or a parameter table (from :func:`semwidget.parse`).
    data : DataFrame, optional
        One column per observed variable (not needed with ``sample_cov``).
    engine : {"sem", "pls"}
        Covariance-based SEM (matches lavaan) or PLS-SEM (matches seminr/SmartPLS).
    estimator : {"ML", "GLS", "ULS", "MLR", "MLM", "MLMV", "WLSMV", "DWLS", "WLS", "ULSMV"}
        CB-SEM estimator; by default ML (chi-square = N * F_ML), or WLSMV when the model has
        ordinal indicators (``ordered=`` or pandas ordered categoricals), as in lavaan.
        MLR, MLM and MLMV are ML with robust standard errors and a scaled test: MLR
        Huber-White SEs and the Yuan-Bentler (Mplus) test, MLM Satorra-Bentler, MLMV
        scaled-and-shifted. WLSMV (DWLS with robust SEs and the scaled-and-shifted test),
        DWLS, WLS, ULSMV and ULS fit ordinal indicators' thresholds and polychorics.
    missing : {"listwise", "fiml"} or {"mean", "listwise"}
        lavaan's ``missing`` (``"fiml"`` is its ``"ml"``).
        CB-SEM: drop incomplete rows (default), or full-information ML with a mean structure.
        PLS: replace missing cells by the column mean (default), or drop incomplete rows.
    std_lv : bool
        lavaan's ``std.lv``. Identify latents by fixing their variances to 1 (all loadings free).
    orthogonal : bool
        lavaan's ``orthogonal``. Fix the default covariances among latent variables to 0.
    fixed_x : bool, optional
        Treat observed exogenous covariates as fixed (lavaan's ``fixed.x``). Default True; with
        ``group=`` lavaan's default: True for ML, False for GLS/ULS.
    se : {"standard", "robust.sem", "robust.huber.white", "robust", "bootstrap"}
        lavaan's ``se``. CB-SEM standard errors from the information matrix, a sandwich (lavaan's
        ``robust.sem``: expected information; ``robust.huber.white``: observed information and
        case scores), or ``bootstrap`` resamples (percentile, bias-corrected and BCa intervals).
    ordered : list of str, optional
        lavaan's ``ordered``. Observed variables to treat as ordinal (thresholds and
        polychoric correlations); pandas ordered-categorical columns are ordinal without
        being listed. The model's other observed variables stay numeric (polyserial and
        Pearson correlations, their means and variances), as lavaan mixes them.
    parameterization : {"delta", "theta"}
        lavaan's ``parameterization``. With ordinal indicators: unit variances of the latent
        responses (delta, lavaan's default) or unit residual variances (theta).
    test : {"standard", "satorra.bentler", "yuan.bentler", "yuan.bentler.mplus", \
"scaled.shifted", "mean.var.adjusted", "bootstrap"}
        lavaan's ``test``. A scaled test statistic besides the standard chi-square; its
        ``*_scaled`` and ``*_robust`` fit measures join ``fit_measures``. ``"bootstrap"`` (alias
        ``"bollen.stine"``): the Bollen-Stine bootstrap p-value (``bootstrap`` resamples of
        the model-transformed data, complete data and ML), as ``bollen_stine_pvalue``.
    bootstrap : int, optional
        lavaan's ``bootstrap`` (seminr's ``nboot``). Number of resamples. CB-SEM: used with
        ``se="bootstrap"`` (default 1000). PLS: any number > 0 bootstraps the paths,
        loadings, weights and HTMT (default none).
    seed : int, optional
        Seed of the bootstrap's random numbers (lavaan: ``set.seed()`` before the call).
    n_jobs : int
        Parallel workers for the CB-SEM bootstrap (joblib; a Dask backend works too);
        lavaan's ``parallel``/``ncpus``.
    boot_ci : {"perc", "bc", "bca"}
        Which bootstrap interval goes into ``ci_lower``/``ci_upper`` (lavaan's
        ``parameterEstimates(boot.ci.type = ...)``; ``"bc"`` is its ``"bca.simple"``).
    group : str, optional
        CB-SEM: the column that splits the data into groups (lavaan's ``group``); the model
        is fitted in every group with a mean structure, groups in order of first appearance.
        With ordinal indicators: the configural model (each group's thresholds, polychorics
        and weights), or ``group_equal`` with ``"thresholds"`` and ``"loadings"`` (and
        ``"intercepts"``), where lavaan frees the later groups' scale factors (delta) or
        residual variances (theta) and latent means; other sets and shared labels are not
        supported with them yet.
    group_equal : str or sequence of str
        lavaan's ``group.equal`` words held equal across groups (``"loadings"``,
        ``"intercepts"``, ``"means"``, ``"residuals"``, ``"residual.covariances"``,
        ``"lv.variances"``, ``"lv.covariances"``, ``"regressions"``); a str may list several
        separated by commas.
    group_partial : str or sequence of str
        Parameters exempt from ``group_equal``, written ``"visual =~ x2"`` or ``"x3 ~ 1"``.
    information : {"expected", "observed"}, optional
        CB-SEM: the information matrix behind the standard errors; lavaan's default is the
        expected information for complete data and the observed information under FIML.
    meanstructure : bool, optional
        CB-SEM: add a mean structure (free intercepts, latent means 0) even without ``~ 1``
        rows and complete data, as lavaan's ``meanstructure = TRUE``.
    sample_cov : DataFrame, str or list, optional
        CB-SEM from summary statistics instead of data (lavaan's ``sample.cov``): a covariance
        matrix as a named DataFrame, or as text the way textbooks print it (a lower triangle
        or full matrix, names as a header or row labels; see :func:`semwidget.cov_matrix` for
        an array with names). Read as unbiased and rescaled by (N - 1)/N for ML, as lavaan.
        A list (or a dict by group label) of matrices fits several groups.
    sample_mean : Series, dict, sequence, str or list, optional
        The means behind ``sample_cov`` (one per group for a list); given, the model has a
        mean structure, as in lavaan.
    sample_nobs : int or list of int
        The number of observations behind ``sample_cov`` (one per group for a list).
    kind : {"sem", "cfa", "growth"}
        CB-SEM: lavaan's ``sem()``/``cfa()`` defaults (the same), or ``growth()``'s: a mean
        structure with observed intercepts fixed to 0 and latent means free (see
        :func:`growth`).
    sampling_weights : str, optional
        CB-SEM: the column of sampling weights (lavaan's ``sampling.weights``). They are
        rescaled to sum to N; the fit uses the weighted moments and, as lavaan, reports
        robust (Huber-White) SEs and the Yuan-Bentler (Mplus) scaled test (``se`` and
        ``test`` other than ``"standard"`` still choose their own).
    rotation : {"geomin", "oblimin", "quartimin", "varimax", "quartimax", "orthomax"}
        CB-SEM, for ``efa("block")*f1 + efa("block")*f2 =~ ...`` blocks (exploratory SEM):
        the rotation of each block's loadings, lavaan's default geomin (oblique, epsilon
        0.001); varimax and quartimax are orthogonal.
    rotation_args : dict, optional
        lavaan's ``rotation.args`` that change the numbers: ``orthogonal`` (bool),
        ``geomin_epsilon``, ``oblimin_gamma``, ``orthomax_gamma``, ``rstarts``, ``std_ov``.
    start : FitResult, DataFrame or dict, optional
        CB-SEM, single group, continuous data: lavaan's ``start=`` with a fitted model. Free
        parameters also in ``start`` (same ``lhs op rhs``) start at its ``est`` (a table's
        ``est`` or ``start`` column; a dict maps ``"lhs op rhs"`` to a value); ``start()`` in
        the syntax wins. It moves where the optimizer begins, not the optimum (see
        :mod:`semwidget.cb.starts`).
    **options
        PLS options when ``engine="pls"`` (see :func:`semwidget.pls.fit.fit_pls`).

    Returns
    -------
    FitResult or PLSResult
        :class:`semwidget.FitResult` for CB-SEM, :class:`semwidget.pls.result.PLSResult`
        for PLS-SEM.

    Raises
    ------
    ModelSyntaxError
        The model does not parse (naming the line and column).
    ModelSpecError
        An unknown or ill-typed option, or one the engine would ignore (naming it).
    DataError
        A variable of the model is not a data column, or a column cannot be used.
    """
    if not isinstance(engine, str):
        raise ModelSpecError(f"engine must be 'sem' or 'pls', got {shorten_value(engine)}")
    check_options(engine, {"estimator": estimator, "missing": missing, "std_lv": std_lv,
                           "orthogonal": orthogonal, "fixed_x": fixed_x, "se": se,
                           "bootstrap": bootstrap, "seed": seed, "n_jobs": n_jobs,
                           "boot_ci": boot_ci, "test": test,
                           "parameterization": parameterization, **options})
    summary = _summary_options(engine, data, group, sample_cov, sample_mean, sample_nobs,
                               information, meanstructure)
    if engine == "pls" and start is not None:
        raise ModelSpecError("start= is a CB-SEM option (engine='sem')", name="start")
    if engine == "pls" and (sampling_weights is not None or rotation != "geomin"
                            or rotation_args is not None):
        raise ModelSpecError("sampling_weights=, rotation= and rotation_args= are CB-SEM "
                             "options (engine='sem')", name="sampling_weights"
                             if sampling_weights is not None else "rotation")
    if engine == "pls":
        if group_equal or group_partial:
            raise ModelSpecError("group_equal and group_partial are CB-SEM constraints; a "
                                 "multigroup PLS fit (group=) estimates each group freely")
        if group is not None:
            options.setdefault("group", group)
        if missing is not None:
            options.setdefault("missing", missing)
        if bootstrap is not None:
            options.setdefault("bootstrap", bootstrap)
        elif se == "bootstrap":
            options.setdefault("bootstrap", 1000)
        if seed is not None:
            options.setdefault("seed", seed)
        # the PLS engine loads on first use: a CB fit never needs it
        from semwidget.pls.fit import fit_pls

        with numeric_guard("the PLS algorithm", lambda: _collinear_indicators(model, data)):
            return finite_result(fit_pls(model, data, **options))
    if engine != "sem":
        raise ModelSpecError(f"unknown engine {engine!r}: use 'sem' or 'pls'")
    if options:
        raise TypeError(
            f"fit() got unexpected keyword argument(s) for engine='sem': {sorted(options)}")
    est = None if estimator is None else str(estimator).upper()
    if est is not None and est not in (*ESTIMATORS, *ROBUST_ESTIMATORS,
                                       *CATEGORICAL_ESTIMATORS):
        raise ModelSpecError(f"unknown estimator {estimator!r}: use one of ML, GLS, ULS, "
                             "MLR, MLM, MLMV, or WLSMV, DWLS, WLS, ULSMV for ordinal data")
    label = est
    bollen_stine = _bollen_stine(test)
    test = "standard" if bollen_stine else test
    est, se, test = resolve_robust(est or "ML", se, test)
    if label in ROBUST_ESTIMATORS or label is None:
        est = "ML"
    elif label in CATEGORICAL_ESTIMATORS:
        est = label
    missing = _missing(missing)
    if missing != "listwise" and est not in ("ML",):
        raise ModelSpecError(f"missing='{missing}' needs estimator='ML' (or MLR)")
    if label == "MLM" or label == "MLMV":
        if missing != "listwise":
            raise ModelSpecError(f"estimator='{label}' needs complete data; with "
                                 "missing='fiml' use estimator='MLR'")
    if group is None and (group_equal or group_partial):
        raise ModelSpecError("group_equal and group_partial need group=<column>")
    information, meanstructure = _information_options(information, meanstructure)
    if kind not in KINDS:
        raise ModelSpecError(f"unknown kind {shorten_value(kind)}: use 'sem', 'cfa' or "
                             "'growth'", name="kind")
    # ---- sampling weights (issue 14 part B) -----------------------------------------------
    if sampling_weights is not None:
        if summary is not None:
            raise ModelSpecError("sampling_weights= needs the raw data (rows); sample_cov= "
                                 "gives only the moments: pass data= instead",
                                 name="sampling_weights")
        se, test = _weighted_options(sampling_weights, label, se, test, missing, group,
                                     ordered)
    # ---- end of sampling weights ----------------------------------------------------------
    with numeric_guard("the estimation"):
        result = fit_cb(model, data, estimator=est, missing=missing, std_lv=std_lv,
                        orthogonal=orthogonal, fixed_x=fixed_x, se=se, test=test,
                        bootstrap=bootstrap, seed=seed, n_jobs=n_jobs, boot_ci=boot_ci,
                        label=label, ordered=ordered, parameterization=parameterization,
                        group=group, group_equal=_words(group_equal),
                        group_partial=_entries(group_partial), information=information,
                        meanstructure=meanstructure, summary=summary, kind=kind,
                        sampling_weights=sampling_weights, rotation=rotation,
                        rotation_args=rotation_args, bollen_stine=bollen_stine, start=start)
    return FitResult.of(finite_result(result))


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


# ---- issue 14a: lavaan's option words (missing aliases) ------------------------------------

#: lavaan's words for the missing-data options → ours. ``"ml"`` drops rows with missing fixed
#: covariates (lavaan's default FIML); ``"ml.x"`` keeps them and models the covariates too.
MISSING_WORDS = {"listwise": "listwise", "fiml": "fiml", "ml": "fiml", "direct": "fiml",
                 "fiml.x": "fiml.x", "ml.x": "fiml.x"}


def _missing(value: str | None) -> str:
    """The missing-data option in our words, or a ModelSpecError listing lavaan's."""
    if value is None:
        return "listwise"
    word = MISSING_WORDS.get(str(value).lower())
    if word is None:
        raise ModelSpecError(f"unknown missing-data option {value!r}: use 'listwise', 'fiml' "
                             "(alias 'ml': rows with missing fixed covariates are dropped) or "
                             "'fiml.x' (alias 'ml.x': the covariates are modelled too)",
                             name="missing")
    return word


#: lavaan's words for the Bollen-Stine bootstrap test.
BOLLEN_STINE = ("bootstrap", "bollen.stine", "boot")


def _bollen_stine(test: Any) -> bool:
    return isinstance(test, str) and test.lower() in BOLLEN_STINE


def _information_options(information: Any, meanstructure: Any) -> tuple[str | None, bool | None]:
    """``information=`` in lavaan's words and ``meanstructure=`` as True/False/None."""
    if information is not None and not isinstance(information, str):
        raise ModelSpecError(f"information must be text, got {shorten_value(information)}",
                             name="information")
    if meanstructure is not None and not isinstance(meanstructure, (bool, np.bool_)):
        raise ModelSpecError(f"meanstructure must be True or False, got "
                             f"{shorten_value(meanstructure)}", name="meanstructure")
    return check_information(information), None if meanstructure is None else \
        bool(meanstructure)


def _summary_options(engine: str, data: Any, group: str | None, sample_cov: Any,
                     sample_mean: Any, sample_nobs: Any, information: Any,
                     meanstructure: Any) -> SummaryData | None:
    """The summary statistics (sample_cov=) in checked form, or None for a fit to data."""
    if engine == "pls" and (information is not None or meanstructure is not None
                            or sample_cov is not None):
        raise ModelSpecError("information=, meanstructure= and sample_cov= are CB-SEM options "
                             "(engine='sem'); PLS-SEM fits the data")
    if sample_cov is None:
        if sample_mean is not None or sample_nobs is not None:
            raise DataError("sample_mean= and sample_nobs= go with sample_cov=")
        if data is None:
            raise DataError("fit() needs data= (a DataFrame) or summary statistics "
                            "(sample_cov= and sample_nobs=)")
        return None
    if data is not None:
        raise DataError("give either data= or sample_cov=, not both")
    if group is not None:
        raise ModelSpecError("group= splits rows of data; with sample_cov= give a list of "
                             "matrices (one per group) and lists for sample_nobs/sample_mean")
    return summary_data(sample_cov, sample_mean, sample_nobs)


def growth(model: str | pd.DataFrame, data: pd.DataFrame | None = None, **options: Any
           ) -> FitResult:
    """Fit a latent growth curve model with lavaan's ``growth()`` defaults.

    The same as ``fit(model, data, kind="growth", ...)``: a mean structure with the observed
    intercepts fixed to 0 and the latent means (intercepts) free, so a linear growth model is
    ``i =~ 1*t1 + 1*t2 + 1*t3`` and ``s =~ 0*t1 + 1*t2 + 2*t3`` alone.

    Parameters
    ----------
    model : str or DataFrame
        lavaan model syntax, or a parameter table.
    data : DataFrame, optional
        The repeated measures (or ``sample_cov=``/``sample_mean=``/``sample_nobs=``).
    **options
        Any option of :func:`fit` for the CB-SEM engine.

    Returns
    -------
    FitResult
    """
    if options.get("engine", "sem") != "sem":
        raise ModelSpecError("growth() is a CB-SEM model (engine='sem')", name="engine")
    return fit(model, data, kind="growth", **options)


def _weighted_options(column: Any, label: str | None, se: str, test: str, missing: str,
                      group: str | None, ordered: list[str] | None) -> tuple[str, str]:
    """The se and test of a weighted fit (lavaan: robust Huber-White SEs, Yuan-Bentler test).

    Raises
    ------
    ModelSpecError
        Naming the option that cannot be combined with sampling weights.
    """
    if not isinstance(column, str):
        raise ModelSpecError(f"sampling_weights must name a column, got "
                             f"{shorten_value(column)}", name="sampling_weights")
    if label not in (None, "ML", "MLR"):
        raise ModelSpecError(f"sampling_weights with estimator='{label}' is not supported: "
                             "weighted fits use ML with robust SEs (MLR), as lavaan does by "
                             "default", name="sampling_weights")
    # lavaan's Gamma with weights (robust.sem, Satorra-Bentler) is not reproduced yet
    if se not in ("standard", "robust.huber.white") or \
            test not in ("standard", "yuan.bentler.mplus"):
        bad = f"se='{se}'" if se not in ("standard", "robust.huber.white") else \
            f"test='{test}'"
        raise ModelSpecError(f"sampling_weights with {bad} is not supported: weighted fits "
                             "use robust.huber.white SEs and the yuan.bentler.mplus test (MLR)",
                             name="sampling_weights")
    if group is not None or ordered:
        what = "group=" if group is not None else "ordered="
        raise ModelSpecError(f"sampling_weights with {what} is not supported yet",
                             name="sampling_weights")
    if missing == "fiml.x":
        raise ModelSpecError("sampling_weights with missing='fiml.x' is not supported yet; "
                             "use missing='fiml' (lavaan's 'ml') or 'listwise'",
                             name="sampling_weights")
    return ("robust.huber.white" if se == "standard" else se,
            "yuan.bentler.mplus" if test == "standard" else test)
