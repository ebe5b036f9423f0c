"""Indicator data for PLS: missing codes, missing-data treatment, checks, standardization."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from semwidget.errors import DataError
from semwidget.model.columns import numeric_columns
from semwidget.pls.model import PLSModel

#: Share of missing cells in an indicator above which mean replacement is reported.
MISSING_REPORT_SHARE = 0.05


@dataclass(frozen=True)
class PreparedData:
    """Standardized indicator matrix ready for estimation.

    Attributes
    ----------
    z : ndarray (n, p)
        Indicators in model order, centred and scaled to unit (n-1) variance.
    nobs : int
        Rows used.
    warnings : list of str
        Notes on the missing-data treatment.
    center, scale : ndarray (p,)
        The raw indicators' means and standard deviations (n - 1) after the missing-data
        treatment: ``raw = z * scale + center`` (predictions in the data's units).
    """

    z: np.ndarray
    nobs: int
    warnings: list[str]
    center: np.ndarray | None = None
    scale: np.ndarray | None = None


def prepare_data(
    data: pd.DataFrame,
    model: PLSModel,
    *,
    missing: str = "mean",
    missing_value: float | None = None,
) -> PreparedData:
    """Select, clean and standardize the indicators of ``model``.

    Parameters
    ----------
    data : DataFrame
        Raw data; only the model's indicators are used.
    model : PLSModel
        The blocks (indicator order).
    missing : {"mean", "listwise"}
        Mean replacement (SmartPLS and seminr default) or listwise deletion.
    missing_value : float, optional
        A code (such as -99) that marks a missing cell; turned into NaN first.

    Raises
    ------
    DataError
        Non-numeric or all-missing indicators, too few rows, zero-variance indicators,
        an unknown ``missing`` option.
    """
    if not isinstance(data, pd.DataFrame):
        try:
            data = pd.DataFrame(data)
        except (TypeError, ValueError) as exc:
            raise DataError(f"data must be a table of numbers ({exc})") from None
    if missing not in ("mean", "listwise"):
        raise DataError(f"missing must be 'mean' or 'listwise', not {missing!r}")
    items = model.items
    owner = {item: c for c in model.constructs for item in model.blocks[c]}
    # The shared column check names what a column holds (text, dates, true/false, ...).
    frame = numeric_columns(data, items)
    x = frame.to_numpy(dtype=float, copy=True) if items else np.empty((len(data), 0))
    if missing_value is not None:
        x[x == float(missing_value)] = np.nan

    warnings: list[str] = []
    nan = np.isnan(x)
    for j, item in enumerate(items):
        if nan[:, j].all():
            raise DataError(f"indicator '{item}' has no observed values", column=item)
    if missing == "listwise":
        keep = ~nan.any(axis=1)
        dropped = int((~keep).sum())
        if dropped:
            warnings.append(f"listwise deletion dropped {dropped} of {len(x)} rows")
        x = x[keep]
    elif nan.any():
        share = nan.mean(axis=0)
        means = np.nanmean(x, axis=0)
        x = np.where(nan, means, x)
        for j in np.flatnonzero(share > MISSING_REPORT_SHARE):
            warnings.append(
                f"{share[j] * 100:.1f}% of '{items[j]}' is missing; mean replacement "
                "reduces its variance"
            )
    n = x.shape[0]
    if n < 3:
        raise DataError(f"PLS needs at least 3 complete rows, the data have {n}")
    sd = x.std(axis=0, ddof=1)
    for j in np.flatnonzero(~(sd > 1e-12 * np.maximum(1.0, np.abs(x).max(axis=0)))):
        raise DataError(
            f"indicator '{items[j]}' of construct '{owner[items[j]]}' has zero variance "
            f"(every value is {x[0, j]:g}); drop it from the block",
            column=items[j],
        )
    center = x.mean(axis=0)
    z = (x - center) / sd
    return PreparedData(z, n, warnings, center, sd)
