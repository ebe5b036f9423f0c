"""Ordinal and numeric variables together: polyserial correlations and the joint NACOV.

lavaan's two-stage approach for mixed data (Muthén, 1984; Olsson, Drasgow & Dorans, 1982):

- first stage, one variable at a time: an ordinal variable's thresholds (probit), a numeric
  variable's mean and variance (normal ML, divisor N);
- second stage, one pair at a time with the first stage held fixed: polychoric correlations
  for two ordinal variables, polyserial correlations for a numeric and an ordinal one, the
  Pearson correlation for two numeric ones (the ML root with fixed marginals);
- the asymptotic covariance ``Gamma`` of all of them from the case influence functions: each
  first-stage block ``A^-1 s`` with ``A`` the cross-product of its scores (for a numeric
  variable its mean and variance jointly), each correlation ``(s_r - H_rt IF_t) / H_rr`` with
  ``H`` the cross-products of the pair likelihood's scores (its marginal part included).

A correlation with a numeric variable enters the moment vector as a covariance
(``rho * sd``), so its influence function gains the variance's share by the delta method.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from semwidget.cb.polychoric import (
    OrdinalMoments,
    OrdinalVariable,
    below_diagonal,
    ordinal_variable,
    polychoric_influence,
    threshold_influence,
)
from semwidget.errors import DataError

_BIG = 37.0
_R_MAX = 1.0 - 1e-9


def _phi(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def numeric_influence(name: str, y: np.ndarray) -> tuple[float, float, np.ndarray]:
    """Mean, variance (divisor N) and the case influence functions of both: (n, 2).

    Raises
    ------
    DataError
        If the variable is constant.
    """
    mu = float(y.mean())
    var = float(np.mean((y - mu) ** 2))
    if not var > 0.0:
        raise DataError(f"the numeric variable '{name}' is constant ({mu:g}); it carries no "
                        "information", column=name)
    d = y - mu
    S = np.column_stack([d / var, -0.5 / var + d * d / (2.0 * var * var)])
    A = S.T @ S / len(y)
    return mu, var, S @ np.linalg.inv(A)


def _polyserial_scores(y: np.ndarray, mu: float, var: float, v: OrdinalVariable, rho: float
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Case scores of the pair likelihood in rho, the thresholds and (mean, variance);
    and the log likelihood's conditional part per case (the probabilities)."""
    sd = math.sqrt(var)
    u = (y - mu) / sd
    R = math.sqrt(1.0 - rho * rho)
    t = np.concatenate([[-_BIG], np.clip(v.thresholds, -_BIG, _BIG), [_BIG]])
    up, lo = t[v.codes + 1], t[v.codes]
    z2, z1 = (up - rho * u) / R, (lo - rho * u) / R
    P = np.maximum(special.ndtr(z2) - special.ndtr(z1), 1e-300)
    f2, f1 = _phi(z2), _phi(z1)
    s_r = (f2 * (rho * up - u) - f1 * (rho * lo - u)) / (R**3 * P)
    K = len(v.thresholds)
    s_t = np.zeros((len(y), K))
    for k in range(K):
        s_t[:, k] = np.where(v.codes == k, f2, 0.0) - np.where(v.codes == k + 1, f1, 0.0)
    s_t /= (R * P)[:, None]
    # d log P / d u, then through u = (y - mu) / sd; plus the normal marginal's own scores
    dl_du = -(f2 - f1) * rho / (R * P)
    s_mu = dl_du * (-1.0 / sd) + u / sd
    s_var = dl_du * (-u / (2.0 * var)) + (u * u - 1.0) / (2.0 * var)
    return s_r, s_t, np.column_stack([s_mu, s_var]), P


