"""Is one fitted model nested in another? Bentler & Satorra's (2010) nesting and equivalence test.

Model ``R`` is nested in model ``G`` when every covariance matrix (and mean vector) ``R`` can
imply, ``G`` can imply too. Bentler and Satorra check this numerically: fit ``G`` to the moments
``R`` implies at its estimate; if ``G`` reproduces them (its χ² is ≈ 0) and has fewer degrees
of freedom, ``R`` is nested in ``G``; with the same degrees of freedom the two are equivalent.
The check works on the fitted numbers, so it catches nesting the parameter tables do not show
(a one-factor model inside a three-factor model) and rejects pairs that merely look alike.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from semwidget.cb.estimate import fit_ml, start_values
from semwidget.cb.prepare import fill_exogenous, user_starts
from semwidget.cb.ram import RAMModel
from semwidget.errors import ModelSpecError

__all__ = ["NET_CRITERION", "NestingNotChecked", "net_chisq"]

#: χ² below which the general model is taken to reproduce the restricted model's moments
#: (semTools' ``net()`` uses the same default).
NET_CRITERION = 1e-4

_TABLE_COLUMNS = ["id", "lhs", "op", "rhs", "user", "free", "ustart", "label", "freed", "exo"]


class NestingNotChecked(ModelSpecError):
    """The nesting test does not handle this kind of fit (multigroup, FIML, ordinal)."""


def _check_fit(result: Any, name: str) -> None:
    if getattr(result, "engine", None) != "sem" or not hasattr(result, "fit_measures"):
        raise ModelSpecError(f"{name} is not a CB-SEM fit; nesting is checked between "
                             "covariance-based models", name=name)
    if getattr(result, "multigroup", False) or result.missing == "fiml" or \
            result.options.get("ordered"):
        raise NestingNotChecked(f"{name}: the nesting check handles single-group fits of "
                                "complete continuous data (no group=, missing='fiml' or "
                                "ordered=)", name=name)


def net_chisq(restricted: Any, general: Any, names: tuple[str, str] = ("restricted",
                                                                             "general")) -> float:
    """χ² of ``general`` fitted (by ML) to the moments ``restricted`` implies.

    Parameters
    ----------
    restricted, general : CBResult
        Two fits of the same observed variables and number of observations.
    names : (str, str)
        How to call the two models in messages.

    Returns
    -------
    float
        ``N · F_ML`` at the lowest minimum found from two starts (the start values and
        ``general``'s own estimates); ``NaN`` when ``general`` cannot be fitted to those
        moments at all, as semTools' ``net()`` gives ``NA``.

    Raises
    ------
    ModelSpecError
        A PLS, multigroup, FIML or ordinal fit, or fits of different variables or sizes.
    """
    _check_fit(restricted, names[0])
    _check_fit(general, names[1])
    ov = [str(v) for v in general.sample_cov.index]
    ov_r = [str(v) for v in restricted.sample_cov.index]
    if set(ov) != set(ov_r):
        only = sorted(set(ov) ^ set(ov_r))
        raise ModelSpecError(f"{names[0]} and {names[1]} model different observed variables "
                             f"({', '.join(only)} in one only); nested models share them",
                             name=only[0])
    if int(restricted.nobs) != int(general.nobs):
        raise ModelSpecError(f"{names[0]} has {restricted.nobs} observations and {names[1]} "
                             f"{general.nobs}; nested models are fitted to the same data")
    cov = restricted.implied_cov.loc[ov, ov].to_numpy(dtype=float)
    mean_src = restricted.implied_mean if restricted.implied_mean is not None else \
        general.sample_mean
    mean = np.zeros(len(ov)) if mean_src is None else \
        np.asarray([float(mean_src[v]) for v in ov])
    full = fill_exogenous(general.table[_TABLE_COLUMNS].copy(), ov, cov, mean)
    ms = bool((full["op"] == "~1").any())
    model = RAMModel.from_table(full, ov, meanstructure=ms)
    starts = [start_values(model, cov, user_starts(full, model))]
    if len(general.theta) == model.n_par:
        starts.append(np.asarray(general.theta, dtype=float))  # its own estimates: a second start
    # Only the minimum matters, so a refit that stops without the convergence flag — typical
    # when the general model is empirically under-identified at these moments — still counts
    # at its lowest value; the smallest over both starts is kept.
    values = []
    for theta0 in starts:
        try:
            res = fit_ml(model, cov, int(general.nobs), theta0, mean=mean if ms else None)
        except (np.linalg.LinAlgError, FloatingPointError):
            continue
        if np.isfinite(res.fmin):
            values.append(float(general.nobs) * max(float(res.fmin), 0.0))
    return min(values) if values else math.nan
