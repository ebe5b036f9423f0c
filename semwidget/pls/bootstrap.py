"""Batched bootstrap for PLS-SEM.

No PLS fit is run per resample in Python. A resample is a vector of multinomial counts
(how often each row is drawn, see :func:`draw_counts`); its indicator correlation matrix is
a weighted moment of the standardized data, so one matrix product gives the correlation
matrices of a whole chunk of resamples, and ``pls_estimate.fit_weights`` iterates the weights
of every resample of the chunk at once (each with its own convergence check).

Sign handling: SmartPLS 3's default, "no sign changes", is the default here (and what
seminr does); ``sign_change="individual"`` flips each bootstrap loading, weight and path
to the sign of its full-sample estimate (SmartPLS's "individual sign changes").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from semwidget.distributions import norm_cdf, norm_ppf, t_sf
from semwidget.pls.estimate import derive, fit_weights
from semwidget.pls.model import BlockIndex
from semwidget.pls.quality import effects, htmt
from semwidget.progress import progress_bar

#: Working-memory budget of one chunk of resamples (bytes); at n = 100,000 a chunk holds a
#: few dozen resamples, at survey sizes the 4000 cap.
MEMORY_BYTES = 160 * 2**20
#: Statistics whose bootstrap values are sign-corrected under "individual" sign changes.
SIGNED = ("loadings", "weights", "paths")


@dataclass(frozen=True)
class StatLayout:
    """Which entries of the batched estimates become bootstrap statistics."""

    index: BlockIndex
    routes: list[list[int]]
    effect_pairs: np.ndarray  # (m, 2) source/target pairs with a total effect
    htmt_pairs: np.ndarray  # (m, 2) construct pairs a < b


def statistics(
    s: np.ndarray,
    layout: StatLayout,
    *,
    scheme: str,
    tol: float,
    max_iter: int,
    consistent: bool,
    measures: bool = True,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Fit every correlation matrix in ``s`` and flatten the results.

    ``measures=False`` skips the effects and HTMT (a permutation test needs only paths and
    weights).

    Returns
    -------
    stats : dict of name -> ndarray (B, m)
        ``loadings``, ``weights`` (per indicator), ``paths`` (per path), ``r2``
        (per endogenous construct), ``total`` and ``indirect`` (per ``effect_pairs``),
        ``specific`` (per route), ``htmt`` (per ``htmt_pairs``).
    converged, ok : ndarray (B,) of bool
    """
    index = layout.index
    fit = fit_weights(s, index, scheme=scheme, tol=tol, max_iter=max_iter)
    d = derive(s, fit.weights, index, consistent=consistent)
    out = {
        "loadings": d.loadings,
        "weights": d.weights,
        "paths": d.paths[:, index.path_pairs[:, 0], index.path_pairs[:, 1]],
        "r2": d.r2,
    }
    if measures:
        eff = effects(d.paths, layout.routes)
        src, dst = layout.effect_pairs[:, 0], layout.effect_pairs[:, 1]
        h = htmt(s, index)
        out["total"] = eff["total"][:, src, dst]
        out["indirect"] = eff["indirect"][:, src, dst]
        out["specific"] = eff["specific"]
        out["htmt"] = h[:, layout.htmt_pairs[:, 0], layout.htmt_pairs[:, 1]]
    ok = fit.ok & np.all([np.isfinite(v).all(axis=1) for v in out.values()], axis=0)
    return out, fit.converged, ok


