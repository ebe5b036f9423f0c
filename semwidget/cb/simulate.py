"""Draw data from a structural equation model whose parameters are known.

``simulate`` takes either lavaan syntax in which every loading and path carries a value
(``F1 =~ .8*a1 + .7*a2``, ``F2 ~ .4*F1``) or a fitted :class:`~semwidget.FitResult`, and
returns a data frame of multivariate normal data, optionally cut into Likert items.

The model is written in RAM form (see :mod:`semwidget.cb.ram`): directed effects ``A``,
(residual) variances and covariances ``S``; every variable is ``v = B e`` with
``B = (I - A)^-1`` and ``e ~ N(0, S)``. Drawing ``e`` and multiplying by ``B`` gives the
observed and the latent scores from the same draw.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from semwidget.distributions import binom_cdf, norm_ppf
from semwidget.errors import DataError, ModelSpecError
from semwidget.model.partable import roles

__all__ = ["Population", "likert_thresholds", "population", "simulate"]

_MAX_ITER = 1000
_TOL = 1e-13


@dataclass
class Population:
    """A model with every parameter known, in RAM form.

    Attributes
    ----------
    names : list of str
        All variables, observed first, then latent.
    n_obs : int
        How many of ``names`` are observed.
    A : ndarray
        Directed effects; ``A[i, j]`` is the effect of ``names[j]`` on ``names[i]``.
    S : ndarray
        Variances and covariances of the exogenous variables and of the residuals.
    mean : ndarray
        Means of all variables.
    """

    names: list[str]
    n_obs: int
    A: np.ndarray
    S: np.ndarray
    mean: np.ndarray

    @property
    def observed(self) -> list[str]:
        """The observed variables, in model order."""
        return self.names[: self.n_obs]

    @property
    def latent(self) -> list[str]:
        """The latent variables, in model order."""
        return self.names[self.n_obs:]

    @property
    def B(self) -> np.ndarray:
        """Total-effect matrix ``(I - A)^-1``."""
        return _total_effects(self.A, self.names)

    @property
    def cov(self) -> pd.DataFrame:
        """Implied covariance matrix of all variables (observed and latent)."""
        B = self.B
        return pd.DataFrame(B @ self.S @ B.T, index=self.names, columns=self.names)

    @property
    def observed_cov(self) -> pd.DataFrame:
        """Implied covariance matrix of the observed variables."""
        return self.cov.iloc[: self.n_obs, : self.n_obs]


def _total_effects(A: np.ndarray, names: list[str]) -> np.ndarray:
    try:
        B = np.linalg.inv(np.eye(len(names)) - A)
    except np.linalg.LinAlgError as err:
        raise ModelSpecError("the regressions form a loop with no solution ((I - A) is "
                             "singular)") from err
    return B


def _value(row: Mapping[str, Any]) -> float:
    """The number written on a row (fixed value or start value), NaN when none."""
    u = row["ustart"]
    return float(u) if u is not None and not (isinstance(u, float) and math.isnan(u)) else math.nan


def _describe(row: Mapping[str, Any]) -> str:
    return f"'{row['lhs']} {row['op']} {row['rhs']}'"


def _from_syntax(model: str | pd.DataFrame, standardized: bool) -> Population:
    """Population from lavaan syntax with values on the loadings, paths and (co)variances."""
    from semwidget.model import parse

    table = parse(model) if isinstance(model, str) else model
    if not isinstance(table, pd.DataFrame):
        raise ModelSpecError(
            f"model must be lavaan syntax (str), a parameter table or a FitResult, not "
            f"{type(model).__name__}")
    rows = table.to_dict("records")
    rows = [r for r in rows if r.get("user", 1) == 1]
    composite = next((r for r in rows if r["op"] == "<~"), None)
    if composite is not None:
        raise ModelSpecError(
            f"{_describe(composite)}: composites ('<~') cannot be simulated; write the block "
            "as a reflective latent ('=~')", name=composite["lhs"])
    r = roles(rows)
    names = list(r.ov) + [v for v in r.lv if v not in r.ov]
    if not names:
        raise ModelSpecError("the model has no variables to simulate")
    pos = {v: k for k, v in enumerate(names)}
    p = len(names)
    A = np.zeros((p, p))
    S = np.zeros((p, p))
    var_given = np.zeros(p, dtype=bool)
    cov_given: dict[tuple[int, int], float] = {}
    mean = np.zeros(p)
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        op = row["op"]
        if op not in ("=~", "~", "~~", "~1"):
            continue  # ':=' and constraints say nothing new once every value is fixed
        key = (row["lhs"], op, row["rhs"])
        if op == "~~" and row["rhs"] < row["lhs"]:
            key = (row["rhs"], op, row["lhs"])
        if key in seen:
            raise ModelSpecError(f"{_describe(row)} is written twice", name=row["lhs"])
        seen.add(key)
        value = _value(row)
        if math.isnan(value):
            kind = {"=~": "loading", "~": "regression path", "~~": "(co)variance",
                    "~1": "intercept"}[op]
            example = {"=~": f"{row['lhs']} =~ 0.7*{row['rhs']}",
                       "~": f"{row['lhs']} ~ 0.3*{row['rhs']}",
                       "~~": f"{row['lhs']} ~~ 0.2*{row['rhs']}",
                       "~1": f"{row['lhs']} ~ 0*1"}[op]
            raise ModelSpecError(
                f"the {kind} {_describe(row)} has no value; write it as a number times the "
                f"variable, e.g. '{example}'", name=row["rhs"] or row["lhs"])
        if op == "=~":
            A[pos[row["rhs"]], pos[row["lhs"]]] = value
        elif op == "~":
            A[pos[row["lhs"]], pos[row["rhs"]]] = value
        elif op == "~1":
            mean[pos[row["lhs"]]] = value
        else:
            i, j = pos[row["lhs"]], pos[row["rhs"]]
            if i == j:
                if value < 0:
                    raise ModelSpecError(
                        f"{_describe(row)}: a variance cannot be negative ({value:g})",
                        name=row["lhs"])
                S[i, i] = value
                var_given[i] = True
            else:
                cov_given[(i, j)] = value
    if (np.abs(np.diag(A)) > 0).any():
        k = int(np.flatnonzero(np.diag(A))[0])
        raise ModelSpecError(f"'{names[k]}' cannot predict itself", name=names[k])
    B = _total_effects(A, names)
    endo = np.abs(A).sum(axis=1) > 0
    if standardized:
        _check_correlations(cov_given, names)
        S = _unit_variance_residuals(A, B, S, var_given, endo, cov_given, names)
    else:
        missing = [names[k] for k in range(p) if not var_given[k]]
        if missing:
            raise ModelSpecError(
                f"with standardized=False every (residual) variance needs a value; "
                f"'{missing[0]}' has none (e.g. '{missing[0]} ~~ 1*{missing[0]}')",
                name=missing[0])
        for (i, j), v in cov_given.items():
            S[i, j] = S[j, i] = v
    mean = B @ mean  # intercepts pass through the paths like any other input
    return Population(names, len(r.ov), A, S, mean)


def _check_correlations(cov_given: dict[tuple[int, int], float], names: list[str]) -> None:
    for (i, j), v in cov_given.items():
        if not -1.0 <= v <= 1.0:
            raise ModelSpecError(
                f"'{names[i]} ~~ {v:g}*{names[j]}': in a standardized model a covariance is a "
                "correlation and must lie between -1 and 1", name=names[i])


def _fill_s(S: np.ndarray, psi: np.ndarray, cov_given: dict[tuple[int, int], float]
            ) -> np.ndarray:
    out = S.copy()
    np.fill_diagonal(out, psi)
    sd = np.sqrt(np.clip(psi, 0.0, None))
    for (i, j), r in cov_given.items():
        out[i, j] = out[j, i] = r * sd[i] * sd[j]
    return out


def _unit_variance_residuals(A: np.ndarray, B: np.ndarray, S: np.ndarray, var_given: np.ndarray,
                             endo: np.ndarray, cov_given: dict[tuple[int, int], float],
                             names: list[str]) -> np.ndarray:
    """Residual variances that give every variable unit total variance.

    A variable's explained variance depends on the residual variances of its predictors (and on
    its own when its residual correlates with a predictor's), so solve the fixed point
    ``psi = 1 - explained(psi)`` by iteration; for recursive models it is exact after as many
    sweeps as the longest chain of arrows.
    """
    psi = np.where(var_given, np.diag(S), 1.0)
    adjust = ~var_given & endo
    for _ in range(_MAX_ITER):
        full = _fill_s(S, psi, cov_given)
        C = B @ full @ B.T
        explained = np.diag(C) - psi
        new = np.where(adjust, 1.0 - explained, psi)
        done = np.max(np.abs(new - psi)) < _TOL
        psi = new
        if done:
            break
    else:
        raise ModelSpecError(
            "could not find residual variances that give every variable unit variance "
            "(the feedback loops in the model do not settle); give the residual variances "
            "explicitly with standardized=False")
    # A loading of exactly 1 leaves no residual (an observed variable standing for a latent).
    psi = np.where(adjust & (np.abs(psi) < 1e-12), 0.0, psi)
    bad = np.flatnonzero(adjust & (psi < 0.0))
    if bad.size:
        k = int(bad[0])
        raise ModelSpecError(
            f"the standardized values explain {1.0 - psi[k]:.3f} of the variance of "
            f"'{names[k]}' (R² > 1), so its residual variance would be {psi[k]:.3f}; make "
            "its loadings or paths smaller", name=names[k])
    return _fill_s(S, psi, cov_given)


def _from_fit(result: Any) -> Population:
    """Population from the estimates of a fitted CB-SEM model."""
    model = result.model
    A, S, m = model.matrices(result.theta)
    names = list(model.names)
    B = _total_effects(A, names)
    p = model.n_obs
    if model.meanstructure:
        mean = B @ m
    else:
        mean = np.zeros(len(names))
        sample_mean = getattr(result, "sample_mean", None)
        if sample_mean is not None:
            mean[:p] = np.asarray(sample_mean, dtype=float)
        elif getattr(result, "data", None) is not None:
            mean[:p] = result.data[names[:p]].mean().to_numpy(dtype=float)
    return Population(names, p, A, S, mean)


def population(model: Any, *, standardized: bool = True) -> Population:
    """The population model :func:`simulate` draws from.

    Parameters
    ----------
    model : str, DataFrame or FitResult
        As in :func:`simulate`.
    standardized : bool
        As in :func:`simulate` (ignored for a FitResult).

    Returns
    -------
    Population
        The RAM matrices with every residual variance filled in; ``.cov`` is the implied
        covariance matrix of all variables.
    """
    if hasattr(model, "theta") and hasattr(model, "model"):
        if getattr(model, "engine", "sem") != "sem":
            raise ModelSpecError(
                "simulate needs a CB-SEM FitResult; for a PLS model write its standardized "
                "loadings and paths into the syntax")
        return _from_fit(model)
    if getattr(model, "engine", None) == "pls":
        raise ModelSpecError(
            "simulate needs a CB-SEM FitResult; for a PLS model write its standardized "
            "loadings and paths into the syntax")
    return _from_syntax(model, standardized)


def likert_thresholds(k: int) -> np.ndarray:
    """Cut points on the standard normal scale for a symmetric ``k``-point item.

    The category probabilities are those of a Binomial(k − 1, ½) distribution, a discrete bell
    shape centred on the middle category (for k = 5: 6%, 25%, 38%, 25%, 6%).

    Parameters
    ----------
    k : int
        Number of categories (≥ 2).

    Returns
    -------
    ndarray
        ``k - 1`` increasing thresholds.
    """
    cum = binom_cdf(np.arange(k - 1), k - 1, 0.5)
    return norm_ppf(cum)


def _likert_spec(likert: int | Mapping[str, int] | None, observed: list[str]) -> dict[str, int]:
    if likert is None:
        return {}
    if isinstance(likert, Mapping):
        unknown = [name for name in likert if name not in observed]
        if unknown:
            raise ModelSpecError(
                f"likert names '{unknown[0]}', which is not an observed variable of the model "
                f"(observed: {', '.join(observed)})", name=str(unknown[0]))
        spec = dict(likert)
    else:
        spec = dict.fromkeys(observed, likert)
    for name, k in spec.items():
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 2:
            raise DataError(f"likert for '{name}' must be a whole number of categories ≥ 2, "
                            f"not {k!r}", column=name)
    return {name: int(k) for name, k in spec.items()}


def _factor(S: np.ndarray, names: list[str]) -> np.ndarray:
    """A matrix ``L`` with ``L L' = S`` for a positive semi-definite ``S`` with zero rows."""
    active = np.flatnonzero(np.abs(S).sum(axis=1) > 0)
    L = np.zeros_like(S)
    if active.size == 0:
        return L
    sub = S[np.ix_(active, active)]
    try:
        L[np.ix_(active, active)] = np.linalg.cholesky(sub)
    except np.linalg.LinAlgError:
        raise ModelSpecError(_not_pd_message(sub, [names[k] for k in active])) from None
    return L


