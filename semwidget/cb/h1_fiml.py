"""The unrestricted (h1) model under FIML: the ML mean vector and covariance matrix of data
with missing values, and their log-likelihood.

lavaan estimates them by EM. EM converges to the same maximum, but it crawls when much is
missing (hundreds of steps at 60 % missing cells, each a regression of the missing part of
every pattern on its observed part). Here EM starts from the pairwise-available moments (made
positive definite), takes a few SQUAREM-accelerated steps, and hands over to Newton's method on
the saturated log-likelihood in (mu, vech Sigma), whose exact Hessian comes from the same
batched pattern kernels as the model's observed information; a handful of Newton steps reach
the maximum. EM alone takes over again if a Newton step cannot be made (a Hessian that is not
positive definite, or no step that raises the likelihood), so the answer is EM's fixed point.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from semwidget.cb.estimate import vech_indices
from semwidget.cb.fiml_kernels import (
    em_constant,
    em_step,
    inverse_kron,
    loglik,
    moment_hessian,
    stacks,
)

#: Up to this many variables the saturated Hessian (p(p+3)/2 square, from the p^4 moment
#: Hessian) is cheap next to EM steps; beyond it EM runs alone.
MAX_P_NEWTON = 40

#: Newton's method takes over once a SQUAREM cycle (two or three EM steps) shrinks the change
#: by less than this factor: EM is then slow, while a Newton step costs about four EM steps.
SLOW_EM = 0.1


def pairwise_start(pats: Any, p: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Available-case means and pairwise-available covariances, made positive definite.

    The moments come from the patterns' summaries (each pair of variables from the rows where
    both are seen); the correlation matrix's eigenvalues are raised to a floor so that EM and
    Newton start inside the positive definite cone. None if a variable has no variance.
    """
    N = np.zeros((p, p))
    S1 = np.zeros((p, p))
    S2 = np.zeros((p, p))
    for st in stacks(pats, p):
        m = len(st.n)
        seen = np.zeros((m, p))
        np.put_along_axis(seen, st.idx, 1.0, axis=1)
        meanp = np.zeros((m, p))
        np.put_along_axis(meanp, st.idx, st.mean, axis=1)
        N += (st.n[:, None] * seen).T @ seen
        S1 += (st.n[:, None] * meanp).T @ seen  # S1[i, j]: sum of x_i where j is seen too
        S2 += em_constant(st, p)[1].reshape(p, p)  # the cross-product sums EM reuses
    with np.errstate(invalid="ignore", divide="ignore"):
        Ns = np.where(N > 0, N, 1.0)
        cov = np.where(N > 0, S2 / Ns - (S1 / Ns) * (S1.T / Ns), 0.0)
    mu = np.diag(S1) / np.diag(Ns)
    sd = np.sqrt(np.diag(cov))
    if not np.all(np.isfinite(sd)) or np.any(sd <= 0):
        return None
    R = cov / np.outer(sd, sd)
    R = 0.5 * (R + R.T)
    w, V = np.linalg.eigh(R)
    if w[0] < 1e-3:
        R = (V * np.maximum(w, 1e-3)) @ V.T
        d = np.sqrt(np.diag(R))
        R = R / np.outer(d, d)
    return mu, R * np.outer(sd, sd)


