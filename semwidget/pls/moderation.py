"""Moderation in PLS-SEM by the two-stage approach (SmartPLS 4's default, seminr's two_stage).

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

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.pls.bootstrap import (
    ResampleStats,
    StatLayout,
    scatter_rows,
    statistics,
    weighted_correlations,
)
from semwidget.pls.data import prepare_data
from semwidget.pls.estimate import fit_weights
from semwidget.pls.fit import estimate_prepared, stat_layout
from semwidget.pls.model import INTERACTION, BlockIndex, PLSModel, build_model
from semwidget.pls.result import PLSResult


@dataclass(frozen=True)
class Interaction:
    """One product term ``iv:moderator``: construct positions in both stages."""

    name: str
    iv: str
    moderator: str
    stage1: tuple[int, int]  # (iv, moderator) construct indices in the stage-one model
    stage2: int  # the interaction construct's index in the stage-two model


def interaction_rows(table: pd.DataFrame) -> pd.Series:
    """Mask of the ``~`` rows whose right-hand side is a product term ``a:b``."""
    rhs = table["rhs"].astype(str)
    return (table["op"].astype(str) == "~") & rhs.str.contains(INTERACTION, regex=False)


def fit_two_stage(
    table: pd.DataFrame,
    data: pd.DataFrame,
    options: dict[str, Any],
    *,
    progress: bool | None = None,
) -> PLSResult:
    """Fit a PLS model with product terms by the two-stage approach.

    Parameters
    ----------
    table : DataFrame
        The user table; ``~`` rows with ``rhs`` ``"A:B"`` are the interactions.
    data : DataFrame
        Raw indicator data.
    options : dict
        ``fit_pls``'s checked options (``scheme``, ``bootstrap``, ``seed``, ...).

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
    if options["consistent"]:
        raise ModelSpecError(
            "interaction terms are estimated by the two-stage approach on PLS scores; "
            "consistent=True (PLSc) is not available with them",
            name="consistent",
        )
    mask = interaction_rows(table)
    columns = [str(c) for c in data.columns]
    stage1 = build_model(table[~mask.to_numpy()], columns)
    names = list(dict.fromkeys(table.loc[mask, "rhs"].astype(str)))
    for name in names:
        if name in columns:
            raise ModelSpecError(
                f"'{name}' is both an interaction term and a column of the data; rename "
                "the column", name=name,
            )  # fmt: skip
    stage2 = build_model(table, columns + names)
    terms = []
    for name in names:
        iv, moderator = name.split(INTERACTION, 1)
        for part in (iv, moderator):
            if part not in stage1.constructs:
                raise ModelSpecError(
                    f"interaction '{name}': '{part}' is not a construct of the model; "
                    "both parts of a product term need their own block and main-effect "
                    "path", name=part,
                )  # fmt: skip
        pos = (stage1.constructs.index(iv), stage1.constructs.index(moderator))
        terms.append(Interaction(name, iv, moderator, pos, stage2.constructs.index(name)))

    prepared = prepare_data(
        data, stage1, missing=options["missing"], missing_value=options.get("missing_value")
    )
    z1 = prepared.z
    index1 = BlockIndex.from_model(stage1)
    index2 = BlockIndex.from_model(stage2)
    layout2 = stat_layout(stage2, index2)
    order = _stage2_order(stage1, stage2, names)
    kw = {k: options[k] for k in ("scheme", "tol", "max_iter")}

    s1 = weighted_correlations(z1, np.ones((1, z1.shape[0])))
    fit1 = fit_weights(s1, index1, **kw)
    scores = z1 @ (fit1.weights[0][:, None] * index1.membership)
    products = np.column_stack([scores[:, t.stage1[0]] * scores[:, t.stage1[1]] for t in terms])
    scale = products.std(axis=0, ddof=1)
    augmented = np.column_stack([z1, (products - products.mean(axis=0)) / scale])
    z2 = augmented[:, order]

    def adjust(stats: dict[str, np.ndarray], sd: np.ndarray) -> dict[str, np.ndarray]:
        return rescale(stats, sd, terms, layout2)

    resample = two_stage_resampler(z1, index1, terms, order, layout2, kw)
    result = estimate_prepared(
        stage2, z2, prepared.nobs, prepared.warnings, options, progress=progress,
        adjust=lambda st: adjust(st, scale[None, :]), resample_stats=resample,
        extra_per_case=3 + 2 * len(terms),
    )  # fmt: skip
    result.moderation = {
        t.name: {"iv": t.iv, "moderator": t.moderator, "scale": float(sd), "mean": float(mu)}
        for t, sd, mu in zip(terms, scale, products.mean(axis=0), strict=True)
    }
    return result


