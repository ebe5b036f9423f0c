"""Maximum likelihood over several groups that share one parameter vector.

lavaan's multigroup ML objective is the ``n_g / N``-weighted sum of the groups' discrepancies
``F = sum_g (n_g / N) F_g`` (each ``F_g`` the single-group ML discrepancy with its mean part), so
``chisq = N F = sum_g n_g F_g``. Each group has its own RAM model whose free indices point into
the shared vector (equal parameters share an index); gradients and expected information add up
with the same weights, and the covariance of the estimates is ``(sum_g n_g / 2 I_g)^-1``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from semwidget.cb.estimate import (
    Estimate,
    _inverse,
    _ml_gradient,
    _ml_information,
    _ml_mean_objective,
    _solve,
)
from semwidget.cb.ram import Implied, RAMModel


class GroupData:
    """The sample moments of one group: covariance (divisor n), means, size."""

    __slots__ = ("S", "mean", "n", "logdet")

    def __init__(self, S: np.ndarray, mean: np.ndarray, n: int) -> None:
        self.S = S
        self.mean = mean
        self.n = n
        sign, ld = np.linalg.slogdet(S)
        self.logdet = float(ld) if sign > 0 else 0.0


def objective(models: Sequence[RAMModel], data: Sequence[GroupData], w: np.ndarray,
               theta: np.ndarray) -> tuple[float, list[Implied], list[np.ndarray]]:
    total = 0.0
    imps, invs = [], []
    for m, d, wg in zip(models, data, w, strict=True):
        imp = m.implied(theta)
        f, inv = _ml_mean_objective(imp, d.S, d.logdet, d.mean)
        if not np.isfinite(f):
            return np.inf, [], []
        total += wg * f
        imps.append(imp)
        invs.append(inv)
    return total, imps, invs


def derivatives(models: Sequence[RAMModel], data: Sequence[GroupData], w: np.ndarray,
                 theta: np.ndarray, imps: list[Implied], invs: list[np.ndarray]
                 ) -> tuple[np.ndarray, np.ndarray]:
    q = len(theta)
    grad = np.zeros(q)
    info = np.zeros((q, q))
    for m, d, wg, imp, inv in zip(models, data, w, imps, invs, strict=True):
        dsig, dmu = m.jacobian(theta, imp)
        grad += wg * _ml_gradient(imp, inv, d.S, d.mean, dsig, dmu)
        info += wg * _ml_information(dsig, dmu, inv, True)
    return grad, info


def fit_ml_groups(models: Sequence[RAMModel], data: Sequence[GroupData], theta0: np.ndarray,
                  *, max_iter: int = 500, tol: float = 1e-9) -> Estimate:
    """Multigroup ML: Fisher scoring with step halving, finished by BFGS steps.

    Parameters
    ----------
    models : sequence of RAMModel
        One per group, each with ``n_par`` equal to the length of the shared vector.
    data : sequence of GroupData
        The groups' sample moments, in the same order.
    theta0 : ndarray
        Starting values.

    Returns
    -------
    Estimate
        ``fmin`` is the weighted discrepancy ``F`` (``chisq = N F``).
    """
    n = np.array([d.n for d in data], dtype=float)
    w = n / n.sum()
    theta = theta0.copy()
    f, imps, invs = objective(models, data, w, theta)
    if not np.isfinite(f):
        theta = _shrink_start(models, data, w, theta)
        f, imps, invs = objective(models, data, w, theta)
    converged = False
    it = 0
    quasi = False
    H = np.eye(len(theta))
    prev: tuple[np.ndarray, np.ndarray] | None = None
    for it in range(1, max_iter + 1):  # noqa: B007 - iteration count reported
        grad, info = derivatives(models, data, w, theta, imps, invs)
        if quasi and prev is not None:
            s_ = theta - prev[0]
            y_ = grad - prev[1]
            sy = float(s_ @ y_)
            if sy > 1e-16:
                Hs = H @ s_
                H = H + np.outer(y_, y_) / sy - np.outer(Hs, Hs) / float(s_ @ Hs)
        else:
            H = info
        prev = (theta.copy(), grad)
        step = _solve(H, grad)
        t = 1.0
        while True:
            cand = theta - t * step
            f_c, imps_c, invs_c = objective(models, data, w, cand)
            if np.isfinite(f_c) and f_c <= f + 1e-13:
                break
            t *= 0.5
            if t < 1e-10:
                break
        if t < 1e-10:
            converged = bool(np.max(np.abs(grad)) < 1e-6)
            break
        theta, f, imps, invs = cand, f_c, imps_c, invs_c
        size = np.max(np.abs(t * step) / np.maximum(1.0, np.abs(theta)))
        if size < tol:
            converged = True
            break
        quasi = quasi or size < 1e-2
    _, info = derivatives(models, data, w, theta, imps, invs)
    vcov = _inverse(info * (n.sum() / 2.0))
    return Estimate(theta, float(f), converged, it, vcov)


def _shrink_start(models: Sequence[RAMModel], data: Sequence[GroupData], w: np.ndarray,
                  theta: np.ndarray) -> np.ndarray:
    """Halve covariance and effect starts, grow variances, until every Sigma_g is PD."""
    th = theta.copy()
    for _ in range(30):
        f, _, _ = objective(models, data, w, th)
        if np.isfinite(f):
            return th
        for m in models:
            for k, i, j, p in zip(m.kind, m.row_i, m.row_j, m.pidx, strict=True):
                if p < 0 or k == 2:
                    continue
                th[p] = abs(th[p]) * 1.5 + 0.01 if (k == 1 and i == j) else th[p] * 0.5
    return th
