"""Reliability of the constructs of a fitted CB-SEM model: α, CR, AVE and ω.

The four coefficients papers report, each computed the way its reference software does:

- ``alpha``: Cronbach (1951), from the sample covariances of a construct's indicators,
  ``k / (k - 1) * (1 - Σ diag(S) / Σ S)`` (the divisor of ``S`` cancels). Equals semTools'
  ``compRelSEM(fit, tau.eq = TRUE)``.
- ``cr``: composite reliability as AMOS-based papers report it (Fornell & Larcker, 1981),
  ``(Σλ)² / ((Σλ)² + Σ(1 - λ²))`` with ``λ`` the completely standardized loadings.
- ``ave``: average variance extracted (Fornell & Larcker, 1981), ``mean(λ²)`` of the
  standardized loadings.
- ``omega``: McDonald's ω as semTools' ``compRelSEM(fit)`` computes it (Bentler, 2009):
  ``(Σλ)² ψ / 1' S 1`` with unstandardized loadings ``λ``, the model-implied variance ``ψ`` of
  the construct and the *observed* covariance matrix ``S`` of its indicators in the denominator
  (``omega_implied`` uses the model-implied matrix instead: ``compRelSEM(obs.var = FALSE)``).
- ``ave_semtools``: semTools' ``AVE(fit)``, ``Σ λ² ψ / Σ diag(S)``; NaN, as in semTools, when
  an indicator also loads on another construct.

For indicators fitted as ordinal (WLSMV & co), ``omega`` and ``omega_implied`` are Green &
Yang's (2009) reliability of the observed sum score and ``alpha`` is α of the item scores, as
semTools' ``compRelSEM`` reports them (:mod:`semwidget.tables.ordinal_reliability`); CR and AVE
use the standardized loadings on the latent-response scale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.tables.ordinal_reliability import omega_ordinal

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult

COLUMNS = ["n_items", "alpha", "cr", "ave", "omega", "omega_implied", "ave_semtools"]


def construct_items(result: CBResult) -> dict[str, list[str]]:
    """Observed indicators of each latent variable (``=~`` rows), in model order."""
    table = result.table
    observed = set(result.model.names[: result.model.n_obs])
    out: dict[str, list[str]] = {}
    for lhs, rhs in table.loc[table["op"] == "=~", ["lhs", "rhs"]].itertuples(index=False):
        if rhs in observed:
            out.setdefault(str(lhs), []).append(str(rhs))
    return out


def cronbach_alpha(cov: np.ndarray) -> float:
    """Cronbach's α from a covariance matrix of ``k >= 2`` items."""
    k = cov.shape[0]
    total = float(cov.sum())
    if k < 2 or total <= 0:
        return float("nan")
    return k / (k - 1.0) * (1.0 - float(np.trace(cov)) / total)


def composite_reliability(std_loadings: np.ndarray) -> float:
    """``(Σλ)² / ((Σλ)² + Σ(1 - λ²))`` from completely standardized loadings."""
    s2 = float(np.sum(std_loadings)) ** 2
    return s2 / (s2 + float(np.sum(1.0 - std_loadings ** 2)))


def reliability(result: CBResult, constructs: list[str] | None = None,
                single: str = "raise") -> pd.DataFrame:
    """α, CR, AVE and ω of every construct measured by observed indicators.

    Parameters
    ----------
    result : CBResult
        A fitted CB-SEM model.
    constructs : list of str, optional
        Constructs to report (default: every latent variable with observed indicators).
    single : {"raise", "skip", "nan"}
        What to do with a construct that has a single indicator (its reliability cannot be
        estimated from the data): raise :class:`~semwidget.errors.ModelSpecError`, leave it out,
        or report NaN.

    Returns
    -------
    DataFrame
        Indexed by construct, columns ``n_items alpha cr ave omega omega_implied ave_semtools``
        (see the module docstring for the formulas and their sources).
    """
    if single not in ("raise", "skip", "nan"):
        raise ModelSpecError(f"single={single!r}: use 'raise', 'skip' or 'nan'")
    items = construct_items(result)
    if not items:
        raise ModelSpecError("the model has no latent variable with observed indicators "
                             "('=~'), so there is no construct whose reliability to compute")
    if constructs is None:
        constructs = list(items)
    unknown = [c for c in constructs if c not in items]
    if unknown:
        raise ModelSpecError(f"'{unknown[0]}' is not a latent variable measured by observed "
                             f"indicators; constructs are {sorted(items)}", name=unknown[0])
    table = result.table
    load = table[table["op"] == "=~"]
    imp = result.model.implied(result.theta)
    names = result.model.names
    S = result.sample_cov
    sigma = result.implied_cov
    n_constructs = load["rhs"].value_counts()
    ordinal = bool(result.options.get("ordered"))
    if ordinal:
        est = result.estimates
        rows_th = est[est["op"] == "|"]
        thresholds = {v: g["est"].to_numpy(dtype=float) for v, g in rows_th.groupby("lhs")}
        codes = result.data
    rows = {}
    for f in constructs:
        its = items[f]
        if len(its) < 2:
            if single == "raise":
                raise ModelSpecError(
                    f"construct '{f}' has a single indicator ({its[0]}): its reliability "
                    "cannot be estimated; leave it out with constructs=[...] or pass "
                    "single='skip'", name=f)
            if single == "skip":
                continue
            rows[f] = [1] + [np.nan] * (len(COLUMNS) - 1)
            continue
        sub = load[(load["lhs"] == f) & load["rhs"].isin(its)]
        lam = sub["est"].to_numpy(dtype=float)
        lam_std = sub["std_all"].to_numpy(dtype=float)
        psi = float(imp.C[names.index(f), names.index(f)])
        s_obs = S.loc[its, its].to_numpy()
        s_imp = sigma.loc[its, its].to_numpy()
        true_var = float(np.sum(lam)) ** 2 * psi
        shared = bool((n_constructs[its] > 1).any())
        ave_st = np.nan if shared else float(np.sum(lam ** 2) * psi / np.trace(s_obs))
        n_ord = sum(v in thresholds for v in its) if ordinal else 0
        # with ordinal items α is that of the observed item scores, as semTools reports it
        alpha_obs = cronbach_alpha(np.cov(codes[its].to_numpy().T, ddof=0)) if n_ord else 0.0
        if 0 < n_ord < len(its):
            # ordinal and numeric items in one construct: semTools gives no ω (NA)
            rows[f] = [len(its), alpha_obs, composite_reliability(lam_std),
                       float(np.mean(lam_std ** 2)), np.nan, np.nan, ave_st]
            continue
        if n_ord:
            # items fitted as ordinal: reliability of the observed sum score (semTools)
            th = [thresholds[v] for v in its]
            common = np.outer(lam, lam) * psi
            rows[f] = [len(its), alpha_obs,
                       composite_reliability(lam_std), float(np.mean(lam_std ** 2)),
                       omega_ordinal(th, common, s_obs), omega_ordinal(th, common, s_imp),
                       ave_st]
            continue
        rows[f] = [
            len(its),
            cronbach_alpha(s_obs),
            composite_reliability(lam_std),
            float(np.mean(lam_std ** 2)),
            true_var / float(s_obs.sum()),
            true_var / float(s_imp.sum()),
            ave_st,
        ]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=COLUMNS)
    out["n_items"] = out["n_items"].astype(int)
    out.index.name = "construct"
    return out
