"""Blindfolding: Stone–Geisser's Q² by cross-validated redundancy (Hair et al. 2017, *A Primer
on PLS-SEM*, 2nd ed., ch. 6; SmartPLS 3's blindfolding).

For each endogenous construct the cells of its indicators are numbered down the cases, one
indicator after the other (cell ``(i, j)`` is number ``j n + i``); round ``d`` of ``D`` (the
omission distance) omits every cell whose number is ``d`` modulo ``D``. The omitted cells are
mean-replaced (the mean of the indicator's remaining cells), the model is re-estimated on the
round's standardized data, and each omitted cell is predicted by redundancy: its loading
times the construct's score predicted from its predecessors' scores through the paths.
``Q² = 1 - SSE / SSO`` over all rounds, with SSO the sum of the omitted cells' squared
(standardized) values. ``n / D`` should not be a whole number (otherwise every indicator
loses the same cases in a round); a warning says so.

With product terms (any ``interaction=`` approach of ``fit_pls``) every round rebuilds the
interaction construct from the round's data (its product indicators, or its stage-one
scores and their product) before the model is re-estimated; the interaction construct is a
predictor, never a target (it is never endogenous).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.pls.data import prepare_data
from semwidget.pls.estimate import SCHEMES, correlation, derive, fit_weights
from semwidget.pls.model import INTERACTION, BlockIndex, build_model, parse_model
from semwidget.pls.moderation import check_method, fold_data


@dataclass
class BlindfoldResult:
    """Q² per endogenous construct: ``construct sso sse q2``."""

    q2: pd.DataFrame
    distance: int
    warnings: list[str] = field(default_factory=list)


def blindfolding(
    model: str | pd.DataFrame,
    data: pd.DataFrame,
    *,
    distance: int = 7,
    scheme: str = "path",
    missing: str = "mean",
    missing_value: float | None = None,
    max_iter: int = 300,
    tol: float = 1e-7,
    interaction: str = "two_stage",
) -> BlindfoldResult:
    """Cross-validated redundancy Q² of every endogenous construct (see the module notes).

    Parameters
    ----------
    model, data
        As :func:`semwidget.pls.fit.fit_pls`.
    distance : int
        Omission distance D (5 to 12 is usual; 7 is SmartPLS's default).
    interaction : {"two_stage", "product_indicator", "orthogonal"}
        How product terms are estimated (as :func:`semwidget.pls.fit.fit_pls`).

    Raises
    ------
    ModelSpecError
        A bad distance, scheme or interaction approach, no endogenous construct.
    """
    if not isinstance(distance, (int, np.integer)) or distance < 2:
        raise ModelSpecError(f"distance must be a whole number >= 2, not {distance!r}",
                             name="distance")  # fmt: skip
    if scheme not in SCHEMES:
        raise ModelSpecError(f"scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}",
                             name="scheme")  # fmt: skip
    check_method(interaction)
    table = parse_model(model)
    kw = {"scheme": scheme, "tol": tol, "max_iter": max_iter}
    options = {"missing": missing, "missing_value": missing_value, **kw}
    if table["rhs"].astype(str).str.contains(INTERACTION, regex=False).any():
        fd = fold_data(table, data, options, interaction)
        spec, prepared = fd.spec, fd.prepared
        base_items = [spec.items[i] for i in np.argsort(fd.order)[: prepared.z.shape[1]]]

        def refit(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            round_fd = fold_data(table, pd.DataFrame(x, columns=base_items), options,
                                 interaction)  # fmt: skip
            s, xs, _ = round_fd.fold(np.ones((1, x.shape[0])))
            return s, xs[0]
    else:
        spec = build_model(table, [str(c) for c in data.columns])
        prepared = prepare_data(data, spec, missing=missing, missing_value=missing_value)
        base_items = spec.items

        def refit(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            xs = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
            return correlation(xs), xs

    z, n = prepared.z, prepared.nobs
    index = BlockIndex.from_model(spec)
    if not index.endogenous:
        raise ModelSpecError("blindfolding needs an endogenous construct (a '~' row)")
    warnings = list(prepared.warnings)
    if n % distance == 0:
        warnings.append(
            f"n = {n} is a multiple of the omission distance {distance}: every indicator "
            "loses the same cases in a round; choose another distance"
        )
    column = {item: j for j, item in enumerate(base_items)}  # model indicator -> z column
    rows = []
    for target, preds in index.endogenous:
        idx = index.block_items[target]  # model positions
        cols = np.array([column[spec.items[i]] for i in idx])  # their z columns
        number = np.arange(idx.size)[None, :] * n + np.arange(n)[:, None]  # (n, items)
        sse = sso = 0.0
        for d in range(distance):
            omit = number % distance == d
            x = z.copy()
            for j, col in enumerate(cols):
                keep = ~omit[:, j]
                x[omit[:, j], col] = x[keep, col].mean()
            s, xs = refit(x)
            fit = fit_weights(s, index, **kw)
            der = derive(s, fit.weights, index)
            scores = xs @ (fit.weights[0][:, None] * index.membership)
            predicted = scores[:, preds] @ der.paths[0][preds, target]
            truth = (z[:, cols] - x[:, cols].mean(axis=0)) / x[:, cols].std(axis=0, ddof=1)
            guess = predicted[:, None] * der.loadings[0][idx][None, :]
            sse += float(((truth - guess)[omit] ** 2).sum())
            sso += float((truth[omit] ** 2).sum())
        rows.append({"construct": spec.constructs[target], "sso": sso, "sse": sse,
                     "q2": 1.0 - sse / sso})  # fmt: skip
    return BlindfoldResult(pd.DataFrame(rows), int(distance), warnings)