class _Squarem:
    """EM steps accelerated by SQUAREM (Varadhan & Roland, 2008, scheme S3).

    Two EM steps set a direction, an extrapolated point is taken along it and stabilised by
    one more EM step, and the plain two-step point is kept whenever the extrapolation would
    lower the likelihood. The state is ``x`` = (mu, vec Sigma).
    """

    def __init__(self, pats: Any, p: int, x: np.ndarray, tol: float) -> None:
        self.pats, self.p, self.x, self.tol = pats, p, x, tol
        self.n = sum(pt.n for pt in pats)
        self.ll = -np.inf
        self.used = 0
        self.converged = False

    def step(self, x: np.ndarray) -> np.ndarray:
        p = self.p
        m, S = em_step(self.pats, p, self.n, x[:p], x[p:].reshape(p, p))
        return np.concatenate([m, S.ravel()])

    def loglik(self, x: np.ndarray) -> float:
        p = self.p
        return loglik(self.pats, x[p:].reshape(p, p), x[:p])

    def run(self, max_steps: int) -> None:
        """SQUAREM cycles until converged or ``max_steps`` EM steps are used."""
        stop = self.used + max_steps
        x, tol = self.x, self.tol
        while self.used < stop:
            x1 = self.step(x)
            r = x1 - x
            if np.max(np.abs(r)) < tol:
                x, self.converged = x1, True
                break
            x2 = self.step(x1)
            self.used += 2
            v = x2 - x1 - r
            if np.max(np.abs(x2 - x1)) < tol:
                x, self.converged = x2, True
                break
            vv = float(v @ v)
            alpha = -math.sqrt(float(r @ r) / vv) if vv > 0 else -1.0
            alpha = min(alpha, -1.0)  # -1 is the plain two-step point
            best = x2
            if alpha < -1.0:
                try:
                    cand = self.step(x - 2 * alpha * r + alpha**2 * v)
                    self.used += 1
                    ll_c = self.loglik(cand)
                    if np.isfinite(ll_c) and ll_c >= self.ll:
                        best, self.ll = cand, ll_c
                except np.linalg.LinAlgError:
                    pass  # the extrapolated covariance was singular: keep the EM point
            if best is x2:
                self.ll = self.loglik(x2)
            x = best
        self.x = x

    def run_while_fast(self, rate: float, max_cycles: int = 100) -> None:
        """SQUAREM cycles while each shrinks the change by at least ``rate`` (or converged)."""
        last = math.inf
        for _ in range(max_cycles):
            x0 = self.x
            self.run(1)
            change = float(np.max(np.abs(self.x - x0)))
            if self.converged or change > rate * last:
                return
            last = change


def h1_information(pats: Any, sigma: np.ndarray, n: int) -> np.ndarray:
    """Expected information of the unrestricted model's (means, vech(Sigma)) under FIML.

    Each pattern contributes the complete-data information of its observed part, weighted by
    its share of the rows; lavaan weighs GFI with this matrix (at the implied moments).
    """
    p = sigma.shape[0]
    r, c = vech_indices(p)
    half = np.where(r == c, 0.5, 1.0)
    K, KAA, pair = inverse_kron(pats, sigma)
    W = np.zeros((p + len(r), p + len(r)))
    W[:p, :p] = K / n
    ra, rb, ca, cb = r[:, None], r[None, :], c[:, None], c[None, :]
    W[p:, p:] = (KAA[pair[ra, rb], pair[ca, cb]] + KAA[pair[ra, cb], pair[ca, rb]]
                 ) * np.outer(half, half) / n
    return W


