"""The PLS path algorithm (Lohmöller/Wold), batched over correlation matrices.

Every PLS quantity is a function of the indicator correlation matrix ``S``: with unit-variance
construct scores ``Y = Z W``, the score correlations are ``W' S W``, the item/score
correlations ``S W`` and the item/inner-proxy covariances ``S W E``. So the algorithm here
works on a stack of correlation matrices ``S`` of shape ``(B, p, p)``: the full-sample fit is
``B = 1``, a bootstrap is one call for all its resamples. Weights follow seminr's
``simplePLS`` (start from unit weights, Mode A correlation weights, Mode B regression
weights, each weight column rescaled to a unit-variance score, stop when the summed absolute
weight change is below ``tol``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from semwidget.pls.model import BlockIndex

SCHEMES = ("path", "factorial", "centroid")


@dataclass
class WeightFit:
    """Converged outer weights for a stack of correlation matrices.

    Attributes
    ----------
    weights : ndarray (B, p)
        Each indicator's outer weight on its own construct; scores have unit variance.
    iterations : ndarray (B,) of int
    converged : ndarray (B,) of bool
    ok : ndarray (B,) of bool
        False where the algorithm broke down numerically (singular Mode B block,
        a zero-variance composite); those entries are garbage.
    """

    weights: np.ndarray
    iterations: np.ndarray
    converged: np.ndarray
    ok: np.ndarray


@dataclass
class Derived:
    """Estimates derived from ``S`` and converged weights (all batched on axis 0).

    Attributes
    ----------
    cor : (B, K, K) construct correlations (disattenuated with PLSc).
    item_cor : (B, p, K) correlations of every indicator with every construct score.
    loadings : (B, p) loading of each indicator on its own construct (PLSc-corrected).
    weights : (B, p) outer weight of each indicator on its own construct.
    paths : (B, K, K) path coefficients at ``[source, target]``.
    r2 : (B, n_endogenous).
    rho_a : (B, K) Dijkstra–Henseler rho_A (1 for Mode B and single-item blocks).
    """

    cor: np.ndarray
    item_cor: np.ndarray
    loadings: np.ndarray
    weights: np.ndarray
    paths: np.ndarray
    r2: np.ndarray
    rho_a: np.ndarray


# The weight matrix W (p x K) is block-diagonal: indicator i only weighs on its own
# construct. Keeping just its nonzero entries v (B x p) turns S W and W' X into one large
# matrix product each (instead of B small ones), which is where the batch gets its speed.


def times_weights(s: np.ndarray, v: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``S W`` (B, p, K) for block-diagonal weights ``W = diag(v) G``."""
    b, p, _ = s.shape
    return ((s * v[:, None, :]).reshape(b * p, p) @ g).reshape(b, p, g.shape[1])


