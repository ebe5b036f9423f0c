"""Power and sample size by Monte Carlo simulation, from a fitted model or a widget.

:func:`power` takes population values — a fit's (or a widget's) current estimates, with any
values the user gives instead — draws ``reps`` samples of each size, refits each
(:func:`semwidget.cb.montecarlo.replicate`) and reports, per path, loading, covariance and
defined effect: the share of replications whose two-sided Wald test rejects ``value = 0`` at
``alpha`` (power), the bias of the estimates, the mean standard error beside the estimates'
standard deviation, and how often the Wald interval covers the population value. Defined
effects (``:=`` rows and expressions such as ``"a*b"``) get delta-method standard errors, as
lavaan gives them.

Replications are fitted as in the bootstrap (batched ML); observed exogenous covariates are
estimated in each replication rather than fixed at one sample's values (the estimates of the
other parameters are the same either way), so the population covariates vary from sample to
sample as they do in a study.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb.montecarlo import Replications, replicate
from semwidget.cb.ram import RAMModel
from semwidget.distributions import norm_cdf, norm_ppf
from semwidget.errors import DataError, ModelSpecError
from semwidget.model.defined import compile_expression

__all__ = ["Power", "power"]

_TABLE_COLUMNS = ["id", "lhs", "op", "rhs", "user", "free", "ustart", "label", "freed", "exo"]
#: numpy versions of the functions ``:=`` expressions may use, to evaluate all replications
#: at once.
_ARRAY_FUNCS = {"sqrt": np.sqrt, "exp": np.exp, "log": np.log, "abs": np.abs, "sin": np.sin,
                "cos": np.cos, "tan": np.tan, "pnorm": norm_cdf}
_EDGE_OPS = ("=~", "~", "~~")


@dataclass
class _Target:
    """One quantity whose power is estimated: a free row or an expression of labels."""

    name: str
    pidx: int = -1            # free-parameter index of a row target
    code: Any = None          # compiled expression otherwise


def _base_fit(model: Any) -> Any:
    """The CB-SEM fit behind a FitResult or a widget (its last fit)."""
    if hasattr(model, "syntax") and hasattr(model, "result") and not hasattr(model, "theta"):
        if model.result is None:
            raise ModelSpecError("the widget has not been fitted yet: fit it (w.fit()) so its "
                                 "estimates can serve as population values")
        model = model.result
    if isinstance(model, (str, pd.DataFrame)):
        model = _fit_written_values(model)
    if getattr(model, "engine", None) != "sem" or not hasattr(model, "theta"):
        raise ModelSpecError(f"power() needs a CB-SEM fit or widget, not "
                             f"{type(model).__name__}")
    if model.multigroup or model.missing == "fiml" or model.model.meanstructure or \
            model.options.get("ordered"):
        raise ModelSpecError("power() simulates single-group models of complete continuous "
                             "data without a mean structure (no group=, missing='fiml', "
                             "'~ 1' or ordered=)")
    return model


#: Rows of the exact data that give population values from syntax (ML's N/(N-1) is 1e-5 off).
_EXACT_N = 100_000


def _fit_written_values(model: str | pd.DataFrame) -> Any:
    """The fit that turns values written in the syntax into population values.

    The syntax is read as :func:`semwidget.simulate` reads it (standardized values); data with
    exactly its moments are fitted by the same model with every written number freed and
    latent variances fixed to 1 (``std_lv``), so the estimates are the written population in
    that scaling (paths into a latent are rescaled by its residual variance).
    """
    from semwidget.cb.pipeline import fit_cb
    from semwidget.cb.simulate import simulate
    from semwidget.model import emit, parse

    table = (parse(model) if isinstance(model, str) else model).copy()
    if table.empty or not table["op"].isin(_EDGE_OPS).any():
        raise ModelSpecError("power() got a model without loadings, paths or covariances")
    data = simulate(table, _EXACT_N, seed=0, empirical=True)
    written = (table["user"] == 1) & table["op"].isin(_EDGE_OPS) & table["ustart"].notna()
    top = int(table["free"].max())
    for k, row in enumerate(np.flatnonzero(written.to_numpy())):
        table.iat[row, table.columns.get_loc("ustart")] = math.nan
        table.iat[row, table.columns.get_loc("free")] = top + 1 + k
    return fit_cb(emit(table), data, std_lv=True)


def _analysis_model(base: Any) -> tuple[pd.DataFrame, RAMModel, np.ndarray]:
    """The fit's table with fixed-x rows freed, its RAM model and the population vector."""
    table = base.table[_TABLE_COLUMNS].copy()
    exo = np.flatnonzero(table["exo"].to_numpy() == 1)
    top = int(table["free"].max())
    for k, row in enumerate(exo):
        table.iat[row, table.columns.get_loc("free")] = top + 1 + k
    ov = [str(v) for v in base.sample_cov.index]
    model = RAMModel.from_table(table, ov)
    by_row = dict(zip(base.model.table_index, base.model.values(base.theta), strict=True))
    theta = np.zeros(model.n_par)
    for pos, tix in enumerate(model.table_index):
        if model.pidx[pos] >= 0:
            theta[model.pidx[pos]] = by_row[tix]
    return table, model, theta


