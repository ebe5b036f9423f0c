"""PLSpredict (Shmueli et al. 2016, 2019): k-fold cross-validated predictions of the indicators
of the endogenous constructs, against the linear-model (LM) and naive-mean benchmarks.

One repetition shuffles the rows (``Generator(PCG64(seed)).permutation``, as seminr's
``predict_pls``) and cuts the shuffled order into ``folds`` contiguous blocks (R's
``cut(seq_len(n), folds)``). For each fold the model is estimated on the other rows; the held
out rows are standardized with the training means and standard deviations, scored with the
training weights, predicted through the paths (``DA``: from each construct's direct
antecedents, ``EA``: propagated from the exogenous constructs) and mapped back to the items
by the loadings. The LM benchmark regresses each endogenous indicator on the indicators of
the same predictors (seminr's choice: direct antecedents for ``DA``, exogenous constructs for
``EA``). With repetitions, a row's prediction is the mean of its predictions over the
repetitions. Per indicator: RMSE and MAE of both, and ``Q²_predict = 1 - SSE_PLS / SSE_naive``
with the training-fold mean as the naive prediction.

Every training fold is a 0/1 case weighting of the full data, so the folds of a repetition
are fitted in one batch (as bootstrap resamples are).

Product terms (``y ~ x + m + x:m``, any ``interaction=`` approach of ``fit_pls``): each
training fold rebuilds the interaction construct from its own rows (its standardization,
its stage-one weights or, for ``"orthogonal"``, its regressions), and the held-out rows get
their product indicators (or product of stage-one scores) from their training fold. The
interaction construct is a predictor, never a target; its paths are used on the
unit-variance scores they were estimated on. The LM benchmark regresses on the indicators
of the same predictors, the interaction's generated indicators (of the training fold)
included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from semwidget.errors import DataError, ModelSpecError
from semwidget.pls.bootstrap import weighted_correlations
from semwidget.pls.data import prepare_data
from semwidget.pls.estimate import SCHEMES, derive, fit_weights
from semwidget.pls.model import INTERACTION, BlockIndex, PLSModel, build_model, parse_model
from semwidget.pls.moderation import check_method, fold_data
from semwidget.pls.result import json_records

TECHNIQUES = ("DA", "EA")


@dataclass
class PLSPrediction:
    """PLSpredict results.

    Attributes
    ----------
    items : DataFrame
        One row per indicator of an endogenous construct: ``construct item q2_predict
        pls_rmse pls_mae lm_rmse lm_mae`` (RMSE and MAE in the data's units).
    pls, lm : DataFrame
        Out-of-sample predictions (rows of the data used, those indicators as columns).
    folds, repetitions : int
    technique : str
    warnings : list of str
    """

    items: pd.DataFrame
    pls: pd.DataFrame
    lm: pd.DataFrame
    folds: int
    repetitions: int
    technique: str
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the per-indicator metrics and the settings (NaN written as None)."""
        return {
            "folds": self.folds, "repetitions": self.repetitions, "technique": self.technique,
            "items": json_records(self.items, list(self.items.columns)),
            "warnings": list(self.warnings),
        }  # fmt: skip

    def __repr__(self) -> str:
        better = int((self.items.pls_rmse < self.items.lm_rmse).sum())
        return (f"<PLSPrediction {self.folds}-fold x {self.repetitions}, {self.technique}: "
                f"PLS RMSE below LM for {better} of {len(self.items)} indicators>")  # fmt: skip


def fold_ids(n: int, folds: int) -> np.ndarray:
    """0-based fold of each position of the shuffled order (R's ``cut(seq_len(n), folds)``)."""
    interior = 1.0 + np.arange(1, folds) * (n - 1) / folds
    # R's intervals are right-closed: position i (1-based) is in fold #(breaks below i)
    return np.searchsorted(interior, np.arange(1, n + 1), side="left")


def predict_pls(
    model: str | pd.DataFrame,
    data: pd.DataFrame,
    *,
    folds: int = 10,
    repetitions: int = 10,
    technique: str = "DA",
    seed: int | None = None,
    scheme: str = "path",
    missing: str = "mean",
    missing_value: float | None = None,
    max_iter: int = 300,
    tol: float = 1e-7,
    interaction: str = "two_stage",
) -> PLSPrediction:
    """Cross-validated PLS predictions with the LM benchmark (see the module notes).

    Parameters
    ----------
    model, data
        As :func:`semwidget.pls.fit.fit_pls` (``=~``/``<~`` blocks and ``~`` paths).
    folds : int
        k of the k-fold cross-validation (2 to n).
    repetitions : int
        Times the k-fold split is redrawn.
    technique : {"DA", "EA"}
        Direct antecedents (SmartPLS and seminr's default) or earliest antecedents.
    seed : int, optional
        Seed of the row shuffles.
    interaction : {"two_stage", "product_indicator", "orthogonal"}
        How product terms are estimated (as :func:`semwidget.pls.fit.fit_pls`).

    Raises
    ------
    ModelSpecError
        A bad option, or a model without endogenous constructs.
    DataError
        A training fold in which an indicator is constant.
    """
    _check(folds, repetitions, technique, scheme)
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    table = parse_model(model)
    check_method(interaction)
    kw = {"scheme": scheme, "tol": tol, "max_iter": max_iter}
    fold = None
    if table["rhs"].astype(str).str.contains(INTERACTION, regex=False).any():
        fd = fold_data(table, data, {"missing": missing, "missing_value": missing_value, **kw},
                       interaction)  # fmt: skip
        spec, prepared, fold = fd.spec, fd.prepared, fd.fold
        n = prepared.nobs
        z = fold(np.ones((1, n)))[1][0]
        extra = z.shape[1] - prepared.z.shape[1]  # generated columns are never targets
        center = np.concatenate([prepared.center, np.zeros(extra)])[fd.order]
        scale = np.concatenate([prepared.scale, np.ones(extra)])[fd.order]
    else:
        spec = build_model(table, [str(c) for c in data.columns])
        prepared = prepare_data(data, spec, missing=missing, missing_value=missing_value)
        z, n = prepared.z, prepared.nobs
        center, scale = prepared.center, prepared.scale
    if folds > n:
        raise ModelSpecError(f"folds must be at most the {n} rows", name="folds")
    index = BlockIndex.from_model(spec)
    targets = _targets(spec, index)

    rng = np.random.Generator(np.random.PCG64(seed))
    ids = fold_ids(n, folds)
    pls_sum = np.zeros((n, targets.size))
    lm_sum = np.zeros_like(pls_sum)
    naive_sum = np.zeros_like(pls_sum)
    for _ in range(repetitions):
        fold_of = np.empty(n, dtype=int)
        fold_of[rng.permutation(n)] = ids
        train = fold_of[None, :] != np.arange(folds)[:, None]  # (folds, n)
        pls, lm, naive = _one_split(z, train, spec, index, targets, technique, kw, fold)
        pls_sum += pls
        lm_sum += lm
        naive_sum += naive
    pls_hat, lm_hat, naive_hat = (a / repetitions for a in (pls_sum, lm_sum, naive_sum))
    y = z[:, targets]
    scale = scale[targets]
    center = center[targets]

    def rmse(pred: np.ndarray) -> np.ndarray:
        return np.sqrt(((y - pred) ** 2).mean(axis=0)) * scale

    def mae(pred: np.ndarray) -> np.ndarray:
        return np.abs(y - pred).mean(axis=0) * scale

    items = [spec.items[i] for i in targets]
    owner = [spec.constructs[k] for k in index.item_block[targets]]
    sse_naive = ((y - naive_hat) ** 2).sum(axis=0)
    table_out = pd.DataFrame({
        "construct": owner, "item": items,
        "q2_predict": 1.0 - ((y - pls_hat) ** 2).sum(axis=0) / sse_naive,
        "pls_rmse": rmse(pls_hat), "pls_mae": mae(pls_hat),
        "lm_rmse": rmse(lm_hat), "lm_mae": mae(lm_hat),
    })  # fmt: skip
    return PLSPrediction(
        items=table_out,
        pls=pd.DataFrame(pls_hat * scale + center, columns=items),
        lm=pd.DataFrame(lm_hat * scale + center, columns=items),
        folds=folds, repetitions=repetitions, technique=technique,
        warnings=list(prepared.warnings),
    )  # fmt: skip


def _check(folds: int, repetitions: int, technique: str, scheme: str) -> None:
    for name, value in (("folds", folds), ("repetitions", repetitions)):
        if not isinstance(value, (int, np.integer)) or value < (2 if name == "folds" else 1):
            raise ModelSpecError(
                f"{name} must be a whole number >= {2 if name == 'folds' else 1}, "
                f"not {value!r}", name=name,
            )  # fmt: skip
    if technique not in TECHNIQUES:
        raise ModelSpecError(f"technique must be 'DA' or 'EA', not {technique!r}",
                             name="technique")  # fmt: skip
    if scheme not in SCHEMES:
        raise ModelSpecError(f"scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}",
                             name="scheme")  # fmt: skip


def _targets(spec: PLSModel, index: BlockIndex) -> np.ndarray:
    """Indicator positions of the endogenous constructs, block after block."""
    endo = [k for k, _ in index.endogenous]
    if not endo:
        raise ModelSpecError("PLSpredict needs an endogenous construct (a '~' row)")
    return np.concatenate([index.block_items[k] for k in endo])


def _one_split(
    z: np.ndarray,
    train: np.ndarray,
    spec: PLSModel,
    index: BlockIndex,
    targets: np.ndarray,
    technique: str,
    kw: dict[str, Any],
    fold: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Out-of-sample PLS, LM and naive predictions (n, targets) of one k-fold split.

    ``fold`` (models with product terms) gives each training fold's correlations and every
    row standardized by it (:meth:`semwidget.pls.moderation.FoldData.fold`).
    """
    counts = train.astype(float)
    xs = None
    if fold is None:
        s = weighted_correlations(z, counts)
    else:
        s, xs, ok = fold(counts)
        if not ok.all() and np.isfinite(s).all():
            raise DataError("stage one of the two-stage interaction broke down in a training "
                            "fold (singular block); use fewer folds")  # fmt: skip
    bad = ~np.isfinite(s).all(axis=(1, 2))
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        col = int(np.flatnonzero(~np.isfinite(np.diagonal(s[k])))[0])
        raise DataError(
            f"indicator '{spec.items[col]}' is constant in a training fold; use fewer folds",
            column=spec.items[col],
        )
    fit = fit_weights(s, index, **kw)
    if not fit.ok.all():
        raise DataError("the PLS algorithm broke down in a training fold (singular block)")
    d = derive(s, fit.weights, index)
    n_train = counts.sum(axis=1, keepdims=True)
    f = counts / n_train
    mean = f @ z
    sd = np.sqrt((f @ (z * z) - mean**2) * n_train / (n_train - 1))
    test_fold = np.argmin(train, axis=0)  # the one fold each row is held out of
    rows = np.arange(z.shape[0])
    # (n, p): each row standardized by its training fold (product columns rebuilt by it)
    scaled = (z - mean[test_fold]) / sd[test_fold] if xs is None else xs[test_fold, rows]
    w = fit.weights[test_fold]
    scores = np.einsum("np,pk->nk", scaled * w, index.membership)
    paths = d.paths[test_fold]  # (n, K, K)
    pred = _propagate(scores, paths, index, technique)
    owner = index.item_block[targets]
    loading = d.loadings[test_fold][:, targets]
    pls = pred[:, owner] * loading * sd[test_fold][:, targets] + mean[test_fold][:, targets]

    lm = np.empty((z.shape[0], targets.size))
    col = 0
    for target, preds in index.endogenous:
        sources = preds if technique == "DA" else _exogenous(index)
        x_cols = np.concatenate([index.block_items[k] for k in sources])
        y_cols = index.block_items[target]
        if xs is None:
            x = np.column_stack([np.ones(z.shape[0]), z[:, x_cols]])
            xtx = np.einsum("fn,ni,nj->fij", counts, x, x)
            xty = np.einsum("fn,ni,nj->fij", counts, x, z[:, y_cols])
            x_own = x
        else:
            x_f = np.concatenate([np.ones((*xs.shape[:2], 1)), xs[:, :, x_cols]], axis=2)
            xtx = np.einsum("fn,fni,fnj->fij", counts, x_f, x_f)
            xty = np.einsum("fn,fni,nj->fij", counts, x_f, z[:, y_cols])
            x_own = x_f[test_fold, rows]
        beta = np.linalg.solve(xtx, xty)  # (folds, 1 + q, items)
        lm[:, col : col + y_cols.size] = np.einsum("ni,nij->nj", x_own, beta[test_fold])
        col += y_cols.size
    return pls, lm, mean[test_fold][:, targets]


def _exogenous(index: BlockIndex) -> np.ndarray:
    endo = {k for k, _ in index.endogenous}
    return np.array([k for k in range(len(index.block_items)) if k not in endo], dtype=int)


def _propagate(
    scores: np.ndarray, paths: np.ndarray, index: BlockIndex, technique: str
) -> np.ndarray:
    """Predicted construct scores (n, K) from held-out scores and each row's paths."""
    if technique == "DA":
        pred = np.einsum("nj,njk->nk", scores, paths)
        exo = _exogenous(index)
        pred[:, exo] = scores[:, exo]
        return pred
    pred = scores.copy()
    endo = [k for k, _ in index.endogenous]
    pred[:, endo] = 0.0
    # endogenous constructs in an order where predecessors come first (recursive model)
    done = set(_exogenous(index).tolist())
    pending = list(index.endogenous)
    while pending:
        for item in list(pending):
            target, preds = item
            if set(preds.tolist()) <= done:
                pred[:, target] = np.einsum("nj,nj->n", pred[:, preds], paths[:, preds, target])
                done.add(target)
                pending.remove(item)
    return pred
