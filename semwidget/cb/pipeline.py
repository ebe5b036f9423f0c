"""One CB-SEM fit, step by step: user table → full table → data → estimates → result.

The steps mirror lavaan's: build the full table with the defaults of ``sem()``/``cfa()``, check
and summarise the data, estimate (complete data or FIML), then bootstrap if asked. Options arrive
already checked by :func:`semwidget.fitting.fit`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb.complete import fit_complete
from semwidget.cb.constraints import refuse_general
from semwidget.cb.data import check_data, moments, ordered_columns
from semwidget.cb.estimate import CATEGORICAL_ESTIMATORS
from semwidget.cb.growth import growth_table
from semwidget.cb.prepare import exo_names
from semwidget.cb.result import CBResult
from semwidget.cb.robust import ROBUST_SE, SCALED_TESTS
from semwidget.cb.sample_stats import SummaryData
from semwidget.cb.starts import forget_starts, with_starts
from semwidget.cb.weights import split_weights, weighted_moments
from semwidget.errors import DataError, ModelSpecError
from semwidget.model import variables
from semwidget.model.efa import efa_blocks, unrotated_table
from semwidget.model.frame_arrays import column
from semwidget.model.partable import build, observed_names, roles, user_table


def _fit_ordinal_groups(model: str | pd.DataFrame, data: pd.DataFrame, group: str,
                        ordered: list[str], label: str | None, se: str, test: str,
                        parameterization: str, missing: str, std_lv: bool, orthogonal: bool,
                        group_equal: list[str], group_partial: list[str]) -> CBResult:
    """Ordinal indicators with group=: the configural model (see cb/ordinal_groups)."""
    from semwidget.cb.groups import split_groups
    from semwidget.cb.ordinal_groups import fit_ordinal_groups, refuse_constrained

    user = user_table(model)
    refuse_general(user, "ordered indicators")
    refuse_constrained(user, group_equal, group_partial)
    labels, frames = split_groups(data, group)
    est, se_used, test_used, options = _ordinal_options(ordered, label, se, test,
                                                         parameterization, missing, std_lv,
                                                         orthogonal)
    options.update(group=group, group_equal=list(group_equal), group_partial=[])
    return fit_ordinal_groups(user, labels, frames, ordered, estimator=est, se=se_used,
                              test=test_used, parameterization=parameterization,
                              std_lv=std_lv, orthogonal=orthogonal, options=options,
                              group_equal=group_equal)


def _ordinal_options(ordered: list[str], label: str | None, se: str, test: str,
                     parameterization: str, missing: str, std_lv: bool, orthogonal: bool
                     ) -> tuple[str, str, str, dict[str, Any]]:
    """The checked estimator, se and test with ordinal indicators, and the options used."""
    est = "WLSMV" if label is None else label
    if est not in CATEGORICAL_ESTIMATORS:
        raise ModelSpecError(f"estimator='{est}' does not fit ordinal indicators "
                             f"({', '.join(ordered)}); use WLSMV (the default), DWLS, WLS, "
                             "ULSMV or ULS")
    if missing != "listwise":
        raise ModelSpecError("missing='fiml' is for continuous data; ordinal indicators are "
                             "fitted to the complete cases (missing='listwise')")
    _, default_se, default_test = CATEGORICAL_ESTIMATORS[est]
    se_used = default_se if se == "standard" else se
    test_used = default_test if test == "standard" else test
    if se_used not in ("standard", "robust.sem"):
        raise ModelSpecError(f"se='{se_used}' is not available with ordinal indicators: use "
                             "'standard' or 'robust.sem'")
    if test_used not in ("standard", "scaled.shifted", "mean.var.adjusted",
                         "satorra.bentler"):
        raise ModelSpecError(f"test='{test_used}' is not available with ordinal indicators: "
                             "use 'scaled.shifted', 'mean.var.adjusted' or 'satorra.bentler'")
    options = {"estimator": est, "missing": "listwise", "std_lv": std_lv,
               "orthogonal": orthogonal, "fixed_x": False, "se": se_used, "test": test_used,
               "ordered": list(ordered), "parameterization": parameterization}
    return est, se_used, test_used, options


def _fit_ordinal(user: pd.DataFrame, data: pd.DataFrame, ordered: list[str],
                 label: str | None, se: str, test: str, parameterization: str, missing: str,
                 std_lv: bool, orthogonal: bool) -> CBResult:
    from semwidget.cb.ordinal import fit_ordinal

    est, se_used, test_used, options = _ordinal_options(ordered, label, se, test,
                                                         parameterization, missing, std_lv,
                                                         orthogonal)
    return fit_ordinal(user, data, ordered, estimator=est, se=se_used, test=test_used,
                       parameterization=parameterization, std_lv=std_lv,
                       orthogonal=orthogonal, options=options)


def fit_cb(model: str | pd.DataFrame, data: pd.DataFrame, *, estimator: str = "ML",
           missing: str = "listwise", std_lv: bool = False, orthogonal: bool = False,
           fixed_x: bool | None = None, se: str = "standard", bootstrap: int | None = None,
           seed: int | None = None, n_jobs: int = 1, boot_ci: str = "perc",
           group: str | None = None, group_equal: Sequence[str] = (),
           group_partial: Sequence[str] = (), test: str = "standard",
           label: str | None = None, ordered: list[str] | None = None,
           parameterization: str = "delta", information: str | None = None,
           meanstructure: bool | None = None, summary: SummaryData | None = None,
           kind: str = "sem", sampling_weights: str | None = None,
           rotation: str = "geomin", rotation_args: dict[str, Any] | None = None,
           bollen_stine: bool = False, start: Any = None) -> CBResult:
    """Fit a CB-SEM model with checked options (see :func:`semwidget.fit` for their meaning).

    Returns
    -------
    CBResult
        The estimates, fit measures, R² and warnings (bootstrapped when ``se="bootstrap"``).
    """
    if bollen_stine and (group is not None or ordered or summary is not None):
        raise ModelSpecError("test='bootstrap' (Bollen-Stine) needs the raw rows of one "
                             "group of continuous data; it is not available with group=, "
                             "ordered= or sample_cov=", name="test")
    if kind == "growth":
        if group is not None or ordered or (summary is not None and len(summary.covs) > 1):
            raise ModelSpecError("kind='growth' (lavaan's growth()) with several groups or "
                                 "ordinal indicators is not supported yet; write the "
                                 "intercepts and use sem()")
        meanstructure = True
    if start is not None and (group is not None or ordered):
        raise ModelSpecError("start= is supported for single-group continuous data (not with "
                             "group= or ordered=)", name="start")
    if summary is not None:
        blocks = efa_blocks(user_table(model))
        if blocks:
            raise ModelSpecError("efa(...) blocks with sample_cov= are not supported yet: "
                                 "pass data= instead", name=blocks[0].name)
        return _fit_summary(model, summary, estimator=estimator, label=label, missing=missing,
                            se=se, test=test, ordered=ordered, std_lv=std_lv,
                            orthogonal=orthogonal, fixed_x=fixed_x, information=information,
                            meanstructure=meanstructure, kind=kind, start=start)
    if information is not None and (group is not None or ordered):
        raise ModelSpecError(f"information='{information}' is supported for single-group "
                             "continuous data; with group= or ordered= the default is used",
                             name="information")
    if group is not None:
        robust_ml = estimator == "ML" and (se in ROBUST_SE or test in SCALED_TESTS)
        data_o, ordered_names = ordered_columns(data, ordered) \
            if isinstance(data, pd.DataFrame) else (data, [])
        if ordered_names:
            return _fit_ordinal_groups(model, data_o, group, ordered_names, label, se, test,
                                       parameterization, missing, std_lv, orthogonal,
                                       list(group_equal), list(group_partial))
        if label in CATEGORICAL_ESTIMATORS and label != "ULS":
            raise ModelSpecError(f"estimator='{label}' is for ordinal indicators: list them "
                                 "in ordered=, or use ML/MLR for continuous data")
        if (se not in ("standard", "bootstrap") or test != "standard") and not robust_ml:
            raise ModelSpecError(
                f"robust SEs and scaled tests with group= need ML (MLR, MLM, MLMV), not "
                f"{estimator}; they are not defined for GLS or ULS")
        if se == "bootstrap" and (missing != "listwise" or estimator != "ML"):
            raise ModelSpecError("se='bootstrap' with group= needs estimator='ML' and "
                                 "missing='listwise'")
        if missing != "listwise":
            refuse_general(user_table(model), "group= and missing='fiml'")
        if efa_blocks(user_table(model)):
            raise ModelSpecError("efa(...) blocks with group= are not supported yet")
        from semwidget.cb.groups import fit_groups

        # lavaan's default fixed.x is FALSE for the least-squares estimators
        result = fit_groups(model, data, group=group, group_equal=list(group_equal),
                            group_partial=list(group_partial), estimator=estimator,
                            missing="fiml" if missing == "fiml.x" else missing,
                            std_lv=std_lv, orthogonal=orthogonal,
                            fixed_x=(estimator == "ML") if fixed_x is None else fixed_x,
                            se=se, test=test, keep_x=missing == "fiml.x")
        if label is not None and label != estimator:
            result = dataclasses.replace(result, estimator=label)
        if se == "bootstrap":
            from semwidget.cb.group_bootstrap import bootstrap_groups

            # rows resampled within each group, as lavaan does (serially: n_jobs is ignored)
            result = bootstrap_groups(result, 1000 if bootstrap is None else bootstrap,
                                      seed=seed, ci=boot_ci)
        return result
    fixed_x = True if fixed_x is None else fixed_x
    # "fiml.x" (lavaan's "ml.x") keeps rows with missing covariates; "fiml" drops them
    keep_x, missing = missing == "fiml.x", "fiml" if missing == "fiml.x" else missing
    user = user_table(model)
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    blocks = efa_blocks(user)
    if blocks:
        from semwidget.cb.esem import rotation_spec

        spec = rotation_spec(rotation, rotation_args)
        if se == "bootstrap" or ordered:
            raise ModelSpecError("efa(...) blocks with "
                                 f"{'se=bootstrap' if se == 'bootstrap' else 'ordered='} are "
                                 "not supported yet", name=blocks[0].name)
        user = unrotated_table(user, blocks)
    weights = None
    if sampling_weights is not None:
        data, weights = split_weights(data, sampling_weights,
                                      {*user["lhs"].astype(str), *user["rhs"].astype(str)})
    data, ordered_names = ordered_columns(data, ordered)
    if ordered_names:
        if start is not None:
            raise ModelSpecError(f"start= is supported for continuous data; "
                                 f"{', '.join(ordered_names)} are ordinal", name="start")
        if information is not None:
            raise ModelSpecError(f"information='{information}' is supported for continuous "
                                 f"data; ordinal indicators ({', '.join(ordered_names)}) use "
                                 "the default", name="information")
        refuse_general(user, "ordered indicators")
        return _fit_ordinal(user, data, ordered_names, label, se, test, parameterization,
                            missing, std_lv, orthogonal)
    if label in CATEGORICAL_ESTIMATORS and label != "ULS":
        raise ModelSpecError(f"estimator='{label}' is for ordinal indicators: list them in "
                             "ordered=, or use ML/MLR for continuous data")
    user_ops = column(user, "op")
    if (user_ops == "|").any():
        bad = user["lhs"].to_numpy()[user_ops == "|"][0]
        raise ModelSpecError(f"thresholds ('{bad} | t1') belong to ordered variables: list "
                             f"'{bad}' in ordered=", name=str(bad))
    # As lavaan: a model with intercepts (~1), or FIML, gets a mean structure.
    meanstructure = missing == "fiml" or bool((user_ops == "~1").any()) or bool(meanstructure)
    full = build(user, [str(c) for c in data.columns], std_lv=std_lv, orthogonal=orthogonal,
                 fixed_x=fixed_x, meanstructure=meanstructure)
    if kind == "growth":
        full = growth_table(full)
    warm: frozenset[int] = frozenset()
    if start is not None:
        full, warm = with_starts(full, start)
    rr = roles(full)  # once: the fit below needs the observed covariates too
    ov = rr.ov
    frame = check_data(data, ov)
    dropped: list[str] = []
    if missing == "fiml" and not keep_x:
        from semwidget.cb.fiml import drop_missing_covariates

        frame, dropped = drop_missing_covariates(frame, exo_names(full))
    if weights is not None and len(frame) != len(weights):
        # rows dropped for missing covariates take their weights with them
        weights = pd.Series(weights, index=data.index).loc[frame.index].to_numpy()
    mom = moments(frame, missing) if weights is None else \
        weighted_moments(frame, weights, missing)
    options_used: dict[str, Any] = {"estimator": estimator,
                                    "missing": "fiml.x" if keep_x else missing,
                                    "std_lv": std_lv, "orthogonal": orthogonal,
                                    "fixed_x": fixed_x, "se": se, "test": test}
    if information is not None:
        options_used["information"] = information
    if sampling_weights is not None:
        options_used["sampling_weights"] = sampling_weights
    if blocks:
        from semwidget.cb.esem import efa_starts

        full = efa_starts(full, blocks, ov, mom.cov)
    if missing == "fiml":
        from semwidget.cb.fiml import fit_fiml_table

        refuse_general(full, "missing='fiml'", bounds=True)
        result = fit_fiml_table(full, ov, mom, frame, options_used)
        result.warnings[:0] = dropped
    else:
        result = fit_complete(full, ov, mom, estimator, options_used, frame, ov_x=rr.ov_x)
    if blocks:
        from semwidget.cb.esem import rotate_result

        result = rotate_result(result, blocks, spec, mom, options_used, frame)
    if label is not None and label != estimator:
        # MLR/MLM/MLMV are ML with robust SEs and tests: report the name the user chose
        result = dataclasses.replace(result, estimator=label)
    if se == "bootstrap":
        from semwidget.cb.bootstrap import bootstrap_result

        result = bootstrap_result(result, 1000 if bootstrap is None else bootstrap, seed=seed,
                                  n_jobs=n_jobs, ci=boot_ci)
    if bollen_stine:
        from semwidget.cb.bollen_stine import bollen_stine as bollen_stine_test

        result = bollen_stine_test(result, 1000 if bootstrap is None else bootstrap, seed=seed)
    return forget_starts(result, warm)


def _fit_summary(model: str | pd.DataFrame, summary: SummaryData, *, estimator: str,
                 label: str | None, missing: str, se: str, test: str,
                 ordered: list[str] | None, std_lv: bool, orthogonal: bool,
                 fixed_x: bool | None, information: str | None,
                 meanstructure: bool | None, kind: str, start: Any = None) -> CBResult:
    """A fit from summary statistics (sample_cov=): the moments stand in for the data."""
    needs_rows = [(missing != "listwise", f"missing='{missing}'"),
                  (se == "bootstrap", "se='bootstrap'"),
                  (se != "standard" and se != "bootstrap", f"se='{se}'"),
                  (test != "standard", f"test='{test}'"),
                  (bool(ordered), "ordered="),
                  (label in ("MLR", "MLM", "MLMV"), f"estimator='{label}'")]
    for hit, what in needs_rows:
        if hit:
            raise ModelSpecError(f"{what} needs the raw data (rows); sample_cov= gives only "
                                 "the moments: pass data= instead")
    user = user_table(model)
    ms = bool((user["op"] == "~1").any()) or bool(meanstructure) or \
        (summary.has_means and meanstructure is not False)
    if len(summary.covs) > 1 and not summary.has_means:
        raise DataError("a multigroup fit has a mean structure in every group: give "
                        "sample_mean= with one entry per group")
    if ms and not summary.has_means:
        raise DataError("the model has a mean structure ('~ 1' rows or meanstructure=True) "
                        "but no sample_mean= was given")
    if len(summary.covs) > 1:
        if information is not None:
            raise ModelSpecError(f"information='{information}' with several groups is not "
                                 "supported; the default is used", name="information")
        from semwidget.cb.groups import fit_groups

        return fit_groups(model, None, group="group", group_equal=[], group_partial=[],
                          estimator=estimator, std_lv=std_lv, orthogonal=orthogonal,
                          fixed_x=(estimator == "ML") if fixed_x is None else fixed_x,
                          summary=summary)
    absent = [v for v in variables(user)["observed"] if v not in summary.names]
    if absent:
        raise DataError(f"variable '{absent[0]}' of the model is not in sample_cov (it has "
                        f"{', '.join(summary.names)})", column=absent[0])
    fixed_x = True if fixed_x is None else fixed_x
    full = build(user, summary.names, std_lv=std_lv, orthogonal=orthogonal, fixed_x=fixed_x,
                 meanstructure=ms)
    if kind == "growth":
        full = growth_table(full)
    warm: frozenset[int] = frozenset()
    if start is not None:
        full, warm = with_starts(full, start)
    ov = observed_names(full)
    mom = summary.moments(ov)[0]
    if not ms:
        mom = dataclasses.replace(mom, mean=np.zeros(len(ov)))
    options_used: dict[str, Any] = {"estimator": estimator, "missing": "listwise",
                                    "std_lv": std_lv, "orthogonal": orthogonal,
                                    "fixed_x": fixed_x, "se": se, "test": test,
                                    "sample_stats": True}
    if information is not None:
        options_used["information"] = information
    result = fit_complete(full, ov, mom, estimator, options_used, None)
    if label is not None and label != estimator:
        result = dataclasses.replace(result, estimator=label)
    return forget_starts(result, warm)
