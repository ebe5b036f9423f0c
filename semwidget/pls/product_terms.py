"""Moderation by product indicators and by orthogonalized product indicators.

Both approaches measure the interaction construct ``A:B`` by a reflective (Mode A) block of
generated indicators, estimated together with the rest of the model in one PLS run:

- ``"product_indicator"`` (Chin, Marcolin & Newsted 2003): every product ``a_i * b_j`` of a
  standardized indicator of ``A`` and one of ``B`` (seminr's ``product_indicator``; the item
  of ``A`` varies slowest, the item is named ``"a_i*b_j"``).
- ``"orthogonal"`` (Little, Bovaird & Widaman 2006; Henseler & Chin 2010): each of those
  products replaced by its residual from the OLS regression (with intercept) on all
  indicators of ``A`` and ``B``, so the interaction block is uncorrelated with both main
  effects' indicators (seminr's ``orthogonal``).

As in seminr (Henseler & Chin 2010's variance adjustment), the interaction score is put on
the products' scale after the weights converge: it is multiplied by the loading-weighted
mean of the generated indicators' standard deviations, ``sum |l_i| sd_i / sum |l_i|`` (the
loadings ``l_i`` are the correlations with the unit-variance score). Paths from the
interaction construct are therefore divided by that factor, kept as ``moderation[...]
["scale"]``; the loadings of the generated indicators are reported as correlations (seminr
reports them multiplied by the factor).

The bootstrap rebuilds the generated indicators inside every resample (the resample's own
means and standard deviations, and for ``"orthogonal"`` its own regressions), batched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from semwidget.errors import DataError, ModelSpecError
from semwidget.pls.bootstrap import scatter_rows, statistics, weighted_correlations
from semwidget.pls.core import estimate_prepared, stat_layout
from semwidget.pls.data import prepare_data
from semwidget.pls.model import BlockIndex, PLSModel, build_model
from semwidget.pls.result import PLSResult
from semwidget.pls.two_stage import Term, rescale

#: Joins the two indicators of a product indicator's name, as seminr names them.
PRODUCT = "*"


@dataclass(frozen=True)
class ProductBlock:
    """The generated indicators of one interaction construct."""

    name: str
    iv: str
    moderator: str
    pairs: np.ndarray  # (q, 2) stage-one indicator positions (iv item, moderator item)
    basis: np.ndarray  # stage-one positions of all indicators of both constructs
    columns: list[str]  # generated indicator names


def product_blocks(
    parts: dict[str, tuple[str, str]], base: PLSModel, columns: list[str]
) -> list[ProductBlock]:
    """One :class:`ProductBlock` per product term ``name -> (iv, moderator)``.

    Raises ModelSpecError for a generated name that is already a data column.
    """
    pos = {item: j for j, item in enumerate(base.items)}
    out = []
    taken = set(columns)
    for name, (iv, moderator) in parts.items():
        a, b = base.blocks[iv], base.blocks[moderator]
        generated = [f"{x}{PRODUCT}{y}" for x in a for y in b]
        for item in generated:
            if item in taken:
                raise ModelSpecError(
                    f"the product indicator '{item}' of '{name}' is already a column of the "
                    "data or of another product term; rename the column", name=item,
                )  # fmt: skip
            taken.add(item)
        pairs = np.array([(pos[x], pos[y]) for x in a for y in b], dtype=int)
        basis = np.array(list(dict.fromkeys(pos[i] for i in a + b)), dtype=int)
        out.append(ProductBlock(name, iv, moderator, pairs, basis, generated))
    return out


def product_model(
    table: pd.DataFrame, base: PLSModel, parts: dict[str, tuple[str, str]], columns: list[str]
) -> tuple[list[ProductBlock], PLSModel]:
    """The product blocks and the model with each term as a Mode A block of them."""
    blocks = product_blocks(parts, base, columns)
    generated = [c for b in blocks for c in b.columns]
    extra = pd.DataFrame({
        "lhs": [b.name for b in blocks for _ in b.columns], "op": "=~", "rhs": generated,
    })  # fmt: skip
    return blocks, build_model(pd.concat([table, extra], ignore_index=True), columns + generated)


def stage_order(spec: PLSModel, base: PLSModel, generated: list[str]) -> np.ndarray:
    """Column of each indicator of ``spec`` in ``[base indicators, generated columns]``."""
    p1 = len(base.items)
    pos = {item: j for j, item in enumerate(base.items)}
    pos.update({item: p1 + q for q, item in enumerate(generated)})
    return np.array([pos[item] for item in spec.items], dtype=int)


def adjustment(
    spec: PLSModel, blocks: list[ProductBlock]
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Henseler & Chin's variance adjustment of each term, ``(loadings, sd) -> (B, terms)``.

    ``loadings`` (B, p) are the model's (correlations), ``sd`` (B, q) the generated columns'
    standard deviations; a term's factor is ``sum |l_i| sd_i / sum |l_i|`` over its block.
    """
    item_pos = {item: i for i, item in enumerate(spec.items)}
    loading_cols = [np.array([item_pos[c] for c in b.columns]) for b in blocks]
    sd_cols = np.split(np.arange(sum(len(b.columns) for b in blocks)),
                       np.cumsum([len(b.columns) for b in blocks])[:-1])  # fmt: skip

    def factor(loadings: np.ndarray, sd: np.ndarray) -> np.ndarray:
        out = []
        for li, si in zip(loading_cols, sd_cols, strict=True):
            lam = np.abs(loadings[:, li])
            out.append((lam * sd[:, si]).sum(axis=1) / lam.sum(axis=1))
        return np.stack(out, axis=1)

    return factor


