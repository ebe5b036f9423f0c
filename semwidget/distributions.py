"""Tail areas and quantiles of the chi-square, normal, t and binomial distributions.

``scipy.stats`` takes about half a second to import (it builds every distribution object);
the handful of functions the package needs are thin wrappers around ``scipy.special``, which
loads in a few milliseconds. These helpers keep ``scipy.stats``'s answers at the edges
(``df <= 0`` → NaN, a negative statistic → p = 1) so results are unchanged.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import special

__all__ = ["binom_cdf", "chi2_sf", "norm_cdf", "norm_ppf", "norm_sf", "t_sf"]


def _scalar(out: np.ndarray) -> Any:
    # 0-d results come back as NumPy scalars, as scipy.stats returns them.
    return out[()] if out.ndim == 0 else out


def chi2_sf(x: Any, df: Any) -> Any:
    """Upper tail ``P(X > x)`` of the chi-square distribution with ``df`` degrees of freedom.

    Parameters
    ----------
    x : float or array_like
        The statistic; a negative value has tail area 1.
    df : float or array_like
        Degrees of freedom; ``df <= 0`` gives NaN.

    Returns
    -------
    float or numpy.ndarray
        The tail area, shaped like the broadcast of ``x`` and ``df``.
    """
    if isinstance(x, float | int) and isinstance(df, float | int):
        # the scalar case (every fit's p-values) skips the array round trip: same ufunc,
        # same doubles, same edge rules
        x, df = float(x), float(df)
        if math.isnan(x) or math.isnan(df) or df <= 0:
            return np.float64(math.nan)
        return np.float64(1.0) if x < 0 else special.chdtrc(df, x)
    x = np.asarray(x, dtype=float)
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        out = np.where(x < 0, 1.0, special.chdtrc(df, np.maximum(x, 0.0)))
        out = np.where(df > 0, out, np.nan)
    out = np.where(np.isnan(x) | np.isnan(df), np.nan, out)
    return _scalar(np.asarray(out))


def norm_sf(z: Any) -> Any:
    """Upper tail ``P(Z > z)`` of the standard normal distribution."""
    return special.ndtr(-np.asarray(z, dtype=float))[()]


def norm_cdf(z: Any) -> Any:
    """Lower tail ``P(Z <= z)`` of the standard normal distribution."""
    return special.ndtr(np.asarray(z, dtype=float))[()]


def norm_ppf(q: Any) -> Any:
    """The standard normal quantile of probability ``q`` (NaN outside [0, 1])."""
    return special.ndtri(np.asarray(q, dtype=float))[()]


def t_sf(t: Any, df: Any) -> Any:
    """Upper tail ``P(T > t)`` of Student's t distribution with ``df`` degrees of freedom."""
    return special.stdtr(np.asarray(df, dtype=float), -np.asarray(t, dtype=float))[()]


def binom_cdf(k: Any, n: Any, p: float) -> Any:
    """``P(K <= k)`` for a binomial count with ``n`` trials and success probability ``p``."""
    k = np.floor(np.asarray(k, dtype=float))
    return special.bdtr(k, np.asarray(n, dtype=np.int64), p)[()]
