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


def residual_z(result: CBResult) -> pd.DataFrame:
    """Standardized covariance residuals (lavaan's ``resid(fit, type = "standardized")``).

    ``s − σ̂`` is, to first order, ``Q (s − σ₀)`` with the projection
    ``Q = I − Δ (Δ' W Δ)⁻¹ Δ' W`` (``W`` the ML weight at ``Σ̂``), so its covariance is
    ``Q Γ Q' / N`` with ``Γ`` the unrestricted (sample) normal-theory covariance of the
    moments; with a mean structure the means are part of the moments. Entries whose residual
    has (numerically) no sampling variance — moments the model reproduces exactly — are 0
    when the residual is 0, else NaN.

    Only the diagonal of ``Q Γ Q'`` is needed, and ``Γ = 2 D⁺(S⊗S)D⁺'`` and
    ``W = ½ D'(Σ⁻¹⊗Σ⁻¹)D`` act on a moment vector as ``p x p`` products, so nothing of size
    ``(p²/2)²`` is formed: with ``Y_j = Σ⁻¹ Δ_j Σ⁻¹``, ``Δ'WΔ = ½ tr(Δ_j Y_k)`` (the
    information), the columns of ``M' = WΔ(Δ'WΔ)⁻¹`` are ``Z_a = Σ_j Y_j (Δ'WΔ)⁻¹_ja``,
    ``ΓM'`` is ``S Z_a S`` and ``MΓM' = ½ tr(Z_a S Z_b S)``; then
    ``diag(QΓQ') = diag Γ − 2 Σ_a Δ_a ∘ S Z_a S + Σ_ab B_ab Δ_a ∘ Δ_b``.
    """
    _single(result)
    names = [str(v) for v in result.sample_cov.columns]
    model = result.model
    sigma = result.implied_cov.loc[names, names].to_numpy(dtype=float)
    sample = result.sample_cov.loc[names, names].to_numpy(dtype=float)
    resid = sample - sigma
    dsig, dmu = model.jacobian(result.theta)                  # (q, p, p), (q, p)
    q, p = dsig.shape[0], len(names)
    flat = dsig.reshape(q, p * p)
    inv = np.linalg.inv(sigma)
    y = (inv @ dsig @ inv).reshape(q, p * p)
    info = 0.5 * flat @ y.T
    if model.meanstructure:
        info += dmu @ inv @ dmu.T
    try:
        info_inv = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        raise ModelSpecError("the information matrix is singular, so the residuals cannot be "
                             "standardized") from None
    z_cols = (info_inv.T @ y).reshape(q, p, p)
    g = (sample @ z_cols @ sample).reshape(q, p * p)          # Γ M', covariance part
    b = 0.5 * z_cols.reshape(q, p * p) @ g.T                  # M Γ M'
    if model.meanstructure:
        m_mean = inv @ dmu.T @ info_inv                       # M', mean part (p, q)
        b += m_mean.T @ sample @ m_mean
    diag_gamma = np.outer(np.diag(sample), np.diag(sample)) + sample ** 2
    var = (diag_gamma - (2.0 * np.einsum("ak,ak->k", flat, g)
                         - np.einsum("ak,ak->k", b @ flat, flat)).reshape(p, p))
    n = float(result.nobs)
    r, c = np.tril_indices(p)
    var, scale = var[r, c] / n, diag_gamma[r, c] / n
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
    cor_a, z_a = cor.to_numpy(), z.to_numpy()
    rows = []
    for i, j in zip(*np.nonzero(np.tril(np.abs(cor_a) > threshold, -1)), strict=True):
        zv = float(z_a[i, j])
        rows.append({"lhs": names[j], "rhs": names[i], "residual_cor": float(cor_a[i, j]),
                     "z": zv, "pvalue": float(2 * norm_sf(abs(zv)))})
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
