"""MICOM: measurement invariance of composites (Henseler, Ringle & Sarstedt 2016).

Step 1, configural invariance, holds by construction here: every group is fitted with the
same blocks, the same data treatment and the same algorithm settings. Step 2, compositional
invariance: ``c`` is the correlation, on the pooled standardized data, of the composite
built with group a's weights and the one built with group b's; it is compared with the 5%
quantile of ``c`` over the label permutations (invariant if ``c`` is not below it;
``p`` is the share of permutations with a ``c`` at most the observed one). Step 3, equal means and
variances: the pooled model's scores (unit variance on the pooled data) give the groups'
difference of means and log ratio of variances; each must lie within the permutations'
2.5%–97.5% range (``p``: share of permutations at least as extreme). Full invariance is
steps 2 and 3 together (the groups may be pooled), partial is step 2 alone (path
coefficients may be compared).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from semwidget.pls.bootstrap import weighted_correlations
from semwidget.pls.estimate import correlation, fit_weights
from semwidget.pls.model import BlockIndex, PLSModel

if TYPE_CHECKING:
    from semwidget.pls.mga import Permutations


@dataclass
class MICOMResult:
    """MICOM steps 2 and 3 and the verdict, one row per pair of groups and construct.

    Attributes
    ----------
    compositional : DataFrame
        ``group_a group_b construct c c_5pct p invariant`` (step 2).
    means_variances : DataFrame
        ``group_a group_b construct mean_diff mean_lower mean_upper mean_p mean_equal
        log_var_ratio var_lower var_upper var_p var_equal`` (step 3).
    invariance : DataFrame
        ``group_a group_b construct configural compositional equal_means equal_variances
        verdict`` with verdict ``"full"``, ``"partial"`` or ``"none"``.
    """

    compositional: pd.DataFrame
    means_variances: pd.DataFrame
    invariance: pd.DataFrame

    def subset(self, constructs: list[str]) -> MICOMResult:
        """The rows of ``constructs`` only."""
        frames = (getattr(self, f) for f in ("compositional", "means_variances", "invariance"))
        return MICOMResult(*(f[f["construct"].isin(constructs)].reset_index(drop=True)
                             for f in frames))  # fmt: skip

    @classmethod
    def concat(cls, parts: list[MICOMResult]) -> MICOMResult:
        """One result from the results of several pairs of groups."""
        return cls(*(pd.concat([getattr(p, f) for p in parts], ignore_index=True)
                     for f in ("compositional", "means_variances", "invariance")))  # fmt: skip


def composite_correlation(
    s: np.ndarray, w_a: np.ndarray, w_b: np.ndarray, index: BlockIndex
) -> np.ndarray:
    """Correlation (B, K) of block composites with weights ``w_a`` and ``w_b`` (B, p) on ``S``."""
    out = np.empty((w_a.shape[0], len(index.block_items)))
    for k, idx in enumerate(index.block_items):
        sk = s[np.ix_(idx, idx)]
        a, b = w_a[:, idx], w_b[:, idx]
        ab = np.einsum("bi,ij,bj->b", a, sk, b)
        aa = np.einsum("bi,ij,bj->b", a, sk, a)
        bb = np.einsum("bi,ij,bj->b", b, sk, b)
        out[:, k] = ab / np.sqrt(aa * bb)
    return out


def micom_pair(
    a: str, b: str, spec: PLSModel, perm: Permutations, options: dict[str, Any]
) -> MICOMResult:
    """MICOM steps 2 and 3 for groups ``a`` and ``b`` from their label permutations."""
    index = perm.index
    z = perm.z
    s = correlation(z)
    # observed split: the group weights as the group fits would find them on these rows
    kw = {k: options[k] for k in ("scheme", "tol", "max_iter")}
    observed = np.stack([perm.labels, ~perm.labels]).astype(float)
    w_obs = fit_weights(weighted_correlations(z, observed), index, **kw).weights
    c = composite_correlation(s[0], w_obs[:1], w_obs[1:], index)[0]
    c_perm = composite_correlation(s[0], perm.a["weights"], perm.b["weights"], index)
    c_5 = np.nanquantile(c_perm, 0.05, axis=0)
    # share of permutations whose c is at most the observed one (ties count: 1 if all equal)
    p2 = np.nanmean(c_perm <= c[None, :] + 1e-12, axis=0)

    w_pooled = fit_weights(s, index, **kw).weights[0]
    scores = z @ (w_pooled[:, None] * index.membership)  # (n, K), unit variance

    def mean_var(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Difference of means and log ratio of variances (ddof 1) for splits ``mask``."""
        na, nb = mask.sum(axis=1, keepdims=True), (~mask).sum(axis=1, keepdims=True)
        fa, fb = mask / na, ~mask / nb
        ma, mb = fa @ scores, fb @ scores
        va = (fa @ scores**2 - ma**2) * na / (na - 1)
        vb = (fb @ scores**2 - mb**2) * nb / (nb - 1)
        return ma - mb, np.log(va / vb)

    md, lv = mean_var(perm.labels[None, :])
    md_p, lv_p = mean_var(perm.draws)
    names = spec.constructs
    step2, step3, verdict = [], [], []
    for k, name in enumerate(names):
        comp = bool(c[k] >= c_5[k] - 1e-12)
        step2.append({"group_a": a, "group_b": b, "construct": name, "c": c[k],
                      "c_5pct": c_5[k], "p": p2[k], "invariant": comp})  # fmt: skip
        rec: dict[str, Any] = {"group_a": a, "group_b": b, "construct": name}
        for key, obs, dist in (("mean", md[0, k], md_p[:, k]), ("var", lv[0, k], lv_p[:, k])):
            lo, hi = np.quantile(dist, [0.025, 0.975])
            rec.update({
                ("mean_diff" if key == "mean" else "log_var_ratio"): obs,
                f"{key}_lower": lo, f"{key}_upper": hi,
                f"{key}_p": float((np.abs(dist) >= abs(obs) - 1e-12).mean()),
                f"{key}_equal": bool(lo <= obs <= hi),
            })  # fmt: skip
        step3.append(rec)
        full = comp and rec["mean_equal"] and rec["var_equal"]
        verdict.append({
            "group_a": a, "group_b": b, "construct": name, "configural": True,
            "compositional": comp, "equal_means": rec["mean_equal"],
            "equal_variances": rec["var_equal"],
            "verdict": "full" if full else ("partial" if comp else "none"),
        })  # fmt: skip
    return MICOMResult(pd.DataFrame(step2), pd.DataFrame(step3), pd.DataFrame(verdict))
