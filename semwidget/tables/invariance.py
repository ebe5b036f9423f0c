"""The measurement-invariance ladder: fit each step, compare it with the step below, decide.

Each step adds lavaan ``group.equal`` words to the step below it (configural: none; metric:
loadings; scalar: + intercepts; strict: + residuals; also ``means``, ``lv.variances``,
``lv.covariances``, ``regressions``, ``residual.covariances``). A step holds when the fit does
not get worse by more than the cut-offs (by default ΔCFI ≥ -.01 and ΔRMSEA ≤ .015, Chen 2007;
Cheung & Rensvold 2002; the χ² difference test is reported but not used unless asked). For the
first step that fails, lavaan's score tests (``lavTestScore``) of the constraints that step added
list the parameters whose release improves fit most: the ``group_partial`` candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb.pipeline import fit_cb
from semwidget.cb.score_test import score_tests
from semwidget.errors import ModelSpecError
from semwidget.model.groups import kind_of
from semwidget.tables.compare import Comparison, apa_rows, lrt_table
from semwidget.tables.fit_result import FitResult
from semwidget.tables.report import OneTable, Section, apa

#: The words each named step adds to the step below it.
STEP_WORDS: dict[str, list[str]] = {
    "configural": [],
    "metric": ["loadings"],
    "scalar": ["intercepts"],
    "strict": ["residuals"],
    "means": ["means"],
    "lv.variances": ["lv.variances"],
    "lv.covariances": ["lv.covariances"],
    "regressions": ["regressions"],
    "residual.covariances": ["residual.covariances"],
}
CUTOFFS = {"delta_cfi": -0.01, "delta_rmsea": 0.015, "pvalue": None}


@dataclass
class Invariance(OneTable):
    """The fitted ladder.

    Attributes
    ----------
    table : DataFrame
        One row per step: the columns of :func:`semwidget.compare` plus ``group_equal`` and
        ``decision`` (``"holds"``/``"fails"``; empty for the first step).
    fits : dict
        Step name → :class:`~semwidget.FitResult`.
    failed : str or None
        The first step that fails.
    score_tests : DataFrame or None
        For ``failed``: lavaan's univariate score tests of the constraints that step added,
        largest χ² first (``parameter group group_label X2 df pvalue lhs op rhs``).
    """

    table: pd.DataFrame
    fits: dict[str, Any]
    failed: str | None = None
    score_tests: pd.DataFrame | None = None
    cutoffs: dict[str, float | None] = field(default_factory=dict)

    def partial(self, k: int = 1) -> list[str]:
        """The ``group_partial`` entries of the ``k`` constraints whose release helps most."""
        if self.score_tests is None or self.score_tests.empty:
            return []
        return list(dict.fromkeys(self.score_tests["parameter"]))[:k]

    def section(self, title: str = "Measurement invariance") -> Section:
        """The ladder as a report section (APA style)."""
        rows = apa_rows(self.table)
        parts = [f"ΔCFI ≥ {apa(self.cutoffs['delta_cfi'], 3, True)}",
                 f"ΔRMSEA ≤ {apa(self.cutoffs['delta_rmsea'], 3, True)}"]
        if self.cutoffs.get("pvalue") is not None:
            parts.append(f"Δχ² p ≥ {apa(float(self.cutoffs['pvalue']), 2, True)}")
        note = ("Each step adds equality constraints across groups to the step above and is "
                "tested against it. A step holds when " + " and ".join(parts) + "; steps above a "
                "failed step are not judged (—).")
        if self.failed and self.score_tests is not None and not self.score_tests.empty:
            top = self.score_tests.iloc[0]
            note += (f" Largest score test at the {self.failed} step: {top['parameter']} "
                     f"(χ²(1) = {apa(top['X2'])}); free it with group_partial.")
        return Section(title, rows, note)

    def comparison(self) -> Comparison:
        """The same rows as a :class:`~semwidget.tables.compare.Comparison`."""
        return Comparison(self.table)


def _decide(row: pd.Series, cutoffs: dict[str, float | None]) -> str:
    ok = row["delta_cfi"] >= cutoffs["delta_cfi"] and row["delta_rmsea"] <= \
        cutoffs["delta_rmsea"]
    p_cut = cutoffs.get("pvalue")
    if p_cut is not None and np.isfinite(row["pvalue"]):
        ok = ok and row["pvalue"] >= p_cut
    return "holds" if ok else "fails"


def invariance(model: str | pd.DataFrame, data: pd.DataFrame, *, group: str,
               steps: Sequence[str] = ("configural", "metric", "scalar", "strict"),
               group_partial: Sequence[str] = (), cutoffs: dict[str, float | None] | None = None,
               std_lv: bool = False, fixed_x: bool | None = None, missing: str = "listwise"
               ) -> Invariance:
    """Fit the invariance ladder of ``model`` across the groups of ``data[group]``.

    Parameters
    ----------
    model : str or DataFrame
        lavaan syntax (or a parameter table) of the model for one group.
    data : DataFrame
        The data with the grouping column.
    group : str
        The grouping column.
    steps : sequence of str
        Steps in order, each adding its words to the previous step (see ``STEP_WORDS``).
    group_partial : sequence of str
        Parameters left free in every step (partial invariance), e.g. ``["x3 ~ 1"]``.
    cutoffs : dict, optional
        ``delta_cfi`` (default -.01), ``delta_rmsea`` (.015) and ``pvalue`` (default None:
        the Δχ² test is reported, not used; e.g. .05 to use it too).
    std_lv, fixed_x : bool
        As in :func:`semwidget.fit`.
    missing : {"listwise", "fiml"}
        As in :func:`semwidget.fit`; with FIML the ladder is fitted and compared, but the score
        tests (complete data only) are not computed (``score_tests`` is None).

    Returns
    -------
    Invariance
    """
    cut = dict(CUTOFFS)
    if cutoffs:
        unknown = set(cutoffs) - set(CUTOFFS)
        if unknown:
            raise ModelSpecError(f"unknown cut-off(s) {sorted(unknown)}: use delta_cfi, "
                                 "delta_rmsea, pvalue")
        cut.update(cutoffs)
    if missing not in ("listwise", "fiml"):
        raise ModelSpecError(f"unknown missing-data option {missing!r}: use 'listwise' or "
                             "'fiml'")
    steps = list(steps)
    if len(steps) < 2:
        raise ModelSpecError("invariance() needs at least two steps, e.g. "
                             "('configural', 'metric')")
    words: list[str] = []
    fits: dict[str, Any] = {}
    used: list[list[str]] = []
    for step in steps:
        if step not in STEP_WORDS:
            raise ModelSpecError(f"unknown invariance step {step!r}: use one of "
                                 f"{', '.join(STEP_WORDS)}", name=str(step))
        words = words + [w for w in STEP_WORDS[step] if w not in words]
        used.append(list(words))
        fits[step] = FitResult.of(fit_cb(model, data, group=group, group_equal=list(words),
                                         group_partial=list(group_partial), std_lv=std_lv,
                                         fixed_x=fixed_x, missing=missing))
    table = lrt_table(list(fits.values()), steps)
    table["group_equal"] = [", ".join(w) for w in used]
    decisions = [""]
    for k in range(1, len(table)):
        # a step above a failed one builds on constraints that do not hold: not judged
        decisions.append("—" if "fails" in decisions else _decide(table.iloc[k], cut))
    table["decision"] = decisions
    failed = next((s for s, d in zip(steps, decisions, strict=True) if d == "fails"), None)
    tests = None
    if failed is not None and missing == "listwise":
        k = steps.index(failed)
        tests = _new_constraint_tests(fits[failed], set(used[k]) - set(used[k - 1]))
    return Invariance(table, fits, failed, tests, cut)


def _new_constraint_tests(fit: Any, added: set[str]) -> pd.DataFrame | None:
    """Score tests of the constraints a step added, largest first."""
    if not added:
        return None
    _, uni = score_tests(fit)
    lv = set(fit.model.names[fit.model.n_obs:])
    keep = []
    for _, r in uni.iterrows():
        lhs, op, rhs = _split(r["parameter"])
        keep.append(kind_of({"lhs": lhs, "op": op, "rhs": rhs}, lv) in added)
    out = uni[np.asarray(keep, dtype=bool)].sort_values("X2", ascending=False)
    cols = ["parameter", "group", "group_label", "X2", "df", "pvalue", "lhs", "op", "rhs"]
    return out[cols].reset_index(drop=True)


def _split(parameter: str) -> tuple[str, str, str]:
    if parameter.endswith(" ~ 1"):
        return parameter[:-4], "~1", ""
    lhs, op, rhs = parameter.split(" ")
    return lhs, op, rhs
