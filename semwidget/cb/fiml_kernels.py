"""Batched numeric kernels of the FIML log-likelihood: value, gradient and observed information.

Missing-data patterns with the same number of observed variables are stacked, so one call of
batched linear algebra (a Cholesky factor per pattern) serves them all instead of a Python
loop with an inverse per pattern. The observed information is analytic in the data: its
pattern part is a sum of Kronecker products of the patterns' inverse covariances, contracted
with the Jacobian of the implied moments, and the model's second derivatives are analytic too
(:func:`semwidget.cb.ml_derivatives.moment_curvature`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from semwidget.cb.ml_derivatives import moment_curvature

if TYPE_CHECKING:
    from semwidget.cb.ram import RAMModel

LOG2PI = math.log(2.0 * math.pi)

#: Above this many observed variables the (p(p+1)/2)^2 Kronecker sums of the analytic
#: information outgrow differencing the batched gradient, which is used instead.
MAX_P_KRONECKER = 60


@dataclass
class Pattern:
    """Rows sharing one missing-data pattern, summarised by their moments."""

    obs: np.ndarray  # indices of observed variables
    n: int
    mean: np.ndarray
    cov: np.ndarray  # divisor n, around the pattern mean


class Patterns(list):
    """The patterns of one data set; the batched kernels cache their stacked form on it."""


def patterns(X: np.ndarray, weights: np.ndarray | None = None) -> list[Pattern]:
    """Group the rows of ``X`` (NaN for missing) by missing-data pattern.

    With sampling ``weights`` a pattern's ``n`` is its sum of weights and its moments are
    weighted, so the weighted log-likelihood keeps the same form.
    """
    mask = ~np.isnan(X)
    keys, inverse = np.unique(mask, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    # the rows of each pattern by one stable sort (a mask per pattern is O(rows x patterns))
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(keys) + 1))
    out = Patterns()
    for k, key in enumerate(keys):
        sel = order[bounds[k]:bounds[k + 1]]
        rows = X[sel][:, key]
        w = np.ones(len(rows)) if weights is None else weights[sel]
        n = float(w.sum()) if weights is not None else len(rows)
        m = w @ rows / n
        d = rows - m
        out.append(Pattern(np.flatnonzero(key), n, m, (d * w[:, None]).T @ d / n))
    return out


@dataclass
class Stack:
    """Patterns with ``k`` observed variables, stacked along a first axis."""

    idx: np.ndarray  # (m, k) observed variables
    n: np.ndarray    # (m,) rows (or weight sums)
    mean: np.ndarray  # (m, k)
    cov: np.ndarray   # (m, k, k)
    flat: np.ndarray  # (m, k, k) positions in a raveled p x p matrix
    order: np.ndarray  # (m, p) observed variables first, then the missing ones


def stacks(pats: Any, p: int) -> list[Stack]:
    """The patterns grouped by size, built once per pattern list (cached on it when possible)."""
    cached = getattr(pats, "_stacks", None)
    if cached is not None and cached[0] == p:
        return cached[1]
    by_k: dict[int, list[Any]] = {}
    for pt in pats:
        by_k.setdefault(len(pt.obs), []).append(pt)
    out = []
    for _k, group in sorted(by_k.items()):
        idx = np.array([pt.obs for pt in group], dtype=int)
        seen = np.zeros((len(group), p), dtype=bool)
        np.put_along_axis(seen, idx, True, axis=1)
        order = np.concatenate([idx, np.nonzero(~seen)[1].reshape(len(group), -1)], axis=1)
        out.append(Stack(idx, np.array([pt.n for pt in group], dtype=float),
                         np.array([pt.mean for pt in group]), np.array([pt.cov for pt in group]),
                         idx[:, :, None] * p + idx[:, None, :], order))
    try:
        pats._stacks = (p, out)
    except AttributeError:
        pass  # a plain list: rebuilt on the next call
    return out


def loglik(pats: Any, sigma: np.ndarray, mu: np.ndarray) -> float:
    """Observed-data log-likelihood; ``-inf`` if a pattern's covariance is not positive definite.

    Per pattern ``log|S| + tr(S^-1 C) + d' S^-1 d`` from the Cholesky factor ``L`` by solves
    (``|L^-1 d|^2``), without forming the inverse: most patterns of sparse data are one row
    each (``C = 0``), and ``tr(S^-1 C) = tr(L^-1 C L^-T)`` is needed only for the others.
    """
    total = 0.0
    for st in stacks(pats, sigma.shape[0]):
        so = sigma[st.idx[:, :, None], st.idx[:, None, :]]
        try:
            L = np.linalg.cholesky(so)
        except np.linalg.LinAlgError:
            return -np.inf
        logdet = 2.0 * np.log(np.diagonal(L, axis1=1, axis2=2)).sum(axis=1)
        y = np.linalg.solve(L, (st.mean - mu[st.idx])[:, :, None])
        quad = np.einsum("mij,mij->m", y, y)
        multi = _several_rows(st)
        if len(multi):
            Lm = L[multi]
            Z = np.linalg.solve(Lm, np.linalg.solve(Lm, st.cov[multi]).transpose(0, 2, 1))
            quad[multi] += np.trace(Z, axis1=1, axis2=2)
        k = st.idx.shape[1]
        total += float(-0.5 * st.n @ (k * LOG2PI + logdet + quad))
    return total


def _several_rows(st: Stack) -> np.ndarray:
    """The patterns of a stack with a nonzero covariance (more than one distinct row)."""
    multi = getattr(st, "_multi", None)
    if multi is None:
        multi = np.flatnonzero(st.cov.reshape(len(st.n), -1).any(axis=1))
        st._multi = multi  # type: ignore[attr-defined]
    return multi


def _parts(st: Stack, sigma: np.ndarray, mu: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # one inverse per pattern (no log-determinant is needed here); a trial point of the line
    # search can leave the positive definite cone, where the objective is flagged, but the
    # gradient still exists while the blocks are invertible
    A = np.linalg.inv(sigma[st.idx[:, :, None], st.idx[:, None, :]])
    d = st.mean - mu[st.idx]
    a = np.einsum("mij,mj->mi", A, d)
    B = A @ st.cov @ A + a[:, :, None] * a[:, None, :]  # A M A with M = C + d d'
    return A, a, B


def loglik_gradients(pats: Any, sigma: np.ndarray, mu: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """d loglik / d Sigma (as a symmetric matrix used in a trace) and d loglik / d mu."""
    p = sigma.shape[0]
    g_sig = np.zeros(p * p)
    g_mu = np.zeros(p)
    for st in stacks(pats, p):
        A, a, B = _parts(st, sigma, mu)
        vals = -0.5 * st.n[:, None, None] * (A - B)
        g_sig += np.bincount(st.flat.ravel(), weights=vals.ravel(), minlength=p * p)
        g_mu += np.bincount(st.idx.ravel(), weights=(st.n[:, None] * a).ravel(), minlength=p)
    return g_sig.reshape(p, p), g_mu


def em_constant(st: Stack, p: int) -> tuple[np.ndarray, np.ndarray]:
    """The observed blocks of a stack's EM sums, which do not change between steps."""
    const = getattr(st, "_em_const", None)
    if const is None:
        second = st.cov + st.mean[:, :, None] * st.mean[:, None, :]
        const = (np.bincount(st.idx.ravel(), weights=(st.n[:, None] * st.mean).ravel(),
                             minlength=p),
                 np.bincount(st.flat.ravel(), weights=(st.n[:, None, None] * second).ravel(),
                             minlength=p * p))
        st._em_const = const  # type: ignore[attr-defined]
    return const


