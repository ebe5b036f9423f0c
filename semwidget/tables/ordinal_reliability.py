"""Reliability of sum scores of ordinal items (Green & Yang, 2009), as semTools computes it.

For items fitted as ordinal, the reliability of the *observed* sum score is the share of its
variance due to the common factor, with each item's score ``X_j = sum_c 1(y*_j > tau_jc)``:

``cov(X_j, X_l) = sum_c sum_d [Phi2(tau_jc, tau_ld; r_jl) - Phi(tau_jc) Phi(tau_ld)]``

with ``r_jl`` the common part ``lambda_j lambda_l psi`` (numerator) or the total correlation
of the latent responses (denominator: the sample polychorics, or the model-implied ones).
This is semTools' ``compRelSEM(fit)`` (``ord.scale = TRUE``) for ordered indicators; α is
Cronbach's α of the item scores, as ``compRelSEM(fit, tau.eq = TRUE)``.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from semwidget.cb.polychoric import bvn_cdf


def _score_cov(ta: np.ndarray, tb: np.ndarray, r: float) -> float:
    joint = bvn_cdf(ta[:, None], tb[None, :], r)
    return float(np.sum(joint - special.ndtr(ta)[:, None] * special.ndtr(tb)[None, :]))


def omega_ordinal(thresholds: list[np.ndarray], common: np.ndarray, total: np.ndarray
                  ) -> float:
    """Green & Yang's ω of the sum of ordinal item scores.

    Parameters
    ----------
    thresholds : list of ndarray
        Each item's thresholds on the latent-response scale.
    common : ndarray
        ``Lambda Psi Lambda'`` of the items (the common part of their correlations).
    total : ndarray
        The latent responses' correlation matrix (unit diagonal).
    """
    k = len(thresholds)
    num = den = 0.0
    for j in range(k):
        for m in range(k):
            num += _score_cov(thresholds[j], thresholds[m], float(common[j, m]))
            den += _score_cov(thresholds[j], thresholds[m], float(total[j, m]))
    return num / den
