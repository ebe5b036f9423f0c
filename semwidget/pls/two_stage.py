"""Two-stage estimation shared by moderation and higher-order constructs.

Stage one fits a model; some of its construct scores (or products of two of them) become new
single indicators of stage two, which fits the second model on the stage-one indicators plus
those columns. The bootstrap redoes stage one in every resample (its weights, standardization,
scores and products are the resample's own) and then stage two, batched over the resamples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from semwidget.pls.bootstrap import (
    ResampleStats,
    StatLayout,
    scatter_rows,
    statistics,
    weighted_correlations,
)
from semwidget.pls.core import estimate_prepared, stat_layout
from semwidget.pls.data import prepare_data
from semwidget.pls.estimate import fit_weights
from semwidget.pls.model import BlockIndex, PLSModel
from semwidget.pls.result import PLSResult


@dataclass(frozen=True)
class Term:
    """A stage-two column: the product of the stage-one scores of ``parts``.

    ``rescale``: the column keeps the scale of the product of unit-variance scores (its
    paths are divided by the product's standard deviation), as a two-stage interaction term.
    """

    name: str
    parts: tuple[int, ...]  # stage-one construct indices (one: the score itself)
    stage2: int  # the construct this column measures in stage two
    rescale: bool = False


@dataclass(frozen=True)
class StageFit:
    """The stage-two fit and the raw columns' standard deviations and means."""

    result: PLSResult
    scale: np.ndarray
    mean: np.ndarray


def fit_stages(
    stage1: PLSModel,
    stage2: PLSModel,
    terms: list[Term],
    data: pd.DataFrame,
    options: dict[str, Any],
    *,
    progress: bool | None = None,
) -> StageFit:
    """Fit ``stage1``, build the ``terms`` columns and fit (and bootstrap) ``stage2``."""
    prepared = prepare_data(
        data, stage1, missing=options["missing"], missing_value=options.get("missing_value")
    )
    z1 = prepared.z
    index1 = BlockIndex.from_model(stage1)
    layout2 = stat_layout(stage2, BlockIndex.from_model(stage2))
    pos = {item: j for j, item in enumerate(stage1.items)}
    pos.update({t.name: len(stage1.items) + k for k, t in enumerate(terms)})
    order = np.array([pos[item] for item in stage2.items], dtype=int)
    kw = {k: options[k] for k in ("scheme", "tol", "max_iter")}

    fit1 = fit_weights(weighted_correlations(z1, np.ones((1, z1.shape[0]))), index1, **kw)
    scores = z1 @ (fit1.weights[0][:, None] * index1.membership)
    columns = np.column_stack([np.prod(scores[:, list(t.parts)], axis=1) for t in terms])
    scale = columns.std(axis=0, ddof=1)
    mean = columns.mean(axis=0)
    z2 = np.column_stack([z1, (columns - mean) / scale])[:, order]

    adjust: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]] | None = None
    if any(t.rescale for t in terms):
        def adjust(stats: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
            return rescale(stats, scale[None, :], terms, layout2)

    result = estimate_prepared(
        stage2, z2, prepared.nobs, prepared.warnings, options, progress=progress,
        adjust=adjust, resample_stats=resampler(z1, index1, terms, order, layout2, kw),
        extra_per_case=3 + 2 * len(terms),
    )  # fmt: skip
    return StageFit(result, scale, mean)


def rescale(
    stats: dict[str, np.ndarray],
    sd: np.ndarray,
    terms: list[Term],
    layout: StatLayout,
) -> dict[str, np.ndarray]:
    """Put paths and effects of each rescaled term's construct on the product's scale.

    ``sd`` (B, n_terms) are the standard deviations of the columns; a path from a construct
    whose score is multiplied by ``sd`` is divided by it.
    """
    out = dict(stats)
    sources = {
        "paths": layout.index.path_pairs[:, 0],
        "total": layout.effect_pairs[:, 0],
        "indirect": layout.effect_pairs[:, 0],
        "specific": np.array([r[0] for r in layout.routes], dtype=int),
    }
    for name, src in sources.items():
        if name not in out:
            continue
        values = out[name].copy()
        for k, t in enumerate(terms):
            if t.rescale:
                cols = np.flatnonzero(src == t.stage2)
                values[:, cols] = values[:, cols] / sd[:, k : k + 1]
        out[name] = values
    return out


def resampler(
    z1: np.ndarray,
    index1: BlockIndex,
    terms: list[Term],
    order: np.ndarray,
    layout2: StatLayout,
    kw: dict[str, Any],
) -> ResampleStats:
    """Both stages for a chunk of resamples (case counts ``(B, n)``), batched."""
    p1 = z1.shape[1]

    def run(counts: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        s1 = weighted_correlations(z1, counts)
        usable = np.isfinite(s1).all(axis=(1, 2))
        f = counts[usable] / counts[usable].sum(axis=1, keepdims=True)
        m = f @ z1
        var = np.maximum(f @ (z1 * z1) - m * m, 1e-300)
        size = counts[usable].sum(axis=1, keepdims=True)
        stacked, ok1 = term_columns(z1, counts[usable], s1[usable], index1, terms, kw)
        cols = list(np.moveaxis(stacked, 2, 0))  # each (Bu, n)
        k_terms = len(terms)
        b = f.shape[0]
        big = np.empty((b, p1 + k_terms, p1 + k_terms))
        big[:, :p1, :p1] = s1[usable]
        mean_c = np.stack([(f * c).sum(axis=1) for c in cols], axis=1)
        for k, ck in enumerate(cols):
            cross = (f * ck) @ z1 - m * mean_c[:, k : k + 1]
            for j, cj in enumerate(cols[: k + 1]):
                c = (f * ck * cj).sum(axis=1) - mean_c[:, k] * mean_c[:, j]
                big[:, p1 + k, p1 + j] = big[:, p1 + j, p1 + k] = c
            big[:, p1 + k, :p1] = big[:, :p1, p1 + k] = cross / np.sqrt(var)
        var_c = np.diagonal(big[:, p1:, p1:], axis1=1, axis2=2).copy()
        sd_c = np.sqrt(np.maximum(var_c, 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            big[:, p1:, :] /= sd_c[:, :, None]
            big[:, :, p1:] /= sd_c[:, None, :]
        s2 = big[:, order][:, :, order]
        stats, converged, ok = statistics(s2, layout2, **kw, consistent=False)
        stats = rescale(stats, sd_c * np.sqrt(size / (size - 1)), terms, layout2)
        ok &= ok1 & (sd_c > 0).all(axis=1)
        return scatter_rows(stats, converged, ok, usable)

    return run


def term_columns(
    z1: np.ndarray,
    counts: np.ndarray,
    s1: np.ndarray,
    index1: BlockIndex,
    terms: list[Term],
    kw: dict[str, Any],
) -> tuple[np.ndarray, np.ndarray]:
    """The ``terms`` columns (B, n, k) of every row under each case weighting ``counts``.

    Stage one is fitted on the weighting's correlations ``s1``; every row is scored with
    those weights and the weighting's own standardization (sample sd, n - 1), as a refit on
    the weighted rows would score them. Returns the columns and whether stage one fitted.
    """
    size = counts.sum(axis=1, keepdims=True)
    f = counts / size
    fit1 = fit_weights(s1, index1, **kw)
    m = f @ z1
    var = np.maximum(f @ (z1 * z1) - m * m, 1e-300)
    a = fit1.weights / np.sqrt(var * size / (size - 1))
    blocks = index1.block_items

    def score(k: int) -> np.ndarray:
        idx = blocks[k]
        return a[:, idx] @ z1[:, idx].T - (a[:, idx] * m[:, idx]).sum(axis=1)[:, None]

    cols = []
    for t in terms:
        col = score(t.parts[0])
        for k in t.parts[1:]:
            col = col * score(k)
        cols.append(col)
    return np.stack(cols, axis=2), fit1.ok