def _rows_named(table: pd.DataFrame, key: str) -> list[int]:
    """Table rows a label or a ``"lhs op rhs"`` names."""
    words = key.split()
    if len(words) == 3 and words[1] in (*_EDGE_OPS, "~1"):
        hit = (table["lhs"] == words[0]) & (table["op"] == words[1]) & (table["rhs"] == words[2])
        if words[1] == "~~" and not hit.any():
            hit = (table["lhs"] == words[2]) & (table["op"] == "~~") & (table["rhs"] == words[0])
    else:
        hit = (table["label"] == key) & table["op"].isin(_EDGE_OPS)
    return [int(k) for k in np.flatnonzero(hit.to_numpy())]


def _free_index(model: RAMModel, rows: list[int]) -> int:
    pos = [k for k, tix in enumerate(model.table_index) if tix in rows]
    return int(model.pidx[pos[0]]) if pos else -1


def _set_values(table: pd.DataFrame, model: RAMModel, theta: np.ndarray,
                values: Mapping[str, float]) -> np.ndarray:
    theta = theta.copy()
    for key, value in values.items():
        rows = _rows_named(table, str(key))
        if not rows:
            raise ModelSpecError(f"values: '{key}' is neither a label nor a row like 'y ~ x' of "
                                 "the model", name=str(key))
        q = _free_index(model, rows)
        if q < 0:
            raise ModelSpecError(f"values: '{key}' is fixed in the model; only free parameters "
                                 "take population values", name=str(key))
        if not isinstance(value, (int, float)) or isinstance(value, bool) or \
                not math.isfinite(value):
            raise ModelSpecError(f"values: '{key}' must be a finite number, not {value!r}",
                                 name=str(key))
        theta[q] = float(value)
    return theta


def _labels(table: pd.DataFrame, model: RAMModel) -> dict[str, int]:
    out: dict[str, int] = {}
    for pos, tix in enumerate(model.table_index):
        lab = table.at[tix, "label"]
        if lab and model.pidx[pos] >= 0:
            out.setdefault(str(lab), int(model.pidx[pos]))
    return out


def _expression(text: str, known: set[str], where: str) -> Any:
    compile_expression(text, known, where)  # the checks of ``:=`` (names, allowed syntax)
    return compile(ast.parse(text.replace("^", "**"), mode="eval"), "<effect>", "eval")


