"""Thresholds and polychoric correlations of ordinal variables, and their asymptotic covariance.

The two-stage estimator lavaan uses (Olsson, 1979; Muthén, 1984): each variable's thresholds
from its marginal proportions, then each pair's correlation by maximum likelihood on the pair's
contingency table with the thresholds held fixed. The asymptotic covariance of all of them
(``Gamma``, the weight of WLS and the meat of the robust standard errors) comes from the case
influence functions of the two stages, the second corrected for the first.

Bivariate normal probabilities use the integral of the density over the correlation,
``Phi2(h, k; r) = Phi(h) Phi(k) + int_0^r phi2(h, k; t) dt``, with Gauss-Legendre nodes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from semwidget.errors import DataError

_BIG = 37.0  # Phi(37) is 1 in double precision: infinite thresholds are clipped to this
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(24)


def _phi(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def _Phi(x: np.ndarray) -> np.ndarray:
    return special.ndtr(x)


def bvn_density(h: np.ndarray, k: np.ndarray, r: float) -> np.ndarray:
    """Standard bivariate normal density at ``(h, k)`` with correlation ``r``."""
    s = 1.0 - r * r
    return np.exp(-(h * h - 2.0 * r * h * k + k * k) / (2.0 * s)) / (2.0 * math.pi * math.sqrt(s))


def bvn_cdf(h: np.ndarray, k: np.ndarray, r: float) -> np.ndarray:
    """``P(X <= h, Y <= k)`` for a standard bivariate normal with correlation ``r``."""
    h = np.clip(np.asarray(h, dtype=float), -_BIG, _BIG)
    k = np.clip(np.asarray(k, dtype=float), -_BIG, _BIG)
    t = 0.5 * r * (_NODES + 1.0)  # nodes mapped to [0, r]
    dens = sum(w * bvn_density(h, k, float(ti)) for w, ti in zip(_WEIGHTS, t, strict=True))
    return _Phi(h) * _Phi(k) + 0.5 * r * dens


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
        raise DataError(f"the ordinal variable '{name}' has only one observed category "
                        f"({levels[0]!r}); it carries no information", column=name)
    counts = np.bincount(codes, minlength=len(levels))
    cum = np.cumsum(counts)[:-1] / len(codes)
    return OrdinalVariable(name, codes.astype(np.int64), special.ndtri(cum))


def _table(a: OrdinalVariable, b: OrdinalVariable) -> np.ndarray:
    ka, kb = len(a.thresholds) + 1, len(b.thresholds) + 1
    return np.bincount(a.codes * kb + b.codes, minlength=ka * kb).reshape(ka, kb).astype(float)


def _cell_probs(a: OrdinalVariable, b: OrdinalVariable, r: float) -> np.ndarray:
    ta, tb = a.padded, b.padded
    F = bvn_cdf(ta[:, None], tb[None, :], r)
    return F[1:, 1:] - F[:-1, 1:] - F[1:, :-1] + F[:-1, :-1]


def _cell_dens(a: OrdinalVariable, b: OrdinalVariable, r: float) -> np.ndarray:
    """d pi_ab / d r: the bivariate density at the four corners of each cell."""
    ta, tb = np.clip(a.padded, -_BIG, _BIG), np.clip(b.padded, -_BIG, _BIG)
    D = bvn_density(ta[:, None], tb[None, :], r)
    return D[1:, 1:] - D[:-1, 1:] - D[1:, :-1] + D[:-1, :-1]


def polychoric(a: OrdinalVariable, b: OrdinalVariable) -> float:
    """ML polychoric correlation of two ordinal variables, thresholds held fixed."""
    table = _table(a, b)

    def negll(r: float) -> float:
        p = np.clip(_cell_probs(a, b, r), 1e-300, None)
        return -float(np.sum(table * np.log(p)))

    res = optimize.minimize_scalar(negll, bounds=(-0.9999, 0.9999), method="bounded",
                                   options={"xatol": 1e-12})
    return float(res.x)


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


def _pair_scores(a: OrdinalVariable, b: OrdinalVariable, r: float
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Case scores of a pair's likelihood in ``r`` and in both variables' thresholds."""
    ta, tb = np.clip(a.padded, -_BIG, _BIG), np.clip(b.padded, -_BIG, _BIG)
    pi = np.clip(_cell_probs(a, b, r), 1e-300, None)
    s_r = (_cell_dens(a, b, r) / pi)[a.codes, b.codes]
    s = math.sqrt(1.0 - r * r)
    # d Phi2(h, k) / d h = phi(h) Phi((k - r h) / s)
    dh = _phi(ta)[:, None] * _Phi((tb[None, :] - r * ta[:, None]) / s)
    dk = _phi(tb)[None, :] * _Phi((ta[:, None] - r * tb[None, :]) / s)
    ka, kb = len(a.thresholds), len(b.thresholds)
    # pi_ab = F(a+1, b+1) - F(a, b+1) - F(a+1, b) + F(a, b) over padded corner indices
    sa = np.zeros((len(a.codes), ka))
    for j in range(ka):  # threshold j is padded index j + 1
        dpi = np.zeros_like(pi)
        dpi[j, :] += dh[j + 1, 1:] - dh[j + 1, :-1]       # cell a = j has upper corner j + 1
        dpi[j + 1, :] -= dh[j + 1, 1:] - dh[j + 1, :-1]   # cell a = j + 1 has lower corner j + 1
        sa[:, j] = (dpi / pi)[a.codes, b.codes]
    sb = np.zeros((len(b.codes), kb))
    for j in range(kb):
        dpi = np.zeros_like(pi)
        dpi[:, j] += dk[1:, j + 1] - dk[:-1, j + 1]
        dpi[:, j + 1] -= dk[1:, j + 1] - dk[:-1, j + 1]
        sb[:, j] = (dpi / pi)[a.codes, b.codes]
    return s_r, sa, sb


