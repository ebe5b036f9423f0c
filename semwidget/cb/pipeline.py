"""One CB-SEM fit, step by step: user table → full table → data → estimates → result.

The steps mirror lavaan's: build the full table with the defaults of ``sem()``/``cfa()``, check
and summarise the data, estimate (complete data or FIML), then bootstrap if asked. Options arrive
already checked by :func:`semwidget.fitting.fit`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pandas as pd

from semwidget.cb.bootstrap import bootstrap_result
from semwidget.cb.categorical import CATEGORICAL_ESTIMATORS
from semwidget.cb.complete import fit_complete
from semwidget.cb.constraints import refuse_general
from semwidget.cb.data import check_data, moments
from semwidget.cb.esem import rotate_result, rotation_spec
from semwidget.cb.fiml import fit_fiml_table
from semwidget.cb.group_bootstrap import bootstrap_groups
from semwidget.cb.groups import fit_groups
from semwidget.cb.ordinal import fit_ordinal, ordered_columns
from semwidget.cb.result import CBResult
from semwidget.cb.weights import split_weights, weighted_moments
from semwidget.errors import DataError, ModelSpecError
from semwidget.model.efa import efa_blocks, unrotated_table
from semwidget.model.partable import build, observed_names, user_table


def _fit_ordinal(user: pd.DataFrame, data: pd.DataFrame, ordered: list[str],
                 label: str | None, se: str, test: str, parameterization: str, missing: str,
                 std_lv: bool, orthogonal: bool) -> CBResult:
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
           parameterization: str = "delta", sampling_weights: str | None = None,
           rotation: str = "geomin", rotation_args: dict[str, Any] | None = None) -> CBResult:
    """Fit a CB-SEM model with checked options (see :func:`semwidget.fit` for their meaning).

    Returns
    -------
    CBResult
        The estimates, fit measures, R² and warnings (bootstrapped when ``se="bootstrap"``).
    """
    if group is not None:
        if se not in ("standard", "bootstrap") or test != "standard" or ordered or \
                label not in (None, "ML", "GLS", "ULS"):
            raise ModelSpecError(
                f"estimator='{label}' (robust or ordinal estimation) with group= is not "
                "supported yet; fit the groups with ML, GLS or ULS")
        if se == "bootstrap" and (missing != "listwise" or estimator != "ML"):
            raise ModelSpecError("se='bootstrap' with group= needs estimator='ML' and "
                                 "missing='listwise'")
        if missing != "listwise":
            refuse_general(user_table(model), "group= and missing='fiml'")
        if efa_blocks(user_table(model)):
            raise ModelSpecError("efa(...) blocks with group= are not supported yet")
        # lavaan's default fixed.x is FALSE for the least-squares estimators
        result = fit_groups(model, data, group=group, group_equal=list(group_equal),
                            group_partial=list(group_partial), estimator=estimator,
                            missing=missing, std_lv=std_lv, orthogonal=orthogonal,
                            fixed_x=(estimator == "ML") if fixed_x is None else fixed_x)
        if se == "bootstrap":
            # rows resampled within each group, as lavaan does (serially: n_jobs is ignored)
            result = bootstrap_groups(result, 1000 if bootstrap is None else bootstrap,
                                      seed=seed, ci=boot_ci)
        return result
    fixed_x = True if fixed_x is None else fixed_x
    user = user_table(model)
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    blocks = efa_blocks(user)
    if blocks:
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
        refuse_general(user, "ordered indicators")
        return _fit_ordinal(user, data, ordered_names, label, se, test, parameterization,
                            missing, std_lv, orthogonal)
    if label in CATEGORICAL_ESTIMATORS and label != "ULS":
        raise ModelSpecError(f"estimator='{label}' is for ordinal indicators: list them in "
                             "ordered=, or use ML/MLR for continuous data")
    if (user["op"] == "|").any():
        bad = user.loc[user["op"] == "|", "lhs"].iloc[0]
        raise ModelSpecError(f"thresholds ('{bad} | t1') belong to ordered variables: list "
                             f"'{bad}' in ordered=", name=str(bad))
    # As lavaan: a model with intercepts (~1), or FIML, gets a mean structure.
    meanstructure = missing == "fiml" or bool((user["op"] == "~1").any())
    full = build(user, [str(c) for c in data.columns], std_lv=std_lv, orthogonal=orthogonal,
                 fixed_x=fixed_x, meanstructure=meanstructure)
    ov = observed_names(full)
    frame = check_data(data, ov)
    mom = moments(frame, missing) if weights is None else \
        weighted_moments(frame, weights, missing)
    options_used: dict[str, Any] = {"estimator": estimator, "missing": missing,
                                    "std_lv": std_lv, "orthogonal": orthogonal,
                                    "fixed_x": fixed_x, "se": se, "test": test}
    if sampling_weights is not None:
        options_used["sampling_weights"] = sampling_weights
    if missing == "fiml":
        refuse_general(full, "missing='fiml'", bounds=True)
        result = fit_fiml_table(full, ov, mom, frame, options_used)
    else:
        result = fit_complete(full, ov, mom, estimator, options_used, frame)
    if blocks:
        result = rotate_result(result, blocks, spec, mom, options_used, frame)
    if label is not None and label != estimator:
        # MLR/MLM/MLMV are ML with robust SEs and tests: report the name the user chose
        result = dataclasses.replace(result, estimator=label)
    if se == "bootstrap":
        result = bootstrap_result(result, 1000 if bootstrap is None else bootstrap, seed=seed,
                                  n_jobs=n_jobs, ci=boot_ci)
    return result