def check_generated(sd: np.ndarray, generated: list[str]) -> None:
    """Raise DataError naming the first generated column without variance."""
    for k in np.flatnonzero(~(np.asarray(sd) > 1e-10)):
        raise DataError(
            f"the generated indicator '{generated[k]}' has no variance (its product is a "
            "linear function of the main effects' indicators); drop that indicator",
            column=generated[k],
        )


def generate(
    z1: np.ndarray, counts: np.ndarray, blocks: list[ProductBlock], orthogonal: bool
) -> np.ndarray:
    """Generated indicators (B, n, q) of the resamples with case counts ``counts`` (B, n).

    Each indicator is standardized with the resample's mean and (n - 1) standard deviation
    before the products are taken, as a refit on the resample would; with ``orthogonal``
    each product is replaced by its residual of the resample's (count-weighted) OLS
    regression on the blocks' indicators, with intercept. ``counts`` of ones give the
    full-sample indicators.
    """
    size = counts.sum(axis=1, keepdims=True)
    f = counts / size
    m = f @ z1
    var = np.maximum(f @ (z1 * z1) - m * m, 1e-300)
    sd = np.sqrt(var * size / (size - 1))
    used = np.unique(np.concatenate([blk.pairs.ravel() for blk in blocks]))
    col = {int(c): k for k, c in enumerate(used)}
    zs = (z1[None, :, used] - m[:, None, used]) / sd[:, None, used]  # (B, n, used)
    out = []
    for blk in blocks:
        i = np.array([col[int(c)] for c in blk.pairs[:, 0]])
        j = np.array([col[int(c)] for c in blk.pairs[:, 1]])
        prod = zs[:, :, i] * zs[:, :, j]  # (B, n, q)
        if orthogonal:
            x = np.concatenate([np.ones((z1.shape[0], 1)), z1[:, blk.basis]], axis=1)
            xtf = x.T[None, :, :] * f[:, None, :]  # (B, k, n)
            beta = np.linalg.solve(xtf @ x, xtf @ prod)  # (B, k, q)
            prod -= x @ beta
        out.append(prod)
    return np.concatenate(out, axis=2)


