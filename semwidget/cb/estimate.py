"""Covariance-based estimation (ML, GLS, ULS) of a RAM model on sample moments.

semopy is the backend this project was designed around, but its estimates are not lavaan's
(it fits the covariance matrix with an N - 1 divisor, and its GFI, AGFI, log-likelihood, AIC and
BIC use other formulas), and building a semopy ``Model`` alone costs about as much as our whole
pipeline's budget. So the fit runs here, on the same RAM matrices semopy uses, with
Fisher scoring (ML) or Gauss-Newton (GLS, ULS) and lavaan's objective functions and scaling:

- ML: ``F = log|Sigma| + tr(S Sigma^-1) - log|S| - p`` with ``S`` the covariance with divisor N;
  ``chisq = N F``.
- GLS / ULS: ``F = 1/2 e' W e`` over the non-duplicated elements ``e = vech(S - Sigma)`` with
  ``W = 1/2 D'(S^-1 (x) S^-1) D`` (GLS) or ``W = I`` (ULS); ``chisq = 2 N F``.

Standard errors use the expected information ``N Delta' W Delta`` as lavaan does by default.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from semwidget.cb import small_linalg
from semwidget.cb.ml_derivatives import ml_gradient_information
from semwidget.cb.ram import Implied, RAMModel
from semwidget.errors import ModelSpecError

ESTIMATORS = ("ML", "GLS", "ULS")
#: The estimators of ordinal indicators (cb/categorical), here so that checking an
#: estimator's name does not load the ordinal machinery.
CATEGORICAL_ESTIMATORS = {
    # estimator: (fit with, se, test)
    "WLSMV": ("DWLS", "robust.sem", "scaled.shifted"),
    "DWLS": ("DWLS", "standard", "standard"),
    "WLS": ("WLS", "standard", "standard"),
    "ULSMV": ("ULS", "robust.sem", "scaled.shifted"),
    "ULS": ("ULS", "standard", "standard"),
}


@dataclass
class Estimate:
    """Result of one estimation."""

    theta: np.ndarray
    fmin: float
    converged: bool
    iterations: int
    vcov: np.ndarray | None
    message: str = ""
    #: The implied moments and Sigma^-1 at ``theta``, where the estimator has them (ML), so
    #: the fit measures and the standardized solution reuse them instead of recomputing.
    implied: Implied | None = None
    sigma_inv: np.ndarray | None = None


def vech_indices(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the lower triangle (with diagonal), column-major like lavaan."""
    rows, cols = [], []
    for j in range(p):
        for i in range(j, p):
            rows.append(i)
            cols.append(j)
    return np.asarray(rows), np.asarray(cols)


def start_values(model: RAMModel, S: np.ndarray, user_start: np.ndarray | None = None
                 ) -> np.ndarray:
    """Starting values in the spirit of lavaan's "simple" start, made a little smarter.

    Loadings on a marker start at the covariance ratio with the marker; latent variances at the
    average covariance among a latent's indicators; residual variances at half the sample
    variance; everything else at 0.
    """
    theta = np.zeros(model.n_par)
    seen = [False] * model.n_par
    p = model.n_obs
    diag = np.diag(S)
    marker: dict[int, int] = {}
    # plain lists: a loop over numpy scalars is several times slower
    kind, row_i, row_j = model.kind.tolist(), model.row_i.tolist(), model.row_j.tolist()
    pidx = model.pidx.tolist()
    for k, i, j, f, v in zip(kind, row_i, row_j, pidx, model.fixed.tolist(), strict=True):
        if k == 0 and f < 0 and v != 0 and i < p and j >= p:
            marker.setdefault(j, i)
    inds: dict[int, list[int]] = {}
    for k, i, j in zip(kind, row_i, row_j, strict=True):
        if k == 0 and i < p <= j:
            inds.setdefault(j, []).append(i)
    for k, i, j, f in zip(kind, row_i, row_j, pidx, strict=True):
        if f < 0 or seen[f]:
            continue
        seen[f] = True
        if k == 0 and i < p <= j:  # loading
            mk = marker.get(j)
            if mk is not None and mk != i and S[mk, mk] > 0:
                lat_var = _latent_var_start(S, inds.get(j, []), mk)
                theta[f] = S[i, mk] / S[mk, mk] / max(lat_var / S[mk, mk], 0.05) * 1.0 \
                    if lat_var > 0 else 1.0
                theta[f] = min(max(float(theta[f]), -10.0), 10.0)  # np.clip, on a scalar
            else:
                theta[f] = float(np.sqrt(max(diag[i], 1e-6) * 0.5))
        elif k == 1 and i == j:
            if i < p:
                theta[f] = 0.5 * diag[i]
            else:
                lst = inds.get(i, [])
                mk = marker.get(i)
                theta[f] = max(_latent_var_start(S, lst, mk), 0.05) if mk is not None else 1.0
        else:
            theta[f] = 0.0
    if user_start is not None:
        ok = ~np.isnan(user_start)
        theta[ok] = user_start[ok]
    return theta


