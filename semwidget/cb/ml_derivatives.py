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

from semwidget.cb.ram import RAMModel

__all__ = ["aggregate", "factors", "gradient", "information"]


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
    i, j, d, s, c = pl.fi, pl.fj, pl.fd, pl.fs, pl.fc
    U = G[..., :, i]
    V = np.zeros_like(U)
    V[..., d] = C[..., :p, j[d]]
    V[..., s] = G[..., :, j[s]] * pl.half
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
    g = 2.0 * np.einsum("...pr,...pr->...r", U, R @ V)
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