def _stage2_order(stage1: PLSModel, stage2: PLSModel, names: list[str]) -> np.ndarray:
    """Column of each stage-two indicator in ``[stage-one indicators | products]``."""
    pos = {item: j for j, item in enumerate(stage1.items)}
    pos.update({name: len(stage1.items) + k for k, name in enumerate(names)})
    return np.array([pos[item] for item in stage2.items], dtype=int)


def rescale(
    stats: dict[str, np.ndarray],
    sd: np.ndarray,
    terms: list[Interaction],
    layout: StatLayout,
) -> dict[str, np.ndarray]:
    """Put paths and effects of each interaction construct on its product's scale.

    ``sd`` (B, n_terms) are the standard deviations of the products; a path from a
    construct whose score is multiplied by ``sd`` is divided by it.
    """
    out = dict(stats)
    sources = {
        "paths": layout.index.path_pairs[:, 0],
        "total": layout.effect_pairs[:, 0],
        "indirect": layout.effect_pairs[:, 0],
        "specific": np.array([r[0] for r in layout.routes], dtype=int),
    }
    for name, src in sources.items():
        values = out[name].copy()
        for k, t in enumerate(terms):
            cols = np.flatnonzero(src == t.stage2)
            values[:, cols] = values[:, cols] / sd[:, k : k + 1]
        out[name] = values
    return out


def two_stage_resampler(
    z1: np.ndarray,
    index1: BlockIndex,
    terms: list[Interaction],
    order: np.ndarray,
    layout2: StatLayout,
    kw: dict[str, Any],
) -> ResampleStats:
    """Both stages for a chunk of resamples (case counts ``(B, n)``), batched."""
    n, p1 = z1.shape
    blocks = index1.block_items

    def run(counts: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        s1 = weighted_correlations(z1, counts)
        usable = np.isfinite(s1).all(axis=(1, 2))
        f = counts[usable] / counts[usable].sum(axis=1, keepdims=True)
        fit1 = fit_weights(s1[usable], index1, **kw)
        m = f @ z1
        var = np.maximum(f @ (z1 * z1) - m * m, 1e-300)
        # the resample's own standardization (sample sd, n - 1), as a refit on it would use
        size = counts[usable].sum(axis=1, keepdims=True)
        a = fit1.weights / np.sqrt(var * size / (size - 1))

        def score(k: int) -> np.ndarray:
            idx = blocks[k]
            return a[:, idx] @ z1[:, idx].T - (a[:, idx] * m[:, idx]).sum(axis=1)[:, None]

        prods = [score(t.stage1[0]) * score(t.stage1[1]) for t in terms]  # (Bu, n) each
        k_terms = len(terms)
        b = f.shape[0]
        big = np.empty((b, p1 + k_terms, p1 + k_terms))
        big[:, :p1, :p1] = s1[usable]
        mean_p = np.stack([(f * pk).sum(axis=1) for pk in prods], axis=1)
        for k, pk in enumerate(prods):
            cross = (f * pk) @ z1 - m * mean_p[:, k : k + 1]
            for j, pj in enumerate(prods[: k + 1]):
                c = (f * pk * pj).sum(axis=1) - mean_p[:, k] * mean_p[:, j]
                big[:, p1 + k, p1 + j] = big[:, p1 + j, p1 + k] = c
            big[:, p1 + k, :p1] = big[:, :p1, p1 + k] = cross / np.sqrt(var)
        var_p = np.diagonal(big[:, p1:, p1:], axis1=1, axis2=2).copy()
        sd_p = np.sqrt(np.maximum(var_p, 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            big[:, p1:, :] /= sd_p[:, :, None]
            big[:, :, p1:] /= sd_p[:, None, :]
        s2 = big[:, order][:, :, order]
        stats, converged, ok = statistics(s2, layout2, **kw, consistent=False)
        stats = rescale(stats, sd_p * np.sqrt(size / (size - 1)), terms, layout2)
        ok &= fit1.ok & (sd_p > 0).all(axis=1)
        return scatter_rows(stats, converged, ok, usable)

    return run