def _latent_var_start(S: np.ndarray, inds: list[int], marker: int | None) -> float:
    """Average covariance of the marker with the other indicators (a latent variance guess)."""
    if marker is None:
        return 1.0
    others = [i for i in inds if i != marker]
    if not others:
        return 0.5 * S[marker, marker]
    # np.mean's numbers (the same sum, divided by the count) without its per-call overhead
    return float(np.abs(S[marker, others]).sum()) / len(others)


def _ml_objective(sigma: np.ndarray, S: np.ndarray, logdet_s: float) -> tuple[float, np.ndarray]:
    """ML discrepancy and Sigma^-1; ``inf`` when Sigma is not positive definite."""
    with np.errstate(invalid="ignore"):
        return _ml_objective_quiet(sigma, S, logdet_s)


def _ml_objective_quiet(sigma: np.ndarray, S: np.ndarray, logdet_s: float
                        ) -> tuple[float, np.ndarray]:
    """:func:`_ml_objective` for callers already inside ``np.errstate(invalid="ignore")``."""
    L = small_linalg.cholesky(sigma)
    if L is None:
        return np.inf, np.empty(0)
    inv = small_linalg.inv(sigma)
    logdet = 2.0 * np.log(L.diagonal()).sum()
    p = S.shape[0]
    return float(logdet + np.sum(S * inv) - logdet_s - p), inv


def expected_information(dsig: np.ndarray, inv: np.ndarray) -> np.ndarray:
    """``tr(Sigma^-1 dSigma_k Sigma^-1 dSigma_l)``: the expected Hessian of F_ML."""
    q = len(dsig)
    V = inv @ dsig  # (q, p, p)
    return V.reshape(q, -1) @ V.transpose(0, 2, 1).reshape(q, -1).T


def _ml_mean_objective(imp: Implied, S: np.ndarray, ld: float, mean: np.ndarray | None,
                       quiet: bool = False) -> tuple[float, np.ndarray]:
    f, inv = (_ml_objective_quiet if quiet else _ml_objective)(imp.sigma, S, ld)
    if mean is not None and np.isfinite(f):
        d = mean - imp.mu
        f += float(d @ inv @ d)
    return f, inv


def fit_ml(model: RAMModel, S: np.ndarray, n: int, theta0: np.ndarray, *,
           mean: np.ndarray | None = None, max_iter: int = 500, tol: float = 1e-9) -> Estimate:
    """Maximum likelihood: Fisher scoring with step halving, finished by quasi-Newton steps.

    Fisher scoring converges only linearly when the model misfits; once the steps are small,
    BFGS updates of the last Fisher information converge superlinearly. With ``mean`` (and a
    model with a mean structure) the discrepancy gains ``(m - mu)' Sigma^-1 (m - mu)``.

    Parameters
    ----------
    model : RAMModel
    S : ndarray
        Sample covariance with divisor N.
    n : int
        Number of observations.
    theta0 : ndarray
        Starting values.
    mean : ndarray, optional
        Sample means, when the model has a mean structure.
    """
    if mean is not None and not model.meanstructure:
        mean = None
    sign, logdet_s = small_linalg.slogdet(S)
    ld = logdet_s if sign > 0 else 0.0
    theta = theta0.copy()
    imp = model.implied(theta)
    f, inv = _ml_mean_objective(imp, S, ld, mean)
    if not np.isfinite(f):
        theta = _repair_start(model, S, theta)
        imp = model.implied(theta)
        f, inv = _ml_mean_objective(imp, S, ld, mean)
    if not np.isfinite(f):
        raise ModelSpecError(
            "the model's implied covariance matrix is not positive definite at the start "
            "values, even after shrinking them: a fixed value (such as a negative fixed "
            "variance) or an extreme start() value rules out every fit; check them")
    with np.errstate(invalid="ignore"):  # a failed factorization is NaN (cb/small_linalg)
        theta, imp, f, inv, converged, it = _ml_iterations(model, S, ld, mean, theta, imp, f,
                                                           inv, max_iter, tol)
    _, info = _ml_derivatives(model, imp, inv, S, mean, True)
    assert info is not None
    vcov = _inverse(info * (n / 2.0))
    return Estimate(theta, f, converged, it, vcov, implied=imp, sigma_inv=inv)


