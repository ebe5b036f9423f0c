"""Factor rotation for exploratory SEM blocks: criteria and the gradient projection algorithm.

The algorithm is Jennrich's gradient projection (GPA; Jennrich, 2001, 2002; Bernaards &
Jennrich, 2005) for orthogonal and oblique rotation. The choices follow lavaan's defaults for
``efa()`` blocks (``rotation.args``): the loadings are rotated in the metric of standardized
indicators (``std.ov``), varimax uses Kaiser's row weights, the best of several random
orthogonal starts is kept, then each factor is reflected so its loadings sum to a positive
value and the factors are ordered by the average row index of their large loadings.

For the oblique case with rotation matrix ``T`` (unit-length columns) the rotated loadings are
``L = A (T')^-1`` and the factor correlations ``T'T``; for the orthogonal case ``L = A T``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from semwidget.errors import ModelSpecError

#: rotation name -> (orthogonal by default, uses Kaiser row weights by default)
ROTATIONS = {
    "geomin": (False, False),
    "oblimin": (False, False),
    "quartimin": (False, False),
    "varimax": (True, True),
    "quartimax": (True, False),
    "orthomax": (True, False),
}

Criterion = Callable[[np.ndarray], tuple[float, np.ndarray]]


@dataclass
class RotationSpec:
    """What to rotate with: the criterion and lavaan's ``rotation.args`` that matter."""

    method: str = "geomin"
    orthogonal: bool | None = None       # None: the method's default
    geomin_epsilon: float = 0.001
    oblimin_gamma: float = 0.0
    orthomax_gamma: float = 1.0
    rstarts: int = 30
    std_ov: bool = True
    tol: float = 1e-12
    max_iter: int = 100_000

    def is_orthogonal(self) -> bool:
        """Orthogonal rotation (varimax & co by default; geomin/oblimin when asked)."""
        return ROTATIONS[self.method][0] if self.orthogonal is None else self.orthogonal


def criterion(spec: RotationSpec) -> Criterion:
    """The criterion value and its gradient in the loadings, for ``spec.method``."""
    if spec.method == "geomin":
        eps = spec.geomin_epsilon

        def geomin(L: np.ndarray) -> tuple[float, np.ndarray]:
            m = L.shape[1]
            L2 = L * L + eps
            pro = np.exp(np.log(L2).sum(axis=1) / m)
            return float(pro.sum()), (2.0 / m) * L / L2 * pro[:, None]
        return geomin
    if spec.method in ("oblimin", "quartimin"):
        gamma = spec.oblimin_gamma if spec.method == "oblimin" else 0.0

        def oblimin(L: np.ndarray) -> tuple[float, np.ndarray]:
            p, m = L.shape
            L2 = L * L
            X = L2 @ (np.ones((m, m)) - np.eye(m))
            if gamma != 0.0:
                X = X - gamma * np.ones((p, p)) @ X / p
            return float(np.sum(L2 * X) / 4.0), L * X
        return oblimin
    gamma = {"varimax": 1.0, "quartimax": 0.0}.get(spec.method, spec.orthomax_gamma)

    def orthomax(L: np.ndarray) -> tuple[float, np.ndarray]:
        p = L.shape[0]
        L2 = L * L
        Q = L2 - gamma * L2.mean(axis=0) if p else L2
        return float(-np.sum(L2 * Q) / 4.0), -L * Q
    return orthomax


def gpa(A: np.ndarray, T0: np.ndarray, crit: Criterion, orthogonal: bool, tol: float,
        max_iter: int) -> tuple[np.ndarray, float, bool]:
    """Gradient projection from ``T0``: the rotation matrix, criterion value, convergence."""
    T = T0.copy()
    L = _rotated(A, T, orthogonal)
    f, Gq = crit(L)
    G = _gradient(A, T, L, Gq, orthogonal)
    al = 1.0
    for _ in range(max_iter):
        Gp = _project(T, G, orthogonal)
        s = float(np.sqrt(np.sum(Gp * Gp)))
        if s < tol:
            return T, f, True
        al *= 2.0
        for _ in range(20):
            Tt = _retract(T - al * Gp, orthogonal)
            Lt = _rotated(A, Tt, orthogonal)
            ft, Gqt = crit(Lt)
            if ft < f - 0.5 * s * s * al:
                break
            al *= 0.5
        else:
            # no decrease at the smallest step: the gradient is numerically zero
            return T, f, s < 1e-6
        T, L, f, Gq = Tt, Lt, ft, Gqt
        G = _gradient(A, T, L, Gq, orthogonal)
    return T, f, False