def draw_counts(n: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Resampling counts (n_boot, n): row ``b`` says how often each case is drawn.

    Each row is a multinomial(n, 1/n) vector, made by drawing ``n`` case numbers with
    ``rng.integers`` and counting them. That is the stream seminr's Python port draws its
    row indices from (``Generator(PCG64(seed)).integers(0, n, n)`` per resample), so with the
    same seed both programs fit the very same resamples.
    """
    draws = rng.integers(0, n, size=(n_boot, n), dtype=np.intp)
    offsets = (np.arange(n_boot, dtype=np.intp) * n)[:, None]
    return np.bincount((draws + offsets).ravel(), minlength=n_boot * n).reshape(n_boot, n)


def weighted_correlations(z: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Correlation matrices (B, p, p) of ``z`` reweighted by case counts (B, n).

    Weighted first and second moments come from matrix products over the cases; only the
    upper triangle of the second moments is formed, a block of rows at a time so the
    pairwise products never exceed :data:`MEMORY_BYTES` / 4 whatever ``n``. A
    zero-variance indicator in a resample gives NaN entries (the caller drops that resample).
    """
    b = counts.shape[0]
    n, p = z.shape
    f = counts / counts.sum(axis=1, keepdims=True)
    mean = f @ z
    iu, ju = np.triu_indices(p)
    rows = max(1, MEMORY_BYTES // (4 * 8 * iu.size))
    second = np.zeros((b, iu.size))
    for start in range(0, n, rows):
        block = z[start : start + rows]
        second += f[:, start : start + rows] @ (block[:, iu] * block[:, ju])
    cov_upper = second - mean[:, iu] * mean[:, ju]
    cov = np.empty((b, p, p))
    cov[:, iu, ju] = cov_upper
    cov[:, ju, iu] = cov_upper
    var = np.diagonal(cov, axis1=1, axis2=2)
    # z has unit variance, so a resample variance this small is a constant column
    sd = np.where(var > 1e-12, np.sqrt(np.abs(var)), np.nan)
    s = cov / sd[:, :, None] / sd[:, None, :]
    s[:, np.arange(p), np.arange(p)] = np.where(np.isnan(sd), np.nan, 1.0)
    return s


def augmented_correlations(
    z: np.ndarray, counts: np.ndarray, g: np.ndarray, *, rows: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """Correlations of ``[z, g]`` under case counts, and all rows standardized by them.

    ``z`` (n, p) is shared, ``g`` (B, n, q) are columns made per weighting (product
    indicators, products of scores). Returns the correlation matrices (B, p + q, p + q) and
    the values (B, n, p + q) of every row, centred and scaled with each weighting's mean
    and (n - 1) standard deviation: a held-out row standardized by its training fold
    (``rows=False``: None instead).
    """
    b = counts.shape[0]
    size = counts.sum(axis=1, keepdims=True)
    f = counts / size
    x = np.concatenate([np.broadcast_to(z, (b, *z.shape)), g], axis=2)
    x = x - np.einsum("bn,bnp->bp", f, x)[:, None, :]
    cov = np.einsum("bn,bnp,bnq->bpq", f, x, x)
    sd = np.sqrt(np.maximum(np.diagonal(cov, axis1=1, axis2=2), 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        s = cov / sd[:, :, None] / sd[:, None, :]
        scaled = x / (sd * np.sqrt(size / (size - 1)))[:, None, :] if rows else None
    return s, scaled


def chunk_size(n: int, p: int, extra_per_case: int = 0) -> int:
    """Resamples per chunk so one chunk's arrays stay within :data:`MEMORY_BYTES`.

    A resample costs about four ``n``-vectors (draws, offsets, counts, weights; plus
    ``extra_per_case`` more per case, e.g. score columns) and a few ``p x p`` matrices
    (correlations, the weight iteration's products).
    """
    per_resample = 8 * (n * (4 + extra_per_case) + 12 * p * p)
    return int(np.clip(MEMORY_BYTES // per_resample, 1, 4000))


def _chunks(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(total, start + size)


@dataclass
class BootstrapDraws:
    """Bootstrap (and jackknife) values of every statistic.

    Attributes
    ----------
    samples : dict of name -> ndarray (B_ok, m)
        Values for the resamples that could be fitted.
    jackknife : dict of name -> ndarray (n, m), optional
        Leave-one-out values (for BCa intervals).
    failed : int
        Resamples dropped (zero-variance indicator, singular Mode B block).
    not_converged : int
        Resamples kept although their weights hit the iteration cap.
    """

    samples: dict[str, np.ndarray]
    jackknife: dict[str, np.ndarray] | None = None
    failed: int = 0
    not_converged: int = 0
    warnings: list[str] = field(default_factory=list)


#: ``counts (B, n) -> (stats, converged, ok)`` with one row per resample of the chunk
#: (rows where ``ok`` is False are dropped); the two-stage moderation supplies its own.
ResampleStats = Callable[[np.ndarray], tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]]


def plain_resample_stats(
    z: np.ndarray, layout: StatLayout, **kwargs: Any
) -> ResampleStats:
    """The statistics of resamples of ``z`` (the ordinary PLS bootstrap)."""

    def run(counts: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        s = weighted_correlations(z, counts)
        usable = np.isfinite(s).all(axis=(1, 2))
        stats, converged, ok = statistics(s[usable], layout, **kwargs)
        return scatter_rows(stats, converged, ok, usable)

    return run


def scatter_rows(
    stats: dict[str, np.ndarray], converged: np.ndarray, ok: np.ndarray, usable: np.ndarray
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Statistics of the ``usable`` rows put back at their rows (NaN and not ok elsewhere)."""
    rows = np.flatnonzero(usable)
    full = {}
    for name, values in stats.items():
        out = np.full((usable.size, values.shape[1]), np.nan)
        out[rows] = values
        full[name] = out
    conv = np.zeros(usable.size, dtype=bool)
    good = np.zeros(usable.size, dtype=bool)
    conv[rows], good[rows] = converged, ok
    return full, conv, good


def run_bootstrap(
    z: np.ndarray,
    layout: StatLayout | None,
    *,
    n_boot: int,
    seed: int | None,
    scheme: str,
    tol: float,
    max_iter: int,
    consistent: bool,
    jackknife: bool = False,
    progress: bool | None = None,
    resample_stats: ResampleStats | None = None,
    extra_per_case: int = 0,
) -> BootstrapDraws:
    """Bootstrap every PLS statistic with ``n_boot`` resamples of the rows of ``z``.

    Parameters
    ----------
    z : ndarray (n, p)
        Standardized, complete indicator data.
    layout : StatLayout or None
        The statistics of the default refit (None when ``resample_stats`` is given).
    n_boot : int
    seed : int, optional
        Seed of the ``numpy.random.Generator`` drawing the counts.
    jackknife : bool
        Also compute the n leave-one-out fits (needed for BCa intervals).
    progress : bool, optional
        Show a tqdm bar; ``None`` shows one for long runs in Jupyter or at a terminal.
    resample_stats : callable, optional
        Statistics of a chunk of resamples from their counts (default: refit the PLS model
        on the reweighted correlations of ``z``).
    extra_per_case : int
        Further float64 values per case and resample ``resample_stats`` holds (memory budget).
    """
    n, p = z.shape
    rng = np.random.default_rng(seed)
    chunk = chunk_size(n, p, extra_per_case)
    total = n_boot + (n if jackknife else 0)
    kwargs = {"scheme": scheme, "tol": tol, "max_iter": max_iter, "consistent": consistent}
    if resample_stats is None:
        if layout is None:
            raise ValueError("run_bootstrap needs a layout or resample_stats")
        resample_stats = plain_resample_stats(z, layout, **kwargs)
    run = resample_stats
    parts: dict[str, list[np.ndarray]] = {}
    failed = not_converged = 0
    with progress_bar(total, "PLS bootstrap", progress, long_run=2000) as bar:
        for start, stop in _chunks(n_boot, chunk):
            stats, converged, ok = run(draw_counts(n, stop - start, rng))
            failed += int(stop - start - ok.sum())
            not_converged += int((ok & ~converged).sum())
            for name, values in stats.items():
                parts.setdefault(name, []).append(values[ok])
            bar.update(stop - start)
        jack = None
        if jackknife:
            jparts: dict[str, list[np.ndarray]] = {}
            for start, stop in _chunks(n, chunk):
                counts = np.ones((stop - start, n))
                counts[np.arange(stop - start), np.arange(start, stop)] = 0.0
                stats, _, ok = run(counts)
                for name, values in stats.items():
                    jparts.setdefault(name, []).append(np.where(ok[:, None], values, np.nan))
                bar.update(stop - start)
            jack = {name: np.concatenate(v) for name, v in jparts.items()}
    samples = {name: np.concatenate(v) for name, v in parts.items()}
    draws = BootstrapDraws(samples, jack, failed, not_converged)
    if failed:
        draws.warnings.append(
            f"{failed} of {n_boot} bootstrap resamples could not be fitted (a constant "
            "indicator or a singular Mode B block in the resample) and were dropped"
        )
    if not_converged:
        draws.warnings.append(
            f"the PLS algorithm did not converge in {max_iter} iterations for "
            f"{not_converged} of {n_boot} bootstrap resamples (kept)"
        )
    return draws


def apply_sign_change(
    samples: dict[str, np.ndarray], estimates: dict[str, np.ndarray], mode: str
) -> dict[str, np.ndarray]:
    """Individual sign changes: give each bootstrap value the sign of its estimate."""
    if mode == "none":
        return samples
    out = dict(samples)
    for name in SIGNED:
        sign = np.where(estimates[name] < 0, -1.0, 1.0)
        out[name] = np.abs(samples[name]) * sign
    return out


def summarize(
    est: np.ndarray,
    boot: np.ndarray,
    *,
    nobs: int,
    ci: str = "percentile",
    jack: np.ndarray | None = None,
    level: float = 0.95,
) -> dict[str, np.ndarray]:
    """SE, t, p-value and confidence interval for each column of ``boot``.

    SE is the standard deviation of the bootstrap values, ``t = est / se``, the p-value is
    two-sided from a t distribution with ``nobs - 1`` degrees of freedom (as SmartPLS), the
    interval is the percentile interval or, with ``ci="bca"``, the bias-corrected and
    accelerated one (acceleration from the jackknife values ``jack``).
    """
    est = np.asarray(est, dtype=float)
    se = boot.std(axis=0, ddof=1) if boot.shape[0] > 1 else np.full(est.shape, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(se > 0, est / se, np.nan)
    pvalue = 2.0 * t_sf(np.abs(t), nobs - 1)
    alpha = (1.0 - level) / 2.0
    if boot.shape[0] == 0:
        lo = hi = np.full(est.shape, np.nan)
    elif ci == "bca":
        lo, hi = _bca(est, boot, jack, alpha)
    else:
        lo, hi = np.quantile(boot, [alpha, 1.0 - alpha], axis=0)
    bad = ~np.isfinite(est)
    for arr in (se, t, pvalue, lo, hi):
        arr[bad] = np.nan
    return {"se": se, "t": t, "pvalue": pvalue, "ci_lower": lo, "ci_upper": hi}


def _bca(
    est: np.ndarray, boot: np.ndarray, jack: np.ndarray | None, alpha: float
) -> tuple[np.ndarray, np.ndarray]:
    """BCa interval bounds (Efron 1987) per column."""
    if jack is None:
        raise ValueError("BCa intervals need jackknife values")
    below = (boot < est).mean(axis=0) + 0.5 * (boot == est).mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        z0 = norm_ppf(below)
        # leave-one-out fits that broke down (NaN) are left out of the acceleration
        dev = np.nanmean(jack, axis=0) - jack
        accel = np.nansum(dev**3, axis=0) / (6.0 * np.nansum(dev**2, axis=0) ** 1.5)
        accel = np.where(np.isfinite(accel), accel, 0.0)
        bounds = []
        for q in (alpha, 1.0 - alpha):
            zq = norm_ppf(q)
            adj = norm_cdf(z0 + (z0 + zq) / (1.0 - accel * (z0 + zq)))
            bounds.append(adj)
    lo = np.full(est.shape, np.nan)
    hi = np.full(est.shape, np.nan)
    for j in range(est.size):
        if np.isfinite(bounds[0][j]) and np.isfinite(bounds[1][j]):
            lo[j], hi[j] = np.quantile(boot[:, j], [bounds[0][j], bounds[1][j]])
    return lo, hi
