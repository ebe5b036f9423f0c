"""LAPACK on the small matrices of one fit, without numpy.linalg's per-call checks.

On a 9 x 9 or 21 x 21 matrix numpy.linalg's wrappers cost more than the factorization (type
checks and an errstate context per call: 4-8 µs against 1-3 µs of work), and an ML fit makes
about a hundred such calls. These functions call the LAPACK gufuncs behind numpy.linalg
(``numpy.linalg._umath_linalg``, with the signatures numpy.linalg passes for float64) directly,
so the numbers are numpy.linalg's to the bit. A failed factorization comes back as NaN where
numpy.linalg raises ``LinAlgError``; the callers test for it, and call these functions inside
``np.errstate(invalid="ignore")`` so that the failure is not also a RuntimeWarning. Where that
module is missing (another numpy), the public functions stand in, with the same contract.
"""

from __future__ import annotations

import math

import numpy as np

try:  # numpy's own gufuncs: the functions numpy.linalg calls after its checks
    from numpy.linalg import _umath_linalg as _lapack
except ImportError:  # pragma: no cover - every numpy this package supports has it
    _lapack = None

__all__ = ["cholesky", "cond", "inv", "slogdet", "solve"]


def _nan_like(a: np.ndarray) -> np.ndarray:
    return np.full(a.shape, np.nan)


def cholesky(a: np.ndarray) -> np.ndarray | None:
    """Lower Cholesky factor of a float64 matrix; ``None`` if it is not positive definite."""
    if _lapack is None:
        try:
            return np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            return None
    L = _lapack.cholesky_lo(a, signature="d->d")
    return None if math.isnan(L[0, 0]) else L


def inv(a: np.ndarray) -> np.ndarray:
    """Inverse of a float64 matrix (NaN-filled if singular), as ``np.linalg.inv``."""
    if _lapack is None:
        try:
            return np.linalg.inv(a)
        except np.linalg.LinAlgError:
            return _nan_like(a)
    return _lapack.inv(a, signature="d->d")


def solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a^-1 b`` for a vector ``b`` (NaN-filled if ``a`` is singular), as ``np.linalg.solve``."""
    if _lapack is None:
        try:
            return np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            return _nan_like(b)
    return _lapack.solve1(a, b, signature="dd->d")


def cond(a: np.ndarray) -> float:
    """2-norm condition number, as ``np.linalg.cond(a)`` (``inf`` for a singular matrix)."""
    if _lapack is None:
        return float(np.linalg.cond(a))
    s = _lapack.svd(a, signature="d->d")
    r = float(s[0] / s[-1]) if s[-1] != 0 else math.inf
    if math.isnan(r) and not np.isnan(a).any():
        return math.inf
    return r


def slogdet(a: np.ndarray) -> tuple[float, float]:
    """Sign and log of |det a| of a float64 matrix, as ``np.linalg.slogdet``."""
    if _lapack is None:
        sign, logdet = np.linalg.slogdet(a)
        return float(sign), float(logdet)
    sign, logdet = _lapack.slogdet(a, signature="d->dd")
    return float(sign), float(logdet)
