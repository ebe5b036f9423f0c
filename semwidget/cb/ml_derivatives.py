"""Gradient and expected information of the ML discrepancy from rank-two derivative factors.

Every free row of a RAM model moves ``Sigma`` by a symmetric rank-two matrix:
``dSigma_r = a_r b_r' + b_r a_r'`` with ``a_r = G[:, i]`` and ``b_r = C[:p, j]`` for a directed
path ``j -> i``, ``b_r = G[:, j]`` (halved when ``i == j``) for a (co)variance. With
``W = Sigma^-1`` the expected information ``tr(W dSigma_r W dSigma_s)`` is then

    2 (K_ab[r, s] K_ab[s, r] + K_aa[r, s] K_bb[r, s]),   K_xy = X' W Y,

and the gradient ``tr(dSigma_r R)`` is ``2 a_r' R b_r``: O(p^2 q + p q^2) work and O(p q)
memory instead of the O(q p^3 + q^2 p^2) work and (q, p, p) arrays of the full Jacobian.
The functions take stacks: any leading axes of ``G``, ``C``, ``W`` are a batch of fits.
"""

from __future__ import annotations

import numpy as np

from semwidget.cb.ram import Implied, RAMModel

__all__ = ["aggregate", "factors", "gradient", "information", "moment_curvature"]


