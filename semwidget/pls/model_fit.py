"""Model fit of a PLS path model as SmartPLS prints it (Henseler et al. 2014; Dijkstra &
Henseler 2015).

The model-implied indicator correlations: between blocks ``l_k r_kl l_l'`` (loadings times
construct correlation); within a composite block the observed correlations, within a
common-factor block (Mode A under PLSc) ``l_i l_j``. The *saturated* model takes the construct
correlations as estimated; the *estimated* model takes those the inner model implies: the
exogenous constructs keep theirs, each endogenous construct is its paths times its
predecessors plus an uncorrelated disturbance that leaves it unit variance.

Measures: SRMR (root mean squared residual over the lower triangle), ``d_ULS = 1/2 ||S -
Sigma||²`` (squared Euclidean distance), ``d_G = 1/2 sum log²(eig(S^-1 Sigma))`` (geodesic
distance), ``chi² = (n - 1) F_ML`` and ``NFI = 1 - chi² / chi²_null`` (null model: Sigma = I).

Exact fit (Dijkstra & Henseler 2015): the data are rotated so that the model holds exactly
(``Z S^-1/2 Sigma^1/2``), bootstrapped and refitted; the 95% and 99% quantiles of SRMR,
d_ULS and d_G over the resamples (HI95, HI99) are the critical values the original values
are compared with.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from semwidget.pls.bootstrap import run_bootstrap, scatter_rows, weighted_correlations
from semwidget.pls.estimate import derive, fit_weights
from semwidget.pls.model import BlockIndex

#: Rows of the fit table, in SmartPLS's order.
MEASURES = ("srmr", "d_uls", "d_g", "chisq", "nfi")
#: Models of the fit table.
MODELS = ("saturated", "estimated")
#: Distances of the exact-fit test.
DISTANCES = ("srmr", "d_uls", "d_g")


def structural_correlations(cor: np.ndarray, paths: np.ndarray, index: BlockIndex) -> np.ndarray:
    """Construct correlations (B, K, K) implied by the inner model and its paths."""
    out = cor.copy()
    done = {k for k in range(cor.shape[1])} - {t for t, _ in index.endogenous}
    pending = list(index.endogenous)
    while pending:
        for item in list(pending):
            target, preds = item
            if not set(preds.tolist()) <= done:
                continue
            b = paths[:, preds, target]  # (B, m)
            others = np.array(sorted(done), dtype=int)
            implied = np.einsum("bm,bmo->bo", b, out[:, preds][:, :, others])
            out[:, target, others] = implied
            out[:, others, target] = implied
            out[:, target, target] = 1.0
            done.add(target)
            pending.remove(item)
    return out


def implied_correlations(
    s: np.ndarray,
    loadings: np.ndarray,
    cor: np.ndarray,
    index: BlockIndex,
    reflective: np.ndarray,
) -> np.ndarray:
    """Model-implied indicator correlations (B, p, p); see the module notes."""
    g = index.membership
    lam = g[None, :, :] * loadings[:, :, None]  # (B, p, K)
    implied = lam @ cor @ lam.transpose(0, 2, 1)
    for k, idx in enumerate(index.block_items):
        block = (slice(None), idx[:, None], idx[None, :])
        if reflective[k]:
            implied[block] = loadings[:, idx, None] * loadings[:, None, idx]
        else:
            implied[block] = s[block]
    p = s.shape[1]
    implied[:, np.arange(p), np.arange(p)] = 1.0
    return implied


def discrepancies(s: np.ndarray, sigma: np.ndarray, nobs: int) -> dict[str, np.ndarray]:
    """SRMR, d_ULS, d_G, chi² and NFI (each (B,)) of ``S`` against ``Sigma``."""
    p = s.shape[1]
    resid = s - sigma
    lower = np.tril_indices(p)
    out = {
        "srmr": np.sqrt((resid[:, lower[0], lower[1]] ** 2).mean(axis=1)),
        "d_uls": 0.5 * (resid**2).sum(axis=(1, 2)),
    }
    b = s.shape[0]
    for key in ("d_g", "chisq", "nfi"):
        out[key] = np.full(b, np.nan)
    # d_G, chi² and NFI need a nonsingular S (repeated indicators make it singular)
    good = np.linalg.eigvalsh(s)[:, 0] > 1e-10
    if not good.any():
        return out
    sg, sig = s[good], sigma[good]
    with np.errstate(invalid="ignore", divide="ignore"):
        # eigenvalues of S^-1 Sigma are those of the symmetric L^-1 Sigma L^-T (S = L L')
        inv = np.linalg.inv(np.linalg.cholesky(sg))
        phi = np.linalg.eigvalsh(inv @ sig @ inv.transpose(0, 2, 1))
        out["d_g"][good] = 0.5 * (np.log(phi) ** 2).sum(axis=1)
        _, logdet_s = np.linalg.slogdet(sg)
        sign, logdet_sigma = np.linalg.slogdet(sig)
        trace = np.einsum("bij,bji->b", sg, np.linalg.inv(sig))
        f_ml = np.where(sign > 0, logdet_sigma + trace - logdet_s - p, np.nan)
        chisq = (nobs - 1) * f_ml
        out["chisq"][good] = chisq
        out["nfi"][good] = 1.0 - chisq / ((nobs - 1) * -logdet_s)
    return out


def fit_arrays(
    s: np.ndarray,
    loadings: np.ndarray,
    cor: np.ndarray,
    paths: np.ndarray,
    index: BlockIndex,
    reflective: np.ndarray,
    nobs: int,
) -> dict[str, dict[str, np.ndarray]]:
    """``{"saturated": measures, "estimated": measures}``, each measure (B,)."""
    sat = implied_correlations(s, loadings, cor, index, reflective)
    est = implied_correlations(s, loadings, structural_correlations(cor, paths, index), index,
                               reflective)  # fmt: skip
    return {"saturated": discrepancies(s, sat, nobs), "estimated": discrepancies(s, est, nobs)}


def fit_table(values: dict[str, dict[str, np.ndarray]]) -> pd.DataFrame:
    """The fit table (measures x models) of one fit (entry 0 of each array)."""
    return pd.DataFrame(
        {m: [float(values[m][k][0]) for k in MEASURES] for m in MODELS},
        index=pd.Index(MEASURES, name="measure"),
    )


def rotate_to_model(z: np.ndarray, s: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Data whose correlation matrix is ``sigma``: ``z S^-1/2 Sigma^1/2`` (Bollen–Stine)."""

    def power(m: np.ndarray, e: float) -> np.ndarray:
        vals, vecs = np.linalg.eigh(m)
        return (vecs * np.maximum(vals, 1e-300) ** e) @ vecs.T

    return z @ power(s, -0.5) @ power(sigma, 0.5)


