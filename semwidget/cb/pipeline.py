"""One CB-SEM fit, step by step: user table → full table → data → estimates → result.

The steps mirror lavaan's: build the full table with the defaults of ``sem()``/``cfa()``, check
and summarise the data, estimate (complete data or FIML), then bootstrap if asked. Options arrive
already checked by :func:`semwidget.fitting.fit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from semwidget.cb.bootstrap import bootstrap_result
from semwidget.cb.complete import fit_complete
from semwidget.cb.data import check_data, moments
from semwidget.cb.fiml import fit_fiml_table
from semwidget.cb.group_bootstrap import bootstrap_groups
from semwidget.cb.groups import fit_groups
from semwidget.cb.result import CBResult
from semwidget.errors import DataError, ModelSpecError
from semwidget.model.partable import build, observed_names, user_table


def fit_cb(model: str | pd.DataFrame, data: pd.DataFrame, *, estimator: str = "ML",
           missing: str = "listwise", std_lv: bool = False, orthogonal: bool = False,
           fixed_x: bool | None = None, se: str = "standard", bootstrap: int | None = None,
           seed: int | None = None, n_jobs: int = 1, boot_ci: str = "perc",
           group: str | None = None, group_equal: Sequence[str] = (),
           group_partial: Sequence[str] = ()) -> CBResult:
    """Fit a CB-SEM model with checked options (see :func:`semwidget.fit` for their meaning).

    Returns
    -------
    CBResult
        The estimates, fit measures, R² and warnings (bootstrapped when ``se="bootstrap"``).
    """
    if group is not None:
        if se == "bootstrap" and (missing != "listwise" or estimator != "ML"):
            raise ModelSpecError("se='bootstrap' with group= needs estimator='ML' and "
                                 "missing='listwise'")
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
    # As lavaan: a model with intercepts (~1), or FIML, gets a mean structure.
    meanstructure = missing == "fiml" or bool((user["op"] == "~1").any())
    full = build(user, [str(c) for c in data.columns], std_lv=std_lv, orthogonal=orthogonal,
                 fixed_x=fixed_x, meanstructure=meanstructure)
    ov = observed_names(full)
    frame = check_data(data, ov)
    mom = moments(frame, missing)
    options_used: dict[str, Any] = {"estimator": estimator, "missing": missing,
                                    "std_lv": std_lv, "orthogonal": orthogonal,
                                    "fixed_x": fixed_x}
    if missing == "fiml":
        result = fit_fiml_table(full, ov, mom, frame, options_used)
    else:
        result = fit_complete(full, ov, mom, estimator, options_used, frame)
    if se == "bootstrap":
        result = bootstrap_result(result, 1000 if bootstrap is None else bootstrap, seed=seed,
                                  n_jobs=n_jobs, ci=boot_ci)
    return result
