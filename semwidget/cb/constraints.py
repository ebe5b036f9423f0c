"""General (nonlinear) equality and inequality constraints between parameter labels.

lavaan accepts ``==``, ``<`` and ``>`` between expressions of labels (``b1 == (b2 + b3)^2``,
``b1 > exp(b2 + b3)``, ``b1 < b3``). The simple forms (``a == b``, ``a == 0.5``, ``a > 0``) are
handled before estimation (shared free index, fixed value, bound; see ``model.partable`` and
``cb.prepare``); everything else lands here.

What lavaan does with them, and so what this module does:

- the estimate is the constrained optimum of the same discrepancy function (lavaan reaches it
  with an augmented Lagrangian around ``nlminb``; here SLSQP finds the active set and a Newton
  step on the KKT conditions polishes it);
- the covariance matrix of the estimates is the inverse of the information matrix augmented by
  the Jacobian ``H`` of the equality and *active* inequality constraints, restricted to the
  parameters. That block equals the null-space projection ``Z (Z' I Z)^-1 Z'`` with the columns
  of ``Z`` spanning the null space of ``H``, which is how it is computed here;
- every equality constraint adds one degree of freedom (and removes one parameter from
  ``npar`` for AIC/BIC); inequality constraints never change df, active or not.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from semwidget.cb import estimate as cbsem
from semwidget.cb.estimate import Estimate, _ml_gradient, _ml_information, _ml_mean_objective
from semwidget.cb.ram import RAMModel
from semwidget.errors import ModelSpecError
from semwidget.model.defined import compile_expression, defined_functions
from semwidget.model.frame_arrays import column
from semwidget.model.partable import MODEL_OPS, _as_number

CONSTRAINT_OPS = ("==", "<", ">")
# A constraint counts as active when its slack is this small (on the scale of its terms).
ACTIVE_TOL = 1e-6


@dataclass
class Constraints:
    """Constraints as functions of the free parameter vector.

    ``equal(theta)`` must be 0 and ``inequal(theta)`` must be >= 0 (``lhs > rhs`` is stored as
    ``lhs - rhs``, ``lhs < rhs`` as ``rhs - lhs``); ``texts`` names them, equalities first.
    """

    equal: Callable[[np.ndarray], np.ndarray]
    inequal: Callable[[np.ndarray], np.ndarray]
    n_eq: int
    n_ineq: int
    texts: list[str]

    def jacobian(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Central-difference Jacobians of the equality and inequality functions."""
        return _jacobian(self.equal, theta, self.n_eq), _jacobian(self.inequal, theta,
                                                                   self.n_ineq)

    def active(self, theta: np.ndarray) -> np.ndarray:
        """Jacobian rows of the equalities and of the inequalities at their bound."""
        j_eq, j_in = self.jacobian(theta)
        slack = self.inequal(theta)
        on_bound = np.abs(slack) <= ACTIVE_TOL * np.maximum(1.0, _scale(j_in, theta))
        return np.vstack([j_eq, j_in[on_bound]])


def _scale(jac: np.ndarray, theta: np.ndarray) -> np.ndarray:
    return np.abs(jac) @ np.maximum(1.0, np.abs(theta)) if jac.size else np.zeros(0)


def _jacobian(fun: Callable[[np.ndarray], np.ndarray], theta: np.ndarray, m: int
              ) -> np.ndarray:
    out = np.zeros((m, len(theta)))
    if m == 0:
        return out
    for k in range(len(theta)):
        h = 1e-6 * max(1.0, abs(theta[k]))
        tp, tm = theta.copy(), theta.copy()
        tp[k] += h
        tm[k] -= h
        out[:, k] = (fun(tp) - fun(tm)) / (2.0 * h)
    return out


def is_simple(full: pd.DataFrame, lhs: str, op: str, rhs: str) -> bool:
    """Whether a constraint row is one of the forms handled by fixing, merging or a bound."""
    labels = set(full.loc[full["op"].isin(MODEL_OPS), "label"]) - {""}
    a, b = lhs.strip(), rhs.strip()
    if op == "==":
        return a in labels and (b in labels or _as_number(b) is not None)
    return (a in labels and _as_number(b) is not None) or \
        (b in labels and _as_number(a) is not None)


