"""Tables and APA text of a multigroup PLS analysis (``fit_pls(..., group=...)``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.pls.mga import PLSGroupResult
from semwidget.tables.report import Report, Section, apa, apa_p

#: SmartPLS reports PLS-MGA as significant at 5% when p < .05 or p > .95 (one-sided p).
ALPHA = 0.05


def _check(result: PLSGroupResult) -> None:
    if not isinstance(result, PLSGroupResult):
        raise ModelSpecError(
            f"a multigroup table needs a fit with group= (engine='pls'), not "
            f"{type(result).__name__}"
        )


def mga_table(result: PLSGroupResult, digits: int = 3) -> Section:
    """Path differences per pair of groups with every test SmartPLS reports."""
    _check(result)
    rows = []
    for r in result.mga.itertuples():
        rows.append({
            "Groups": f"{r.group_a} vs {r.group_b}",
            "Path": f"{r.rhs} → {r.lhs}",
            f"β ({r.group_a})": apa(r.est_a, digits),
            f"β ({r.group_b})": apa(r.est_b, digits),
            "Δβ": apa(r.diff, digits),
            "p (permutation)": apa_p(r.p_permutation),
            "p (PLS-MGA)": apa_p(r.p_henseler),
            "t (parametric)": apa(r.t_parametric, 2),
            "p (parametric)": apa_p(r.p_parametric),
            "t (Welch)": apa(r.t_welch, 2),
            "df (Welch)": apa(r.df_welch, 1),
            "p (Welch)": apa_p(r.p_welch),
        })  # fmt: skip
    table = pd.DataFrame(rows).fillna("")
    note = (
        f"Permutation test: {result.permutations} permutations (Chin & Dibbern, 2010). "
        "PLS-MGA: one-sided p of Henseler et al. (2009), significant at 5% if p < .05 or "
        "p > .95. Parametric (Keil et al., 2000) and Welch–Satterthwaite t-tests from the "
        f"bootstrap standard errors ({result.options.get('bootstrap', 0)} resamples per group)."
    )
    return Section("Multigroup analysis: path coefficients", table, note)


def micom_table(result: PLSGroupResult, digits: int = 3) -> Section:
    """MICOM steps 2 and 3 and the verdict per construct (Henseler et al., 2016)."""
    _check(result)
    if result.micom is None:
        raise ModelSpecError("MICOM needs permutations: fit with permutations > 0",
                             name="permutations")  # fmt: skip
    m = result.micom
    merged = m.compositional.merge(m.means_variances, on=["group_a", "group_b", "construct"])
    merged = merged.merge(m.invariance[["group_a", "group_b", "construct", "verdict"]],
                          on=["group_a", "group_b", "construct"])  # fmt: skip

    def interval(lo: float, hi: float) -> str:
        return f"[{apa(lo, digits)}, {apa(hi, digits)}]"

    rows = [{
        "Groups": f"{r.group_a} vs {r.group_b}", "Construct": r.construct,
        "c": apa(r.c, digits), "5% quantile": apa(r.c_5pct, digits), "p (step 2)": apa_p(r.p),
        "Mean diff.": apa(r.mean_diff, digits),
        "95% range": interval(r.mean_lower, r.mean_upper),
        "Log var. ratio": apa(r.log_var_ratio, digits),
        "95% range ": interval(r.var_lower, r.var_upper),
        "Invariance": r.verdict,
    } for r in merged.itertuples()]  # fmt: skip
    note = ("Step 1 (configural invariance) holds: the same blocks, data treatment and "
            "algorithm settings in every group. Full invariance: steps 2 and 3; partial: "
            "step 2 (path coefficients may be compared).")  # fmt: skip
    if result.micom_note:  # which constructs MICOM covered (product terms, HOCs left out)
        note += " " + result.micom_note
    return Section("MICOM: measurement invariance of composites", pd.DataFrame(rows), note)


def mga_report(result: PLSGroupResult) -> Report:
    """The MGA table and, with permutations, the MICOM table."""
    sections = [mga_table(result)]
    if result.micom is not None:
        sections.insert(0, micom_table(result))
    return Report(sections)


def mga_apa(result: PLSGroupResult, alpha: float = ALPHA) -> str:
    """APA-style sentences on the group differences, one per path that differs."""
    _check(result)
    sentences = []
    same = []
    for r in result.mga.itertuples():
        tests = []
        if np.isfinite(r.p_permutation):
            tests.append(f"permutation p {_eq(r.p_permutation)}")
        if np.isfinite(r.p_henseler_two_sided):
            tests.append(f"PLS-MGA p {_eq(r.p_henseler_two_sided)} (two-sided)")
        if np.isfinite(r.t_welch):
            tests.append(f"Welch–Satterthwaite t({apa(r.df_welch, 1)}) = {apa(r.t_welch, 2)}, "
                         f"p {_eq(r.p_welch)}")  # fmt: skip
        significant = _significant(r, alpha)
        if not significant:
            same.append(f"{r.rhs} → {r.lhs}")
            continue
        hi, lo = (r.group_a, r.group_b) if r.diff > 0 else (r.group_b, r.group_a)
        b_hi, b_lo = (r.est_a, r.est_b) if r.diff > 0 else (r.est_b, r.est_a)
        sentences.append(
            f"The effect of {r.rhs} on {r.lhs} was stronger for {hi} (β = {apa(b_hi, 2, True)}) "
            f"than for {lo} (β = {apa(b_lo, 2, True)}), Δβ = {apa(abs(r.diff), 2, True)}, "
            + "; ".join(tests) + "."
        )
    if same:
        sentences.append(
            f"The other paths did not differ significantly between the groups ({', '.join(same)})."
            if sentences else
            f"No path differed significantly between the groups ({', '.join(same)})."
        )  # fmt: skip
    return " ".join(sentences)


def _eq(p: float) -> str:
    text = apa_p(p)
    return text if text.startswith("<") else f"= {text}"


def _significant(r: Any, alpha: float) -> bool:
    """Permutation test when run (SmartPLS's primary test), else the two-sided PLS-MGA."""
    p_perm = r.p_permutation
    if np.isfinite(p_perm):
        return bool(p_perm < alpha)
    p_two = r.p_henseler_two_sided
    return bool(np.isfinite(p_two) and p_two < alpha)