def _vech_maps(p: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Lower-triangle pairs (r, c) in lavaan's order (that of :func:`h1_information`), their
    positions in vec Sigma both ways, and 1/2 on the diagonal (the duplication matrix's
    columns count a diagonal entry once)."""
    r, c = vech_indices(p)
    return r * p + c, c * p + r, np.where(r == c, 0.5, 1.0), np.stack([r, c])


def saturated_information(pats: Any, p: int, mu: np.ndarray, sig: np.ndarray
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Observed information (Hessian of ``-loglik``, summed over rows) of the saturated model
    in (mu; vech Sigma), lavaan's vech order, and the log-likelihood's gradient there.

    The Hessian in the implied moments (``fiml_kernels.moment_hessian``) maps to the free
    (mu, vech Sigma) by the duplication matrix; Sigma is linear in them, so there is no
    curvature term.
    """
    i1, i2, half, (r, c) = _vech_maps(p)
    W, X, K, gs, gm = moment_hessian(pats, sig, mu)
    Wm = W.reshape(p * p, p * p)
    Hs = (Wm[i1][:, i1] + Wm[i1][:, i2] + Wm[i2][:, i1] + Wm[i2][:, i2]) * np.outer(half, half)
    Xm = X.reshape(p * p, p)
    Xv = (Xm[i1] + Xm[i2]) * half[:, None]
    H = np.block([[K, Xv.T], [Xv, Hs]])
    return 0.5 * (H + H.T), np.concatenate([gm, (gs[r, c] + gs[c, r]) * half])


def _is_pd(sig: np.ndarray) -> bool:
    try:
        np.linalg.cholesky(sig)
    except np.linalg.LinAlgError:
        return False
    return True


def saturated_newton(pats: Any, p: int, mu: np.ndarray, sig: np.ndarray, *,
                     tol: float = 1e-10, max_iter: int = 50
                     ) -> tuple[np.ndarray, np.ndarray, bool]:
    """Newton's method for the saturated FIML log-likelihood in (mu, vech Sigma).

    The Hessian is :func:`saturated_information`. A backtracking line search keeps each step
    inside the positive definite cone and raising the likelihood. Returns the moments reached
    and whether the step size fell below ``tol`` (False: neither the Hessian nor the expected
    information was positive definite, or no step helped).
    """
    r, c = vech_indices(p)
    f = -loglik(pats, sig, mu)
    for _ in range(max_iter):
        H, g = saturated_information(pats, p, mu, sig)
        try:
            L = np.linalg.cholesky(H)
        except np.linalg.LinAlgError:
            # far from the maximum the observed Hessian can be indefinite: a Fisher-scoring
            # step (expected information, positive definite) instead
            try:
                L = np.linalg.cholesky(h1_information(pats, sig, 1))
            except np.linalg.LinAlgError:
                return mu, sig, False
        step = np.linalg.solve(L.T, np.linalg.solve(L, g))
        slope = float(g @ step)
        S = np.zeros((p, p))
        S[r, c] = step[p:]
        S[c, r] = step[p:]
        t = 1.0
        while t > 1e-4:
            cand_mu, cand_sig = mu + t * step[:p], sig + t * S
            # the observed blocks can stay positive definite while Sigma leaves the cone;
            # EM stays in it, so the maximum sought is inside it (or EM's, on its border)
            fc = -loglik(pats, cand_sig, cand_mu) if _is_pd(cand_sig) else np.inf
            if np.isfinite(fc) and fc <= f - 1e-4 * t * slope:
                break
            t *= 0.5
        else:
            # no decrease: at the maximum up to rounding, or stuck
            return mu, sig, bool(np.max(np.abs(step)) < 1e3 * tol)
        mu, sig, f = cand_mu, cand_sig, fc
        if np.max(np.abs(t * step)) < tol:
            return mu, sig, True
    return mu, sig, False


def em_saturated(pats: Any, p: int, start_mean: np.ndarray, start_cov: np.ndarray,
                 *, max_iter: int = 5000, tol: float = 1e-9
                 ) -> tuple[np.ndarray, np.ndarray, float]:
    """ML estimates of the unrestricted mean and covariance, and their log-likelihood.

    Starts from the pairwise-available moments when they are usable (else from
    ``start_mean``, ``start_cov``); SQUAREM EM cycles while they converge fast, then
    Newton's method (up to
    :data:`MAX_P_NEWTON` variables); EM to convergence (``tol`` on the largest change, at most
    ``max_iter`` steps) if Newton's method stops short.
    """
    start = pairwise_start(pats, p)  # positive definite, so every pattern's block is too
    mu0, sig0 = start if start is not None else (start_mean, start_cov)
    em = _Squarem(pats, p, np.concatenate([mu0, np.asarray(sig0).ravel()]), tol)
    if p <= MAX_P_NEWTON:
        em.run_while_fast(SLOW_EM)
    if not em.converged and p <= MAX_P_NEWTON:
        x = em.x
        sig = x[p:].reshape(p, p)
        mu, sig, ok = saturated_newton(pats, p, x[:p], 0.5 * (sig + sig.T))
        em.x = np.concatenate([mu, sig.ravel()])
        em.converged, em.ll = ok, loglik(pats, sig, mu)
    if not em.converged:
        em.run(max_iter)
    mu, sig = em.x[:p], em.x[p:].reshape(p, p)
    sig = 0.5 * (sig + sig.T)
    return mu, sig, loglik(pats, sig, mu)