def general_rows(full: pd.DataFrame) -> list[int]:
    """Table indices of the constraint rows that need the general machinery."""
    ops = column(full, "op")
    if not set(CONSTRAINT_OPS).intersection(ops.tolist()):  # most models: no frame indexing
        return []
    rows = full.index[np.isin(ops, CONSTRAINT_OPS)]
    return [i for i in rows if not is_simple(full, str(full.at[i, "lhs"]), full.at[i, "op"],
                                             str(full.at[i, "rhs"]))]


def read_constraints(full: pd.DataFrame, model: RAMModel) -> Constraints | None:
    """Compile the general constraint rows of a full table (``None`` if there are none).

    Raises
    ------
    ModelSpecError
        Naming the constraint, when an expression is outside lavaan's grammar or names
        something that is not a parameter label or a defined (``:=``) parameter.
    """
    rows = general_rows(full)
    if not rows:
        return None
    labelled, defs = defined_functions(full, model)
    known = set(labelled) | {name for _, name, _ in defs}
    eqs: list[tuple[str, Callable, Callable]] = []
    ins: list[tuple[str, Callable, Callable]] = []
    for i in rows:
        lhs, op, rhs = str(full.at[i, "lhs"]), full.at[i, "op"], str(full.at[i, "rhs"])
        text = f"{lhs} {op} {rhs}"
        f_l = compile_expression(lhs, known, text)
        f_r = compile_expression(rhs, known, text)
        if op == "<":
            f_l, f_r = f_r, f_l
        (eqs if op == "==" else ins).append((text, f_l, f_r))

    def values(theta: np.ndarray) -> dict[str, float]:
        vals = model.values(theta)
        env = {lab: float(vals[pos]) for lab, pos in labelled.items()}
        for _, name, fun in defs:
            env[name] = fun(env)
        return env

    def evaluator(items: list[tuple[str, Callable, Callable]]
                  ) -> Callable[[np.ndarray], np.ndarray]:
        def evaluate(theta: np.ndarray) -> np.ndarray:
            env = values(theta)
            return np.array([fl(env) - fr(env) for _, fl, fr in items])
        return evaluate

    return Constraints(evaluator(eqs), evaluator(ins), len(eqs), len(ins),
                       [t for t, _, _ in eqs + ins])


def constrained_minimum(fun: Callable[[np.ndarray], float],
                        grad: Callable[[np.ndarray], np.ndarray], theta0: np.ndarray,
                        cons: Constraints) -> tuple[np.ndarray, bool]:
    """Minimise ``fun`` subject to the constraints; returns the estimate and convergence.

    SLSQP (from the start values, which need not be feasible) finds the optimum and its active
    set; Newton steps on the KKT equations of that active set then make the estimate precise
    (SLSQP's own stopping rule leaves about 1e-6 of the parameters' size).
    """
    from scipy import optimize  # only constrained fits need it (import time of the package)

    theta0 = _defined_start(theta0, cons)
    # an expression undefined along the way (log of a negative value) counts as far off
    spec = []
    if cons.n_eq:
        spec.append({"type": "eq", "fun": lambda t: np.nan_to_num(cons.equal(t), nan=1e10)})
    if cons.n_ineq:
        spec.append({"type": "ineq",
                     "fun": lambda t: np.nan_to_num(cons.inequal(t), nan=-1e10)})
    opt = optimize.minimize(fun, theta0, jac=grad, method="SLSQP", constraints=spec,
                            options={"maxiter": 2000, "ftol": 1e-14})
    theta = np.asarray(opt.x, dtype=float)
    if not np.all(np.isfinite(theta)) or not math.isfinite(fun(theta)):
        raise ModelSpecError("the constrained estimation failed: the constraints "
                             f"({'; '.join(cons.texts)}) leave no admissible solution from "
                             "the start values")
    theta = _kkt_polish(fun, grad, theta, cons)
    slack = np.concatenate([np.abs(cons.equal(theta)), -cons.inequal(theta)])
    if not np.all(np.nan_to_num(slack, nan=np.inf) < 1e-6):
        worst = cons.texts[int(np.argmax(np.nan_to_num(slack, nan=np.inf)))]
        raise ModelSpecError(f"no estimate satisfies the constraints: '{worst}' still fails "
                             "at the best point found (are the constraints contradictory?)",
                             name=worst)
    return theta, bool(opt.success or opt.status == 8)


