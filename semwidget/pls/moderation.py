"""Moderation in PLS-SEM: the two-stage approach and the routing to the product indicators.

``interaction="two_stage"`` (SmartPLS 4's default, seminr's two_stage) is estimated here;
``"product_indicator"`` and ``"orthogonal"`` in :mod:`semwidget.pls.product_terms`.

An interaction is written as lavaan writes one, ``CLE ~ INT + GEN + INT:GEN``. Stage one
estimates the model without the interaction paths and takes the construct scores of the
independent variable and the moderator (unit variance); their product is the single
indicator of the interaction construct ``INT:GEN`` in stage two, which estimates the whole
model again. As in Henseler & Chin (2010) and seminr, the interaction construct keeps the
scale of the product of the standardized scores (its standard deviation is not rescaled to
1), so its path is the coefficient of that product: the change in the standardized effect
of ``INT`` per standard deviation of ``GEN``, which is what simple slopes are read from.

The bootstrap redoes both stages in every resample (stage-one weights, scores and product
are the resample's own), batched like the ordinary PLS bootstrap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.pls.bootstrap import (
    StatLayout,
    augmented_correlations,
    scatter_rows,
    weighted_correlations,
)
from semwidget.pls.bootstrap import statistics as _statistics
from semwidget.pls.data import PreparedData, prepare_data
from semwidget.pls.model import INTERACTION, BlockIndex, PLSModel, build_model
from semwidget.pls.product_terms import (
    adjustment,
    fit_product_terms,
    generate,
    product_model,
    stage_order,
)
from semwidget.pls.result import PLSResult
from semwidget.pls.two_stage import Term, fit_stages, rescale, term_columns


def interaction_rows(table: pd.DataFrame) -> pd.Series:
    """Mask of the ``~`` rows whose right-hand side is a product term ``a:b``."""
    rhs = table["rhs"].astype(str)
    return (table["op"].astype(str) == "~") & rhs.str.contains(INTERACTION, regex=False)


#: The ``interaction=`` approaches of ``fit_pls``.
METHODS = ("two_stage", "product_indicator", "orthogonal")


def check_method(method: object) -> str:
    """``method`` if it is one of :data:`METHODS`, else a ModelSpecError naming it."""
    if not isinstance(method, str) or method not in METHODS:
        raise ModelSpecError(
            f"interaction must be one of {', '.join(repr(m) for m in METHODS)}, not "
            f"{method!r}", name="interaction",
        )  # fmt: skip
    return method


def product_parts(
    table: pd.DataFrame, data: pd.DataFrame
) -> tuple[PLSModel, dict[str, tuple[str, str]], list[str]]:
    """The main-effects model, each product term's ``(iv, moderator)`` and the columns.

    Raises
    ------
    ModelSpecError
        A product term that is a data column, or whose parts are not constructs.
    """
    mask = interaction_rows(table)
    columns = [str(c) for c in data.columns]
    stage1 = build_model(table[~mask.to_numpy()], columns)
    parts = {}
    for name in dict.fromkeys(table.loc[mask, "rhs"].astype(str)):
        if name in columns:
            raise ModelSpecError(
                f"'{name}' is both an interaction term and a column of the data; rename "
                "the column", name=name,
            )  # fmt: skip
        iv, moderator = name.split(INTERACTION, 1)
        for part in (iv, moderator):
            if part not in stage1.constructs:
                raise ModelSpecError(
                    f"interaction '{name}': '{part}' is not a construct of the model; "
                    "both parts of a product term need their own block and main-effect "
                    "path", name=part,
                )  # fmt: skip
        parts[name] = (iv, moderator)
    return stage1, parts, columns


@dataclass(frozen=True)
class FoldData:
    """A model with product terms, refitted on case weightings (PLSpredict's folds).

    ``fold(counts)`` gives, per weighting (B, n), the correlations (B, p, p) of the model's
    indicators (:attr:`spec` order; the generated ones rebuilt from the weighted rows) and
    every row's indicators standardized by the weighting (B, n, p): held-out rows get the
    product indicators, or stage-one scores, of their training fold.
    """

    spec: PLSModel
    prepared: PreparedData  # the main-effects model's indicators
    order: np.ndarray
    columns: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
    terms: list[Term]  # the interaction constructs, to put their paths on their scale
    scale: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (loadings, sd of columns)

    def fold(self, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Correlations, standardized rows and whether each weighting could be fitted."""
        g, ok = self.columns(counts)
        s, x = augmented_correlations(self.prepared.z, counts, g)
        assert x is not None
        o = self.order
        s, x = s[:, o][:, :, o], x[:, :, o]
        return s, x, ok & np.isfinite(s).all(axis=(1, 2))

    def statistics(
        self, counts: np.ndarray, layout: StatLayout, kw: dict[str, Any], *, measures: bool
    ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        """The fit's statistics per weighting, interaction paths on the product's scale
        (as the fit reports them): what a permuted group's refit gives."""
        g, ok = self.columns(counts)
        s, _ = augmented_correlations(self.prepared.z, counts, g, rows=False)
        o = self.order
        s = s[:, o][:, :, o]
        usable = np.isfinite(s).all(axis=(1, 2))
        size = counts[usable].sum(axis=1, keepdims=True)
        f = counts[usable] / size
        gu = g[usable]
        mean = np.einsum("bn,bnq->bq", f, gu)
        var = np.einsum("bn,bnq->bq", f, gu * gu) - mean * mean
        sd = np.sqrt(np.maximum(var, 0.0) * size / (size - 1))
        stats, converged, good = _statistics(s[usable], layout, **kw, consistent=False,
                                             measures=measures)  # fmt: skip
        stats = rescale(stats, self.scale(stats["loadings"], sd), self.terms, layout)
        good &= ok[usable] & (sd > 1e-10).all(axis=1)
        return scatter_rows(stats, converged, good, usable)


def fold_data(
    table: pd.DataFrame, data: pd.DataFrame, options: dict[str, Any], method: str
) -> FoldData:
    """:class:`FoldData` of a model with product terms by ``method`` (see :data:`METHODS`).

    ``options``: ``missing``, ``missing_value``, ``scheme``, ``tol``, ``max_iter``.
    """
    method = check_method(method)
    stage1, parts, columns = product_parts(table, data)
    prepared = prepare_data(data, stage1, missing=options["missing"],
                            missing_value=options.get("missing_value"))  # fmt: skip
    z1 = prepared.z
    if method == "two_stage":
        spec = build_model(table, columns + list(parts))
        index1 = BlockIndex.from_model(stage1)
        terms = [Term(name, (stage1.constructs.index(a), stage1.constructs.index(b)),
                      spec.constructs.index(name), rescale=True)
                 for name, (a, b) in parts.items()]  # fmt: skip
        kw = {k: options[k] for k in ("scheme", "tol", "max_iter")}

        def columns_of(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return term_columns(z1, counts, weighted_correlations(z1, counts), index1, terms, kw)

        def scale(loadings: np.ndarray, sd: np.ndarray) -> np.ndarray:
            return sd  # the product's own standard deviation

        generated = list(parts)
    else:
        blocks, spec = product_model(table, stage1, parts, columns)
        generated = [c for b in blocks for c in b.columns]
        orthogonal = method == "orthogonal"

        def columns_of(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return generate(z1, counts, blocks, orthogonal), np.ones(counts.shape[0], bool)

        terms = [Term(b.name, (), spec.constructs.index(b.name), rescale=True) for b in blocks]
        scale = adjustment(spec, blocks)

    return FoldData(spec, prepared, stage_order(spec, stage1, generated), columns_of, terms,
                    scale)  # fmt: skip


def fit_two_stage(
    table: pd.DataFrame,
    data: pd.DataFrame,
    options: dict[str, Any],
    *,
    progress: bool | None = None,
    method: str = "two_stage",
) -> PLSResult:
    """Fit a PLS model with product terms (by default by the two-stage approach).

    Parameters
    ----------
    table : DataFrame
        The user table; ``~`` rows with ``rhs`` ``"A:B"`` are the interactions.
    data : DataFrame
        Raw indicator data.
    options : dict
        ``fit_pls``'s checked options (``scheme``, ``bootstrap``, ``seed``, ...).
    method : {"two_stage", "product_indicator", "orthogonal"}
        The approach (the last two: :func:`semwidget.pls.product_terms.fit_product_terms`).

    Returns
    -------
    PLSResult
        The stage-two fit; ``moderation`` names each interaction's ``iv`` and ``moderator``
        and the standard deviation of its product (``scale``).

    Raises
    ------
    ModelSpecError
        An interaction whose parts are not constructs of the model, or PLSc (the two-stage
        product of PLSc scores is not a consistent estimate; seminr and SmartPLS do not
        offer it either).
    """
    method = check_method(method)
    if options["consistent"]:
        raise ModelSpecError(
            f"interaction terms are estimated by the {method} approach on PLS composites; "
            "consistent=True (PLSc) is not available with them",
            name="consistent",
        )
    stage1, parts, columns = product_parts(table, data)
    if method != "two_stage":
        return fit_product_terms(table, stage1, parts, data, options,
                                 orthogonal=method == "orthogonal", progress=progress)  # fmt: skip
    stage2 = build_model(table, columns + list(parts))
    terms = []
    for name, (iv, moderator) in parts.items():
        pos = (stage1.constructs.index(iv), stage1.constructs.index(moderator))
        terms.append(Term(name, pos, stage2.constructs.index(name), rescale=True))

    staged = fit_stages(stage1, stage2, terms, data, options, progress=progress)
    result = staged.result
    result.moderation = {
        t.name: {"iv": parts[t.name][0], "moderator": parts[t.name][1], "scale": float(sd),
                 "mean": float(mu), "method": "two_stage"}
        for t, sd, mu in zip(terms, staged.scale, staged.mean, strict=True)
    }  # fmt: skip
    return result