def fit_product_terms(
    table: pd.DataFrame,
    base: PLSModel,
    parts: dict[str, tuple[str, str]],
    data: pd.DataFrame,
    options: dict[str, Any],
    *,
    orthogonal: bool,
    progress: bool | None = None,
) -> PLSResult:
    """Fit the model with each product term ``A:B`` measured by generated indicators.

    Parameters
    ----------
    table : DataFrame
        The user table with the ``~`` rows of the product terms.
    base : PLSModel
        The model without the product terms (its blocks give the indicators).
    parts : dict
        The product terms ``"A:B" -> (A, B)`` (checked constructs of ``base``).
    data : DataFrame
        Raw indicator data.
    options : dict
        ``fit_pls``'s checked options.
    orthogonal : bool
        Orthogonalize the products (``"orthogonal"``) or not (``"product_indicator"``).

    Returns
    -------
    PLSResult
        ``moderation`` names each term's ``iv``, ``moderator``, ``method``, the variance
        adjustment ``scale`` and ``mean`` (the mean product of the two constructs' scores).

    Raises
    ------
    ModelSpecError
        A generated name that is a data column.
    DataError
        A generated indicator without variance (e.g. an orthogonalized square of a 0/1 item).
    """
    columns = [str(c) for c in data.columns]
    blocks, spec = product_model(table, base, parts, columns)
    generated = [c for b in blocks for c in b.columns]
    prepared = prepare_data(
        data, base, missing=options["missing"], missing_value=options.get("missing_value")
    )
    z1 = prepared.z
    n, p1 = z1.shape
    gen = generate(z1, np.ones((1, n)), blocks, orthogonal)[0]
    gen_sd = gen.std(axis=0, ddof=1)
    check_generated(gen_sd, generated)
    order = stage_order(spec, base, generated)
    z2 = np.column_stack([z1, (gen - gen.mean(axis=0)) / gen_sd])[:, order]

    layout = stat_layout(spec, BlockIndex.from_model(spec))
    terms = [Term(b.name, (), spec.constructs.index(b.name), rescale=True) for b in blocks]
    factor = adjustment(spec, blocks)

    def adjust(stats: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return rescale(stats, factor(stats["loadings"], gen_sd[None]), terms, layout)

    kw = {k: options[k] for k in ("scheme", "tol", "max_iter")}

    def resample(counts: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        s1 = weighted_correlations(z1, counts)
        usable = np.isfinite(s1).all(axis=(1, 2))
        cu = counts[usable]
        size = cu.sum(axis=1, keepdims=True)
        f = cu / size
        g = generate(z1, cu, blocks, orthogonal)
        m = f @ z1
        sd_z = np.sqrt(np.maximum(f @ (z1 * z1) - m * m, 1e-300))
        fg = f[:, :, None] * g
        mean_g = fg.sum(axis=1)
        fg_t = np.swapaxes(fg, 1, 2)  # batched matrix products, not einsum: the hot loop
        cross = fg_t @ z1 - mean_g[:, :, None] * m[:, None, :]
        cov_g = fg_t @ g - mean_g[:, :, None] * mean_g[:, None, :]
        sd_g = np.sqrt(np.maximum(np.diagonal(cov_g, axis1=1, axis2=2), 0.0))
        big = np.empty((cu.shape[0], p1 + len(generated), p1 + len(generated)))
        big[:, :p1, :p1] = s1[usable]
        with np.errstate(invalid="ignore", divide="ignore"):
            big[:, p1:, :p1] = cross / sd_z[:, None, :] / sd_g[:, :, None]
            big[:, :p1, p1:] = np.swapaxes(big[:, p1:, :p1], 1, 2)
            big[:, p1:, p1:] = cov_g / sd_g[:, :, None] / sd_g[:, None, :]
        stats, converged, ok = statistics(big[:, order][:, :, order], layout, **kw,
                                          consistent=False)  # fmt: skip
        stats = rescale(stats, factor(stats["loadings"], sd_g * np.sqrt(size / (size - 1))),
                        terms, layout)  # fmt: skip
        ok &= (sd_g > 1e-10).all(axis=1)
        return scatter_rows(stats, converged, ok, usable)

    result = estimate_prepared(
        spec, z2, prepared.nobs, prepared.warnings, options, progress=progress,
        adjust=adjust, resample_stats=resample,
        extra_per_case=3 + 3 * len(generated) + p1,  # products, their weighted copies, zs
    )  # fmt: skip
    scale = factor(result.loadings.est.to_numpy()[None], gen_sd[None])[0]
    method = "orthogonal" if orthogonal else "product_indicator"
    result.moderation = {
        b.name: {"iv": b.iv, "moderator": b.moderator, "method": method, "scale": float(sd),
                 "mean": float((result.scores[b.iv] * result.scores[b.moderator]).mean()),
                 "indicators": list(b.columns)}
        for b, sd in zip(blocks, scale, strict=True)
    }  # fmt: skip
    return result