def _targets(table: pd.DataFrame, model: RAMModel, effects: Sequence[str] | None
             ) -> list[_Target]:
    labels = _labels(table, model)
    defined = {str(r["lhs"]): str(r["rhs"]) for r in table.to_dict("records") if r["op"] == ":="}
    out: list[_Target] = []
    if effects is None:
        for pos, tix in enumerate(model.table_index):
            op, lhs, rhs = table.at[tix, "op"], table.at[tix, "lhs"], table.at[tix, "rhs"]
            if model.pidx[pos] >= 0 and table.at[tix, "exo"] == 0 and (
                    op in ("=~", "~") or (op == "~~" and lhs != rhs)):
                out.append(_Target(f"{lhs} {op} {rhs}", pidx=int(model.pidx[pos])))
        known = set(labels)
        for name, rhs in defined.items():
            out.append(_Target(name, code=_expression(rhs, known, f"{name} := {rhs}")))
            known.add(name)
        return out
    if isinstance(effects, str):
        effects = [effects]
    for effect in effects:
        text = " ".join(str(effect).split())
        rows = _rows_named(table, text)
        if rows:
            q = _free_index(model, rows)
            if q < 0:
                raise ModelSpecError(f"effects: '{text}' is fixed in the model; it has no power",
                                     name=text)
            out.append(_Target(text, pidx=q))
        elif len(text.split()) == 3 and text.split()[1] in (*_EDGE_OPS, "~1"):
            raise ModelSpecError(f"effects: '{text}' is not a row of the model", name=text)
        elif text in defined:
            known = set(labels) | set(defined)
            out.append(_Target(text, code=_expression(defined[text], known, text)))
        else:
            out.append(_Target(text, code=_expression(text, set(labels) | set(defined), text)))
    return out


def _values(target: _Target, theta: np.ndarray, labels: dict[str, int],
            defined: dict[str, Any]) -> np.ndarray:
    """The target at each row of ``theta`` (shape (b, q))."""
    if target.code is None:
        return theta[:, target.pidx]
    env: dict[str, Any] = {k: theta[:, q] for k, q in labels.items()}
    for name, code in defined.items():
        env[name] = eval(code, {"__builtins__": {}}, {**_ARRAY_FUNCS, **env})  # noqa: S307
    with np.errstate(all="ignore"):
        out = eval(target.code, {"__builtins__": {}}, {**_ARRAY_FUNCS, **env})  # noqa: S307
    return np.broadcast_to(np.asarray(out, dtype=float), (len(theta),)).copy()


def _delta_se(target: _Target, theta: np.ndarray, vcov: np.ndarray, labels: dict[str, int],
              defined: dict[str, Any]) -> np.ndarray:
    """Standard errors: the row's own, or the delta method with a numeric gradient."""
    if target.code is None:
        return np.sqrt(vcov[:, target.pidx, target.pidx])
    b, q = theta.shape
    grad = np.zeros((b, q))
    for j in range(q):
        h = 1e-6 * np.maximum(1.0, np.abs(theta[:, j]))
        up, down = theta.copy(), theta.copy()
        up[:, j] += h
        down[:, j] -= h
        grad[:, j] = (_values(target, up, labels, defined)
                      - _values(target, down, labels, defined)) / (2 * h)
    var = np.einsum("bq,bqr,br->b", grad, vcov, grad)
    return np.sqrt(np.where(var >= 0, var, np.nan))