def _ml_iterations(model: RAMModel, S: np.ndarray, ld: float, mean: np.ndarray | None,
                   theta: np.ndarray, imp: Implied, f: float, inv: np.ndarray, max_iter: int,
                   tol: float) -> tuple[np.ndarray, Implied, float, np.ndarray, bool, int]:
    """The iterations of :func:`fit_ml` (inside its errstate): the estimate and its state."""
    converged = False
    it = 0
    quasi = False
    H = np.eye(model.n_par)
    prev: tuple[np.ndarray, np.ndarray] | None = None
    for it in range(1, max_iter + 1):  # noqa: B007 - iteration count reported
        grad, info = _ml_derivatives(model, imp, inv, S, mean, not quasi)
        if quasi and prev is not None:
            # BFGS update of the last Fisher information: superlinear near the optimum.
            s_ = theta - prev[0]
            y_ = grad - prev[1]
            sy = float(s_ @ y_)
            if sy > 1e-16:
                Hs = H @ s_
                # np.outer's products, without its per-call overhead
                H = H + (y_[:, None] * y_) / sy - (Hs[:, None] * Hs) / float(s_ @ Hs)
        else:
            assert info is not None
            H = info
        prev = (theta, grad)  # theta is replaced below, never changed in place
        step = _solve_quiet(H, grad)
        t = 1.0
        while True:
            cand = theta - t * step
            imp_c = model.implied(cand)
            f_c, inv_c = _ml_mean_objective(imp_c, S, ld, mean, quiet=True)
            if f_c <= f + 1e-13 and math.isfinite(f_c):
                break
            t *= 0.5
            if t < 1e-10:
                break
        if t < 1e-10:
            converged = bool(np.max(np.abs(grad)) < 1e-6)
            break
        theta, imp, f, inv = cand, imp_c, f_c, inv_c
        # t is a power of two: scaling after the division gives the same number
        size = t * float(np.max(np.abs(step) / np.maximum(1.0, np.abs(theta))))
        if size < tol:
            converged = True
            break
        quasi = quasi or size < 1e-2
    return theta, imp, f, inv, converged, it


def _ml_derivatives(model: RAMModel, imp: Implied, inv: np.ndarray, S: np.ndarray,
                    mean: np.ndarray | None, with_information: bool
                    ) -> tuple[np.ndarray, np.ndarray | None]:
    # rank-two factors of dSigma instead of the (q, p, p) Jacobian: see cb/ml_derivatives
    return ml_gradient_information(model, imp.G, imp.C, imp.sigma, inv, S, mean=mean,
                                   mu=imp.mu, eta=imp.eta, with_information=with_information)


def _ml_gradient(imp: Implied, inv: np.ndarray, S: np.ndarray, mean: np.ndarray | None,
                 dsig: np.ndarray, dmu: np.ndarray) -> np.ndarray:
    q = len(dsig)
    if mean is None:
        R = inv @ (imp.sigma - S) @ inv
        return dsig.reshape(q, -1) @ R.ravel()
    d = mean - imp.mu
    R = inv @ (imp.sigma - S - np.outer(d, d)) @ inv
    return dsig.reshape(q, -1) @ R.ravel() - 2.0 * dmu @ (inv @ d)


def _ml_information(dsig: np.ndarray, dmu: np.ndarray, inv: np.ndarray, means: bool
                    ) -> np.ndarray:
    info = expected_information(dsig, inv)
    if means:
        info = info + 2.0 * dmu @ inv @ dmu.T
    return info


def duplication_matrix(p: int) -> np.ndarray:
    """The duplication matrix D with vec(M) = D vech(M) for symmetric M (lavaan's vech order)."""
    r, c = vech_indices(p)
    D = np.zeros((p * p, len(r)))
    for k, (i, j) in enumerate(zip(r, c, strict=True)):
        D[j * p + i, k] = 1.0
        D[i * p + j, k] = 1.0
    return D