def _defined_start(theta0: np.ndarray, cons: Constraints) -> np.ndarray:
    """Start values where every constraint can be evaluated (``log(b)`` needs ``b > 0``)."""
    def defined(t: np.ndarray) -> np.ndarray:
        return np.isfinite(np.concatenate([cons.equal(t), cons.inequal(t)]))

    ok = defined(theta0)
    if ok.all():
        return theta0
    for shift in (0.1, 0.5, 1.0):
        t = np.where(theta0 == 0.0, shift, theta0)
        if defined(t).all():
            return t
    text = cons.texts[int(np.flatnonzero(~ok)[0])]
    raise ModelSpecError(f"the constraint '{text}' cannot be evaluated at the start values "
                         "(e.g. the log or square root of a value <= 0, or a division by 0); "
                         "give its parameters start() values where it is defined", name=text)


def _kkt_polish(fun: Callable[[np.ndarray], float], grad: Callable[[np.ndarray], np.ndarray],
                theta: np.ndarray, cons: Constraints) -> np.ndarray:
    """Newton on grad f = H' lambda, c_active = 0 (finite-difference second derivatives)."""
    _, j_in = cons.jacobian(theta)
    slack = cons.inequal(theta)
    on = np.abs(slack) <= 1e-5 * np.maximum(1.0, _scale(j_in, theta))

    def active_values(t: np.ndarray) -> np.ndarray:
        return np.concatenate([cons.equal(t), cons.inequal(t)[on]])

    m = cons.n_eq + int(on.sum())
    q = len(theta)
    if m >= q:
        return theta
    f0 = fun(theta)
    for _ in range(20):
        H = _jacobian(active_values, theta, m)
        g = grad(theta)
        lam = np.linalg.lstsq(H.T, g, rcond=None)[0] if m else np.zeros(0)

        def lag_grad(t: np.ndarray, lam: np.ndarray = lam) -> np.ndarray:
            return grad(t) - (_jacobian(active_values, t, m).T @ lam if m else 0.0)

        hess = _jacobian(lag_grad, theta, q)
        hess = 0.5 * (hess + hess.T)
        kkt = np.block([[hess, H.T], [H, np.zeros((m, m))]])
        rhs = -np.concatenate([g - H.T @ lam, active_values(theta)])
        try:
            step = np.linalg.solve(kkt, rhs)[:q]
        except np.linalg.LinAlgError:
            return theta
        cand = theta + step
        # the polish may not leave the optimum SLSQP found (a worse or inadmissible point)
        f_c = fun(cand)
        if not math.isfinite(f_c) or f_c > f0 + 1e-8 * max(1.0, abs(f0)) \
                or (cons.n_ineq and np.any(cons.inequal(cand)[~on] < 0)):
            return theta
        theta = cand
        if np.max(np.abs(step) / np.maximum(1.0, np.abs(theta))) < 1e-12:
            break
    return theta


def constrained_vcov(information: np.ndarray, jac_active: np.ndarray) -> np.ndarray | None:
    """Covariance of the estimates under constraints: ``Z (Z' I Z)^-1 Z'``.

    ``information`` is the (N-scaled) information matrix of the free parameters and
    ``jac_active`` the Jacobian of the equality and active inequality constraints; ``Z`` spans
    its null space. ``None`` when the model is not identified even under the constraints.
    """
    q = information.shape[0]
    if jac_active.size == 0:
        Z = np.eye(q)
    else:
        _, sv, vt = np.linalg.svd(jac_active)
        rank = int(np.sum(sv > 1e-10 * max(1.0, sv.max())))
        Z = vt[rank:].T
    inner = Z.T @ information @ Z
    d = np.sqrt(np.abs(np.diag(inner)))
    if inner.size and (np.any(d <= 0) or np.linalg.cond(inner / np.outer(d, d)) > 1e14):
        return None
    return Z @ np.linalg.inv(inner) @ Z.T if inner.size else np.zeros((q, q))