def factors(model: RAMModel, G: np.ndarray, C: np.ndarray, eta: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The factors ``a_r``, ``b_r`` (as columns) and ``dmu_r`` of every free row.

    Parameters
    ----------
    model : RAMModel
    G : ndarray, shape (..., p, n)
        Rows of ``(I - A)^-1`` for the observed variables.
    C : ndarray, shape (..., n, n)
        Implied covariance of all variables.
    eta : ndarray, shape (..., n), optional
        Implied means of all variables; with it (and a mean structure) ``dmu`` is returned.

    Returns
    -------
    U, V : ndarray, shape (..., p, r)
    M : ndarray, shape (..., p, r) or None
        ``dmu`` per free row, when means are modelled.
    """
    p = model.n_obs
    pl = model.plan()
    i, j, d, c = pl.fi, pl.fj, pl.fd, pl.fc
    U = G[..., :, i]
    # one take from [C[:p] | G]: column j of C[:p] for a path, of G (halved for a variance)
    # for a (co)variance, times 0 for an intercept (see RowPlan.v_take)
    V = np.concatenate((C[..., :p, :], G), axis=-1)[..., pl.v_take] * pl.v_scale
    if len(c):
        U[..., c] = 0.0  # intercepts do not move Sigma
    if eta is None or not model.meanstructure:
        return U, V, None
    M = np.zeros_like(U)
    M[..., d] = G[..., :, i[d]] * eta[..., None, j[d]]
    M[..., c] = G[..., :, i[c]]
    return U, V, M


def gradient(U: np.ndarray, V: np.ndarray, R: np.ndarray, M: np.ndarray | None = None,
             Wd: np.ndarray | None = None) -> np.ndarray:
    """Per-row ``tr(dSigma_r R) - 2 dmu_r' Wd`` (``Wd = Sigma^-1 (m - mu)``), shape (..., r)."""
    # the same sequential sum over p as einsum("...pr,...pr->...r"), without parsing it
    g = 2.0 * (U * (R @ V)).sum(axis=-2)
    if M is not None and Wd is not None:
        g -= 2.0 * np.einsum("...pr,...p->...r", M, Wd)
    return g


def information(U: np.ndarray, V: np.ndarray, W: np.ndarray, M: np.ndarray | None = None
                ) -> np.ndarray:
    """Per-row expected information ``tr(W dS_r W dS_s) + 2 dmu_r' W dmu_s``, shape (..., r, r)."""
    WU, WV = W @ U, W @ V
    Ut = np.swapaxes(U, -1, -2)
    K_ab = Ut @ WV
    info = K_ab * np.swapaxes(K_ab, -1, -2)
    info += (Ut @ WU) * (np.swapaxes(V, -1, -2) @ WV)
    info *= 2.0
    if M is not None:
        info += 2.0 * (np.swapaxes(M, -1, -2) @ (W @ M))
    return info


def aggregate(model: RAMModel, grad: np.ndarray, info: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray | None]:
    """Per-row gradient (..., r) and information (..., r, r) → per parameter (q and q x q).

    Rows that share a parameter (equality labels) are summed; otherwise the rows are a
    permutation of the parameters and are put in place.
    """
    pl = model.plan()
    if pl.in_order:  # rows and parameters coincide: nothing to move
        return grad, info
    par = pl.free_par
    q = model.n_par
    shape = grad.shape[:-1]
    if not model._shares_parameters():
        g = np.empty((*shape, q))
        g[..., par] = grad
        if info is None:
            return g, None
        h = np.empty((*shape, q, q))
        h[..., par[:, None], par[None, :]] = info
        return g, h
    P = np.zeros((q, len(par)))
    P[par, np.arange(len(par))] = 1.0
    g = grad @ P.T
    return g, (None if info is None else P @ info @ P.T)


def ml_gradient_information(model: RAMModel, G: np.ndarray, C: np.ndarray, sigma: np.ndarray,
                            inv: np.ndarray, S: np.ndarray, *, mean: np.ndarray | None = None,
                            mu: np.ndarray | None = None, eta: np.ndarray | None = None,
                            with_information: bool = True
                            ) -> tuple[np.ndarray, np.ndarray | None]:
    """Gradient of F_ML and its expected information (the Fisher-scoring Hessian).

    ``F = log|Sigma| + tr(S Sigma^-1) - log|S| - p [+ (m - mu)' Sigma^-1 (m - mu)]``; the
    same numbers as contracting :meth:`RAMModel.jacobian` with ``Sigma^-1 (Sigma - S) Sigma^-1``
    and ``tr(Sigma^-1 dSigma_k Sigma^-1 dSigma_l)``. Leading axes of the arrays are a batch.
    """
    means = mean is not None and mu is not None and model.meanstructure
    U, V, M = factors(model, G, C, eta if means else None)
    if means:
        d = mean - mu
        R = inv @ (sigma - S - d[..., :, None] * d[..., None, :]) @ inv
        Wd = np.einsum("...ij,...j->...i", inv, d)
    else:
        R, Wd = inv @ (sigma - S) @ inv, None
    g = gradient(U, V, R, M, Wd)
    info = information(U, V, inv, M) if with_information else None
    return aggregate(model, g, info)


def moment_curvature(model: RAMModel, imp: Implied, g_sig: np.ndarray,
                     g_mu: np.ndarray | None = None) -> np.ndarray:
    """Second derivatives of the implied moments, contracted with fixed moment weights.

    Returns the (q, q) matrix ``d2/dtheta_k dtheta_l [tr(g_sig Sigma) + g_mu' mu]``
    (``g_sig`` symmetric), the term a Hessian gains from the curvature of ``Sigma(theta)`` and
    ``mu(theta)``. With ``B = (I - A)^-1``, ``C = B S B'``, ``eta = B m``, the weights padded to
    all variables (``Gf``, ``gf``) and ``N = B' Gf B``, ``M = C Gf B``, ``h = B' gf``, the rows
    (a path ``b -> a``; a (co)variance ``c ~~ d``; an intercept ``c``) pair as

        path-path   2 (B[d,a] M[b,c] + B[b,c] M[d,a] + C[b,d] N[c,a])
                    + h[c] B[d,a] eta[b] + h[a] B[b,c] eta[d]
        path-cov    2 (B[b,c] N[d,a] + B[b,d] N[c,a])   (halved for a variance)
        path-mean   h[a] B[b,c]

    and (co)variances and intercepts, in which the moments are linear, not at all. Rows that
    share a parameter are summed (:func:`aggregate`).
    """
    n, p = model.n_var, model.n_obs
    B, C = imp.B, imp.C
    Gf = np.zeros((n, n))
    Gf[:p, :p] = g_sig
    gf = np.zeros(n)
    if g_mu is not None and model.meanstructure:
        gf[:p] = g_mu
    N = B.T @ Gf @ B
    M = C @ Gf @ B
    h = B.T @ gf
    eta = imp.eta
    free = model.pidx >= 0
    kind, ri, rj = model.kind[free], model.row_i[free], model.row_j[free]
    T = np.zeros((len(kind), len(kind)))
    pa = np.flatnonzero(kind == 0)
    a, b = ri[pa], rj[pa]
    if len(pa):
        A, Bb = a[:, None], b[:, None]
        c, d = a[None, :], b[None, :]
        T[np.ix_(pa, pa)] = (2.0 * (B[d, A] * M[Bb, c] + B[Bb, c] * M[d, A] + C[Bb, d] * N[c, A])
                             + h[c] * B[d, A] * eta[Bb] + h[A] * B[Bb, c] * eta[d])
        cv = np.flatnonzero(kind == 1)
        if len(cv):
            c, d = ri[cv][None, :], rj[cv][None, :]
            t = 2.0 * (B[Bb, c] * N[d, A] + B[Bb, d] * N[c, A]) * np.where(c == d, 0.5, 1.0)
            T[np.ix_(pa, cv)] = t
            T[np.ix_(cv, pa)] = t.T
        mn = np.flatnonzero(kind == 2)
        if len(mn) and model.meanstructure:
            t = h[A] * B[Bb, ri[mn][None, :]]
            T[np.ix_(pa, mn)] = t
            T[np.ix_(mn, pa)] = t.T
    return aggregate(model, np.zeros(len(kind)), T)[1]
