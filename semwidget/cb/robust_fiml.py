"""MLR with missing data (FIML): Huber-White standard errors and the Yuan-Bentler test.

Under FIML the sandwich is built from case scores of the observed-data log-likelihood: each case
contributes through the moments of its observed variables. ``B = mean(s_i s_i')`` is the
first-order information, ``A`` the observed information (Hessian). The Yuan-Bentler (Mplus)
scaling factor is ``[tr(A1^-1 B1) - tr(A0^-1 B0)] / df``, with 1 the unrestricted (EM) model and
0 the fitted one, as lavaan computes it for ``estimator = "MLR", missing = "ml"``. The robust
CFI/TLI/RMSEA are the FIML-corrected ones (Zhang & Savalei), see :func:`corrected_robust`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from semwidget.cb import estimate as cbsem
from semwidget.cb import robust
from semwidget.cb.blocks import block_diag
from semwidget.cb.ram import Implied, RAMModel
from semwidget.distributions import chi2_sf
from semwidget.errors import ModelSpecError

#: Fit measures lavaan defines differently for MLR with missing data (see :func:`apply`).
FIML_NOT_COMPUTED = ("gfi", "agfi")


def case_scores(X: np.ndarray, sigma: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Scores of each case's log-likelihood in ``(mu; vech Sigma)`` (lavaan's vech order).

    For a case with observed variables ``o``: ``d/d mu_o = K e`` and ``d/d Sigma_oo =
    (K e e' K - K) / 2`` (``K = Sigma_oo^-1``, ``e = x_o - mu_o``); an off-diagonal element of
    vech counts both of its mirror images.
    """
    n, p = X.shape
    r, c = cbsem.vech_indices(p)
    out = np.zeros((n, p + len(r)))
    mask = ~np.isnan(X)
    keys, inverse = np.unique(mask, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    for k, key in enumerate(keys):
        rows = np.flatnonzero(inverse == k)
        o = np.flatnonzero(key)
        if len(o) == 0:
            continue
        K = np.linalg.inv(sigma[np.ix_(o, o)])
        ke = (X[np.ix_(rows, o)] - mu[o]) @ K
        out[np.ix_(rows, o)] = ke
        pos = np.full(p, -1)
        pos[o] = np.arange(len(o))
        sel = np.flatnonzero((pos[r] >= 0) & (pos[c] >= 0))
        a, b = pos[r[sel]], pos[c[sel]]
        G = 0.5 * (ke[:, a] * ke[:, b] - K[a, b])
        out[np.ix_(rows, p + sel)] = np.where(a == b, 1.0, 2.0) * G
    return out


def weighted_scores(X: np.ndarray, sigma: np.ndarray, mu: np.ndarray,
                    weights: np.ndarray | None) -> np.ndarray:
    """:func:`case_scores`, each case's row times its sampling weight (if any)."""
    s = case_scores(X, sigma, mu)
    return s if weights is None else s * weights[:, None]


def _vech_moments(v: np.ndarray, p: int) -> tuple[np.ndarray, np.ndarray]:
    r, c = cbsem.vech_indices(p)
    mu = v[:p]
    sig = np.zeros((p, p))
    sig[r, c] = v[p:]
    sig[c, r] = v[p:]
    return mu, sig


def moment_information(X: np.ndarray, sigma: np.ndarray, mu: np.ndarray,
                       weights: np.ndarray | None = None) -> np.ndarray:
    """Observed information of the unrestricted model in ``(mu; vech Sigma)`` per case.

    Central differences of the mean (weighted: sum of weighted / N) case score, analytic.
    """
    n, p = X.shape
    r, c = cbsem.vech_indices(p)
    v0 = np.concatenate([mu, sigma[r, c]])
    k = len(v0)
    A = np.zeros((k, k))
    for j in range(k):
        h = 1e-5 * max(1.0, abs(v0[j]))
        vp, vm = v0.copy(), v0.copy()
        vp[j] += h
        vm[j] -= h
        mp, sp = _vech_moments(vp, p)
        mm, sm = _vech_moments(vm, p)
        A[:, j] = -(weighted_scores(X, sp, mp, weights).mean(axis=0)
                    - weighted_scores(X, sm, mm, weights).mean(axis=0)) / (2.0 * h)
    return 0.5 * (A + A.T)


def _jacobian(model: RAMModel, theta: np.ndarray, imp: Implied) -> np.ndarray:
    p = model.n_obs
    r, c = cbsem.vech_indices(p)
    dsig, dmu = model.jacobian(theta, imp)
    return np.vstack([dmu.T, dsig[:, r, c].T])


def _inv(M: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.inv(M)
    except np.linalg.LinAlgError as err:
        raise ModelSpecError("the information matrix is singular: robust standard errors "
                             "cannot be computed (is the model identified?)") from err


def _check_options(se: str, test: str) -> None:
    if se == "robust.sem":
        raise ModelSpecError("se='robust.sem' needs complete data; with missing='fiml' use "
                             "se='robust.huber.white' (estimator='MLR')")
    if test not in ("standard", "yuan.bentler.mplus"):
        raise ModelSpecError(f"test='{test}' needs complete data; with missing='fiml' use "
                             "test='yuan.bentler.mplus' (estimator='MLR')")


def _yb_trace(X: np.ndarray, sig1: np.ndarray, mu1: np.ndarray, J: np.ndarray,
              sig0: np.ndarray, mu0: np.ndarray, H0: np.ndarray,
              weights: np.ndarray | None = None, keep: np.ndarray | None = None) -> float:
    s1 = weighted_scores(X, sig1, mu1, weights)
    A1 = moment_information(X, sig1, mu1, weights)
    if keep is not None:
        s1, A1 = s1[:, keep], A1[np.ix_(keep, keep)]
    t_h1 = float(np.trace(_inv(A1) @ (s1.T @ s1 / len(X))))
    s0 = weighted_scores(X, sig0, mu0, weights) @ J
    t_h0 = float(np.trace(_inv(H0) @ (s0.T @ s0 / len(X))))
    return t_h1 - t_h0


def apply(se: str, test: str, model: RAMModel, theta: np.ndarray, imp: Implied,
          X: np.ndarray, H0: np.ndarray, sig1: np.ndarray, mu1: np.ndarray,
          measures: dict[str, float], weights: np.ndarray | None = None,
          xi: Sequence[int] = ()) -> tuple[np.ndarray | None, dict[str, float]]:
    """Robust SEs and the Yuan-Bentler (Mplus) test of a FIML fit.

    ``H0`` is the per-case observed information of the fitted model, ``(sig1, mu1)`` the EM
    estimates of the unrestricted model; ``weights`` the sampling weights (summing to N)
    of the rows of ``X``, which weight the case scores. Returns the sandwich covariance
    (``None`` unless ``se="robust.huber.white"``) and the measures with the scaled ones
    added.

    Raises
    ------
    ModelSpecError
        For options lavaan refuses with missing data (``robust.sem``, Satorra-Bentler, the
        scaled-shifted test), naming the option.
    """
    return apply_groups(se, test, [model], theta, [imp], [X], H0, [(sig1, mu1)], measures,
                        [weights], xi)


def _complete_chisq(n: int, sig: np.ndarray, mu: np.ndarray, S: np.ndarray, m: np.ndarray
                    ) -> float:
    """The complete-data ML statistic of implied ``(sig, mu)`` against moments ``(S, m)``."""
    d = m - mu
    inv = np.linalg.inv(sig)
    _, ld_sig = np.linalg.slogdet(sig)
    _, ld_s = np.linalg.slogdet(S)
    return float(n * (ld_sig - ld_s + np.trace(inv @ S) + d @ inv @ d - len(S)))


def corrected_robust(
        Xs: list[np.ndarray], h1: list[tuple[np.ndarray, np.ndarray]],
        model: tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, float],
        base: tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, float],
        weights: list[np.ndarray | None] | None = None, keep: np.ndarray | None = None
        ) -> dict[str, float]:
    """Robust CFI, TLI, RNI and RMSEA under FIML: Zhang & Savalei's FIML-corrected version
    ("V3"), as lavaan 0.6.14 computes them for a scaled test.

    The model (and the baseline), at its FIML estimate, is tested as if the EM moments were
    complete-data moments (``T3``, summed over groups); its expected value ``c3 df`` comes
    from ``tr(U Wm^-1 Wc Wm^-1 U Gamma)`` with ``Wm`` the observed-data and ``Wc`` the
    complete-data h1 information at the EM moments, ``Gamma = Wm^-1 Jm Wm^-1`` (``Jm`` the
    first-order information) and ``U = Wm - Wm Delta (Delta' Wm Delta)^-1 Delta' Wm``. Over
    groups the blocks are weighted by ``f_g = n_g / N`` (``Wm``, ``Wc`` times ``f_g``,
    ``Gamma`` over it) and the RMSEA is times ``sqrt(G)``. Each tuple is ``(the groups'
    implied (sigma, mu), Delta stacked over the groups' moments, df)``; ``weights``: each
    group's sampling weights (or None); ``keep``: the moments modelled (not those among
    fixed covariates), the same in every group.
    """
    ws = weights if weights is not None else [None] * len(Xs)
    ns = np.array([len(X) for X in Xs], dtype=float)
    n = int(ns.sum())
    f = ns / n
    Wm, Wmi, Wc, G = [], [], [], []
    for X, (sig1, mu1), fg, w in zip(Xs, h1, f, ws, strict=True):
        k = np.ones(X.shape[1] * (X.shape[1] + 3) // 2, bool) if keep is None else keep
        A = moment_information(X, sig1, mu1, w)[np.ix_(k, k)]
        s1 = weighted_scores(X, sig1, mu1, w)[:, k]
        Ai = _inv(A)
        Wm.append(fg * A)
        Wmi.append(Ai / fg)
        Wc.append(fg * robust._vech_block(sig1, True)[np.ix_(k, k)])
        G.append(Ai @ (s1.T @ s1 / len(X)) @ Ai / fg)
    Wm_all, Wmi_all = block_diag(*Wm), block_diag(*Wmi)
    M = Wmi_all @ block_diag(*Wc) @ Wmi_all
    G_all = block_diag(*G)
    out = []
    for implied, D, dof in (model, base):
        WD = Wm_all @ D
        U = Wm_all - WD @ _inv(D.T @ WD) @ WD.T
        k = float(np.trace(U @ M @ U @ G_all))
        t3 = sum(_complete_chisq(len(X), sig, mu, sig1, mu1)
                 for X, (sig, mu), (sig1, mu1) in zip(Xs, implied, h1, strict=True))
        out.append((t3, dof, k / dof if dof > 0 else np.nan))
    (t3, df3, c3), (t3b, df3b, c3b) = out
    cfi, tli, rni = robust.incremental_indices(t3, df3, t3b, df3b, c3, c3b)
    groups = len(Xs)
    point = robust.rmsea_block(t3, df3, n, c3, groups)[0]
    _, lo, hi, pclose = robust.rmsea_block(t3 / c3, df3, n, c3, groups)
    return {"cfi_robust": cfi, "tli_robust": tli, "nnfi_robust": tli, "rni_robust": rni,
            "rmsea_robust": point, "rmsea_ci_lower_robust": lo, "rmsea_ci_upper_robust": hi,
            "rmsea_pvalue_robust": pclose}


def _modelled(p: int, xi: Sequence[int]) -> np.ndarray:
    """Which of ``(mu; vech Sigma)`` are modelled: not the means and (co)variances among the
    fixed covariates ``xi``."""
    r, c = cbsem.vech_indices(p)
    is_x = np.isin(np.arange(p), list(xi))
    return np.concatenate([~is_x, ~(is_x[r] & is_x[c])])


def _baseline(X: np.ndarray, weights: np.ndarray | None = None, xi: Sequence[int] = ()
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The baseline's FIML estimate (each variable's (weighted) mean and variance of its
    observed values; the fixed covariates ``xi`` keep their sample covariances), its
    Jacobian over ``(mu; vech Sigma)`` (free: the other variables' means and variances) and
    its per-case observed information."""
    p = X.shape[1]
    if weights is None:
        mu_b = np.nanmean(X, axis=0)
        sig_b = np.diag(np.nanvar(X, axis=0))
    else:
        seen = ~np.isnan(X)
        ww = np.where(seen, weights[:, None], 0.0)
        Xz = np.where(seen, X, 0.0)
        mu_b = (ww * Xz).sum(axis=0) / ww.sum(axis=0)
        sig_b = np.diag((ww * (Xz - mu_b) ** 2).sum(axis=0) / ww.sum(axis=0))
    if len(xi) > 1:
        # fixed covariates are complete (rows missing one were dropped): their sample block
        x = list(xi)
        w = np.ones(len(X)) if weights is None else weights
        dx = X[:, x] - mu_b[x]
        sig_b[np.ix_(x, x)] = (dx * w[:, None]).T @ dx / w.sum()
    r, c = cbsem.vech_indices(p)
    Jb = np.zeros((p + len(r), 2 * p))
    Jb[np.arange(p), np.arange(p)] = 1.0
    for j in range(p):
        Jb[p + np.flatnonzero((r == j) & (c == j))[0], p + j] = 1.0
    free = ~np.isin(np.arange(2 * p) % p, list(xi))
    Jb = Jb[:, free]
    return mu_b, sig_b, Jb, Jb.T @ moment_information(X, sig_b, mu_b, weights) @ Jb


def apply_groups(se: str, test: str, models: list[RAMModel], theta: np.ndarray,
                 imps: list[Implied], Xs: list[np.ndarray], H: np.ndarray,
                 h1: list[tuple[np.ndarray, np.ndarray]], measures: dict[str, float],
                 weights: list[np.ndarray | None] | None = None, xi: Sequence[int] = ()
                 ) -> tuple[np.ndarray | None, dict[str, float]]:
    """:func:`apply` over groups (MLR with FIML and ``group=``).

    ``H`` is the observed information of the summed log-likelihood per case (over the total
    N), ``h1`` each group's EM ``(sigma, mu)``. The first-order information is the groups'
    case scores over N; the Yuan-Bentler h1 trace adds up over the groups, and so does the
    baseline's (its parameters are each group's own). ``weights``: each group's sampling
    weights (or None), which weight the case scores; ``xi``: the fixed covariates
    (fixed.x), whose moments are not modelled and leave the h1 and baseline traces, as lavaan.
    """
    _check_options(se, test)
    ws = weights if weights is not None else [None] * len(Xs)
    n = sum(len(X) for X in Xs)
    Js = [_jacobian(m, theta, imp) for m, imp in zip(models, imps, strict=True)]
    s0 = [weighted_scores(X, imp.sigma, imp.mu, w) @ J
          for X, imp, J, w in zip(Xs, imps, Js, ws, strict=True)]
    B0 = sum(s.T @ s for s in s0) / n
    Hi = _inv(H)
    vcov = Hi @ B0 @ Hi / n if se == "robust.huber.white" else None
    if test != "yuan.bentler.mplus":
        return vcov, measures
    T, df = measures["chisq"], measures["df"]
    t_h1 = 0.0
    keep = _modelled(Xs[0].shape[1], xi)
    kk = np.ix_(keep, keep)
    for X, (sig1, mu1), w in zip(Xs, h1, ws, strict=True):
        s1 = weighted_scores(X, sig1, mu1, w)[:, keep]
        t_h1 += float(np.trace(_inv(moment_information(X, sig1, mu1, w)[kk])
                               @ (s1.T @ s1 / len(X))))
    model_test = _test(T, df, t_h1 - float(np.trace(Hi @ B0)))
    bases = [_baseline(X, w, xi) for X, w in zip(Xs, ws, strict=True)]
    b_trace = sum(_yb_trace(X, sig1, mu1, Jb, sig_b, mu_b, Hb, w, keep)
                  for X, (sig1, mu1), (mu_b, sig_b, Jb, Hb), w
                  in zip(Xs, h1, bases, ws, strict=True))
    Tb, b_df = measures["baseline_chisq"], measures["baseline_df"]
    base_test = _test(Tb, b_df, b_trace)
    scaled = robust.scaled_measures(model_test, base_test, T, df, Tb, b_df, n, len(Xs))
    scaled.update(corrected_robust(
        Xs, h1, ([(imp.sigma, imp.mu) for imp in imps], np.vstack([J[keep] for J in Js]), df),
        ([(b[1], b[0]) for b in bases], block_diag(*[b[2][keep] for b in bases]),
         b_df), ws, keep))
    for key in FIML_NOT_COMPUTED:
        scaled.pop(key, None)
        measures.pop(key, None)
    return vcov, {**measures, **scaled}


def _test(T: float, df: float, trace: float) -> robust.ScaledTest:
    c = trace / df
    return robust.ScaledTest("yuan.bentler.mplus", T / c, df, float(chi2_sf(T / c, df)),
                             c, trace_ug=trace)
