"""The result of a CB-SEM fit: estimates, standardized solution, R², fit measures, warnings."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from semwidget.defined import defined_functions
from semwidget.engines.ram import Implied, RAMModel

Z975 = float(stats.norm.ppf(0.975))
ESTIMATE_COLUMNS = ["lhs", "op", "rhs", "label", "est", "se", "z", "pvalue", "ci_lower",
                    "ci_upper", "std_lv", "std_all"]
FIT_ORDER = [
    "npar", "chisq", "df", "pvalue", "chisq_df", "baseline_chisq", "baseline_df",
    "baseline_pvalue", "cfi", "tli", "nnfi", "nfi", "rfi", "ifi", "rmsea", "rmsea_ci_lower",
    "rmsea_ci_upper", "rmsea_pvalue", "srmr", "srmr_bentler", "srmr_bentler_nomean", "rmr",
    "rmr_nomean", "gfi", "agfi", "logl", "unrestricted_logl", "aic", "bic", "bic2", "ntotal",
]


def standardized(model: RAMModel, imp: Implied, values: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """std.lv and std.all of every model row (lavaan's ``standardizedSolution``).

    std.all scales each variable by its model-implied standard deviation; std.lv scales only
    the latent variables.
    """
    sd = np.sqrt(np.clip(np.diag(imp.C), 0.0, None))
    sd_lv = sd.copy()
    sd_lv[: model.n_obs] = 1.0
    # Covariances between two different variables are (residual) correlations, as in lavaan:
    # they are scaled by the (residual) variances on the diagonal of S, not by total variances.
    rsd = np.sqrt(np.abs(np.diag(imp.S)))
    rsd_lv = rsd.copy()
    rsd_lv[: model.n_obs] = 1.0
    k, i, j = model.kind, model.row_i, model.row_j
    cov = (k == 1) & (i != j)
    with np.errstate(divide="ignore", invalid="ignore"):
        all_ = np.where(k == 0, values * sd[j] / sd[i],
                        np.where(k == 1, values / (sd[i] * sd[j]), values / sd[i]))
        lv = np.where(k == 0, values * sd_lv[j] / sd_lv[i],
                      np.where(k == 1, values / (sd_lv[i] * sd_lv[j]), values / sd_lv[i]))
        all_ = np.where(cov, values / (rsd[i] * rsd[j]), all_)
        lv = np.where(cov, values / (rsd_lv[i] * rsd_lv[j]), lv)
    return lv, all_


def r_squared(model: RAMModel, imp: Implied) -> dict[str, float]:
    """R² of every variable with incoming directed effects: 1 - residual / total variance."""
    endo = sorted(set(model.row_i[model.kind == 0].tolist()))
    out = {}
    for v in endo:
        total = imp.C[v, v]
        out[model.names[v]] = float(1.0 - imp.S[v, v] / total) if total > 0 else math.nan
    return out


@dataclass
class FitResult:
    """A fitted CB-SEM model.

    Attributes
    ----------
    table : DataFrame
        The full parameter table with ``est se z pvalue ci_lower ci_upper std_lv std_all``.
    estimates : DataFrame
        Shaped like lavaan's ``parameterEstimates(fit, standardized = TRUE)``.
    fit_measures : dict
        lavaan's ``fitMeasures`` names with ``.`` written ``_``.
    r2 : dict
        R² of every endogenous variable.
    warnings : list of str
        Non-convergence, Heywood cases, non-positive-definite matrices.
    """

    table: pd.DataFrame
    estimates: pd.DataFrame
    fit_measures: dict[str, float]
    r2: dict[str, float]
    warnings: list[str]
    nobs: int
    sample_cov: pd.DataFrame
    implied_cov: pd.DataFrame
    sample_mean: pd.Series | None
    implied_mean: pd.Series | None
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

    @property
    def residual_cov(self) -> pd.DataFrame:
        """Sample minus model-implied covariance (lavaan's ``resid(fit)$cov``)."""
        return self.sample_cov - self.implied_cov

    @property
    def latent_cor(self) -> pd.DataFrame:
        """Model-implied correlations among the latent variables."""
        imp = self.model.implied(self.theta)
        p = self.model.n_obs
        C = imp.C[p:, p:]
        sd = np.sqrt(np.diag(C))
        names = self.model.names[p:]
        return pd.DataFrame(C / np.outer(sd, sd), index=names, columns=names)

    def reliability(self, **kwargs: Any) -> pd.DataFrame:
        """Cronbach's alpha, composite reliability, AVE and omega by construct.

        See :func:`semwidget.reliability.reliability`.
        """
        from semwidget.reliability import reliability

        return reliability(self, **kwargs)

    def validity(self, **kwargs: Any) -> Any:
        """Fornell-Larcker, HTMT and cross-loadings with pass/fail flags.

        See :func:`semwidget.validity.validity`.
        """
        from semwidget.validity import validity

        return validity(self, **kwargs)

    def indirect(self, x: str, y: str, **kwargs: Any) -> Any:
        """Specific indirect, total indirect, direct and total effects of ``x`` on ``y``.

        See :func:`semwidget.effects.indirect`.
        """
        from semwidget.effects import indirect

        return indirect(self, x, y, **kwargs)

    def modindices(self, **kwargs: Any) -> pd.DataFrame:
        """lavaan's modification indices (mi, epc, sepc.all) for parameters not in the model.

        See :func:`semwidget.modindices.modindices`.
        """
        from semwidget.modindices import modindices

        return modindices(self, **kwargs)

    def report(self, **kwargs: Any) -> Any:
        """The tables a paper reports, renderable in the notebook and exportable.

        See :func:`semwidget.report.report`.
        """
        from semwidget.report import report

        return report(self, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready result the CLI prints (numbers or ``None``)."""
        rows = []
        for rec in self.estimates.to_dict("records"):
            rows.append({k: _json_value(rec[k]) for k in ESTIMATE_COLUMNS})
        return {
            "engine": self.engine,
            "estimator": self.estimator,
            "missing": self.missing,
            "nobs": int(self.nobs),
            "converged": bool(self.converged),
            "estimates": rows,
            "fit": {k: _json_value(v) for k, v in self.fit_measures.items()},
            "r2": {k: _json_value(v) for k, v in self.r2.items()},
            "warnings": list(self.warnings),
        }

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as a JSON string."""
        return json.dumps(self.to_dict(), **kwargs)

    def summary(self) -> str:
        """A plain-text summary in the spirit of lavaan's ``summary(fit, standardized=TRUE)``."""
        from semwidget.summary_text import summary_text

        return summary_text(self)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        from semwidget.summary_text import summary_html

        return summary_html(self)


def _json_value(v: Any) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not np.isfinite(v) else float(v)
    return v


def defined_rows(table: pd.DataFrame, model: RAMModel, theta: np.ndarray, values: np.ndarray,
                 std_lv: np.ndarray, std_all: np.ndarray, vcov: np.ndarray | None
                 ) -> dict[int, tuple[float, float, float, float]]:
    """Estimate, SE (delta method), std.lv and std.all of each ``:=`` row, by table index."""
    if not (table["op"] == ":=").any():
        return {}
    labelled, funcs = defined_functions(table, model)

    def evaluate(vals: np.ndarray) -> dict[str, float]:
        env = {lab: float(vals[pos]) for lab, pos in labelled.items()}
        for _, name, fn in funcs:
            env[name] = fn(env)
        return env

    base = evaluate(values)
    lv = evaluate(std_lv)
    al = evaluate(std_all)
    out: dict[int, tuple[float, float, float, float]] = {}
    grads = np.zeros((len(funcs), model.n_par))
    for k in range(model.n_par):
        h = 1e-6 * max(1.0, abs(theta[k]))
        tp, tm = theta.copy(), theta.copy()
        tp[k] += h
        tm[k] -= h
        ep, em = evaluate(model.values(tp)), evaluate(model.values(tm))
        for r, (_, name, _) in enumerate(funcs):
            grads[r, k] = (ep[name] - em[name]) / (2 * h)
    for r, (tix, name, _) in enumerate(funcs):
        se = math.nan
        if vcov is not None:
            se = float(np.sqrt(max(grads[r] @ vcov @ grads[r], 0.0)))
        out[tix] = (base[name], se, lv[name], al[name])
    return out