def exact_fit(
    z: np.ndarray,
    index: BlockIndex,
    reflective: np.ndarray,
    *,
    n_boot: int,
    seed: int | None,
    options: dict[str, Any],
    progress: bool | None = None,
) -> pd.DataFrame:
    """Bootstrap exact-fit test: original value, mean, HI95 and HI99 per distance and model.

    Returns ``model measure original mean hi95 hi99 fits_95 fits_99`` (the model fits at
    that level when the original value is at most the quantile).

    Parameters
    ----------
    z : ndarray (n, p)
        Standardized indicator data of the fit.
    reflective : ndarray (K,) of bool
        Common-factor blocks (PLSc Mode A).
    options : dict
        ``scheme tol max_iter consistent`` of the fit.
    """
    n = z.shape[0]
    kw = {k: options[k] for k in ("scheme", "tol", "max_iter")}
    consistent = bool(options["consistent"])

    def measures(s_b: np.ndarray) -> tuple[dict[str, dict[str, np.ndarray]], np.ndarray]:
        fit = fit_weights(s_b, index, **kw)
        d = derive(s_b, fit.weights, index, consistent=consistent)
        return fit_arrays(s_b, d.loadings, d.cor, d.paths, index, reflective, n), fit.ok

    s = weighted_correlations(z, np.ones((1, n)))
    original, _ = measures(s)
    d = derive(s, fit_weights(s, index, **kw).weights, index, consistent=consistent)
    implied = {
        "saturated": d.cor,
        "estimated": structural_correlations(d.cor, d.paths, index),
    }
    rows = []
    for model in MODELS:
        sigma = implied_correlations(s, d.loadings, implied[model], index, reflective)[0]
        zs = rotate_to_model(z, s[0], sigma)
        zs = (zs - zs.mean(axis=0)) / zs.std(axis=0, ddof=1)

        def run(counts: np.ndarray, zs: np.ndarray = zs, model: str = model) -> Any:
            s_b = weighted_correlations(zs, counts)
            usable = np.isfinite(s_b).all(axis=(1, 2))
            values, ok = measures(s_b[usable])
            stats = {k: values[model][k][:, None] for k in DISTANCES}
            ok = ok & np.all([np.isfinite(v[:, 0]) for v in stats.values()], axis=0)
            return scatter_rows(stats, ok, ok, usable)

        draws = run_bootstrap(zs, None, n_boot=n_boot, seed=seed, progress=progress,
                              resample_stats=run, **kw, consistent=consistent)  # fmt: skip
        for k in DISTANCES:
            v = draws.samples[k][:, 0]
            q95, q99 = np.quantile(v, [0.95, 0.99])
            rows.append({
                "model": model, "measure": k, "original": float(original[model][k][0]),
                "mean": float(v.mean()), "hi95": float(q95), "hi99": float(q99),
            })  # fmt: skip
    out = pd.DataFrame(rows)
    out["fits_95"] = out.original <= out.hi95
    out["fits_99"] = out.original <= out.hi99
    return out
