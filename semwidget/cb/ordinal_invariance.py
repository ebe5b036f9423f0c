"""Ordinal indicators with ``group=`` and ``group_equal`` including thresholds and loadings.

lavaan 0.6.14's identification for this model (its parTable): thresholds and loadings equal
across groups, ordinal intercepts 0, the first group as in a single-group fit, and in every
later group the latent means free and the scale of ``y*`` free: the scale factors ``Delta``
(delta parameterization, ``var(y*) = 1 / Delta^2``) or the residual variances (theta). The
groups' moments ``(thresholds; polychorics)`` are fitted jointly, ``F = sum_g (n_g - 1)
e_g' W_g e_g`` (the chi-square), with the derivatives taken numerically (central
differences); standard errors are ``A^-1`` or the sandwich ``A^-1 B A^-1`` with
``A = sum_g (n_g - 1) J_g' W_g J_g`` and ``B = sum_g (n_g - 1) J_g' W_g Gamma_g W_g J_g``.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb import categorical as cat
from semwidget.cb import estimate as cbsem
from semwidget.cb import robust
from semwidget.cb.assemble import assemble
from semwidget.cb.blocks import block_diag
from semwidget.cb.data import Moments, check_data
from semwidget.cb.estimate import CATEGORICAL_ESTIMATORS, Estimate
from semwidget.cb.ordinal import with_thresholds
from semwidget.cb.ordinal_group_measures import GroupParts
from semwidget.cb.polychoric import OrdinalMoments, below_diagonal, ordinal_moments
from semwidget.cb.prepare import renumber_free
from semwidget.cb.ram import RAMModel
from semwidget.errors import DataError, ModelSpecError
from semwidget.model.partable import build, observed_names

SUPPORTED = {"thresholds", "loadings", "intercepts"}


def check_invariance(group_equal: list[str]) -> None:
    """Refuse, by name, the ``group_equal`` sets whose ordinal identification is not built."""
    words = set(group_equal)
    if not {"thresholds", "loadings"} <= words or words - SUPPORTED:
        raise ModelSpecError(
            f"group_equal={list(group_equal)} with ordinal indicators is not supported yet: "
            "fit the configural model (no group_equal) or hold 'thresholds' and 'loadings' "
            "(and 'intercepts') equal", name="group_equal")


@dataclasses.dataclass
class JointFit:
    """What the fit measures and the combined result need from the joint fit."""

    parts: list[GroupParts]
    chisq: float
    npar: int
    rm: robust.Moments
    vcov: np.ndarray
    theta: np.ndarray


class _Joint:
    """The groups' implied moments over one parameter vector (RAM, thresholds, scales)."""

    def __init__(self, models: list[RAMModel], n_ram: int, n_tau: int, tvar: np.ndarray,
                 p: int, theta_param: bool) -> None:
        self.models, self.n_ram, self.n_tau, self.tvar = models, n_ram, n_tau, tvar
        self.p, self.theta_param = p, theta_param
        self.n_scale = 0 if theta_param else p * (len(models) - 1)
        self.n_par = n_ram + n_tau + self.n_scale
        self.rows, self.cols = below_diagonal(p)

    def scales(self, theta: np.ndarray, g: int) -> np.ndarray:
        """``1 / sd(y*)`` of group ``g``: Delta (delta) or from the implied variances."""
        if self.theta_param:
            sig = self.models[g].implied(theta[: self.n_ram]).sigma
            return 1.0 / np.sqrt(np.diag(sig))
        if g == 0:
            return np.ones(self.p)
        start = self.n_ram + self.n_tau + (g - 1) * self.p
        return theta[start: start + self.p]

    def implied(self, theta: np.ndarray, g: int) -> np.ndarray:
        imp = self.models[g].implied(theta[: self.n_ram])
        d = self.scales(theta, g)
        tau = theta[self.n_ram: self.n_ram + self.n_tau]
        r, c = self.rows, self.cols
        # delta: the ordinal residual variances are 0 in the RAM model, so sigma is the
        # common part and d scales it; theta: sigma is var(y*) itself
        rho = d[r] * d[c] * imp.sigma[r, c]
        return np.concatenate([(tau - imp.mu[self.tvar]) * d[self.tvar], rho])

    def jacobian(self, theta: np.ndarray, g: int, h: float = 1e-6) -> np.ndarray:
        cols = []
        for i in range(self.n_par):
            e = np.zeros(self.n_par)
            e[i] = h
            cols.append((self.implied(theta + e, g) - self.implied(theta - e, g)) / (2 * h))
        return np.column_stack(cols)


