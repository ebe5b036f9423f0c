"""Discriminant and convergent validity of a fitted CB-SEM model.

- Fornell–Larcker criterion (Fornell & Larcker, 1981): the square root of each construct's AVE
  (mean squared standardized loading) should exceed its correlations with the other constructs.
- HTMT, the heterotrait–monotrait ratio of correlations (Henseler, Ringle & Sarstedt, 2015):
  the mean correlation between the items of two constructs divided by the geometric mean of
  the mean correlations among the items of each construct, on absolute item correlations as
  semTools' ``htmt()`` uses them. ``htmt2`` (Roemer, Schuberth & Henseler, 2021) replaces the
  arithmetic means by geometric means. Thresholds: .85 (conservative) or .90 (liberal).
- Cross-loadings: the model-implied correlation of every indicator with every construct.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from semwidget.errors import DataError, ModelSpecError
from semwidget.tables.reliability import construct_items, reliability

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult

DEFAULT_THRESHOLDS = {"ave": 0.5, "cr": 0.7, "alpha": 0.7, "htmt": 0.85}


def htmt_matrix(cor: pd.DataFrame, items: dict[str, list[str]], geometric: bool = False
                ) -> pd.DataFrame:
    """HTMT of every pair of constructs from an item correlation matrix.

    Parameters
    ----------
    cor : DataFrame
        Correlations among (at least) all items.
    items : dict
        Construct name -> its indicators.
    geometric : bool
        Use geometric instead of arithmetic means (HTMT2).
    """
    names = list(items)
    R = cor.abs()
    mean = _geomean if geometric else np.mean
    mono = {}
    for f in names:
        its = items[f]
        block = R.loc[its, its].to_numpy()
        off = block[np.tril_indices(len(its), -1)]
        mono[f] = float(mean(off)) if off.size else np.nan
    out = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    for a in range(len(names)):
        for b in range(a):
            fa, fb = names[a], names[b]
            hetero = float(mean(R.loc[items[fa], items[fb]].to_numpy().ravel()))
            val = hetero / np.sqrt(mono[fa] * mono[fb])
            out.iloc[a, b] = out.iloc[b, a] = val
    return out


def _geomean(x: np.ndarray) -> float:
    return float(np.exp(np.mean(np.log(x))))


def _cov_to_cor(cov: pd.DataFrame) -> pd.DataFrame:
    sd = np.sqrt(np.diag(cov.to_numpy()))
    return cov / np.outer(sd, sd)


@dataclass
class Validity:
    """Validity tables of one fitted model (see :func:`validity`).

    Attributes
    ----------
    fornell_larcker : DataFrame
        √AVE on the diagonal, latent correlations below it, NaN above.
    htmt : DataFrame
        Construct × construct HTMT (1 on the diagonal).
    htmt_ci : DataFrame or None
        With ``bootstrap > 0``: one row per pair with ``htmt ci_lower ci_upper``.
    cross_loadings : DataFrame
        Indicator × construct model-implied correlations.
    reliability : DataFrame
        :func:`semwidget.tables.reliability.reliability` of the same constructs.
    flags : DataFrame
        Per construct: ``ave_ok cr_ok alpha_ok fornell_larcker_ok htmt_ok`` (booleans).
    htmt_flags : DataFrame
        Per pair: ``htmt``, ``ok`` against ``thresholds["htmt"]`` (and the CI's upper bound
        when bootstrapped).
    thresholds : dict
        The thresholds used.
    """

    fornell_larcker: pd.DataFrame
    htmt: pd.DataFrame
    cross_loadings: pd.DataFrame
    reliability: pd.DataFrame
    flags: pd.DataFrame
    htmt_flags: pd.DataFrame
    thresholds: dict[str, float] = field(default_factory=dict)
    htmt_ci: pd.DataFrame | None = None

    def _repr_html_(self) -> str:
        parts = ["<h4>Fornell–Larcker</h4>", self.fornell_larcker.round(3).to_html(na_rep=""),
                 "<h4>HTMT</h4>", self.htmt.round(3).to_html(),
                 "<h4>Criteria</h4>", self.flags.to_html()]
        return "\n".join(parts)


def validity(result: CBResult, thresholds: dict[str, float] | None = None,
             htmt_bootstrap: int = 0, seed: int | None = None, level: float = 0.95,
             geometric: bool = False) -> Validity:
    """Fornell–Larcker, HTMT, cross-loadings and the pass/fail flags papers report.

    Parameters
    ----------
    result : CBResult
        A fitted CB-SEM model.
    thresholds : dict, optional
        Overrides of ``{"ave": .5, "cr": .7, "alpha": .7, "htmt": .85}`` (use ``.90`` for the
        liberal HTMT criterion).
    htmt_bootstrap : int
        Number of bootstrap resamples of the data rows for percentile CIs of HTMT (0: none).
        Henseler et al. (2015) call discriminant validity established when the upper bound of
        the CI is below 1 (or below the threshold for the stricter reading); both are reported.
    seed : int, optional
        Seed of the HTMT bootstrap.
    level : float
        Confidence level of the HTMT CIs.
    geometric : bool
        Report HTMT2 (geometric means) instead of the original HTMT.
    """
    th = dict(DEFAULT_THRESHOLDS)
    if thresholds:
        unknown = set(thresholds) - set(th)
        if unknown:
            raise ModelSpecError(f"unknown threshold(s) {sorted(unknown)}; known: {sorted(th)}")
        th.update({k: float(v) for k, v in thresholds.items()})
    items = construct_items(result)
    rel = reliability(result, single="nan")
    names = list(rel.index)
    items = {f: items[f] for f in names}
    lat = result.latent_cor.loc[names, names]
    root_ave = np.sqrt(rel["ave"].to_numpy())
    vals = np.where(np.tril(np.ones((len(names), len(names)), dtype=bool), -1),
                    lat.to_numpy(), np.nan)
    np.fill_diagonal(vals, root_ave)
    fl = pd.DataFrame(vals, index=names, columns=names)
    cor = _cov_to_cor(result.sample_cov)
    ht = htmt_matrix(cor, items, geometric)
    off = lat.abs().to_numpy() - np.eye(len(names))
    max_cor = off.max(axis=1) if len(names) > 1 else np.zeros(len(names))
    ht_off = ht.to_numpy() - np.eye(len(names))
    flags = pd.DataFrame({
        "ave": rel["ave"], "ave_ok": rel["ave"] > th["ave"],
        "cr": rel["cr"], "cr_ok": rel["cr"] > th["cr"],
        "alpha": rel["alpha"], "alpha_ok": rel["alpha"] > th["alpha"],
        "sqrt_ave": root_ave, "max_latent_cor": max_cor,
        "fornell_larcker_ok": root_ave > max_cor,
        "max_htmt": ht_off.max(axis=1) if len(names) > 1 else np.zeros(len(names)),
    }, index=names)
    flags["htmt_ok"] = flags["max_htmt"] < th["htmt"]
    pairs = [(names[a], names[b]) for a in range(len(names)) for b in range(a)]
    hflags = pd.DataFrame({"construct_1": [p[0] for p in pairs],
                           "construct_2": [p[1] for p in pairs],
                           "htmt": [float(ht.loc[a, b]) for a, b in pairs]})
    hflags["ok"] = hflags["htmt"] < th["htmt"]
    ci = None
    if htmt_bootstrap:
        ci = _htmt_bootstrap(result, items, pairs, htmt_bootstrap, seed, level, geometric)
        hflags["ci_lower"] = ci["ci_lower"].to_numpy()
        hflags["ci_upper"] = ci["ci_upper"].to_numpy()
        hflags["ci_below_1"] = hflags["ci_upper"] < 1.0
        hflags["ci_below_threshold"] = hflags["ci_upper"] < th["htmt"]
    return Validity(fornell_larcker=fl, htmt=ht, cross_loadings=cross_loadings(result),
                    reliability=rel, flags=flags, htmt_flags=hflags, thresholds=th,
                    htmt_ci=ci)


def cross_loadings(result: CBResult) -> pd.DataFrame:
    """Model-implied correlations of every indicator with every latent variable."""
    imp = result.model.implied(result.theta)
    p = result.model.n_obs
    sd = np.sqrt(np.abs(np.diag(imp.C)))
    cor = imp.C / np.outer(sd, sd)
    names = result.model.names
    items = construct_items(result)
    ind = list(dict.fromkeys(i for its in items.values() for i in its))
    pos = {v: k for k, v in enumerate(names)}
    lat = names[p:]
    out = pd.DataFrame(cor[np.ix_([pos[i] for i in ind], [pos[f] for f in lat])],
                       index=ind, columns=lat)
    out.index.name = "indicator"
    return out


def _htmt_bootstrap(result: CBResult, items: dict[str, list[str]],
                    pairs: list[tuple[str, str]], n_boot: int, seed: int | None, level: float,
                    geometric: bool) -> pd.DataFrame:
    if result.data is None:
        raise DataError("HTMT bootstrap needs the raw data rows; this result has none")
    cols = list(dict.fromkeys(i for its in items.values() for i in its))
    X = result.data[cols].to_numpy(dtype=float)
    X = X[~np.isnan(X).any(axis=1)]
    n = len(X)
    rng = np.random.default_rng(seed)
    draws = np.full((n_boot, len(pairs)), np.nan)
    for b in range(n_boot):
        Xb = X[rng.integers(0, n, n)]
        with np.errstate(invalid="ignore", divide="ignore"):
            c = pd.DataFrame(np.corrcoef(Xb, rowvar=False), index=cols, columns=cols)
            h = htmt_matrix(c, items, geometric)
        draws[b] = [h.loc[a, bb] for a, bb in pairs]
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    q = np.nanquantile(draws, [lo, hi], axis=0)
    return pd.DataFrame({"pair": [f"{a}-{b}" for a, b in pairs], "ci_lower": q[0],
                         "ci_upper": q[1]})


def summary(v: Validity) -> dict[str, Any]:
    """A compact dict of the pass/fail verdicts (for the widget and the CLI)."""
    return {
        "thresholds": dict(v.thresholds),
        "constructs": {f: {k: bool(v.flags.at[f, k]) for k in
                           ("ave_ok", "cr_ok", "alpha_ok", "fornell_larcker_ok", "htmt_ok")}
                       for f in v.flags.index},
    }
