"""The result :func:`semwidget.fit` hands back for CB-SEM: the engine's numbers plus their views.

:class:`~semwidget.cb.result.CBResult` holds what the engine computed; the tables a paper
reports (reliability, validity, effects, modification indices, the report and the summary) are
views of those numbers, so they are attached here, above the engine, and the engine never
imports them. Each view's module loads when it is first asked for, so a first fit does not
load them (import time, issue 16).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from semwidget.cb.result import CBResult
from semwidget.errors import ModelSpecError
from semwidget.tables.summary import summary_html, summary_text


@dataclasses.dataclass
class FitResult(CBResult):
    """A fitted CB-SEM model with the tables a paper reports.

    The attributes are those of :class:`~semwidget.cb.result.CBResult`; the methods below are
    the views of them. lavaan's name for each is in brackets.

    Attributes
    ----------
    estimates : DataFrame
        ``lhs op rhs label est se z pvalue ci_lower ci_upper std_lv std_all``
        (``parameterEstimates(fit, standardized = TRUE)``); with groups also ``group`` and
        ``group_label``.
    table : DataFrame
        The full parameter table with the estimates merged in (``parTable(fit)``).
    fit_measures : dict of str to float
        Every fit measure under lavaan's name with ``.`` written ``_`` (``fitMeasures(fit)``):
        ``chisq df pvalue cfi tli rmsea rmsea_ci_lower rmsea_ci_upper srmr aic bic``, ...;
        ``*_scaled`` and ``*_robust`` with a scaled test.
    r2 : dict
        R² of every endogenous variable (``inspect(fit, "r2")``); with groups by group label.
    warnings : list of str
        Non-convergence, Heywood cases, non-positive-definite matrices (lavaan's warnings).
    nobs : int
        Observations used (``nobs(fit)``); with groups the total.
    nobs_per_group : dict of str to int or None
        With groups: observations per group label.
    sample_cov, implied_cov : DataFrame or dict of DataFrame
        Sample and model-implied covariances (``inspect(fit, "sampstat")$cov``,
        ``fitted(fit)$cov``); by group label with groups.
    sample_mean, implied_mean : Series, dict or None
        The same for the means, where the model has a mean structure.
    residual_cov : DataFrame or dict of DataFrame
        ``sample_cov - implied_cov`` (``resid(fit)$cov``).
    latent_cor : DataFrame or dict of DataFrame
        Implied correlations of the latent variables (``lavInspect(fit, "cor.lv")``).
    estimator, missing : str
        The estimator and missing-data treatment used (``lavInspect(fit, "options")``).
    converged : bool
        Whether the optimizer converged (``lavInspect(fit, "converged")``).
    iterations : int
        Optimizer iterations (``lavInspect(fit, "iterations")``).
    options : dict
        The options of the fit (``se``, ``test``, ``std_lv``, ``fixed_x``, ...).
    groups : list of str
        Group labels in lavaan's order (``lavInspect(fit, "group.label")``); empty without
        groups.
    multigroup : bool
        True for a fit with two or more groups.
    bootstrap : object or None
        With ``se="bootstrap"``: the resampled estimates behind the bootstrap SEs and CIs.
    engine : str
        ``"sem"``.
    """

    @classmethod
    def of(cls, result: CBResult) -> FitResult:
        """The same numbers as ``result``, with the view methods (no copy of the arrays)."""
        if isinstance(result, cls):
            return result
        return cls(**{f.name: getattr(result, f.name) for f in dataclasses.fields(CBResult)})

    def group(self, label: str) -> FitResult:
        """The single-group view of one group of a multigroup fit (its estimates, moments,
        R²; the parameter vector and its covariance are the whole model's)."""
        if not self.multigroup or not self.group_results:
            raise ModelSpecError("group() needs a fit with group=")
        for view in self.group_results:
            if view.groups[0] == str(label):
                return FitResult.of(view)
        raise ModelSpecError(f"no group {label!r}: the groups are {self.groups}", name=label)

    def local_fit(self, threshold: float = 0.1) -> pd.DataFrame:
        """Pairs whose residual correlation exceeds ``threshold``, with their z
        (see :func:`semwidget.tables.local_fit.local_fit`)."""
        from semwidget.tables.local_fit import local_fit

        return local_fit(self, threshold)

    def reliability(self, **kwargs: Any) -> pd.DataFrame:
        """Cronbach's alpha, composite reliability, AVE and omega by construct.

        With groups, one block per group (index ``group``, ``construct``).
        See :func:`semwidget.tables.reliability.reliability`.
        """
        if self.multigroup:
            return pd.concat({g: self.group(g).reliability(**kwargs) for g in self.groups},
                             names=["group", "construct"])
        from semwidget.tables.reliability import reliability

        return reliability(self, **kwargs)

    def validity(self, **kwargs: Any) -> Any:
        """Fornell-Larcker, HTMT and cross-loadings with pass/fail flags.

        With groups, a dict by group label. See :func:`semwidget.tables.validity.validity`.
        """
        if self.multigroup:
            return {g: self.group(g).validity(**kwargs) for g in self.groups}
        from semwidget.tables.validity import validity

        return validity(self, **kwargs)

    def indirect(self, x: str, y: str, **kwargs: Any) -> Any:
        """Specific indirect, total indirect, direct and total effects of ``x`` on ``y``.

        With groups, the rows of every group with a leading ``group`` column.
        See :func:`semwidget.cb.effects.indirect`.
        """
        if self.multigroup:
            parts = []
            for g in self.groups:
                part = self.group(g).indirect(x, y, **kwargs)
                part.insert(0, "group", g)
                parts.append(part)
            return pd.concat(parts, ignore_index=True)
        from semwidget.cb.effects import indirect

        return indirect(self, x, y, **kwargs)

    def modindices(self, **kwargs: Any) -> pd.DataFrame:
        """lavaan's modification indices (mi, epc, sepc.all) for parameters not in the model.

        With groups, one row per candidate and group (``group``, ``group_label``); the
        equality constraints stay (for releasing them see :func:`semwidget.invariance`).
        See :func:`semwidget.cb.modindices.modindices`.
        """
        if self.multigroup:
            from semwidget.cb.group_modindices import group_modindices

            return group_modindices(self, **kwargs)
        from semwidget.cb.modindices import modindices

        return modindices(self, **kwargs)

    def report(self, **kwargs: Any) -> Any:
        """The tables a paper reports, renderable in the notebook and exportable.

        See :func:`semwidget.tables.report.report`.
        """
        from semwidget.tables.report import report

        return report(self, **kwargs)

    def summary(self) -> str:
        """A plain-text summary in the spirit of lavaan's ``summary(fit, standardized=TRUE)``."""
        return summary_text(self)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return summary_html(self)