def polyserial_batch(U: np.ndarray, codes: np.ndarray, T: np.ndarray, *, max_iter: int = 100,
                     tol: float = 1e-12) -> np.ndarray:
    """ML polyserial correlations of many pairs at once, the first stage held fixed.

    ``U`` (n, P) are the numeric variables standardized by their mean and SD (divisor N),
    ``codes`` (n, P) the ordinal categories, ``T`` (P, K + 1) each pair's thresholds padded
    with -/+ the clip bound. Newton steps on the score, never more than halfway to +-1.
    """
    cols = np.arange(U.shape[1])[None, :]
    up, lo = T[cols, codes + 1], T[cols, codes]

    def score(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        R = np.sqrt(1.0 - r * r)
        z2, z1 = (up - r * U) / R, (lo - r * U) / R
        P = np.maximum(special.ndtr(z2) - special.ndtr(z1), 1e-300)
        s = (_phi(z2) * (r * up - U) - _phi(z1) * (r * lo - U)) / (R**3 * P)
        return s.sum(axis=0), (s * s).sum(axis=0)

    r = np.zeros(U.shape[1])
    h = 1e-7
    for _ in range(max_iter):
        g, opg = score(r)
        # Newton on the score (its slope by a forward difference); where the likelihood is
        # not concave, a scoring step with the cross-product information instead
        slope = (score(r + h)[0] - g) / h
        step = np.where(slope < 0, -g / np.where(slope < 0, slope, -1.0),
                        g / np.maximum(opg, 1e-300))
        r_new = np.clip(r + step, (r - 1.0) / 2.0, (r + 1.0) / 2.0)
        done = np.max(np.abs(r_new - r)) < tol
        r = r_new
        if done:
            break
    return r


def _pearson_scores(ya: np.ndarray, yb: np.ndarray, ma: float, va: float, mb: float,
                    vb: float, rho: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Case scores of the bivariate normal likelihood in rho and in each (mean, variance)."""
    D = 1.0 - rho * rho
    za, zb = (ya - ma) / math.sqrt(va), (yb - mb) / math.sqrt(vb)
    s_r = rho / D + ((1.0 + rho * rho) * za * zb - rho * (za * za + zb * zb)) / (D * D)
    ea, eb = (za - rho * zb) / D, (zb - rho * za) / D
    s_a = np.column_stack([ea / math.sqrt(va), -0.5 / va + ea * za / (2.0 * va)])
    s_b = np.column_stack([eb / math.sqrt(vb), -0.5 / vb + eb * zb / (2.0 * vb)])
    return s_r, s_a, s_b


def mixed_moments(names: list[str], data: np.ndarray, ordinal: list[bool]) -> OrdinalMoments:
    """Thresholds, means, variances, correlations/covariances and their NACOV (two-stage).

    ``data`` holds the model's observed columns (complete cases); ``ordinal`` says which are
    ordinal. The moment vector and ``Gamma`` follow :attr:`OrdinalMoments.vector`.
    """
    n, p = data.shape
    num = ~np.asarray(ordinal, dtype=bool)
    ord_idx = np.flatnonzero(~num)
    vars_: dict[int, OrdinalVariable] = {}
    first: dict[int, np.ndarray] = {}   # per variable: thresholds' IF, or (mean, var) IF
    mean = np.zeros(p)
    var = np.ones(p)
    for j in range(p):
        if num[j]:
            mean[j], var[j], first[j] = numeric_influence(names[j], data[:, j])
        else:
            vars_[j] = ordinal_variable(names[j], data[:, j])
            first[j] = threshold_influence(vars_[j])
    ord_list = [vars_[j] for j in ord_idx]
    poly, if_poly = polychoric_influence(ord_list, [first[j] for j in ord_idx])
    sub = {int(j): k for k, j in enumerate(ord_idx)}
    sub_r, sub_c = below_diagonal(len(ord_idx))
    sub_pair = {(int(r), int(c)): m for m, (r, c) in enumerate(zip(sub_r, sub_c, strict=True))}
    sd = np.sqrt(var)
    cov = np.diag(np.where(num, var, 1.0))
    r_idx, c_idx = below_diagonal(p)
    ps = [(m, (a, b) if num[a] else (b, a)) for m, (b, a) in enumerate(zip(r_idx, c_idx,
                                                                         strict=True))
          if num[a] != num[b]]
    ps_rho: dict[int, float] = {}
    if ps:
        yv = np.array([q[0] for _, q in ps])
        k_max = max(len(vars_[q[1]].thresholds) for _, q in ps) + 1
        T = np.full((len(ps), k_max + 1), _BIG)
        T[:, 0] = -_BIG
        for i, (_, q) in enumerate(ps):
            th = np.clip(vars_[q[1]].thresholds, -_BIG, _BIG)
            T[i, 1: len(th) + 1] = th
        U = (data[:, yv] - mean[yv]) / sd[yv]
        codes = np.column_stack([vars_[q[1]].codes for _, q in ps])
        ps_rho = dict(zip([m for m, _ in ps], polyserial_batch(U, codes, T).tolist(),
                          strict=True))
    if_c = np.zeros((n, len(r_idx)))
    for m, (b, a) in enumerate(zip(r_idx, c_idx, strict=True)):
        if not num[a] and not num[b]:
            rho = poly[sub[b], sub[a]]
            if_c[:, m] = if_poly[:, sub_pair[(sub[b], sub[a])]]
        elif num[a] and num[b]:
            ya, yb = data[:, a], data[:, b]
            c = float(np.mean((ya - mean[a]) * (yb - mean[b])))
            rho = min(max(c / (sd[a] * sd[b]), -_R_MAX), _R_MAX)
            s_r, s_a, s_b = _pearson_scores(ya, yb, mean[a], var[a], mean[b], var[b], rho)
            if_r = (s_r - first[a] @ (s_a.T @ s_r / n) - first[b] @ (s_b.T @ s_r / n)) / \
                float(s_r @ s_r / n)
            if_c[:, m] = (sd[a] * sd[b] * if_r + rho * sd[b] * first[a][:, 1] / (2 * sd[a])
                          + rho * sd[a] * first[b][:, 1] / (2 * sd[b]))
            rho = rho * sd[a] * sd[b]
        else:
            yv, ov = (a, b) if num[a] else (b, a)
            v = vars_[ov]
            r = ps_rho[m]
            s_r, s_t, s_n, _ = _polyserial_scores(data[:, yv], mean[yv], var[yv], v, r)
            if_r = (s_r - first[ov] @ (s_t.T @ s_r / n) - first[yv] @ (s_n.T @ s_r / n)) / \
                float(s_r @ s_r / n)
            if_c[:, m] = sd[yv] * if_r + r * first[yv][:, 1] / (2.0 * sd[yv])
            rho = r * sd[yv]
        cov[b, a] = cov[a, b] = rho
    blocks = [first[j][:, :1] if num[j] else first[j] for j in range(p)]
    IF = np.hstack([*blocks, *[first[j][:, 1:] for j in np.flatnonzero(num)], if_c])
    thresholds = [np.zeros(0) if num[j] else vars_[j].thresholds for j in range(p)]
    return OrdinalMoments(list(names), thresholds, cov, IF.T @ IF / n, n, num, mean)