def _not_pd_message(sub: np.ndarray, names: list[str]) -> str:
    """Name the first variable whose (co)variances make the leading block not positive definite."""
    for k in range(1, len(names) + 1):
        if np.linalg.eigvalsh(sub[:k, :k]).min() <= 0:
            others = [names[j] for j in range(k - 1) if sub[k - 1, j] != 0]
            with_ = f" together with {', '.join(others)}" if others else ""
            return (f"the variances and covariances of '{names[k - 1]}'{with_} are not positive "
                    "definite (the correlations are impossible together); make them smaller")
    return "the variances and covariances are not positive definite"


def _check_observed(pop: Population) -> None:
    sigma = pop.observed_cov.to_numpy()
    w, v = np.linalg.eigh(sigma)
    if w.min() <= 1e-10 * max(1.0, w.max()):
        weights = np.abs(v[:, 0])
        involved = [pop.observed[k] for k in np.argsort(-weights)[:3] if weights[k] > 0.1]
        raise ModelSpecError(
            "the implied covariance matrix of the observed variables is not positive definite "
            f"(smallest eigenvalue {w.min():.3g}); the problem involves "
            f"{', '.join(involved)} — a variable with no unique variance (loading ±1) or "
            "perfectly correlated variables", name=involved[0] if involved else None)


