"""Thresholds and polychoric correlations of ordinal variables, and their asymptotic covariance.

The two-stage estimator lavaan uses (Olsson, 1979; Muthén, 1984): each variable's thresholds
from its marginal proportions, then each pair's correlation by maximum likelihood on the pair's
contingency table with the thresholds held fixed. The asymptotic covariance of all of them
(``Gamma``, the weight of WLS and the meat of the robust standard errors) comes from the case
influence functions of the two stages, the second corrected for the first.

Bivariate normal probabilities use Owen's T function (exact for every correlation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from semwidget.errors import DataError

_BIG = 37.0  # Phi(37) is 1 in double precision: infinite thresholds are clipped to this


def _phi(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def _Phi(x: np.ndarray) -> np.ndarray:
    return special.ndtr(x)


def _cdf(H: np.ndarray, K: np.ndarray, R: np.ndarray) -> np.ndarray:
    """Phi2 for broadcast arrays with ``|r| < 1``, by Owen's T function (Owen, 1956):

    ``Phi2(h, k; r) = (Phi(h) + Phi(k)) / 2 - T(h, a_h) - T(k, a_k) - beta`` with
    ``a_h = (k - r h) / (h sqrt(1 - r^2))``, ``a_k`` likewise, and ``beta = 1/2`` when ``h``
    and ``k`` have opposite signs. Exact to rounding for every ``r``, unlike quadrature in
    ``r``, which loses digits as ``|r|`` approaches 1.
    """
    H, K, R = np.broadcast_arrays(H, K, R)
    # h = 0 or k = 0 makes a_h or a_k infinite: a tiny offset gives the limit
    H = np.where(H == 0.0, 1e-15, H)
    K = np.where(K == 0.0, 1e-15, K)
    s = np.sqrt(1.0 - R * R)
    a_h = (K - R * H) / (H * s)
    a_k = (H - R * K) / (K * s)
    beta = np.where(H * K < 0.0, 0.5, 0.0)
    return 0.5 * (_Phi(H) + _Phi(K)) - special.owens_t(H, a_h) - special.owens_t(K, a_k) - beta


def bvn_cdf(h: np.ndarray, k: np.ndarray, r: float) -> np.ndarray:
    """``P(X <= h, Y <= k)`` for a standard bivariate normal with correlation ``r``."""
    h = np.clip(np.asarray(h, dtype=float), -_BIG, _BIG)
    k = np.clip(np.asarray(k, dtype=float), -_BIG, _BIG)
    if r >= 1.0:  # the same variable twice
        return _Phi(np.minimum(h, k))
    if r <= -1.0:
        return np.maximum(_Phi(h) - _Phi(-k), 0.0)
    return _cdf(h, k, np.asarray(float(r)))


@dataclass
class OrdinalVariable:
    """One ordinal variable: its codes ``0..K-1`` per case and its thresholds."""

    name: str
    codes: np.ndarray       # (n,) int, 0-based category of each case
    thresholds: np.ndarray  # (K-1,)

    @property
    def padded(self) -> np.ndarray:
        """Thresholds with -inf and +inf at the ends (K+1 values)."""
        return np.concatenate([[-np.inf], self.thresholds, [np.inf]])


def ordinal_variable(name: str, values: np.ndarray) -> OrdinalVariable:
    """Thresholds ``Phi^-1(cumulative proportion)`` of one ordinal variable.

    ``values`` are the categories in their order (any sortable codes); empty categories in
    between are not categories (as in lavaan, which uses the observed levels).

    Raises
    ------
    DataError
        If the variable has fewer than two observed categories.
    """
    levels, codes = np.unique(values, return_inverse=True)
    if len(levels) < 2:
        only = levels[0].item() if hasattr(levels[0], "item") else levels[0]
        raise DataError(f"the ordinal variable '{name}' has only one observed category "
                        f"({only:g}); it carries no information", column=name)
    counts = np.bincount(codes, minlength=len(levels))
    cum = np.cumsum(counts)[:-1] / len(codes)
    return OrdinalVariable(name, codes.astype(np.int64), special.ndtri(cum))


def _threshold_scores(v: OrdinalVariable) -> tuple[np.ndarray, np.ndarray]:
    """Case scores of the univariate likelihood in the thresholds, and its information."""
    K = len(v.thresholds) + 1
    t = v.padded
    probs = np.diff(_Phi(np.clip(t, -_BIG, _BIG)))
    dens = _phi(v.thresholds)
    n = len(v.codes)
    s = np.zeros((n, K - 1))
    for k in range(K - 1):
        s[v.codes == k, k] = dens[k] / probs[k]
        s[v.codes == k + 1, k] = -dens[k] / probs[k + 1]
    return s, s.T @ s / n


@dataclass
class OrdinalMoments:
    """Sample statistics of ordinal (and numeric) data in lavaan's order.

    ``cor`` holds polychoric correlations between ordinal variables, polyserial correlations
    times the numeric variable's SD between an ordinal and a numeric one, and covariances
    (divisor N) between numeric ones, with the numeric variances on the diagonal. Each
    variable has its thresholds in ``thresholds`` (empty for a numeric one).
    """

    names: list[str]
    thresholds: list[np.ndarray]
    cor: np.ndarray
    gamma: np.ndarray  # asymptotic covariance of sqrt(N) (the moment vector below)
    n: int
    numeric: np.ndarray | None = None  # bool per variable; None when all are ordinal
    means: np.ndarray | None = None    # per variable (0 for ordinal ones)

    @property
    def numeric_mask(self) -> np.ndarray:
        if self.numeric is None:
            return np.zeros(len(self.names), dtype=bool)
        return self.numeric

    @property
    def n_first(self) -> int:
        """Length of the part before the correlations: thresholds, means and variances."""
        return sum(len(t) for t in self.thresholds) + 2 * int(self.numeric_mask.sum())

    @property
    def vector(self) -> np.ndarray:
        """``(each variable's thresholds or mean, in order; the numeric variances;
        correlations / covariances below the diagonal, by column)``."""
        r, c = below_diagonal(len(self.names))
        num = self.numeric_mask
        means = self.means if self.means is not None else np.zeros(len(self.names))
        first = [np.array([means[j]]) if num[j] else t for j, t in enumerate(self.thresholds)]
        return np.concatenate([*first, np.diag(self.cor)[num], self.cor[r, c]])


def below_diagonal(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the strict lower triangle, column by column (lavaan)."""
    rows, cols = [], []
    for j in range(p):
        for i in range(j + 1, p):
            rows.append(i)
            cols.append(j)
    return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)


