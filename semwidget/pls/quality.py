"""Measurement and structural quality criteria for PLS: reliability, HTMT, VIF, f², SRMR,
indirect effects. Functions of ``S`` take a batch axis first, as in ``pls_estimate``."""

from __future__ import annotations

import numpy as np

from semwidget.pls.estimate import block_sum, times_weights
from semwidget.pls.model import BlockIndex


def cronbach_alpha(s: np.ndarray, index: BlockIndex) -> np.ndarray:
    """Standardized Cronbach's alpha per construct from one correlation matrix (p, p)."""
    out = np.ones(len(index.block_items))
    for k, idx in enumerate(index.block_items):
        m = idx.size
        if m < 2:
            continue
        total = s[np.ix_(idx, idx)].sum()
        out[k] = m / (m - 1) * (1.0 - m / total)
    return out


def rho_c_ave(loadings: np.ndarray, index: BlockIndex) -> tuple[np.ndarray, np.ndarray]:
    """Composite reliability rho_C and AVE per construct from own-block loadings (p,).

    ``rho_C = (sum l)^2 / ((sum l)^2 + sum(1 - l^2))``, ``AVE = mean(l^2)``; 1 and 1 for a
    single-item block.
    """
    k_count = len(index.block_items)
    rho_c, ave = np.ones(k_count), np.ones(k_count)
    for k, idx in enumerate(index.block_items):
        if idx.size < 2:
            continue
        lam = loadings[idx]
        total = lam.sum() ** 2
        rho_c[k] = total / (total + (1.0 - lam**2).sum())
        ave[k] = (lam**2).mean()
    return rho_c, ave


def htmt(s: np.ndarray, index: BlockIndex) -> np.ndarray:
    """Heterotrait–monotrait ratios (B, K, K) from correlation matrices (B, p, p).

    Mean absolute heterotrait correlation over the geometric mean of the two mean absolute
    monotrait (within-block, off-diagonal) correlations; a single-item block's monotrait
    mean is 1. The diagonal is NaN.
    """
    g = index.membership
    sums = block_sum(times_weights(np.abs(s), np.ones(s.shape[:2]), g), g)
    size = g.sum(axis=0)
    hetero = sums / (size[:, None] * size[None, :])
    diag = np.diagonal(sums, axis1=1, axis2=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        mono = np.where(size > 1, (diag - size) / (size * (size - 1)), 1.0)
        out = hetero / np.sqrt(mono[:, :, None] * mono[:, None, :])
    k_count = g.shape[1]
    out[:, np.arange(k_count), np.arange(k_count)] = np.nan
    return out


def inner_vif(cor: np.ndarray, index: BlockIndex) -> list[tuple[int, int, float]]:
    """``(target, predictor, VIF)`` for every path, from construct correlations (K, K)."""
    out = []
    for target, preds in index.endogenous:
        inv = np.linalg.inv(cor[np.ix_(preds, preds)])
        for j, pred in enumerate(preds):
            out.append((target, int(pred), float(inv[j, j])))
    return out


def outer_vif(s: np.ndarray, index: BlockIndex) -> np.ndarray:
    """VIF of each indicator on the other indicators of its block (p,); 1 for single items."""
    out = np.ones(s.shape[0])
    for idx in index.block_items:
        if idx.size < 2:
            continue
        out[idx] = np.diag(np.linalg.inv(s[np.ix_(idx, idx)]))
    return out


def f_squared(cor: np.ndarray, index: BlockIndex) -> list[tuple[int, int, float]]:
    """Cohen's f² ``(R²_in - R²_out) / (1 - R²_in)`` for every path.

    Both R² come from the construct correlations of the full model (the predictor is
    dropped from the regression; the weights are not re-estimated).
    """

    def r2(target: int, preds: np.ndarray) -> float:
        if preds.size == 0:
            return 0.0
        sxy = cor[preds, target]
        return float(sxy @ np.linalg.solve(cor[np.ix_(preds, preds)], sxy))

    out = []
    for target, preds in index.endogenous:
        full = r2(target, preds)
        for pred in preds:
            reduced = r2(target, preds[preds != pred])
            out.append((target, int(pred), (full - reduced) / (1.0 - full)))
    return out


def srmr(
    s: np.ndarray,
    loadings: np.ndarray,
    cor: np.ndarray,
    index: BlockIndex,
    reflective: np.ndarray,
) -> float:
    """SRMR of the saturated model, comparing ``S`` with the model-implied correlations.

    Between blocks the implied correlation is ``l_k r_kl l_l'`` (loadings times construct
    correlation). Within a composite block (plain PLS, or Mode B) it is the observed one;
    within a common-factor block (``reflective``: Mode A under PLSc) it is ``l_i l_j``.
    """
    p = s.shape[0]
    g = index.membership
    implied = (g * loadings[:, None]) @ cor @ (g * loadings[:, None]).T
    for k, idx in enumerate(index.block_items):
        block = np.ix_(idx, idx)
        implied[block] = np.outer(loadings[idx], loadings[idx]) if reflective[k] else s[block]
    np.fill_diagonal(implied, 1.0)
    lower = np.tril_indices(p)
    resid = (s - implied)[lower]
    return float(np.sqrt(np.mean(resid**2)))


def effect_paths(index: BlockIndex) -> list[list[int]]:
    """Every directed route of two or more paths through the (acyclic) inner model."""
    succ: dict[int, list[int]] = {}
    for a, b in index.path_pairs:
        succ.setdefault(int(a), []).append(int(b))
    routes: list[list[int]] = []

    def walk(route: list[int]) -> None:
        for nxt in succ.get(route[-1], []):
            longer = [*route, nxt]
            if len(longer) > 2:
                routes.append(longer)
            walk(longer)

    for start in range(index.path_matrix.shape[0]):
        walk([start])
    return routes


def effects(paths: np.ndarray, routes: list[list[int]]) -> dict[str, np.ndarray]:
    """Total, total indirect and specific indirect effects for path stacks (B, K, K).

    Returns ``{"total": (B, K, K), "indirect": (B, K, K), "specific": (B, n_routes)}``;
    total effects are ``(I - P)^-1 - I`` for the acyclic path matrix ``P``.
    """
    k_count = paths.shape[1]
    eye = np.eye(k_count)
    total = np.linalg.inv(eye - paths) - eye
    specific = np.ones((paths.shape[0], len(routes)))
    for r, route in enumerate(routes):
        for a, b in zip(route[:-1], route[1:], strict=True):
            specific[:, r] *= paths[:, a, b]
    return {"total": total, "indirect": total - paths, "specific": specific}