def _exact_moments(x: np.ndarray, pop: Population) -> np.ndarray:
    """Rescale a sample so its mean and covariance equal the population's exactly."""
    n, p = x.shape
    if n <= p:
        raise DataError(f"empirical=True needs more cases than observed variables ({n} ≤ {p})")
    centred = x - x.mean(axis=0)
    sample = centred.T @ centred / (n - 1)
    # whiten with the sample Cholesky factor, colour with the population one
    white = np.linalg.solve(np.linalg.cholesky(sample), centred.T).T
    return white @ np.linalg.cholesky(pop.observed_cov.to_numpy()).T + pop.mean[:p]


def simulate(model: Any, n: int, *, seed: int | np.random.Generator | None = None,
             likert: int | Mapping[str, int] | None = None, standardized: bool = True,
             latent: bool = False, empirical: bool = False) -> pd.DataFrame:
    """Draw a sample from a model with known parameters.

    Parameters
    ----------
    model : str, DataFrame or FitResult
        lavaan syntax (or its parameter table) in which every loading, path and
        covariance carries a value, e.g.::

            F1 =~ .8*a1 + .7*a2 + .6*a3
            F2 =~ .7*b1 + .7*b2 + .7*b3
            F2 ~ .4*F1

        or a CB-SEM :class:`~semwidget.FitResult`, whose estimates (and sample means)
        are used as the population values.
    n : int
        Sample size (≥ 2).
    seed : int, numpy Generator or None
        Seed for :func:`numpy.random.default_rng`; the same seed gives the same data.
    likert : int or dict, optional
        Cut every observed variable (an int) or the named ones (``{"a1": 7}``) into
        ``k``-point items scored 1..k, with the symmetric thresholds of
        :func:`likert_thresholds` applied to the standardized population scores.
    standardized : bool
        With syntax: the values are standardized (the default). Variables with no incoming
        arrow have variance 1 unless a variance is written; every other variable gets the
        residual variance that makes its total variance 1 (indicator: 1 − λ², latent:
        1 − R²), found exactly from the implied covariance matrix; a ``~~`` between two
        variables is the correlation of their (residual) parts. With ``False`` every
        (residual) variance must be written and covariances are taken as they are.
        Unwritten covariances are 0 either way.
    latent : bool
        Also return the latent scores (as extra columns after the observed ones).
    empirical : bool
        Make the sample means and covariance matrix (denominator ``n - 1``) of the observed
        variables equal the population ones exactly, as ``MASS::mvrnorm(empirical = TRUE)``
        does; fitting a model to such data gives the population values of its parameters in
        the model's own scaling (up to the factor (n − 1)/n of ML's divide-by-n covariance, so
        use a large ``n``). Applied before any Likert cut; latent scores are left as drawn.

    Returns
    -------
    DataFrame
        ``n`` rows, one column per observed variable (in model order); float, or int for
        Likert items.

    Raises
    ------
    ModelSpecError
        A loading or path without a value, an R² above 1, impossible correlations, a
        non-positive-definite implied covariance matrix, unknown names in ``likert``.
    DataError
        ``n`` < 2 or a Likert ``k`` < 2.

    Examples
    --------
    >>> df = simulate("F =~ .8*a + .7*b + .6*c", 500, seed=1, likert=5)
    >>> sorted(df["a"].unique())
    [1, 2, 3, 4, 5]
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise DataError(f"n must be a whole number of cases ≥ 2, not {n!r}")
    pop = population(model, standardized=standardized)
    L = _factor(pop.S, pop.names)
    _check_observed(pop)
    spec = _likert_spec(likert, pop.observed)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    e = rng.standard_normal((int(n), len(pop.names))) @ L.T
    scores = e @ pop.B.T + pop.mean
    if empirical:
        scores[:, : pop.n_obs] = _exact_moments(scores[:, : pop.n_obs], pop)
    keep = pop.names if latent else pop.observed
    out = pd.DataFrame(scores[:, : len(keep)], columns=keep)
    if spec:
        sd = np.sqrt(np.diag(pop.cov.to_numpy()))
        for name, k in spec.items():
            j = pop.names.index(name)
            z = (out[name].to_numpy() - pop.mean[j]) / sd[j]
            out[name] = np.searchsorted(likert_thresholds(k), z).astype(np.int64) + 1
    return out