def information_matrix(model: RAMModel, theta: np.ndarray, S: np.ndarray, n: int, est: str,
                       W: np.ndarray | None = None, mean: np.ndarray | None = None
                       ) -> np.ndarray:
    """The N-scaled expected information of the free parameters (lavaan's default).

    ML: ``N/2 (Delta' W Delta)`` at the implied moments (with the mean part when the model has
    a mean structure); GLS/ULS: ``(N - 1) Delta' W Delta`` with their fixed weight ``W``.
    """
    imp = model.implied(theta)
    dsig, dmu = model.jacobian(theta, imp)
    if est == "ML":
        inv = np.linalg.inv(imp.sigma)
        means = mean is not None and model.meanstructure
        return _ml_information(dsig, dmu, inv, means) * (n / 2.0)
    assert W is not None
    r, c = cbsem.vech_indices(S.shape[0])
    D = dsig[:, r, c].T
    return (n - 1) * (D.T @ W @ D)  # N - 1, as lavaan for least squares


def fit_constrained(model: RAMModel, S: np.ndarray, n: int, theta0: np.ndarray,
                    cons: Constraints, est: str, W: np.ndarray | None = None,
                    mean: np.ndarray | None = None) -> Estimate:
    """ML (``W`` None) or GLS/ULS under general constraints, with lavaan's constrained SEs."""
    r, c = cbsem.vech_indices(S.shape[0])
    if est == "ML":
        sign, logdet = np.linalg.slogdet(S)
        ld = float(logdet) if sign > 0 else 0.0
        means = mean if model.meanstructure else None

        def fun(t: np.ndarray) -> float:
            f, _ = _ml_mean_objective(model.implied(t), S, ld, means)
            return f if math.isfinite(f) else 1e10

        def grad(t: np.ndarray) -> np.ndarray:
            imp = model.implied(t)
            f, inv = _ml_mean_objective(imp, S, ld, means)
            if not math.isfinite(f):
                return np.zeros(len(t))
            dsig, dmu = model.jacobian(t, imp)
            return _ml_gradient(imp, inv, S, means, dsig, dmu)
    else:
        s = S[r, c]
        assert W is not None

        def fun(t: np.ndarray) -> float:
            e = s - model.implied(t).sigma[r, c]
            return 0.5 * float(e @ W @ e)

        def grad(t: np.ndarray) -> np.ndarray:
            imp = model.implied(t)
            dsig, _ = model.jacobian(t, imp)
            D = dsig[:, r, c].T
            return -(D.T @ W @ (s - imp.sigma[r, c]))

    theta, converged = constrained_minimum(fun, grad, theta0, cons)
    info = information_matrix(model, theta, S, n, est, W, mean)
    vcov = constrained_vcov(info, cons.active(theta))
    return Estimate(theta, fun(theta), converged, 0, vcov)


def fit_groups_constrained(models: list[RAMModel], data: list, theta0: np.ndarray,
                           cons: Constraints) -> Estimate:
    """Multigroup ML (``cb.multigroup``'s objective) under general constraints."""
    from semwidget.cb.multigroup import derivatives, objective

    n = np.array([d.n for d in data], dtype=float)
    w = n / n.sum()

    def fun(t: np.ndarray) -> float:
        f, _, _ = objective(models, data, w, t)
        return f if math.isfinite(f) else 1e10

    def grad(t: np.ndarray) -> np.ndarray:
        f, imps, invs = objective(models, data, w, t)
        if not math.isfinite(f):
            return np.zeros(len(t))
        return derivatives(models, data, w, t, imps, invs)[0]

    theta, converged = constrained_minimum(fun, grad, theta0, cons)
    _, imps, invs = objective(models, data, w, theta)
    _, info = derivatives(models, data, w, theta, imps, invs)
    vcov = constrained_vcov(info * (n.sum() / 2.0), cons.active(theta))
    return Estimate(theta, fun(theta), converged, 0, vcov)


def refuse_general(table: pd.DataFrame, where: str, bounds: bool = False) -> None:
    """Raise, naming the constraint, when a fit path cannot estimate under it.

    ``bounds`` also refuses the simple ``label > number`` bounds (a path that would otherwise
    ignore them without a word).
    """
    rows = general_rows(table)
    if bounds:
        rows += [i for i in table.index[table["op"].isin(["<", ">"])] if i not in rows]
    if rows:
        i = rows[0]
        text = f"{table.at[i, 'lhs']} {table.at[i, 'op']} {table.at[i, 'rhs']}"
        raise ModelSpecError(f"the constraint '{text}' is not supported with {where} yet; "
                             "constraints beyond 'label == label' and 'label == number' are "
                             "estimated on complete data (missing='listwise', no group=)",
                             name=text)
