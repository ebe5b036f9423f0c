"""Local fit: where the model misses the data, pair by pair.

- :func:`residual_correlations` (in :mod:`semwidget.tables.plots`): sample minus implied
  correlations, lavaan's ``resid(fit, type = "cor")``;
- :func:`residual_z`: the covariance residuals divided by their standard errors, lavaan's
  ``resid(fit, type = "standardized")`` (the ``cov.z`` of ``lavResiduals``): the residuals'
  asymptotic covariance is the projection ``Q Γ Q'`` of the moments' covariance (Browne, 1984;
  Bollen, 1989, ch. 7), see :func:`residual_z`;
- :func:`local_fit`: the pairs whose residual correlation is above a threshold, largest first,
  with their z — the data of the widget's local-fit overlay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from semwidget.distributions import norm_sf
from semwidget.errors import ModelSpecError
from semwidget.tables.plots import residual_correlations

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult

__all__ = ["local_fit", "local_fit_payload", "residual_correlations", "residual_z"]

#: |residual correlation| above which a pair is listed (Kline, 2016: "above .10").
THRESHOLD = 0.1


def _single(result: Any) -> None:
    if getattr(result, "engine", None) != "sem" or getattr(result, "multigroup", False):
        raise ModelSpecError("local fit needs a single-group CB-SEM fit (use fit.group(label) "
                             "for one group of a multigroup fit)")


def _nt_gamma(m: np.ndarray, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Normal-theory covariance of the non-duplicated moments: ``m_ik m_jl + m_il m_jk``."""
    return m[r][:, r] * m[c][:, c] + m[r][:, c] * m[c][:, r]


def residual_z(result: CBResult) -> pd.DataFrame:
    """Standardized covariance residuals (lavaan's ``resid(fit, type = "standardized")``).

    ``s − σ̂`` is, to first order, ``Q (s − σ₀)`` with the projection
    ``Q = I − Δ (Δ' W Δ)⁻¹ Δ' W`` (``W`` the ML weight at ``Σ̂``), so its covariance is
    ``Q Γ Q' / N`` with ``Γ`` the unrestricted (sample) normal-theory covariance of the
    moments; with a mean structure the means are part of the moments. Entries whose residual
    has (numerically) no sampling variance — moments the model reproduces exactly — are 0
    when the residual is 0, else NaN.
    """
    _single(result)
    names = [str(v) for v in result.sample_cov.columns]
    model = result.model
    sigma = result.implied_cov.loc[names, names].to_numpy(dtype=float)
    sample = result.sample_cov.loc[names, names].to_numpy(dtype=float)
    resid = sample - sigma
    dsig, dmu = model.jacobian(result.theta)
    p = len(names)
    r, c = np.tril_indices(p)
    delta = dsig[:, r, c].T                                  # (moments, q)
    gamma = _nt_gamma(sample, r, c)
    weight = np.linalg.inv(_nt_gamma(sigma, r, c))
    if model.meanstructure:
        delta = np.vstack([delta, dmu.T])
        gamma = np.block([[gamma, np.zeros((len(r), p))], [np.zeros((p, len(r))), sample]])
        weight = np.block([[weight, np.zeros((len(r), p))],
                           [np.zeros((p, len(r))), np.linalg.inv(sigma)]])
    try:
        Q = np.eye(len(delta)) - delta @ np.linalg.solve(delta.T @ weight @ delta,
                                                         delta.T @ weight)
    except np.linalg.LinAlgError:
        raise ModelSpecError("the information matrix is singular, so the residuals cannot be "
                             "standardized") from None
    n = float(result.nobs)
    var = np.einsum("mk,kl,ml->m", Q, gamma, Q)[: len(r)] / n
    scale = np.diag(gamma)[: len(r)] / n
    z_low = np.empty(len(r))
    ok = var > 1e-10 * scale
    z_low[ok] = resid[r, c][ok] / np.sqrt(var[ok])
    tiny = np.abs(resid[r, c]) < 1e-6 * np.sqrt(scale * n)
    z_low[~ok] = np.where(tiny[~ok], 0.0, np.nan)
    z = np.empty((p, p))
    z[r, c] = z_low
    z[c, r] = z_low
    return pd.DataFrame(z, index=names, columns=names)


def local_fit(result: CBResult, threshold: float = THRESHOLD) -> pd.DataFrame:
    """The pairs of observed variables whose residual correlation exceeds ``threshold``.

    Parameters
    ----------
    result : FitResult
        A single-group CB-SEM fit.
    threshold : float
        Absolute residual correlation above which a pair is listed (default .10).

    Returns
    -------
    DataFrame
        ``lhs rhs residual_cor z pvalue``, largest ``|residual_cor|`` first; ``z`` is the
        standardized covariance residual and ``pvalue`` its two-sided normal p-value.
    """
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or \
            not 0 <= threshold < 2:
        raise ModelSpecError(f"threshold must be a number between 0 and 2, not {threshold!r}")
    _single(result)
    cor = residual_correlations(result)
    z = residual_z(result)
    names = list(cor.columns)
    rows = []
    for i in range(len(names)):
        for j in range(i):
            v = float(cor.iat[i, j])
            if abs(v) > threshold:
                zv = float(z.iat[i, j])
                rows.append({"lhs": names[j], "rhs": names[i], "residual_cor": v, "z": zv,
                             "pvalue": float(2 * norm_sf(abs(zv)))})
    out = pd.DataFrame(rows, columns=["lhs", "rhs", "residual_cor", "z", "pvalue"])
    return out.reindex(out["residual_cor"].abs().sort_values(ascending=False).index
                       ).reset_index(drop=True)


def local_fit_payload(result: Any, threshold: float = THRESHOLD) -> dict[str, Any]:
    """What the widget's local-fit overlay draws: ``{"threshold", "pairs": [{"lhs", "rhs",
    "cor", "z"}], "max"}`` (``max`` the largest |residual correlation|, for the colour scale);
    empty pairs for fits it does not apply to (PLS, multigroup, no standard errors)."""
    try:
        table = local_fit(result, threshold)
        top = float(np.nanmax(np.abs(residual_correlations(result).to_numpy())))
    except ModelSpecError:
        return {"threshold": threshold, "pairs": [], "max": None}
    pairs = [{"lhs": r["lhs"], "rhs": r["rhs"], "cor": r["residual_cor"],
              "z": None if not np.isfinite(r["z"]) else r["z"]}
             for r in table.to_dict("records")]
    return {"threshold": threshold, "pairs": pairs, "max": top}