def fit_ordinal_invariance(user: pd.DataFrame, labels: list[str], frames: list[pd.DataFrame],
                           ordered: list[str], *, estimator: str, se: str, test: str,
                           parameterization: str, std_lv: bool, orthogonal: bool,
                           group_equal: list[str], options: dict[str, Any]
                           ) -> tuple[list[Any], JointFit]:
    """The joint fit: per-group views (single-group results) and :class:`JointFit`.

    Raises
    ------
    ModelSpecError
        For numeric indicators, thresholds or scale factors written in the syntax, or items
        with other categories in some group, naming them.
    """
    if (user["op"].isin(["|", "~*~"])).any():
        raise ModelSpecError("thresholds or scale factors written in the syntax with "
                             "group_equal are not supported yet", name="group_equal")
    G = len(labels)
    how = CATEGORICAL_ESTIMATORS[estimator][0]
    theta_param = parameterization == "theta"
    columns = [str(c) for c in frames[0].columns]
    full = build(user, columns, std_lv=std_lv, orthogonal=orthogonal, fixed_x=False,
                 meanstructure=True, groups=G,
                 group_equal=[w for w in group_equal if w != "thresholds"])
    ov = observed_names(full)
    numeric = [v for v in ov if v not in ordered]
    if numeric:
        raise ModelSpecError(f"group_equal with numeric indicators ({', '.join(numeric)}) "
                             "among ordinal ones is not supported yet", name=numeric[0])
    full = _identify(full, ov, theta_param)
    n_ram = int(full["free"].max())
    models = [dataclasses.replace(RAMModel.from_table(
        full[full["group"] == g + 1].reset_index(drop=True), ov, meanstructure=True),
        n_par=n_ram) for g in range(G)]
    data = [check_data(f, ov) for f in frames]
    X = [d.to_numpy(dtype=float) for d in data]
    oms = [ordinal_moments(ov, x[~np.isnan(x).any(axis=1)]) for x in X]
    n_cat = [[len(t) for t in om.thresholds] for om in oms]
    for j, v in enumerate(ov):
        if len({nc[j] for nc in n_cat}) > 1:
            raise DataError(f"'{v}' has {', '.join(str(nc[j] + 1) for nc in n_cat)} "
                            f"categories in the groups {', '.join(labels)}: equal thresholds "
                            "need the same categories in every group", column=v)
    tvar = np.repeat(np.arange(len(ov)), n_cat[0])
    joint = _Joint(models, n_ram, len(tvar), tvar, len(ov), theta_param)
    W = [cat.weight(om, how) for om in oms]
    w = [om.n - 1.0 for om in oms]
    theta, converged, iterations = _fit(joint, oms, W, w, _start(joint, full, oms[0]))
    Js = [joint.jacobian(theta, g) for g in range(G)]
    A = sum(wg * J.T @ Wg @ J for wg, J, Wg in zip(w, Js, W, strict=True))
    Ai = cat.inverse_information(A)
    if se == "robust.sem":
        B = sum(wg * J.T @ Wg @ om.gamma @ Wg @ J
                for wg, J, Wg, om in zip(w, Js, W, oms, strict=True))
        vcov = Ai @ B @ Ai
    else:
        vcov = Ai
    implied = [joint.implied(theta, g) for g in range(G)]
    resid = [om.vector - m for om, m in zip(oms, implied, strict=True)]
    chisq = float(sum(wg * e @ Wg @ e for wg, e, Wg in zip(w, resid, W, strict=True)))
    # the stacked ingredients: weights times n_g - 1 and Gamma over it, so that U Gamma is
    # the groups' single-group scale where they are independent
    rm = robust.Moments(np.vstack(Js), block_diag(*[wg * Wg for wg, Wg in
                                                    zip(w, W, strict=True)]),
                        block_diag(*W), block_diag(*[om.gamma / wg for om, wg in
                                                     zip(oms, w, strict=True)]),
                        np.concatenate(resid), np.ones(sum(len(e) for e in resid), bool),
                        block_diag(*[om.gamma for om in oms]))
    views = [dataclasses.replace(
        _view(joint, full, g, ov, oms[g], theta, vcov, estimator, options, data[g],
              parameterization), groups=[str(labels[g])], converged=converged,
        iterations=iterations) for g in range(G)]
    parts = [GroupParts(om, Wg, m) for om, Wg, m in zip(oms, W, implied, strict=True)]
    return views, JointFit(parts, chisq, joint.n_par, rm, vcov, theta)


