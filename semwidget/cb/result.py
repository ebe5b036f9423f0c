"""The result of a CB-SEM fit: estimates, standardized solution, R², fit measures, warnings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb.ram import RAMModel
from semwidget.distributions import norm_ppf

Z975 = float(norm_ppf(0.975))
ESTIMATE_COLUMNS = ["lhs", "op", "rhs", "label", "est", "se", "z", "pvalue", "ci_lower",
                    "ci_upper", "std_lv", "std_all"]


@dataclass
class CBResult:
    """The numbers of a fitted CB-SEM model (the engine's output).

    :func:`semwidget.fit` hands back its subclass :class:`semwidget.FitResult`, which adds the
    tables and reports a paper needs as methods; the engine never imports those views.

    Attributes
    ----------
    table : DataFrame
        The full parameter table with ``est se z pvalue ci_lower ci_upper std_lv std_all``.
    estimates : DataFrame
        Shaped like lavaan's ``parameterEstimates(fit, standardized = TRUE)``.
    fit_measures : dict
        lavaan's ``fitMeasures`` names with ``.`` written ``_``.
    r2 : dict
        R² of every endogenous variable; with groups ``{group label: {variable: R²}}``.
    warnings : list of str
        Non-convergence, Heywood cases, non-positive-definite matrices.
    groups : list of str
        With ``group=``: the group labels (lavaan's group order); empty otherwise. Then the
        estimates have ``group`` (1-based; 0 for ``:=``) and ``group_label``, the sample and
        implied moments are dicts by group label, ``nobs`` is the total, ``nobs_per_group``
        the split and ``group_results`` one single-group view per group.
    """

    table: pd.DataFrame
    estimates: pd.DataFrame
    fit_measures: dict[str, float]
    r2: dict[str, Any]
    warnings: list[str]
    nobs: int
    sample_cov: Any  # DataFrame; with groups, dict of DataFrames by group label
    implied_cov: Any
    sample_mean: Any
    implied_mean: Any
    estimator: str
    missing: str
    converged: bool
    iterations: int
    model: RAMModel = field(repr=False)
    theta: np.ndarray = field(repr=False)
    vcov: np.ndarray | None = field(repr=False)
    options: dict[str, Any] = field(default_factory=dict)
    data: pd.DataFrame | None = field(default=None, repr=False)
    engine: str = "sem"
    bootstrap: Any = field(default=None, repr=False)
    groups: list[str] = field(default_factory=list)
    nobs_per_group: dict[str, int] | None = None
    group_results: list[CBResult] | None = field(default=None, repr=False)
    #: With a scaled test: the moments' Jacobian, weight and Gamma (``cb.robust.Moments``),
    #: which the scaled difference test of nested models needs (Satorra, 2000).
    robust_moments: Any = field(default=None, repr=False)

    @property
    def residual_cov(self) -> pd.DataFrame:
        """Sample minus model-implied covariance (lavaan's ``resid(fit)$cov``; by group)."""
        if isinstance(self.sample_cov, dict):
            return {k: v - self.implied_cov[k] for k, v in self.sample_cov.items()}
        return self.sample_cov - self.implied_cov

    @property
    def latent_cor(self) -> Any:
        """Model-implied correlations among the latent variables (with groups: by group)."""
        if self.multigroup and self.group_results:
            return {v.groups[0]: v.latent_cor for v in self.group_results}
        imp = self.model.implied(self.theta)
        p = self.model.n_obs
        C = imp.C[p:, p:]
        sd = np.sqrt(np.diag(C))
        names = self.model.names[p:]
        return pd.DataFrame(C / np.outer(sd, sd), index=names, columns=names)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready result the CLI prints (numbers or ``None``)."""
        rows = []
        keys = ESTIMATE_COLUMNS + (["group", "group_label"] if self.multigroup else [])
        for rec in self.estimates.to_dict("records"):
            rows.append({k: _json_value(rec[k]) for k in keys})
        out = {
            "engine": self.engine,
            "estimator": self.estimator,
            "missing": self.missing,
            "nobs": int(self.nobs),
            "converged": bool(self.converged),
            "estimates": rows,
            "fit": {k: _json_value(v) for k, v in self.fit_measures.items()},
            "r2": {k: _json_r2(v) for k, v in self.r2.items()},
            "warnings": list(self.warnings),
        }
        if self.multigroup:
            out["groups"] = list(self.groups)
            out["nobs_per_group"] = dict(self.nobs_per_group or {})
        return out

    @property
    def multigroup(self) -> bool:
        """True for a fit with ``group=`` (two or more groups)."""
        return len(self.groups) > 1

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as a JSON string."""
        return json.dumps(self.to_dict(), **kwargs)


def _json_r2(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _json_value(x) for k, x in v.items()}
    return _json_value(v)


def _json_value(v: Any) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not np.isfinite(v) else float(v)
    return v