@dataclass
class Power:
    """Monte Carlo power of each path and effect at each sample size.

    Attributes
    ----------
    table : DataFrame
        One row per sample size and quantity: ``n effect population mean_est bias
        rel_bias sd_est mean_se power coverage ok``; ``ok`` is how many replications
        converged with finite standard errors (the shares are over those).
    reps : int
        Replications per sample size.
    alpha, level : float
        The test's size and the intervals' confidence level.
    seed : int or None
    """

    table: pd.DataFrame
    reps: int
    alpha: float
    level: float
    seed: int | None
    target: float = 0.8
    notes: list[str] = field(default_factory=list)

    @property
    def power(self) -> pd.DataFrame:
        """Power as a grid: index ``n``, one column per quantity."""
        return self.table.pivot(index="n", columns="effect", values="power")[
            list(dict.fromkeys(self.table["effect"]))]

    def smallest_n(self, target: float | None = None) -> pd.DataFrame:
        """The smallest sample size reaching ``target`` power, per quantity.

        Returns
        -------
        DataFrame
            Index ``effect``; ``n_grid`` the smallest simulated n with power ≥ target (NaN
            if none), ``n_interpolated`` the n where the power curve, interpolated linearly on
            the probit scale between the simulated n, crosses ``target`` (NaN outside them).
        """
        target = self.target if target is None else float(target)
        if not 0 < target < 1:
            raise DataError(f"target power must lie between 0 and 1, not {target!r}")
        grid = self.power
        ns = grid.index.to_numpy(dtype=float)
        rows = []
        for effect in grid.columns:
            p = grid[effect].to_numpy(dtype=float)
            hit = np.flatnonzero(p >= target)
            n_grid = float(ns[hit[0]]) if hit.size else math.nan
            n_int = math.nan
            if hit.size and hit[0] > 0:
                k = hit[0]
                lo, hi = (norm_ppf(np.clip(p[k - 1:k + 1], 1e-4, 1 - 1e-4)))
                z = norm_ppf(target)
                n_int = float(ns[k - 1] + (z - lo) / (hi - lo) * (ns[k] - ns[k - 1])) \
                    if hi > lo else n_grid
            elif hit.size:
                n_int = n_grid if p[0] >= target else math.nan
            rows.append({"effect": effect, "n_grid": n_grid, "n_interpolated": n_int})
        return pd.DataFrame(rows).set_index("effect")

    def plot(self, effects: Sequence[str] | None = None) -> Any:
        """The power curves (bqplot), see :func:`semwidget.tables.plots.power_curve`."""
        from semwidget.tables.plots import power_curve

        return power_curve(self, effects)

    def _repr_html_(self) -> str:
        shown = self.table.copy()
        return (f"<p>Monte Carlo power: {self.reps} replications per n, α = {self.alpha}, "
                f"{round(self.level * 100)}% Wald intervals.</p>"
                + shown.to_html(index=False, float_format=lambda v: f"{v:.3f}"))


def _summaries(rep: Replications, targets: list[_Target], theta_pop: np.ndarray,
               labels: dict[str, int], defined: dict[str, Any], alpha: float, level: float
               ) -> list[dict[str, Any]]:
    crit_test = norm_ppf(1 - alpha / 2)
    crit_ci = norm_ppf(0.5 + level / 2)
    rows = []
    for t in targets:
        pop = float(_values(t, theta_pop[None, :], labels, defined)[0])
        est = _values(t, np.nan_to_num(rep.theta), labels, defined)
        se = _delta_se(t, np.nan_to_num(rep.theta), np.nan_to_num(rep.vcov, nan=np.nan),
                       labels, defined)
        ok = rep.converged & np.isfinite(est) & np.isfinite(se) & (se > 0)
        e, s = est[ok], se[ok]
        m = int(ok.sum())
        mean = float(e.mean()) if m else math.nan
        rows.append({
            "n": rep.n, "effect": t.name, "population": pop, "mean_est": mean,
            "bias": mean - pop, "rel_bias": (mean - pop) / pop if pop != 0 else math.nan,
            "sd_est": float(e.std(ddof=1)) if m > 1 else math.nan,
            "mean_se": float(s.mean()) if m else math.nan,
            "power": float(np.mean(np.abs(e / s) > crit_test)) if m else math.nan,
            "coverage": float(np.mean(np.abs(e - pop) <= crit_ci * s)) if m else math.nan,
            "ok": m})
    return rows


def _sizes(n: Any) -> list[int]:
    ns = [n] if isinstance(n, (int, np.integer)) else list(n)
    if not ns:
        raise DataError("n: give at least one sample size")
    for v in ns:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 2:
            raise DataError(f"n: sample sizes must be whole numbers ≥ 2, not {v!r}")
    return sorted({int(v) for v in ns})