def _identify(full: pd.DataFrame, ov: list[str], theta_param: bool) -> pd.DataFrame:
    """lavaan's parTable for this model: ordinal intercepts 0; latent means and (theta)
    residual variances free after the first group; delta residual variances out of the RAM
    model (0: its sigma is the common part)."""
    full = full.copy()
    free = full["free"].to_numpy().copy()
    ust = full["ustart"].to_numpy(dtype=float).copy()
    nxt = int(free.max()) + 1
    for i, (lhs, op, rhs, g) in enumerate(zip(full["lhs"], full["op"], full["rhs"],
                                                full["group"], strict=True)):
        later = int(g) > 1
        if op == "~1":
            if lhs in ov or not later:
                free[i], ust[i] = 0, 0.0
            else:
                free[i], ust[i], nxt = nxt, math.nan, nxt + 1
        elif op == "~~" and lhs == rhs and lhs in ov:
            if theta_param and later:
                free[i], ust[i], nxt = nxt, math.nan, nxt + 1
            else:
                free[i], ust[i] = 0, (1.0 if theta_param else 0.0)
    full["free"] = renumber_free(free)
    full["ustart"] = ust
    return full


def _start(joint: _Joint, full: pd.DataFrame, om: OrdinalMoments) -> np.ndarray:
    """RAM starts from the first group's polychorics, its sample thresholds, scales 1."""
    first = full[full["group"] == 1].reset_index(drop=True)
    theta = np.zeros(joint.n_par)
    t0 = cbsem.start_values(joint.models[0], om.cor, np.full(joint.n_ram, np.nan))
    theta[: joint.n_ram] = t0
    later = full[(full["group"] > 1) & (full["free"] > 0)]
    seen = set(first.loc[first["free"] > 0, "free"])
    for r in later.itertuples(index=False):
        if r.free in seen:
            continue
        seen.add(r.free)
        is_var = r.op == "~~" and r.lhs == r.rhs
        theta[r.free - 1] = (1.0 if r.lhs in joint.models[0].names[: joint.p] else 0.5) \
            if is_var else theta[r.free - 1]
    theta[joint.n_ram: joint.n_ram + joint.n_tau] = om.vector[: joint.n_tau]
    theta[joint.n_ram + joint.n_tau:] = 1.0
    return theta


