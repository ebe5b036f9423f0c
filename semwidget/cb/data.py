"""Checks and sample moments of the data handed to an engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from semwidget.cb.conditioning import check_conditioning
from semwidget.errors import DataError
from semwidget.model.columns import numeric_columns
from semwidget.model.frame_arrays import stored_dtypes


@dataclass
class Moments:
    """Sample moments with divisor N, as lavaan's ML uses."""

    names: list[str]
    n: int
    cov: np.ndarray
    mean: np.ndarray
    data: np.ndarray  # rows used (may hold NaN under FIML)
    weights: np.ndarray | None = None  # sampling weights of those rows, summing to n


def check_data(data: object, columns: Sequence[str]) -> pd.DataFrame:
    """Select the model's columns as float64 and check they can be fitted.

    Raises
    ------
    DataError
        If ``data`` is not a DataFrame, or a column is not numbers, holds infinities or huge
        values, is never observed or is duplicated (see
        :func:`semwidget.model.columns.numeric_columns`).
    """
    return numeric_columns(data, columns)


def moments(frame: pd.DataFrame, missing: str) -> Moments:
    """Sample covariance and means after the missing-data policy.

    Parameters
    ----------
    frame : DataFrame
        Numeric columns of the model, in model order.
    missing : {"listwise", "fiml"}
    """
    names = list(frame.columns)
    X = frame.to_numpy(dtype=float)
    if missing == "listwise":
        X = X[~np.isnan(X).any(axis=1)]
    else:
        X = X[~np.isnan(X).all(axis=1)]
    n, p = X.shape
    if n == 0:
        share = np.isnan(frame.to_numpy(dtype=float)).mean(axis=0)
        worst = [f"'{names[k]}' ({share[k]:.0%})" for k in np.argsort(-share)[:3]]
        raise DataError("no complete rows are left after removing rows with missing values; "
                        f"most missing: {', '.join(worst)}")
    if n <= p:
        raise DataError(
            f"the data have {n} usable rows for {p} variables; a covariance-based fit needs "
            "more rows than variables"
        )
    if missing == "listwise":
        mean = X.mean(axis=0)
        Xc = X - mean
        cov = Xc.T @ Xc / n
    else:
        mean = np.nanmean(X, axis=0)
        cov = pd.DataFrame(X).cov(ddof=0).to_numpy()
    # all columns at once in the usual case (complete rows, none constant); a column at a
    # time only to name the one that is
    plain = missing == "listwise" and n >= 2 and bool((X.max(axis=0) > X.min(axis=0)).all())
    for k, name in enumerate([] if plain else names):
        col = X[:, k]
        col = col[~np.isnan(col)]
        if col.size < 2 or np.ptp(col) == 0:
            raise DataError(
                f"column '{name}' is constant (every value is {col[0] if col.size else 'NaN'}); "
                "it carries no information for the model",
                column=name,
            )
    # Pairwise covariances (FIML) need not be positive definite: no collinearity verdict there.
    check_conditioning(names, cov, mean, collinear=missing == "listwise")
    return Moments(names, n, cov, mean, X)


def ordered_columns(data: pd.DataFrame, ordered: list[str] | None
                    ) -> tuple[pd.DataFrame, list[str]]:
    """The data with ordered-categorical columns as integer codes, and the ordered names.

    pandas ordered categoricals are picked up automatically (their category order is the
    order of the codes); ``ordered`` names more columns to treat as ordinal.

    Raises
    ------
    DataError
        If a name in ``ordered`` is not a column of the data.
    """
    names = list(ordered or [])
    for name in names:
        if name not in data.columns:
            raise DataError(f"ordered variable '{name}' is not a column of the data",
                            column=name)
    out = data
    if data.columns.has_duplicates:
        return data, names  # the column check names the duplicate before anything is fitted
    if not any(isinstance(dt, pd.CategoricalDtype) for dt in stored_dtypes(data)):
        return data, names  # no categoricals: no column to read
    for col, dtype in zip(data.columns, data.dtypes, strict=True):
        if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered:
            if out is data:
                out = data.copy()
            codes = data[col].cat.codes.astype(float)
            out[col] = codes.where(codes >= 0, np.nan)
            if col not in names:
                names.append(str(col))
    return out, names
