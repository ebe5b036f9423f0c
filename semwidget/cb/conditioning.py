"""Is a sample covariance matrix fit to estimate from? Say what is wrong, naming the columns.

The optimizer and its identification check work in relative terms, but double precision does
not: a column whose spread is lost in its level, variances beyond what the estimates can carry,
or columns that are exact linear combinations of each other make the information matrix
singular, and the fit would blame a parameter ("not identified") for a property of the data.
:func:`check_conditioning` runs on the moments before any estimation and names the cause.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from semwidget.errors import DataError
from semwidget.model.columns import check_collinear

#: A column whose standard deviation is below this share of its mean level is near-constant:
#: fewer than about 8 significant digits are left in its deviations.
NEAR_CONSTANT = 1e-8
#: Variances outside this range are refused (rescaling the column is the fix). Fits were
#: checked exact with variances from 1e-8 to 1e24; beyond, absolute tolerances bite.
MIN_VARIANCE, MAX_VARIANCE = 1e-8, 1e26


def _names(names: Sequence[str], idx: np.ndarray, limit: int = 6) -> str:
    listed = [f"'{names[k]}'" for k in idx[:limit]]
    return ", ".join(listed) + (", ..." if len(idx) > limit else "")


def check_conditioning(names: Sequence[str], cov: np.ndarray, mean: np.ndarray, *,
                       collinear: bool = True) -> None:
    """Refuse data whose covariance matrix cannot be fitted in double precision.

    Parameters
    ----------
    names : sequence of str
        The columns, in the order of ``cov``.
    cov, mean : ndarray
        Sample covariance matrix and means.
    collinear : bool
        Also refuse collinear columns (for a complete-data covariance matrix).

    Raises
    ------
    DataError
        Naming the near-constant, badly scaled or collinear columns, and what to do.
    """
    var = np.diag(cov).astype(float)
    sd = np.sqrt(np.clip(var, 0.0, None))
    level = np.abs(mean)
    near = np.flatnonzero(sd <= NEAR_CONSTANT * level)
    if near.size:
        k = int(near[0])
        raise DataError(
            f"column(s) {_names(names, near)} are nearly constant ('{names[k]}' varies by "
            f"{sd[k]:.3g} around {mean[k]:.6g}); the variation is lost in rounding: leave "
            "them out, or subtract their mean and rescale", column=names[k])
    small = np.flatnonzero(var < MIN_VARIANCE)
    large = np.flatnonzero(var > MAX_VARIANCE)
    if small.size or large.size:
        bad = small if small.size else large
        k = int(bad[np.argmin(var[bad])] if small.size else bad[np.argmax(var[bad])])
        side = "below" if small.size else "above"
        limit = MIN_VARIANCE if small.size else MAX_VARIANCE
        raise DataError(
            f"the variance of column(s) {_names(names, bad)} is {side} {limit:g} ('{names[k]}': "
            f"{var[k]:.3g}); rescale them (e.g. multiply or divide by a power of 10) so the "
            "variances are of ordinary size", column=names[k])
    if collinear:
        check_collinear(names, cov)
