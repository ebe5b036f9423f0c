"""Sampling weights (lavaan's ``sampling.weights``): checked, normalised, weighted moments.

lavaan rescales the weights to sum to the number of cases used (``sampling.weights.
normalization = "total"``), fits the weighted mean and covariance matrix (divisor N), and
reports robust (Huber-White) standard errors with the Yuan-Bentler (Mplus) scaled test, whose
case scores are weighted too (``cb.robust``). Under FIML the casewise log-likelihood is
weighted (weighted missing-data patterns in ``cb.fiml``, weighted scores in
``cb.robust_fiml``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from semwidget.cb.data import Moments, moments
from semwidget.errors import DataError


def split_weights(data: pd.DataFrame, column: str, model_columns: set[str]
                  ) -> tuple[pd.DataFrame, np.ndarray]:
    """The data without the weight column, and the weights by row.

    Raises
    ------
    DataError
        Naming the column (and the first bad row) when it is missing, part of the model, not
        numbers, negative, infinite or missing, or all zero.
    """
    if not isinstance(column, str):
        raise DataError(f"sampling_weights must name a column, got {type(column).__name__}")
    if column not in data.columns:
        raise DataError(f"sampling_weights='{column}' is not a column of the data",
                        column=column)
    if column in model_columns:
        raise DataError(f"sampling_weights='{column}' is a variable of the model; the weights "
                        "must be a column of their own", column=column)
    raw = pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(raw) | (raw < 0)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise DataError(f"sampling weight in column '{column}', row {k + 1} is "
                        f"{data[column].iloc[k]!r}: weights must be finite numbers >= 0",
                        column=column)
    if not (raw > 0).any():
        raise DataError(f"every sampling weight in column '{column}' is 0", column=column)
    return data.drop(columns=[column]), raw


def weighted_moments(frame: pd.DataFrame, weights: np.ndarray, missing: str) -> Moments:
    """Weighted sample moments (divisor N) with the weights rescaled to sum to N.

    Rows are dropped as :func:`semwidget.cb.data.moments` drops them (listwise: any missing
    value; FIML: all missing), and its checks run on the rows kept.
    """
    X = frame.to_numpy(dtype=float)
    miss = np.isnan(X)
    keep = ~(miss.any(axis=1) if missing == "listwise" else miss.all(axis=1))
    kept = frame[keep]
    base = moments(kept, missing)
    w = weights[keep]
    w = w * base.n / w.sum()
    Xk = base.data
    if missing == "listwise":
        mean = w @ Xk / base.n
        xc = Xk - mean
        cov = (xc * w[:, None]).T @ xc / base.n
    else:  # FIML starts from these; the estimates use the weighted casewise likelihood
        mean, cov = base.mean, base.cov
    return Moments(base.names, base.n, cov, mean, Xk, w)
