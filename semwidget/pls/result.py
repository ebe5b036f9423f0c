"""The result of a PLS-SEM fit."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: Columns of ``PLSResult.estimates`` (the CB engine's columns plus ``t``).
ESTIMATE_COLUMNS = [
    "lhs", "op", "rhs", "label", "est", "se", "z", "pvalue",
    "ci_lower", "ci_upper", "std_lv", "std_all", "t",
]  # fmt: skip
#: Bootstrap columns added to the weights, loadings, indirect and HTMT tables.
BOOT_COLUMNS = ["se", "t", "pvalue", "ci_lower", "ci_upper"]


def _num(value: Any) -> Any:
    """A JSON number, or None for NaN/inf/missing."""
    if value is None:
        return None
    if isinstance(value, (str, bool, np.bool_)):
        return value
    try:
        f = float(value)
    except (TypeError, ValueError):
        return value
    return f if math.isfinite(f) else None


def json_records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Rows of ``frame`` as JSON-ready dicts of ``columns`` (numbers, strings, booleans)."""
    cols = [c for c in columns if c in frame.columns]
    return [{c: _num(row[c]) for c in cols} for _, row in frame.iterrows()]


@dataclass
class PLSResult:
    """Estimates and quality criteria of a PLS-SEM fit (``engine="pls"``).

    Attributes
    ----------
    nobs : int
        Rows used.
    estimates : DataFrame
        ``lhs op rhs label est se z pvalue ci_lower ci_upper std_lv std_all t``: ``=~`` rows
        hold loadings, ``<~`` rows outer weights, ``~`` rows path coefficients. ``est`` is
        standardized (so ``std_lv`` and ``std_all`` repeat it); ``z`` repeats the bootstrap
        ``t``. NaN where undefined (no bootstrap).
    weights, loadings : DataFrame
        ``construct item est`` (+ ``se t pvalue ci_lower ci_upper`` when bootstrapped).
    r2, r2_adj : dict
        R² and adjusted R² per endogenous construct.
    indirect : DataFrame
        ``from to type path est`` (+ bootstrap columns); ``type`` is ``specific`` (one
        route, written in ``path``), ``total_indirect`` or ``total``.
    f2 : DataFrame
        ``lhs rhs f2`` for each path ``lhs ~ rhs``.
    vif : DataFrame
        ``kind lhs rhs vif``: ``inner`` (predictor ``rhs`` of ``lhs``) and ``outer``
        (indicator ``rhs`` of block ``lhs``).
    construct_cor : DataFrame
        Construct correlations (disattenuated with ``consistent=True``).
    reliability : DataFrame
        Index construct; ``alpha rho_a rho_c ave``.
    htmt : DataFrame
        ``a b est`` (+ ``ci_lower ci_upper`` and the other bootstrap columns).
    fornell_larcker : DataFrame
        sqrt(AVE) on the diagonal, construct correlations below it, NaN above.
    cross_loadings : DataFrame
        Indicators by constructs: each indicator's correlation with each construct score.
    srmr : float
        SRMR of the saturated model.
    higher_order : dict
        With higher-order constructs: ``approach`` and ``dimensions`` (HOC -> dimensions).
    first_stage : PLSResult or None
        The stage-one fit of a two-stage approach (moderation keeps none).
    model_fit : DataFrame
        SmartPLS's model fit: rows ``srmr d_uls d_g chisq nfi``, columns ``saturated
        estimated`` (see :mod:`semwidget.pls.model_fit`).
    exact_fit : DataFrame or None
        With ``exact_fit=B``: the bootstrap exact-fit test, ``model measure original mean
        hi95 hi99 fits_95 fits_99``.
    scores : DataFrame
        Construct scores (unit variance) for the rows used.
    converged : bool
    iterations : int
    warnings : list of str
    bootstrap : int
        Resamples used (0 without bootstrap).
    boot_samples : dict of name -> ndarray (bootstrap, m)
        The bootstrap values behind the bootstrap columns: ``loadings`` and ``weights`` (rows
        of ``loadings``/``weights``), ``paths`` (the ``~`` rows in order), ``r2``, ``htmt``
        (rows of ``htmt``), ``specific``, ``indirect`` and ``total`` (effects).
    moderation : dict
        Per product term ``"A:B"`` of a moderation fit: ``iv``, ``moderator``, ``method``
        (``fit_pls``'s ``interaction``), ``scale`` (the interaction score's scale: the
        standard deviation of the product of the stage-one scores, or the loading-weighted
        mean standard deviation of the product indicators) and ``mean`` (the mean product of
        the two constructs' scores); with product indicators also ``indicators`` (their
        names). Empty without interaction terms.
    """

    nobs: int
    estimates: pd.DataFrame
    weights: pd.DataFrame
    loadings: pd.DataFrame
    r2: dict[str, float]
    r2_adj: dict[str, float]
    indirect: pd.DataFrame
    f2: pd.DataFrame
    vif: pd.DataFrame
    construct_cor: pd.DataFrame
    reliability: pd.DataFrame
    htmt: pd.DataFrame
    fornell_larcker: pd.DataFrame
    cross_loadings: pd.DataFrame
    srmr: float
    scores: pd.DataFrame
    converged: bool
    iterations: int
    warnings: list[str] = field(default_factory=list)
    bootstrap: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    boot_samples: dict[str, Any] = field(default_factory=dict, repr=False)
    moderation: dict[str, dict[str, Any]] = field(default_factory=dict)
    model_fit: pd.DataFrame | None = None
    exact_fit: pd.DataFrame | None = None
    higher_order: dict[str, Any] = field(default_factory=dict)
    first_stage: Any = field(default=None, repr=False)
    engine: str = "pls"

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict the CLI prints (NaN written as None)."""
        boot = BOOT_COLUMNS if self.bootstrap else []
        return {
            "engine": self.engine,
            "nobs": int(self.nobs),
            "estimates": json_records(self.estimates, ESTIMATE_COLUMNS),
            "weights": json_records(self.weights, ["construct", "item", "est", *boot]),
            "r2": {k: _num(v) for k, v in self.r2.items()},
            "r2_adj": {k: _num(v) for k, v in self.r2_adj.items()},
            "reliability": {
                str(c): {k: _num(row[k]) for k in ("alpha", "rho_a", "rho_c", "ave")}
                for c, row in self.reliability.iterrows()
            },
            "htmt": json_records(self.htmt, ["a", "b", "est", *boot]),
            "warnings": list(self.warnings),
        }

    def __repr__(self) -> str:
        status = "converged" if self.converged else "NOT converged"
        return (
            f"<PLSResult nobs={self.nobs} constructs={len(self.construct_cor)} "
            f"{status} in {self.iterations} iterations, bootstrap={self.bootstrap}>"
        )

    def summary(self) -> str:
        """A plain-text summary: paths, loadings, R², reliability and HTMT."""
        from semwidget.pls.summary import pls_summary_text

        return pls_summary_text(self)

    def __str__(self) -> str:
        return self.summary()