def block_sum(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``G' X`` (B, K, L) for ``X`` (B, p, L): sums the rows of each block."""
    b, p, m = x.shape
    k = g.shape[1]
    return (x.transpose(0, 2, 1).reshape(b * m, p) @ g).reshape(b, m, k).transpose(0, 2, 1)


def _regress(cor: np.ndarray, target: int, preds: np.ndarray) -> np.ndarray:
    """OLS betas of ``target`` on ``preds`` from a stack of correlation matrices."""
    sxx = cor[:, preds[:, None], preds[None, :]]
    sxy = cor[:, preds, target]
    return np.linalg.solve(sxx, sxy[..., None])[..., 0]


def inner_weights(cor: np.ndarray, index: BlockIndex, scheme: str) -> np.ndarray:
    """Inner weights ``E`` (B, K, K); the inner proxy of ``k`` is ``sum_j Y_j E[j, k]``.

    ``path``: successors weighted by their correlation, predecessors by the regression of
    ``k`` on them. ``factorial``: correlation with every adjacent construct. ``centroid``:
    the sign of that correlation.
    """
    adj = index.path_matrix + index.path_matrix.T
    if scheme == "centroid":
        return np.sign(cor) * adj
    if scheme == "factorial":
        return cor * adj
    e = cor * index.path_matrix.T
    for target, preds in index.endogenous:
        e[:, preds, target] = _regress(cor, target, preds)
    return e


def mode_b_inverses(s: np.ndarray, index: BlockIndex) -> dict[int, np.ndarray]:
    """Inverses of the Mode B blocks of ``S`` (NaN-filled where singular)."""
    out: dict[int, np.ndarray] = {}
    for k in np.flatnonzero(index.mode_b):
        idx = index.block_items[k]
        block = s[:, idx[:, None], idx[None, :]]
        inv = np.full_like(block, np.nan)
        # a well-conditioned block is inverted; a (near) singular one stays NaN
        cond = np.linalg.cond(block)
        good = np.isfinite(cond) & (cond < 1e12)
        if good.any():
            inv[good] = np.linalg.inv(block[good])
        out[int(k)] = inv
    return out


def fit_weights(
    s: np.ndarray,
    index: BlockIndex,
    *,
    scheme: str = "path",
    tol: float = 1e-7,
    max_iter: int = 300,
) -> WeightFit:
    """Iterate outer weights to convergence for every correlation matrix in ``s``.

    Parameters
    ----------
    s : ndarray (B, p, p)
        Indicator correlation matrices.
    index : BlockIndex
    scheme : {"path", "factorial", "centroid"}
    tol : float
        Convergence when the sum of absolute weight changes is below ``tol``.
    max_iter : int
        Iteration cap; entries still moving then have ``converged = False``.
    """
    b, p, _ = s.shape
    g = index.membership
    blocks = index.item_block
    inv_b = mode_b_inverses(s, index)
    ok = np.ones(b, dtype=bool)
    for inv in inv_b.values():
        ok &= np.isfinite(inv).all(axis=(1, 2))
    weights = np.full((b, p), np.nan)
    iterations = np.zeros(b, dtype=int)
    converged = np.zeros(b, dtype=bool)

    active = np.flatnonzero(ok)
    sa = s[active]
    inv_a = {k: inv[active] for k, inv in inv_b.items()}
    v = np.ones((active.size, p))  # unit starting weights, as SmartPLS and seminr
    previous = None
    for it in range(max_iter + 1):
        sw = times_weights(sa, v, g)
        var = np.diagonal(block_sum(v[:, :, None] * sw, g), axis1=1, axis2=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = 1.0 / np.sqrt(var)
        v = v * scale[:, blocks]
        if previous is not None:
            diff = np.abs(v - previous).sum(axis=1)
            finite = np.isfinite(diff)
            done = finite & (diff < tol)
            stop = done | ~finite | (it == max_iter)
            weights[active[stop]] = v[stop]
            iterations[active[stop]] = it
            converged[active[done]] = True
            ok[active[~finite]] = False
            if stop.all():
                break
            if stop.any():
                keep = ~stop
                active, sa, v, sw, scale = active[keep], sa[keep], v[keep], sw[keep], scale[keep]
                inv_a = {k: inv[keep] for k, inv in inv_a.items()}
        sw = sw * scale[:, None, :]
        cor = block_sum(v[:, :, None] * sw, g)
        with np.errstate(invalid="ignore"):
            e = inner_weights(cor, index, scheme)
        # covariance of each indicator with its construct's inner proxy: the Mode A weight
        previous = v
        v = np.einsum("bpl,bpl->bp", sw, e[:, :, blocks].transpose(0, 2, 1))
        for k, inv in inv_a.items():
            idx = index.block_items[k]
            v[:, idx] = np.einsum("bij,bj->bi", inv, v[:, idx])
    return WeightFit(weights, iterations, converged, ok)


def rho_a(s: np.ndarray, v: np.ndarray, index: BlockIndex) -> np.ndarray:
    """Dijkstra–Henseler rho_A per construct (B, K); 1 for Mode B and single-item blocks.

    ``rho_A = (w'w)^2 * w'(S - diag S)w / w'(ww' - diag(ww'))w`` on the block's weights.
    """
    out = np.ones((s.shape[0], len(index.block_items)))
    for k, idx in enumerate(index.block_items):
        if index.mode_b[k] or idx.size < 2:
            continue
        wk = v[:, idx]
        sk = s[:, idx[:, None], idx[None, :]]
        wtw = (wk**2).sum(axis=1)
        num = np.einsum("bi,bij,bj->b", wk, sk, wk) - wtw  # diagonal of S is 1
        den = wtw**2 - (wk**4).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, k] = wtw**2 * num / den
    return out


def derive(
    s: np.ndarray, v: np.ndarray, index: BlockIndex, *, consistent: bool = False
) -> Derived:
    """Loadings, construct correlations, paths and R² from ``S`` and converged weights.

    With ``consistent=True`` (PLSc, Dijkstra & Henseler 2015) the construct correlations
    are divided by ``sqrt(rho_A_i rho_A_j)``, paths and R² come from OLS on those corrected
    correlations and Mode A loadings become ``w sqrt(rho_A) / (w'w)``.
    """
    b = s.shape[0]
    g = index.membership
    rows = np.arange(len(index.item_block))
    item_cor = times_weights(s, v, g)
    cor = block_sum(v[:, :, None] * item_cor, g)
    loadings = item_cor[:, rows, index.item_block]
    weights = v.copy()
    rho = rho_a(s, v, index)
    if consistent:
        scale = np.sqrt(rho[:, :, None] * rho[:, None, :])
        k_count = cor.shape[1]
        eye = np.eye(k_count, dtype=bool)
        with np.errstate(invalid="ignore", divide="ignore"):
            cor = np.where(eye, 1.0, cor / scale)
            for k, idx in enumerate(index.block_items):
                if index.mode_b[k] or idx.size < 2:
                    continue
                wk = v[:, idx]
                factor = np.sqrt(rho[:, k]) / (wk**2).sum(axis=1)
                loadings[:, idx] = wk * factor[:, None]
    paths = np.zeros((b, *index.path_matrix.shape))
    r2 = np.zeros((b, len(index.endogenous)))
    for j, (target, preds) in enumerate(index.endogenous):
        beta = _regress(cor, target, preds)
        paths[:, preds, target] = beta
        r2[:, j] = np.einsum("bi,bi->b", beta, cor[:, preds, target])
    return Derived(cor, item_cor, loadings, weights, paths, r2, rho)


def correlation(z: np.ndarray) -> np.ndarray:
    """The (1, p, p) correlation matrix of standardized data ``z``."""
    n = z.shape[0]
    s = (z.T @ z) / (n - 1)
    d = np.sqrt(np.diag(s))
    s = s / d[:, None] / d[None, :]
    np.fill_diagonal(s, 1.0)
    return s[None]