def wls_weight(S: np.ndarray, estimator: str) -> np.ndarray:
    """lavaan's weight matrix over vech elements: normal-theory GLS or identity (ULS).

    ``W = 1/2 D'(A (x) A) D`` with ``A = S^-1``, written element-wise so no p^2 x p^2 Kronecker
    product is formed: ``W[(ij),(kl)] = m_ij m_kl (A_ik A_jl + A_il A_jk) / 4`` with ``m = 2``
    off the diagonal and 1 on it.
    """
    p = S.shape[0]
    if estimator == "ULS":
        return np.eye(p * (p + 1) // 2)
    A = np.linalg.inv(S)
    r, c = vech_indices(p)
    T = A[np.ix_(r, r)] * A[np.ix_(c, c)] + A[np.ix_(r, c)] * A[np.ix_(c, r)]
    m = np.where(r == c, 1.0, 2.0)
    return 0.25 * np.outer(m, m) * T


def fit_wls(model: RAMModel, S: np.ndarray, n: int, theta0: np.ndarray, W: np.ndarray, *,
            max_iter: int = 500, tol: float = 1e-10) -> Estimate:
    """GLS or ULS (a fixed weight matrix over vech elements) by Gauss-Newton with step halving."""
    p = S.shape[0]
    r, c = vech_indices(p)
    s = S[r, c]
    theta = theta0.copy()
    imp = model.implied(theta)

    def objective(sig: np.ndarray) -> float:
        e = s - sig[r, c]
        return 0.5 * float(e @ W @ e)

    f = objective(imp.sigma)
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007
        dsig, _ = model.jacobian(theta, imp)
        D = dsig[:, r, c].T                       # (p*, q)
        e = s - imp.sigma[r, c]
        WD = W @ D
        grad = -(WD.T @ e)
        H = D.T @ WD
        step = _solve(H, grad)
        t = 1.0
        while True:
            cand = theta - t * step
            imp_c = model.implied(cand)
            f_c = objective(imp_c.sigma)
            if f_c <= f + 1e-14:
                break
            t *= 0.5
            if t < 1e-10:
                break
        if t < 1e-10:
            converged = np.max(np.abs(grad)) < 1e-6
            break
        theta, imp, f = cand, imp_c, f_c
        if np.max(np.abs(t * step)) < tol:
            converged = True
            break
    dsig, _ = model.jacobian(theta, imp)
    D = dsig[:, r, c].T
    vcov = _inverse((n - 1) * (D.T @ W @ D))  # N - 1, as lavaan for least squares
    return Estimate(theta, f, converged, it, vcov)


def _solve(H: np.ndarray, g: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return _solve_quiet(H, g)


def _solve_quiet(H: np.ndarray, g: np.ndarray) -> np.ndarray:
    """:func:`_solve` for callers already inside ``np.errstate(invalid="ignore")``."""
    step = small_linalg.solve(H, g)
    if len(step) and math.isnan(step[0]):  # singular: NaN everywhere, as LAPACK reports it
        return np.linalg.lstsq(H + 1e-8 * np.eye(len(g)), g, rcond=None)[0]
    return step


def _inverse(M: np.ndarray) -> np.ndarray | None:
    """Inverse of an information matrix; ``None`` if singular (unidentified parameters)."""
    if M.size == 0:
        return M
    # Judge singularity after scaling to unit diagonal: a condition number that depends on the
    # data's units (variances of 1e24 next to loadings of 1) says nothing about identification.
    d = np.sqrt(np.diag(M))
    if not np.all(np.isfinite(d)) or np.any(d <= 0):
        return None
    dd = np.outer(d, d)
    scaled = M / dd
    with np.errstate(invalid="ignore"):
        cond = small_linalg.cond(scaled)
        if not math.isfinite(cond) or cond > 1e14:
            return None
        return small_linalg.inv(scaled) / dd


def _repair_start(model: RAMModel, S: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Shrink off-diagonal starts until the implied covariance is positive definite."""
    th = theta.copy()
    for _ in range(30):
        sig = model.implied(th).sigma
        try:
            np.linalg.cholesky(sig)
            return th
        except np.linalg.LinAlgError:
            for k, i, j, f in zip(model.kind, model.row_i, model.row_j, model.pidx,
                                  strict=True):
                if f >= 0 and not (k == 1 and i == j):
                    th[f] *= 0.5
                elif f >= 0:
                    th[f] = abs(th[f]) * 1.5 + 0.01
    return th


def numeric_hessian(grad: Callable[[np.ndarray], np.ndarray], theta: np.ndarray) -> np.ndarray:
    """Central differences of an analytic gradient, symmetrised."""
    q = len(theta)
    H = np.zeros((q, q))
    for k in range(q):
        h = 1e-5 * max(1.0, abs(theta[k]))
        tp, tm = theta.copy(), theta.copy()
        tp[k] += h
        tm[k] -= h
        H[:, k] = (grad(tp) - grad(tm)) / (2 * h)
    return 0.5 * (H + H.T)