@dataclass
class OrdinalMoments:
    """Sample statistics of ordinal data in lavaan's order: thresholds, then correlations."""

    names: list[str]
    thresholds: list[np.ndarray]
    cor: np.ndarray
    gamma: np.ndarray  # asymptotic covariance of sqrt(N) (thresholds; vech_below(cor))
    n: int

    @property
    def vector(self) -> np.ndarray:
        """``(thresholds of each variable; correlations below the diagonal, by column)``."""
        r, c = below_diagonal(len(self.names))
        return np.concatenate([*self.thresholds, self.cor[r, c]])


def below_diagonal(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the strict lower triangle, column by column (lavaan)."""
    rows, cols = [], []
    for j in range(p):
        for i in range(j + 1, p):
            rows.append(i)
            cols.append(j)
    return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)


def ordinal_moments(names: list[str], data: np.ndarray) -> OrdinalMoments:
    """Thresholds, polychoric correlations and their asymptotic covariance (two-stage).

    ``data`` holds the ordinal columns (complete cases). Influence functions: thresholds
    ``A_j^-1 s_j``; a correlation ``(s_r - H_rt IF_t) / H_rr`` with ``H`` the pair's
    information blocks, so the threshold stage's uncertainty is carried into the second.
    """
    n, p = data.shape
    vars_ = [ordinal_variable(nm, data[:, j]) for j, nm in enumerate(names)]
    if_t = []
    for v in vars_:
        s, A = _threshold_scores(v)
        if_t.append(s @ np.linalg.inv(A))
    r_idx, c_idx = below_diagonal(p)
    cor = np.eye(p)
    if_r = np.zeros((n, len(r_idx)))
    for k, (i, j) in enumerate(zip(r_idx, c_idx, strict=True)):
        a, b = vars_[j], vars_[i]  # column variable first, as lavaan's pair order
        rho = polychoric(a, b)
        cor[i, j] = cor[j, i] = rho
        s_r, sa, sb = _pair_scores(a, b, rho)
        h_rr = float(s_r @ s_r) / n
        h_ra = s_r @ sa / n
        h_rb = s_r @ sb / n
        if_r[:, k] = (s_r - if_t[j] @ h_ra - if_t[i] @ h_rb) / h_rr
    IF = np.hstack([*if_t, if_r])
    gamma = IF.T @ IF / n
    return OrdinalMoments(list(names), [v.thresholds for v in vars_], cor, gamma, n)
