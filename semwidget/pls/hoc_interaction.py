"""Product terms with a two-stage higher-order construct (``Y ~ HOC + M + HOC:M``).

As seminr estimates ``higher_composite(method = two_stage)`` with ``interaction_term(...,
method = two_stage)``: HOC stage one (embedded or disjoint, without the product terms) gives
the dimension scores; the stage-two model measures the HOC by those scores, so the
interaction is formed there, by the two-stage moderation approach: the main-effects
stage-two model gives the scores of the HOC and the moderator, their product is the single
indicator of ``HOC:M``, and the whole stage-two model is estimated again (the product keeps
its scale, as in :mod:`semwidget.pls.moderation`). Three PLS runs in a chain.

Every case weighting (a bootstrap resample, a permuted group) redoes the whole chain on its
own rows (its standardization, stage-one weights and dimension scores, stage-two weights and
product), batched over the weightings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from semwidget.pls.bootstrap import augmented_correlations, weighted_correlations
from semwidget.pls.core import estimate_prepared, stat_layout
from semwidget.pls.data import prepare_data
from semwidget.pls.estimate import fit_weights
from semwidget.pls.model import BlockIndex, PLSModel
from semwidget.pls.moderation import FoldData
from semwidget.pls.product_terms import stage_order
from semwidget.pls.result import PLSResult
from semwidget.pls.two_stage import Term, rescale, term_columns


def chain_fold_data(
    stage1: PLSModel,
    dims: list[Term],
    main: PLSModel,
    final: PLSModel,
    parts: dict[str, tuple[str, str]],
    data: Any,
    options: dict[str, Any],
) -> FoldData:
    """:class:`FoldData` of the chain: generated columns are the dimension scores
    (``dims``, stage one) and the products of the stage-two main-effects scores of each
    ``parts`` term (name -> (iv, moderator) constructs of ``main``); ``final`` is the
    stage-two model with the product terms."""
    prepared = prepare_data(data, stage1, missing=options["missing"],
                            missing_value=options.get("missing_value"))  # fmt: skip
    z1 = prepared.z
    index1 = BlockIndex.from_model(stage1)
    index2 = BlockIndex.from_model(main)
    names = [t.name for t in dims]
    order2 = stage_order(main, stage1, names)
    kw = {k: options[k] for k in ("scheme", "tol", "max_iter")}
    blocks2 = index2.block_items
    pairs = [(main.constructs.index(a), main.constructs.index(b)) for a, b in parts.values()]

    def columns_of(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        g1, ok1 = term_columns(z1, counts, weighted_correlations(z1, counts), index1, dims, kw)
        s2, x2 = augmented_correlations(z1, counts, g1)
        assert x2 is not None
        s2, x2 = s2[:, order2][:, :, order2], x2[:, :, order2]
        usable = np.isfinite(s2).all(axis=(1, 2))
        s2 = np.where(usable[:, None, None], s2, np.eye(s2.shape[1]))
        fit2 = fit_weights(s2, index2, **kw)
        w = fit2.weights

        def score(k: int) -> np.ndarray:
            # rows standardized by the weighting (n - 1): unit-variance scores, as a refit
            return np.einsum("bnp,bp->bn", x2[:, :, blocks2[k]], w[:, blocks2[k]])

        products = [score(a) * score(b) for a, b in pairs]
        g = np.concatenate([g1, np.stack(products, axis=2)], axis=2)
        return g, ok1 & usable & fit2.ok

    terms = list(dims) + [Term(name, (), final.constructs.index(name), rescale=True)
                          for name in parts]  # fmt: skip

    def scale(loadings: np.ndarray, sd: np.ndarray) -> np.ndarray:
        return sd  # the product's own standard deviation (dimension terms not rescaled)

    order = stage_order(final, stage1, names + list(parts))
    return FoldData(final, prepared, order, columns_of, terms, scale)


def fit_chain(fd: FoldData, options: dict[str, Any], *, progress: bool | None = None
              ) -> tuple[PLSResult, np.ndarray, np.ndarray]:  # fmt: skip
    """Fit and bootstrap the chain; also the raw generated columns' sd and mean."""
    z1 = fd.prepared.z
    n = z1.shape[0]
    g, ok = fd.columns(np.ones((1, n)))
    cols = g[0]
    sd = cols.std(axis=0, ddof=1)
    mean = cols.mean(axis=0)
    z = np.column_stack([z1, (cols - mean) / sd])[:, fd.order]
    spec = fd.spec
    layout = stat_layout(spec, BlockIndex.from_model(spec))
    kw = {k: options[k] for k in ("scheme", "tol", "max_iter")}

    def adjust(stats: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return rescale(stats, sd[None, :], fd.terms, layout)

    def resample(counts: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        return fd.statistics(counts, layout, kw, measures=True)

    result = estimate_prepared(
        spec, z, fd.prepared.nobs, fd.prepared.warnings, options, progress=progress,
        adjust=adjust, resample_stats=resample, extra_per_case=3 * len(spec.items),
    )  # fmt: skip
    return result, sd, mean