def _pad(vars_: list[OrdinalVariable]) -> np.ndarray:
    """Thresholds of every variable padded to a common length: (p, K_max + 1), clipped.

    Missing upper categories get thresholds at +inf (empty cells of probability 0).
    """
    k_max = max(len(v.thresholds) for v in vars_) + 1
    T = np.full((len(vars_), k_max + 1), _BIG)
    T[:, 0] = -_BIG
    for j, v in enumerate(vars_):
        T[j, 1: len(v.thresholds) + 1] = v.thresholds
    return T


def _batch_cdf(h: np.ndarray, k: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Phi2 on the grid ``h[P, :] x k[P, :]`` for each pair's ``r[P]``: (P, K+1, K+1)."""
    return _cdf(h[:, :, None], k[:, None, :], r[:, None, None])


def _batch_cells(h: np.ndarray, k: np.ndarray, r: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Cell probabilities and their derivatives in ``r`` for each pair: (P, K, K) each."""
    F = _batch_cdf(h, k, r)
    H, K, R = h[:, :, None], k[:, None, :], r[:, None, None]
    s = 1.0 - R * R
    D = np.exp(-(H * H - 2.0 * R * H * K + K * K) / (2.0 * s)) / (2.0 * math.pi * np.sqrt(s))
    pi = F[:, 1:, 1:] - F[:, :-1, 1:] - F[:, 1:, :-1] + F[:, :-1, :-1]
    dpi = D[:, 1:, 1:] - D[:, :-1, 1:] - D[:, 1:, :-1] + D[:, :-1, :-1]
    return pi, dpi


def polychoric_batch(tables: np.ndarray, h: np.ndarray, k: np.ndarray, *,
                     max_iter: int = 50, tol: float = 1e-10) -> np.ndarray:
    """ML polychoric correlations of many pairs at once (Fisher scoring on ``r``).

    ``tables`` (P, K, K) are the pairs' counts; ``h``, ``k`` their padded thresholds.
    """
    n = tables.sum(axis=(1, 2))
    # start from the correlation of the normal scores of the cells
    r = np.zeros(len(tables))
    for _ in range(max_iter):
        pi, dpi = _batch_cells(h, k, r)
        pi = np.maximum(pi, 1e-300)
        score = np.sum(tables * dpi / pi, axis=(1, 2))
        info = n * np.sum(np.where(pi > 1e-290, dpi * dpi / pi, 0.0), axis=(1, 2))
        step = score / np.maximum(info, 1e-300)
        # never more than halfway to +-1: a full Fisher step can overshoot a strong
        # association past the boundary, where the quadrature is no longer accurate
        r_new = np.clip(r + step, (r - 1.0) / 2.0, (r + 1.0) / 2.0)
        if np.max(np.abs(r_new - r)) < tol:
            r = r_new
            break
        r = r_new
    return r


def ordinal_moments(names: list[str], data: np.ndarray) -> OrdinalMoments:
    """Thresholds, polychoric correlations and their asymptotic covariance (two-stage).

    ``data`` holds the ordinal columns (complete cases). Influence functions: thresholds
    ``A_j^-1 s_j``; a correlation ``(s_r - H_rt IF_t) / H_rr`` with ``H`` the pair's
    information blocks, so the threshold stage's uncertainty is carried into the second.
    """
    n = data.shape[0]
    vars_ = [ordinal_variable(nm, data[:, j]) for j, nm in enumerate(names)]
    if_t = [threshold_influence(v) for v in vars_]
    cor, if_r = polychoric_influence(vars_, if_t)
    IF = np.hstack([*if_t, if_r])
    gamma = IF.T @ IF / n
    return OrdinalMoments(list(names), [v.thresholds for v in vars_], cor, gamma, n)


def threshold_influence(v: OrdinalVariable) -> np.ndarray:
    """Case influence functions of one variable's thresholds: (n, K-1)."""
    s, A = _threshold_scores(v)
    return s @ np.linalg.inv(A)


def polychoric_influence(vars_: list[OrdinalVariable], if_t: list[np.ndarray]
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Polychoric matrix of ordinal variables and the case influence functions of its
    correlations below the diagonal (by column), corrected for the threshold stage.

    All pairs are handled at once: every cross-product a case enters reduces to sums over the
    pair's cells weighted by their counts.
    """
    p = len(vars_)
    n = len(vars_[0].codes)
    if p < 2:
        return np.eye(p), np.zeros((n, 0))
    T = _pad(vars_)
    kc = T.shape[1] - 1
    codes = np.column_stack([v.codes for v in vars_])
    r_idx, c_idx = below_diagonal(p)
    # pair (row i, column j): the column variable plays "a", as lavaan orders pairs
    a_idx, b_idx = c_idx, r_idx
    tables = np.zeros((len(r_idx), kc, kc))
    for m, (a, b) in enumerate(zip(a_idx, b_idx, strict=True)):
        tables[m] = np.bincount(codes[:, a] * kc + codes[:, b],
                                minlength=kc * kc).reshape(kc, kc)
    h, k = T[a_idx], T[b_idx]
    rho = polychoric_batch(tables, h, k)
    cor = np.eye(p)
    cor[r_idx, c_idx] = rho
    cor[c_idx, r_idx] = rho
    pi, dpi = _batch_cells(h, k, rho)
    pi = np.maximum(pi, 1e-300)
    ratio = dpi / pi  # case score in r, by cell
    w = tables / n
    h_rr = np.sum(w * ratio * ratio, axis=(1, 2))
    # d pi / d threshold: phi(h) Phi((k - r h)/s) differenced over the cell's corners
    R = rho[:, None, None]
    s_ = np.sqrt(1.0 - R * R)
    dh = _phi(h)[:, :, None] * _Phi((k[:, None, :] - R * h[:, :, None]) / s_)
    dk = _phi(k)[:, None, :] * _Phi((h[:, :, None] - R * k[:, None, :]) / s_)
    gh = dh[:, :, 1:] - dh[:, :, :-1]   # (P, K+1, K): over the b-cells, by a-corner
    gk = dk[:, 1:, :] - dk[:, :-1, :]   # (P, K, K+1)
    if_r = np.zeros((n, len(r_idx)))
    for m, (a, b) in enumerate(zip(a_idx, b_idx, strict=True)):
        ka, kb = len(vars_[a].thresholds), len(vars_[b].thresholds)
        # cells with upper corner j+1 gain, with lower corner j+1 lose
        dpa = np.zeros((ka, kc, kc))
        for j in range(ka):
            dpa[j, j, :] += gh[m, j + 1]
            dpa[j, j + 1, :] -= gh[m, j + 1]
        dpb = np.zeros((kb, kc, kc))
        for j in range(kb):
            dpb[j, :, j] += gk[m, :, j + 1]
            dpb[j, :, j + 1] -= gk[m, :, j + 1]
        h_ra = np.sum(w[m] * ratio[m] * dpa / pi[m], axis=(1, 2))
        h_rb = np.sum(w[m] * ratio[m] * dpb / pi[m], axis=(1, 2))
        s_r = ratio[m][codes[:, a], codes[:, b]]
        if_r[:, m] = (s_r - if_t[a] @ h_ra - if_t[b] @ h_rb) / h_rr[m]
    return cor, if_r
