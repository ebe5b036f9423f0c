"""Ordinal indicators: least squares on thresholds and polychoric correlations (WLSMV & co).

Each ordinal indicator is a cut continuous response ``y*``; the sample statistics are the
thresholds and the polychoric correlations (:mod:`semwidget.cb.polychoric`), and the model is
fitted to them by weighted least squares, as lavaan does:

- ``DWLS`` (diagonal weight ``diag(Gamma)^-1``), ``WLS`` (``Gamma^-1``), ``ULS`` (identity);
  ``WLSMV`` / ``ULSMV`` are DWLS / ULS with robust standard errors and the scaled-and-shifted
  test, lavaan's defaults with ordered data;
- the *delta* parameterization (lavaan's default): ``var(y*) = 1``, so the residual variances
  of the ordinal indicators are not parameters but ``1 - (model-implied common variance)``;
  the *theta* parameterization: residual variances fixed to 1 and the implied thresholds and
  correlations rescaled by the implied standard deviations.

The parameter vector is the RAM model's free parameters followed by the free thresholds; the
moment vector is ``(thresholds; correlations below the diagonal)``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from semwidget.cb import estimate as cbsem
from semwidget.cb import measures as fm
from semwidget.cb import robust
from semwidget.cb.polychoric import OrdinalMoments, below_diagonal
from semwidget.cb.ram import RAMModel
from semwidget.distributions import chi2_sf
from semwidget.errors import ModelSpecError

PARAMETERIZATIONS = ("delta", "theta")
_THRESHOLD = re.compile(r"t([1-9][0-9]*)")


@dataclass
class Thresholds:
    """The threshold rows: one per (variable, threshold), free or fixed, with labels."""

    var: list[int]        # index of the ordinal variable (in the model's observed order)
    k: list[int]          # 0-based threshold number
    free: np.ndarray      # bool
    value: np.ndarray     # fixed value, or the start value when free
    label: list[str]

    @property
    def n_free(self) -> int:
        return int(self.free.sum())


def threshold_rows(user: pd.DataFrame, ov: list[str], om: OrdinalMoments) -> Thresholds:
    """Thresholds from the sample (free, starting at the sample values) and the user's rows.

    Raises
    ------
    ModelSpecError
        If a ``|`` row names a continuous variable or a threshold the data do not have.
    """
    pos = {v: j for j, v in enumerate(ov)}
    num = om.numeric_mask
    ord_pos = {v: j for j, v in enumerate(om.names) if not num[j]}
    written: dict[tuple[str, int], tuple[float, bool, str]] = {}
    for r in user[user["op"] == "|"].itertuples(index=False):
        m = _THRESHOLD.fullmatch(str(r.rhs))
        if r.lhs not in ord_pos:
            raise ModelSpecError(f"'{r.lhs} | {r.rhs}': thresholds belong to ordered "
                                 f"variables, and '{r.lhs}' is not one (list it in ordered=)",
                                 name=str(r.lhs))
        k_max = len(om.thresholds[ord_pos[r.lhs]])
        if m is None or int(m.group(1)) > k_max:
            raise ModelSpecError(f"'{r.lhs} | {r.rhs}': '{r.lhs}' has thresholds t1..t{k_max} "
                                 f"in the data ({k_max + 1} categories)", name=str(r.lhs))
        fixed = int(r.free) == 0
        written[(r.lhs, int(m.group(1)) - 1)] = (float(r.ustart), not fixed, str(r.label))
    var, ks, free, value, label = [], [], [], [], []
    for v, th in zip(om.names, om.thresholds, strict=True):
        for k, t in enumerate(th):
            ustart, is_free, lab = written.get((v, k), (math.nan, True, ""))
            var.append(pos[v])
            ks.append(k)
            free.append(is_free)
            value.append(t if (is_free and math.isnan(ustart)) else ustart)
            label.append(lab)
    return Thresholds(var, ks, np.array(free), np.array(value, dtype=float), label)


class CategoricalModel:
    """Implied moments ``(thresholds or means; numeric variances; correlations)`` and their
    Jacobian. Numeric variables (not in ``ordinal``) keep their scale: their means, variances
    and covariances are fitted as they are."""

    def __init__(self, ram: RAMModel, th: Thresholds, ordinal: list[int],
                 parameterization: str) -> None:
        self.ram = ram
        self.th = th
        self.ordinal = np.asarray(ordinal, dtype=np.int64)
        self.theta_param = parameterization == "theta"
        self.n_ram = ram.n_par
        self.n_par = ram.n_par + th.n_free
        p = ram.n_obs
        self.rows, self.cols = below_diagonal(p)
        is_num = np.ones(p, dtype=bool)
        is_num[self.ordinal] = False
        self.numeric = np.flatnonzero(is_num)
        # lavaan interleaves each variable's thresholds or mean in the variables' order
        owner = np.concatenate([np.asarray(th.var, dtype=np.int64), self.numeric])
        self.first_order = np.argsort(owner, kind="stable")

    def split(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        tau = self.th.value.copy()
        tau[self.th.free] = theta[self.n_ram:]
        return theta[: self.n_ram], tau

    def sigma(self, theta_ram: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Implied covariance of ``y*`` and its derivatives (delta: unit diagonal)."""
        sig, dsig, _, _ = self.moments(theta_ram)
        return sig, dsig

    def moments(self, theta_ram: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`sigma`, and the implied means and their derivatives."""
        imp = self.ram.implied(theta_ram)
        dsig, dmu = self.ram.jacobian(theta_ram, imp)
        sig = imp.sigma.copy()
        if not self.theta_param:
            # delta: residual variances make var(y*) = 1, so the diagonal has no derivative
            o = self.ordinal
            sig[o, o] = 1.0
            dsig = dsig.copy()
            dsig[:, o, o] = 0.0
        return sig, dsig, imp.mu, dmu

    def implied(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The moment vector and its Jacobian (``k x n_par``)."""
        t_ram, tau = self.split(theta)
        sig, dsig, mu, dmu = self.moments(t_ram)
        num = self.numeric
        # y* of an ordinal variable is scaled by its implied SD; a numeric one is not scaled
        sd = np.sqrt(np.diag(sig))
        sd[num] = 1.0
        r, c = self.rows, self.cols
        rho = sig[r, c] / (sd[r] * sd[c])
        # d rho = d s_rc / (sd_r sd_c) - rho / 2 (d s_rr / s_rr + d s_cc / s_cc)
        dvar_all = np.diagonal(dsig, axis1=1, axis2=2)  # (q, p)
        dvar = dvar_all.copy()
        dvar[:, num] = 0.0
        drho = dsig[:, r, c] / (sd[r] * sd[c]) - 0.5 * rho * (
            dvar[:, r] / sd[r] ** 2 + dvar[:, c] / sd[c] ** 2)
        var = np.asarray(self.th.var)
        tau_s = tau / sd[var]
        dtau_ram = -0.5 * tau[None, :] * dvar[:, var] / sd[var][None, :] ** 3
        n_th, n_num = len(tau), len(num)
        n_first = n_th + 2 * n_num
        J = np.zeros((n_first + len(r), self.n_par))
        J[:n_th, : self.n_ram] = dtau_ram.T
        J[np.flatnonzero(self.th.free), self.n_ram + np.arange(self.th.n_free)] = \
            1.0 / sd[var][self.th.free]
        J[n_th: n_th + n_num, : self.n_ram] = dmu[:, num].T
        J[: n_th + n_num] = J[: n_th + n_num][self.first_order]
        J[n_th + n_num: n_first, : self.n_ram] = dvar_all[:, num].T
        J[n_first:, : self.n_ram] = drho.T
        first = np.concatenate([tau_s, mu[num]])[self.first_order]
        return np.concatenate([first, sig[num, num], rho]), J


@dataclass
class CategoricalFit:
    theta: np.ndarray
    fmin: float
    converged: bool
    iterations: int
    vcov: np.ndarray | None
    measures: dict[str, float]
    sigma: np.ndarray


def weight(om: OrdinalMoments, how: str) -> np.ndarray:
    """The estimator's weight over the moment vector."""
    if how == "DWLS":
        return np.diag(1.0 / np.diag(om.gamma))
    if how == "WLS":
        try:
            return np.linalg.inv(om.gamma)
        except np.linalg.LinAlgError as err:
            raise ModelSpecError("estimator='WLS' needs an invertible asymptotic covariance "
                                 "of the polychorics; use WLSMV (DWLS)") from err
    return np.eye(len(om.gamma))


def fit(model: CategoricalModel, om: OrdinalMoments, how: str, theta0: np.ndarray, *,
        max_iter: int = 300, tol: float = 1e-10) -> tuple[np.ndarray, float, bool, int]:
    """Gauss-Newton with step halving on ``F = (s - m)' W (s - m)``."""
    s = om.vector
    W = weight(om, how)
    theta = theta0.copy()

    def objective(t: np.ndarray) -> float:
        m, _ = model.implied(t)
        e = s - m
        return float(e @ W @ e)

    f = objective(theta)
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - iteration count reported
        m, J = model.implied(theta)
        e = s - m
        step = np.linalg.lstsq(J.T @ W @ J, J.T @ W @ e, rcond=None)[0]
        t = 1.0
        while True:
            cand = theta + t * step
            try:
                f_c = objective(cand)
            except np.linalg.LinAlgError:
                f_c = math.inf
            if np.isfinite(f_c) and f_c <= f + 1e-15:
                break
            t *= 0.5
            if t < 1e-10:
                break
        if t < 1e-10:
            converged = bool(np.max(np.abs(J.T @ W @ e)) < 1e-7)
            break
        theta, f = cand, f_c
        if np.max(np.abs(t * step) / np.maximum(1.0, np.abs(theta))) < tol:
            converged = True
            break
    return theta, f, converged, it


def standard_errors(model: CategoricalModel, om: OrdinalMoments, how: str, se: str,
                    theta: np.ndarray) -> tuple[np.ndarray, robust.Moments]:
    """``(J'WJ)^-1 / N`` (standard) or the sandwich with ``Gamma`` (robust.sem)."""
    _, J = model.implied(theta)
    W = weight(om, how)
    Ai = inverse_information(J.T @ W @ J)
    # lavaan scales least-squares fits by N - 1 (standard errors and the test statistic)
    if se == "robust.sem":
        vcov = Ai @ (J.T @ W @ om.gamma @ W @ J) @ Ai / (om.n - 1)
    else:
        vcov = Ai / (om.n - 1)
    keep = np.ones(len(W), dtype=bool)
    return vcov, robust.Moments(J, W, W, om.gamma, np.zeros(len(W)), keep, om.gamma)


def inverse_information(A: np.ndarray) -> np.ndarray:
    """``A^-1`` of the least-squares information ``J' W J``.

    Raises
    ------
    ModelSpecError
        If it is singular (the model is not identified).
    """
    try:
        return np.linalg.inv(A)
    except np.linalg.LinAlgError as err:
        raise ModelSpecError("the model is not identified: the information matrix of the "
                             "thresholds and correlations is singular") from err


def fit_measures(model: CategoricalModel, om: OrdinalMoments, how: str, test: str,
                 theta: np.ndarray, fmin: float, rm: robust.Moments) -> dict[str, float]:
    """Fit measures as lavaan reports them for categorical data (standard and scaled)."""
    n = om.n
    k = len(om.vector)
    npar = model.n_par
    df = k - npar
    chisq = max((n - 1) * fmin, 0.0)
    out: dict[str, float] = {"npar": float(npar), "ntotal": float(n), "chisq": chisq,
                             "df": float(df)}
    out["pvalue"] = float(chi2_sf(chisq, df)) if df > 0 else math.nan
    out["chisq_df"] = chisq / df if df > 0 else math.nan
    # baseline: thresholds (and numeric means and variances) free, correlations zero
    n_th = om.n_first
    W = rm.w
    # the thresholds are the baseline's parameters: with a full weight they do not fit
    # exactly, so project them out (for DWLS and ULS this leaves the correlations' part)
    Jb = baseline_jacobian(k, n_th)
    b_chisq = baseline_chisq(om, W)
    b_df = k - n_th
    out["baseline_chisq"] = b_chisq
    out["baseline_df"] = float(b_df)
    out["baseline_pvalue"] = float(chi2_sf(b_chisq, b_df)) if b_df > 0 else math.nan
    if how == "ULS":
        # an unweighted statistic has no chi-square reference distribution: lavaan gives NA
        out["pvalue"] = out["baseline_pvalue"] = math.nan
    out.update(fm.incremental(chisq, df, b_chisq, b_df))
    out.update(fm.rmsea_measures(chisq, df, n - 1))
    m, _ = model.implied(theta)
    out.update(residual_measures(om, m))
    if test in robust.SCALED_TESTS:
        model_test = robust.scaled_test(test, chisq, df, rm, None)
        base = robust.Moments(Jb, W, W, om.gamma, np.zeros(k), rm.keep, om.gamma)
        base_test = robust.scaled_test(test, b_chisq, b_df, base, None)
        scaled = robust.scaled_measures(model_test, base_test, chisq, df, b_chisq, b_df, n - 1)
        for key in [k_ for k_ in scaled if k_.endswith("_robust")]:
            scaled.pop(key)
        out.update(scaled)
        if om.numeric_mask.any():
            # lavaan has no cat-ML robust indices with numeric variables in the model: NA
            out.update(dict.fromkeys(CATML_KEYS, math.nan))
        else:
            out.update(catml_robust(model, om, theta, rm, df, b_df, n_th))
    return out


def baseline_chisq(om: OrdinalMoments, W: np.ndarray) -> float:
    """The baseline's chi-square: thresholds (and numeric moments) free, correlations 0;
    with a full weight the thresholds do not fit exactly, so they are projected out."""
    k, n_th = len(om.vector), om.n_first
    Jb = baseline_jacobian(k, n_th)
    e0 = np.concatenate([np.zeros(n_th), om.vector[n_th:]])
    WJ = W @ Jb
    g = WJ.T @ e0
    return float((om.n - 1) * (e0 @ W @ e0 - g @ np.linalg.solve(Jb.T @ WJ, g)))


def baseline_jacobian(k: int, n_th: int) -> np.ndarray:
    """The baseline model's Jacobian over the moment vector: its parameters are the first
    ``n_th`` moments (thresholds, numeric means and variances), the correlations are 0."""
    Jb = np.zeros((k, n_th))
    Jb[np.arange(n_th), np.arange(n_th)] = 1.0
    return Jb


CATML_KEYS = ("cfi_robust", "tli_robust", "nnfi_robust", "rni_robust", "rmsea_robust",
               "rmsea_ci_lower_robust", "rmsea_ci_upper_robust", "rmsea_pvalue_robust")


def residual_measures(om: OrdinalMoments, m: np.ndarray) -> dict[str, float]:
    """SRMR and RMR as lavaan computes them for categorical data: residuals of the
    correlations (numeric covariances scaled by the sample SDs for SRMR, raw for RMR) over
    ``p (p + 1) / 2`` elements, the diagonal counted as fitting exactly; RMR adds the
    thresholds (not the numeric means)."""
    p = len(om.names)
    n_first = om.n_first
    r, c = below_diagonal(p)
    resid = (om.vector - m)[n_first:]
    sd = np.sqrt(np.diag(om.cor))
    n_el = p * (p + 1) / 2
    is_th = np.concatenate([np.ones(len(t)) if len(t) else np.zeros(1)
                            for t in om.thresholds]).astype(bool)
    first = (om.vector - m)[: len(is_th)][is_th]
    return {"srmr": float(np.sqrt(np.sum((resid / (sd[r] * sd[c])) ** 2) / n_el)),
            "rmr": float(np.sqrt((np.sum(resid**2) + np.sum(first**2)) /
                                 (n_el + len(first))))}


def catml_robust(model: CategoricalModel, om: OrdinalMoments, theta: np.ndarray,
                 rm: robust.Moments, df: float, b_df: float, n_th: int) -> dict[str, float]:
    """Robust CFI, TLI and RMSEA for ordinal data (Savalei, 2021), as lavaan computes them.

    The polychoric matrix is treated as a covariance matrix fitted by ML at the least-squares
    estimates ("cat-ML"): its chi-square ``T3`` and the baseline's, each with the expected
    value ``c3 df`` of that statistic under the least-squares sampling distribution,
    ``c3 = tr(U' V U Gamma) / df`` with ``V`` the normal-theory weight of the correlations and
    ``U = I - Delta E^-1 Delta' W`` the least-squares residual projector.
    """
    parts = catml_parts(model, om, theta, rm, n_th)
    if parts is None:
        return {}
    t3, t3_null, tr, tr_null = parts
    # lavaan uses N - 1 for least-squares fits
    return catml_indices(t3, t3_null, tr, tr_null, df, b_df, om.n - 1)


def catml_indices(t3: float, t3_null: float, tr: float, tr_null: float, df: float,
                  b_df: float, n: int, groups: int = 1) -> dict[str, float]:
    """Robust CFI, TLI, RNI and RMSEA from the cat-ML statistics and traces
    (:func:`catml_parts`; over groups their sums), ``n`` the RMSEA's sample size."""
    c3 = tr / df if df > 0 else math.nan
    c3_null = tr_null / b_df
    cfi, tli, rni = robust.incremental_indices(t3, df, t3_null, b_df, c3, c3_null)
    out = {"cfi_robust": cfi, "tli_robust": tli, "nnfi_robust": tli, "rni_robust": rni}
    if df > 0:
        # the point from T3 with its expected value c3 df, the interval from T3 / c3
        point = robust.rmsea_block(t3, df, n, c3, groups=groups)[0]
        _, lo, hi, pclose = robust.rmsea_block(t3 / c3, df, n, c3, groups=groups)
        out.update(rmsea_robust=point, rmsea_ci_lower_robust=lo, rmsea_ci_upper_robust=hi,
                   rmsea_pvalue_robust=pclose)
    return out


def start(model: CategoricalModel, om: OrdinalMoments, user_start: np.ndarray) -> np.ndarray:
    """RAM starts from the polychoric matrix, thresholds at their sample values."""
    t_ram = cbsem.start_values(model.ram, om.cor, user_start)
    return np.concatenate([t_ram, model.th.value[model.th.free]])


def catml_parts(model: CategoricalModel, om: OrdinalMoments, theta: np.ndarray,
                rm: robust.Moments, n_th: int) -> tuple[float, float, float, float] | None:
    """The cat-ML statistics ``T3`` of the model and of the baseline and the traces
    ``tr(U' V U Gamma)`` and ``tr(Gamma)`` their expected values come from (None when the
    polychoric or implied matrix is not positive definite: lavaan gives NA)."""
    n = om.n
    R = om.cor
    p = R.shape[0]
    t_ram, _ = model.split(theta)
    sig, _ = model.sigma(t_ram)
    sd = np.sqrt(np.diag(sig))
    sig = sig / np.outer(sd, sd)
    try:
        _, logdet_r = np.linalg.slogdet(R)
        if np.linalg.eigvalsh(R).min() < np.sqrt(np.finfo(float).eps):
            return None
        sign, logdet_s = np.linalg.slogdet(sig)
        inv = np.linalg.inv(sig)
    except np.linalg.LinAlgError:
        return None
    if sign <= 0:
        return None
    t3 = n * float(logdet_s - logdet_r + np.sum(R * inv) - p)
    t3_null = -n * float(logdet_r)
    rows, cols = below_diagonal(p)
    Wfull = cbsem.wls_weight(sig, "GLS")
    vr, vc = cbsem.vech_indices(p)
    off = np.flatnonzero(vr != vc)
    # reorder vech's off-diagonal elements into the correlations' order (below_diagonal)
    key = {(int(a), int(b)): k for k, (a, b) in enumerate(zip(vr[off], vc[off], strict=True))}
    order = np.array([key[(int(a), int(b))] for a, b in zip(rows, cols, strict=True)])
    V = Wfull[np.ix_(off, off)][np.ix_(order, order)]
    J = rm.delta[n_th:]
    W = rm.w[n_th:, n_th:]
    A = rm.delta.T @ rm.w @ rm.delta
    U = np.eye(len(W)) - J @ np.linalg.solve(A, J.T @ W)
    G = om.gamma[n_th:, n_th:]
    return t3, t3_null, float(np.trace(U.T @ V @ U @ G)), float(np.trace(G))
