"""Product terms with a two-stage higher-order construct (``Y ~ HOC + M + HOC:M``).

As seminr estimates ``higher_composite(method = two_stage)`` with ``interaction_term(...,
method = two_stage)``: HOC stage one (embedded or disjoint, without the product terms) gives
the dimension scores; the stage-two model measures the HOC by those scores, so the
interaction is formed there, by the two-stage moderation approach: the main-effects
stage-two model gives the scores of the HOC and the moderator, their product is the single
indicator of ``HOC:M``, and the whole stage-two model is estimated again (the product keeps
its scale, as in :mod:`semwidget.pls.moderation`). Three PLS runs in a chain. By product
indicators (or orthogonalized ones) the products of the stage-two indicators of the HOC
(its dimension scores) and of the moderator measure ``HOC:M`` instead (seminr's
``product_indicator`` / ``orthogonal`` on the stage-two data; Henseler & Chin's variance
adjustment as in :mod:`semwidget.pls.product_terms`).

Every case weighting (a bootstrap resample, a permuted group) redoes the whole chain on its
own rows (its standardization, stage-one weights and dimension scores, stage-two weights and
product), batched over the weightings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from semwidget.pls.bootstrap import augmented_correlations, weighted_correlations
from semwidget.pls.core import estimate_prepared, stat_layout
from semwidget.pls.data import prepare_data
from semwidget.pls.estimate import fit_weights
from semwidget.pls.model import BlockIndex, PLSModel, build_model
from semwidget.pls.moderation import FoldData
from semwidget.pls.product_terms import ProductBlock, adjustment, product_model, stage_order
from semwidget.pls.result import PLSResult
from semwidget.pls.two_stage import Term, rescale, term_columns


def chain_fold_data(
    stage1: PLSModel,
    dims: list[Term],
    main: PLSModel,
    table2: pd.DataFrame,
    parts: dict[str, tuple[str, str]],
    data: pd.DataFrame,
    options: dict[str, Any],
    method: str,
) -> FoldData:
    """:class:`FoldData` of the chain.

    Generated columns: the dimension scores (``dims``, stage one), then per product term
    (``parts``: name -> (iv, moderator) constructs of ``main``, the stage-two main-effects
    model) the product of their stage-two scores (``"two_stage"``) or the products of their
    stage-two indicators (``"product_indicator"``; ``"orthogonal"``: residualized on both
    blocks' indicators). ``table2`` is the stage-two model with the product terms.
    """
    prepared = prepare_data(data, stage1, missing=options["missing"],
                            missing_value=options.get("missing_value"))  # fmt: skip
    z1 = prepared.z
    index1 = BlockIndex.from_model(stage1)
    index2 = BlockIndex.from_model(main)
    names = [t.name for t in dims]
    columns = [str(c) for c in data.columns] + names
    order2 = stage_order(main, stage1, names)
    kw = {k: options[k] for k in ("scheme", "tol", "max_iter")}
    blocks2 = index2.block_items
    k_dims = len(dims)
    if method == "two_stage":
        final = build_model(table2, columns + list(parts))
        generated = list(parts)
        pairs = [(main.constructs.index(a), main.constructs.index(b)) for a, b in parts.values()]
        terms = [Term(name, (), final.constructs.index(name), rescale=True) for name in parts]

        def scale(loadings: np.ndarray, sd: np.ndarray) -> np.ndarray:
            return sd[:, k_dims:]  # the product's own standard deviation
    else:
        blocks, final = product_model(table2, main, parts, columns)
        generated = [c for b in blocks for c in b.columns]
        terms = [Term(b.name, (), final.constructs.index(b.name), rescale=True) for b in blocks]
        factor = adjustment(final, blocks)

        def scale(loadings: np.ndarray, sd: np.ndarray) -> np.ndarray:
            return factor(loadings, sd[:, k_dims:])

    def columns_of(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        g1, ok1 = term_columns(z1, counts, weighted_correlations(z1, counts), index1, dims, kw)
        s2, x2 = augmented_correlations(z1, counts, g1)
        assert x2 is not None
        s2, x2 = s2[:, order2][:, :, order2], x2[:, :, order2]
        usable = np.isfinite(s2).all(axis=(1, 2))
        if method != "two_stage":
            f = counts / counts.sum(axis=1, keepdims=True)
            made = _product_indicators(x2, f, blocks, method == "orthogonal")
            return np.concatenate([g1, made], axis=2), ok1 & usable
        s2 = np.where(usable[:, None, None], s2, np.eye(s2.shape[1]))
        fit2 = fit_weights(s2, index2, **kw)
        w = fit2.weights

        def score(k: int) -> np.ndarray:
            # rows standardized by the weighting (n - 1): unit-variance scores, as a refit
            return np.einsum("bnp,bp->bn", x2[:, :, blocks2[k]], w[:, blocks2[k]])

        products = [score(a) * score(b) for a, b in pairs]
        g = np.concatenate([g1, np.stack(products, axis=2)], axis=2)
        return g, ok1 & usable & fit2.ok

    def full_scale(loadings: np.ndarray, sd: np.ndarray) -> np.ndarray:
        ones = np.ones((sd.shape[0], k_dims))  # dimension terms are not rescaled
        return np.concatenate([ones, scale(loadings, sd)], axis=1)

    order = stage_order(final, stage1, names + generated)
    return FoldData(final, prepared, order, columns_of, list(dims) + terms, full_scale)


def _product_indicators(
    x2: np.ndarray, f: np.ndarray, blocks: list[ProductBlock], orthogonal: bool
) -> np.ndarray:
    """Product indicators (B, n, q) of stage-two rows ``x2`` (B, n, p), each weighting's
    own standardization; ``orthogonal``: residuals of the ``f``-weighted OLS regression on
    both blocks' indicators (with intercept), as a refit on the weighted rows gives."""
    out = []
    for blk in blocks:
        prod = x2[:, :, blk.pairs[:, 0]] * x2[:, :, blk.pairs[:, 1]]
        if orthogonal:
            ones = np.ones((*x2.shape[:2], 1))
            x = np.concatenate([ones, x2[:, :, blk.basis]], axis=2)  # (B, n, k)
            xtf = np.swapaxes(x, 1, 2) * f[:, None, :]
            prod = prod - x @ np.linalg.solve(xtf @ x, xtf @ prod)
        out.append(prod)
    return np.concatenate(out, axis=2)


def fit_chain(fd: FoldData, options: dict[str, Any], *, progress: bool | None = None
              ) -> tuple[PLSResult, np.ndarray, np.ndarray]:  # fmt: skip
    """Fit and bootstrap the chain; also each product term's scale and the generated
    columns' means."""
    z1 = fd.prepared.z
    n = z1.shape[0]
    g, _ = fd.columns(np.ones((1, n)))
    cols = g[0]
    sd = cols.std(axis=0, ddof=1)
    mean = cols.mean(axis=0)
    z = np.column_stack([z1, (cols - mean) / sd])[:, fd.order]
    spec = fd.spec
    layout = stat_layout(spec, BlockIndex.from_model(spec))
    kw = {k: options[k] for k in ("scheme", "tol", "max_iter")}
    factors = []

    def adjust(stats: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        factors.append(fd.scale(stats["loadings"], sd[None, :])[0])
        return rescale(stats, factors[-1][None, :], fd.terms, layout)

    def resample(counts: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        return fd.statistics(counts, layout, kw, measures=True)

    result = estimate_prepared(
        spec, z, fd.prepared.nobs, fd.prepared.warnings, options, progress=progress,
        adjust=adjust, resample_stats=resample, extra_per_case=3 * len(spec.items),
    )  # fmt: skip
    return result, factors[0], mean