def _fit(joint: _Joint, oms: list[OrdinalMoments], W: list[np.ndarray], w: list[float],
         theta: np.ndarray, max_iter: int = 300, tol: float = 1e-10
         ) -> tuple[np.ndarray, bool, int]:
    """Gauss-Newton with step halving on ``sum_g w_g e_g' W_g e_g``: the estimate, whether
    it converged (a step below ``tol``, or no descent left with a zero gradient) and the
    iterations."""
    def objective(t: np.ndarray) -> float:
        total = 0.0
        for g, om in enumerate(oms):
            e = om.vector - joint.implied(t, g)
            total += w[g] * float(e @ W[g] @ e)
        return total

    f = objective(theta)
    converged, it = False, 0
    for it in range(1, max_iter + 1):  # noqa: B007 - iteration count reported
        A = np.zeros((joint.n_par, joint.n_par))
        b = np.zeros(joint.n_par)
        for g, om in enumerate(oms):
            J = joint.jacobian(theta, g)
            e = om.vector - joint.implied(theta, g)
            A += w[g] * J.T @ W[g] @ J
            b += w[g] * J.T @ W[g] @ e
        step = np.linalg.lstsq(A, b, rcond=None)[0]
        t = 1.0
        while t > 1e-10:
            cand = theta + t * step
            with np.errstate(invalid="ignore"):
                f_c = objective(cand)
            if np.isfinite(f_c) and f_c <= f + 1e-15:
                break
            t *= 0.5
        if t <= 1e-10:
            converged = bool(np.max(np.abs(b)) < 1e-6)
            break
        theta, f = cand, f_c
        if np.max(np.abs(t * step) / np.maximum(1.0, np.abs(theta))) < tol:
            converged = True
            break
    return theta, converged, it


def _view(joint: _Joint, full: pd.DataFrame, g: int, ov: list[str], om: OrdinalMoments,
          theta: np.ndarray, vcov: np.ndarray, estimator: str, options: dict[str, Any],
          frame: pd.DataFrame, parameterization: str) -> Any:
    """Group ``g``'s single-group result (estimates, std.all, R², thresholds rows)."""
    sub = full[full["group"] == g + 1].reset_index(drop=True).drop(columns="group")
    d = joint.scales(theta, g)
    t_ram = theta[: joint.n_ram]
    if parameterization == "delta":
        # the derived residual variances 1 / Delta^2 - common part, as lavaan reports them
        sig = joint.models[g].implied(t_ram).sigma
        for j, v in enumerate(ov):
            row = (sub["op"] == "~~") & (sub["lhs"] == v) & (sub["rhs"] == v)
            sub.loc[row, "ustart"] = 1.0 / d[j] ** 2 - sig[j, j]
    ram = RAMModel.from_table(sub, ov, meanstructure=True)
    ram = dataclasses.replace(ram, n_par=joint.n_ram)
    imp = ram.implied(t_ram)
    res = Estimate(t_ram, 0.0, True, 0, vcov[: joint.n_ram, : joint.n_ram])
    mom = Moments(ov, om.n, om.cor, np.zeros(len(ov)), None)
    result = assemble(sub, ram, res, imp, mom, {}, estimator, options, frame)
    th = cat.Thresholds(list(joint.tvar), [int(k) for k in _ks(joint.tvar)],
                        np.ones(joint.n_tau, bool), theta[joint.n_ram: joint.n_ram + joint.n_tau],
                        [""] * joint.n_tau)
    model = cat.CategoricalModel(ram, th, list(range(len(ov))), parameterization)
    sl = slice(joint.n_ram, joint.n_ram + joint.n_tau)
    result = with_thresholds(result, th, ov, th.value, vcov[sl, sl], model, list(ov))
    if parameterization == "delta" and g > 0:
        # the scale factors are parameters here: their SEs
        start = joint.n_ram + joint.n_tau + (g - 1) * joint.p
        se = np.sqrt(np.clip(np.diag(vcov)[start: start + joint.p], 0.0, None))
        est = result.estimates
        for j, v in enumerate(ov):
            row = (est["op"] == "~*~") & (est["lhs"] == v)
            est.loc[row, "se"] = se[j]
    return result


def _ks(tvar: np.ndarray) -> list[int]:
    out, last, k = [], -1, 0
    for v in tvar:
        k = k + 1 if v == last else 0
        last = v
        out.append(k)
    return out
