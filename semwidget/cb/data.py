"""Checks and sample moments of the data handed to an engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from semwidget.errors import DataError


@dataclass
class Moments:
    """Sample moments with divisor N, as lavaan's ML uses."""

    names: list[str]
    n: int
    cov: np.ndarray
    mean: np.ndarray
    data: np.ndarray  # rows used (may hold NaN under FIML)


def check_data(data: object, columns: Sequence[str]) -> pd.DataFrame:
    """Select the model's columns and check they can be fitted.

    Raises
    ------
    DataError
        If ``data`` is not a DataFrame, a column is not numeric or is constant.
    """
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    sub = data[list(columns)]
    for col, dtype in zip(columns, sub.dtypes, strict=True):
        if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
            bad = next((v for v in sub[col] if not _is_number(v)), None)
            raise DataError(
                f"column '{col}' is not numeric (it holds values such as {bad!r}); "
                "recode it as numbers",
                column=col,
            )
    if all(dtype == np.float64 for dtype in sub.dtypes):
        return sub
    return sub.astype("float64")


def _is_number(v: object) -> bool:
    try:
        float(v)  # type: ignore[arg-type]
        return True
    except (TypeError, ValueError):
        return False


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
        raise DataError("no complete rows are left after removing rows with missing values")
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
    for k, name in enumerate(names):
        col = X[:, k]
        col = col[~np.isnan(col)]
        if col.size < 2 or np.ptp(col) == 0:
            raise DataError(
                f"column '{name}' is constant (every value is {col[0] if col.size else 'NaN'}); "
                "it carries no information for the model",
                column=name,
            )
    return Moments(names, n, cov, mean, X)