def em_step(pats: Any, p: int, n: float, mu: np.ndarray, sig: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    """One EM step for the saturated mean and covariance, all patterns of a size at once.

    The missing part of each row is replaced by its regression on the observed part (and the
    cross-products get the conditional covariance); the observed blocks are data, summed once.
    """
    T1 = np.zeros(p)
    T2 = np.zeros(p * p)
    precision = None
    for st in stacks(pats, p):
        c1, c2 = em_constant(st, p)
        T1 += c1
        T2 += c2
        k = st.idx.shape[1]
        if k == p:
            continue
        o, mis = st.order[:, :k], st.order[:, k:]
        if p - k < k:
            # few missing: the regression and the conditional covariance from the precision
            # matrix's missing block, (p - k) square, instead of solving with the k x k block
            if precision is None:
                precision = np.linalg.inv(sig)
            cond = np.linalg.inv(precision[mis[:, :, None], mis[:, None, :]])
            B = -cond @ precision[mis[:, :, None], o[:, None, :]]  # (m, p - k, k)
        else:
            som = sig[o[:, :, None], mis[:, None, :]]
            B = np.linalg.solve(sig[o[:, :, None], o[:, None, :]], som).transpose(0, 2, 1)
            cond = sig[mis[:, :, None], mis[:, None, :]] - B @ som
        mm = mu[mis] + np.einsum("mij,mj->mi", B, st.mean - mu[o])  # expected missing part
        w = st.n[:, None, None]
        BC = B @ st.cov
        E_mo = w * (BC + mm[:, :, None] * st.mean[:, None, :])
        E_mm = w * (BC @ B.transpose(0, 2, 1) + cond + mm[:, :, None] * mm[:, None, :])
        f_mo = mis[:, :, None] * p + o[:, None, :]
        f_om = o[:, None, :] * p + mis[:, :, None]
        f_mm = mis[:, :, None] * p + mis[:, None, :]
        T2 += np.bincount(np.concatenate([f_mo.ravel(), f_om.ravel(), f_mm.ravel()]),
                          weights=np.concatenate([E_mo.ravel(), E_mo.ravel(), E_mm.ravel()]),
                          minlength=p * p)
        T1 += np.bincount(mis.ravel(), weights=(st.n[:, None] * mm).ravel(), minlength=p)
    new_mu = T1 / n
    S = T2.reshape(p, p) / n - np.outer(new_mu, new_mu)
    return new_mu, S


def _padded(st: Stack, X: np.ndarray, p: int) -> np.ndarray:
    out = np.zeros((len(st.n), p, p))
    out[np.arange(len(st.n))[:, None, None], st.idx[:, :, None], st.idx[:, None, :]] = X
    return out


def _pairs(p: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r, c = np.triu_indices(p)
    pair = np.zeros((p, p), dtype=int)
    pair[r, c] = pair[c, r] = np.arange(len(r))
    return r, c, pair


def inverse_kron(pats: Any, sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sums over patterns of ``n A`` and of ``n A[x, y] A[u, v]`` (A: the inverse of the
    pattern's implied covariance, zero where unobserved).

    Returns ``K`` (p, p), ``KAA`` indexed by unordered pairs and ``pair`` (p, p), the index of
    the pair ``{x, y}``: the sum of ``n A[x, y] A[u, v]`` is ``KAA[pair[x, y], pair[u, v]]``.
    """
    p = sigma.shape[0]
    r, c, pair = _pairs(p)
    KAA = np.zeros((len(r), len(r)))
    K = np.zeros((p, p))
    zero = np.zeros(p)
    for st in stacks(pats, p):
        Ap = _padded(st, _parts(st, sigma, zero)[0], p)
        VA = Ap[:, r, c]
        KAA += (st.n[:, None] * VA).T @ VA
        K += np.einsum("m,mij->ij", st.n, Ap)
    return K, KAA, pair


def moment_hessian(pats: Any, sigma: np.ndarray, mu: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hessian of ``-loglik`` in the implied moments (entries of Sigma taken one by one).

    Returns ``W`` of shape (p, p, p, p) with ``d2 = sum W[i,j,r,s] dS'[i,j] dS[r,s]``, the
    cross block ``X`` (p, p, p) with ``sum X[i,j,r] dS[i,j] dmu[r]`` (to be counted twice) and
    the mean block ``K`` (p, p). Per pattern (A its inverse covariance, B = A M A, a = A d):
    ``n/2 [-tr(A dS' A dS) + tr(dS' A dS B) + tr(dS' B dS A)] + n a' dS A dmu + n dmu' A dmu``;
    then the log-likelihood's gradients in Sigma and mu (as :func:`loglik_gradients`, from the
    same factors).
    """
    p = sigma.shape[0]
    r, c, pair = _pairs(p)
    KAA = np.zeros((len(r), len(r)))
    KAB = np.zeros((len(r), len(r)))
    X = np.zeros((p, p * p))
    K = np.zeros((p, p))
    g_sig = np.zeros((p, p))
    g_mu = np.zeros(p)
    for st in stacks(pats, p):
        A, a, B = _parts(st, sigma, mu)
        Ap, Bp = _padded(st, A, p), _padded(st, B, p)
        g_sig -= 0.5 * np.einsum("m,mij->ij", st.n, Ap - Bp)
        ap = np.zeros((len(st.n), p))
        np.put_along_axis(ap, st.idx, a, axis=1)
        g_mu += st.n @ ap
        VA = Ap[:, r, c]
        nVA = st.n[:, None] * VA
        KAA += nVA.T @ VA
        KAB += nVA.T @ Bp[:, r, c]
        X += (st.n[:, None] * ap).T @ Ap.reshape(len(st.n), p * p)
        K += np.einsum("m,mij->ij", st.n, Ap)
    # W[i,j,r,s] pairs dS'[i,j] with A[j,r] and B[s,i] (and A <-> B, and -A A / 2)
    kaa = KAA[pair[:, :, None, None], pair[None, None, :, :]]  # [j,r,s,i] -> A_jr A_si
    kab = KAB[pair[:, :, None, None], pair[None, None, :, :]]  # A_jr B_si
    Wjrsi = -0.5 * kaa + 0.5 * (kab + kab.transpose(2, 3, 0, 1))
    W = Wjrsi.transpose(3, 0, 1, 2)  # -> [i, j, r, s]
    return W, X.reshape(p, p, p), K, g_sig, g_mu


def information(model: RAMModel, pats: Any, theta: np.ndarray) -> np.ndarray:
    """Hessian of ``-loglik`` (summed over rows) in the free parameters: observed information.

    Beyond :data:`MAX_P_KRONECKER` variables, central differences of the batched gradient.
    """
    return information_gradient(model, pats, theta)[0]


def information_gradient(model: RAMModel, pats: Any, theta: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray]:
    """The observed information and the log-likelihood's gradient (both summed over rows)."""
    imp = model.implied(theta)
    p = imp.sigma.shape[0]
    if p > MAX_P_KRONECKER:
        def grad(t: np.ndarray) -> np.ndarray:
            return -total_gradient(model, pats, t)
        from semwidget.cb.estimate import numeric_hessian
        return numeric_hessian(grad, theta), total_gradient(model, pats, theta)
    dsig, dmu = model.jacobian(theta, imp)
    W, X, K, gs, gm = moment_hessian(pats, imp.sigma, imp.mu)
    J = dsig.reshape(len(theta), p * p)
    H = J @ W.reshape(p * p, p * p) @ J.T
    cross = J @ X.reshape(p * p, p) @ dmu.T
    H += cross + cross.T + dmu @ K @ dmu.T
    H -= moment_curvature(model, imp, gs, gm)  # analytic: no 2q Jacobians per step
    return 0.5 * (H + H.T), np.einsum("kij,ij->k", dsig, gs) + dmu @ gm


def total_gradient(model: RAMModel, pats: Any, theta: np.ndarray) -> np.ndarray:
    """Gradient of the log-likelihood (summed over rows) in the free parameters."""
    imp = model.implied(theta)
    dsig, dmu = model.jacobian(theta, imp)
    gs, gm = loglik_gradients(pats, imp.sigma, imp.mu)
    return np.einsum("kij,ij->k", dsig, gs) + dmu @ gm


def newton_minimize(fobj: Any, hess_grad: Any, theta: np.ndarray, *, gtol: float = 1e-9,
                    max_iter: int = 60) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Newton's method with the exact Hessian and a backtracking (Armijo) line search.

    From the complete-data start a handful of steps reach the optimum, where the quasi-Newton
    run needed about a hundred gradients. ``hess_grad(theta)`` gives the objective's Hessian
    and gradient together (one factorization per pattern serves both). Returns the estimate,
    the Hessian there, the number of steps and whether the gradient fell below ``gtol``;
    ``False`` (a Hessian that is not positive definite, or no step that lowers the objective)
    tells the caller to fall back.
    """
    f = fobj(theta)
    H, g = hess_grad(theta)
    for it in range(max_iter):
        if np.max(np.abs(g)) < gtol:
            return theta, H, it, True
        try:
            np.linalg.cholesky(H)
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            return theta, H, it, False
        slope = float(g @ step)
        t = 1.0
        while t > 1e-6:
            cand = theta - t * step
            fc = fobj(cand)
            if fc <= f - 1e-4 * t * slope:
                break
            t *= 0.5
        else:
            # no decrease left to find: at the optimum up to rounding, or stuck
            return theta, H, it, bool(np.max(np.abs(g)) < 1e-6)
        theta, f = cand, fc
        H, g = hess_grad(theta)
    return theta, H, max_iter, bool(np.max(np.abs(g)) < gtol)