def _rotated(A: np.ndarray, T: np.ndarray, orthogonal: bool) -> np.ndarray:
    return A @ T if orthogonal else np.linalg.solve(T, A.T).T


def _gradient(A: np.ndarray, T: np.ndarray, L: np.ndarray, Gq: np.ndarray,
              orthogonal: bool) -> np.ndarray:
    if orthogonal:
        return A.T @ Gq
    return -(L.T @ Gq @ np.linalg.inv(T)).T


def _project(T: np.ndarray, G: np.ndarray, orthogonal: bool) -> np.ndarray:
    if orthogonal:
        M = T.T @ G
        return G - T @ (0.5 * (M + M.T))
    return G - T * np.sum(T * G, axis=0)


def _retract(X: np.ndarray, orthogonal: bool) -> np.ndarray:
    if orthogonal:
        U, _, Vt = np.linalg.svd(X)
        return U @ Vt
    return X / np.sqrt(np.sum(X * X, axis=0))


@dataclass
class Rotation:
    """A rotation of one block: ``R`` maps loadings (``Lambda R``), ``R^-1`` the factors."""

    R: np.ndarray
    T_raw: np.ndarray   # the GPA matrix before reflection and reordering (for continuation)
    signs: np.ndarray
    order: np.ndarray
    value: float


def rotate(Lam: np.ndarray, ov_var: np.ndarray, spec: RotationSpec,
           start: Rotation | None = None) -> Rotation:
    """Rotate the loadings ``Lam`` (indicators x factors) of one efa block.

    Without ``start``: the best of the identity and ``spec.rstarts`` random orthogonal starts
    (a fixed seed, so a fit is reproducible), then reflection and ordering. With ``start``:
    GPA continues from its matrix and keeps its reflection and order (a smooth map of
    ``Lam``, for the delta-method standard errors).

    Raises
    ------
    ModelSpecError
        If no start converges.
    """
    m = Lam.shape[1]
    orthogonal = spec.is_orthogonal()
    A = Lam / np.sqrt(ov_var)[:, None] if spec.std_ov else Lam.copy()
    if ROTATIONS[spec.method][1]:  # Kaiser's row weights
        w = 1.0 / np.sqrt(np.sum(A * A, axis=1))
    else:
        w = np.ones(A.shape[0])
    A = A * w[:, None]
    crit = criterion(spec)
    if start is not None:
        T, f, ok = gpa(A, start.T_raw, crit, orthogonal, spec.tol, spec.max_iter)
        return Rotation(_rmat(T, orthogonal)[:, start.order] * start.signs, T, start.signs,
                        start.order, f)
    rng = np.random.default_rng(20211)
    best: tuple[float, np.ndarray] | None = None
    starts = [np.eye(m)] + [np.linalg.qr(rng.standard_normal((m, m)))[0]
                            for _ in range(spec.rstarts)]
    # each start to lavaan's gpa.tol, then the best one on to the tight tolerance
    for T0 in starts:
        T, f, ok = gpa(A, T0, crit, orthogonal, max(spec.tol, 1e-5), spec.max_iter)
        if ok and (best is None or f < best[0] - 1e-10):
            best = (f, T)
    if best is not None:
        T, f, ok = gpa(A, best[1], crit, orthogonal, spec.tol, spec.max_iter)
    if best is None or not ok:
        raise ModelSpecError(f"the {spec.method} rotation did not converge from any of "
                             f"{len(starts)} starts")
    R = _rmat(T, orthogonal)
    L = Lam @ R
    signs = np.where(L.sum(axis=0) < 0, -1.0, 1.0)
    L = L * signs
    big = np.abs(L) >= 0.8 * np.abs(L).max(axis=0)
    order = np.argsort([np.flatnonzero(big[:, k]).mean() for k in range(m)], kind="stable")
    return Rotation(R[:, order] * signs[order], T, signs[order], order, f)


def _rmat(T: np.ndarray, orthogonal: bool) -> np.ndarray:
    """The matrix that multiplies the loadings: ``T`` (orthogonal) or ``(T')^-1``."""
    return T if orthogonal else np.linalg.inv(T.T)