def power(model: Any, n: int | Sequence[int] = (100, 200, 400, 800), *, reps: int = 1000,
          effects: Sequence[str] | str | None = None, alpha: float = 0.05,
          seed: int | None = None, values: Mapping[str, float] | None = None,
          level: float = 0.95, target: float = 0.8, n_jobs: int | None = 1,
          client: Any = None, progress: bool | None = None) -> Power:
    """Power, bias and interval coverage of a model's paths and effects, by simulation.

    Parameters
    ----------
    model : FitResult, SEMWidget or str
        A CB-SEM fit, or a widget (its last fit): its estimates are the population values.
        Or lavaan syntax with a value on every loading and path, read as
        :func:`semwidget.simulate` reads it (standardized); the analysis model is the same
        model with those values freed and ``std_lv=True``.
    n : int or sequence of int
        Sample sizes to simulate.
    reps : int
        Replications per sample size.
    effects : sequence of str, optional
        What to report: rows (``"CLE ~ INT"``), labels (``"a"``), defined parameters
        (``"ind"``) or expressions of labels (``"a*b"``). Default: every free loading, path
        and covariance and every ``:=`` row.
    alpha : float
        Size of the two-sided Wald test of ``value = 0``.
    seed : int, optional
        The same seed gives the same numbers whatever ``n_jobs`` or cluster.
    values : dict, optional
        Population values instead of the estimates, by label or row: ``{"a": .3,
        "CLE ~ INT": .2}`` (the values a user types on the arrows).
    level : float
        Confidence level of the Wald intervals whose coverage is reported.
    target : float
        Target power of :meth:`Power.smallest_n`.
    n_jobs : int, optional
        joblib workers; ``client``: a ``dask.distributed.Client`` to run on instead.
    progress : bool, optional
        Show a progress bar (default: for long runs in Jupyter or at a terminal).

    Returns
    -------
    Power
        ``.table``, ``.power`` (grid), ``.smallest_n()``, ``.plot()``.

    Raises
    ------
    ModelSpecError
        Not a single-group complete-data CB-SEM fit, an unknown label or row, a fixed one,
        a population that is not positive definite.
    DataError
        Bad ``n``, ``reps``, ``alpha``, ``level``.
    """
    ns = _sizes(n)
    if isinstance(reps, bool) or not isinstance(reps, (int, np.integer)) or reps < 2:
        raise DataError(f"reps must be a whole number ≥ 2, not {reps!r}")
    for name, v in (("alpha", alpha), ("level", level), ("target", target)):
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 < v < 1:
            raise DataError(f"{name} must lie between 0 and 1, not {v!r}")
    base = _base_fit(model)
    table, ram, theta = _analysis_model(base)
    if values:
        theta = _set_values(table, ram, theta, values)
    sigma = ram.implied(theta).sigma
    if np.linalg.eigvalsh(sigma)[0] <= 0:
        raise ModelSpecError("with these population values the implied covariance matrix of "
                             "the observed variables is not positive definite; make the values "
                             "smaller")
    targets = _targets(table, ram, effects)
    labels = _labels(table, ram)
    defined: dict[str, Any] = {}
    known = set(labels)
    for r in table.to_dict("records"):
        if r["op"] == ":=":
            defined[str(r["lhs"])] = _expression(str(r["rhs"]), known, str(r["lhs"]))
            known.add(str(r["lhs"]))
    runs = replicate(ram, theta, ns, int(reps), seed=seed, n_jobs=n_jobs, client=client,
                     progress=progress)
    rows = [row for rep in runs
            for row in _summaries(rep, targets, theta, labels, defined, alpha, level)]
    out = pd.DataFrame(rows)
    notes = [f"n = {r.n}: {int((~r.converged).sum())} of {reps} replications did not converge"
             for r in runs if (~r.converged).any()]
    return Power(out, int(reps), float(alpha), float(level), seed, float(target), notes)
