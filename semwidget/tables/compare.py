"""Likelihood-ratio comparison of nested CB-SEM models (lavaan's ``lavTestLRT``) as a table.

Models are ordered by their degrees of freedom (fewest first, as ``lavTestLRT``); each row
after the first is tested against the row above: ``Δχ² = χ²_b - χ²_a`` on
``Δdf = df_b - df_a`` degrees of freedom. ΔCFI and ΔRMSEA (Chen, 2007; Cheung & Rensvold,
2002) are the differences of the same rows; AIC and BIC are lavaan's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from semwidget.distributions import chi2_sf
from semwidget.errors import ModelSpecError
from semwidget.tables.report import OneTable, Section, apa, apa_p

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult

COMPARE_COLUMNS = ["npar", "df", "chisq", "cfi", "tli", "rmsea", "srmr", "aic", "bic",
                   "chisq_diff", "df_diff", "pvalue", "delta_cfi", "delta_rmsea"]


METHOD_NAMES = {"satorra.bentler.2001": "Satorra & Bentler, 2001",
                "satorra.2000": "Satorra, 2000, scaled and shifted"}
#: lavTestLRT's scaled difference method for each scaled test.
DIFF_METHOD = {"satorra.bentler": "satorra.bentler.2001",
               "yuan.bentler.mplus": "satorra.bentler.2001",
               "yuan.bentler": "satorra.bentler.2001",
               "scaled.shifted": "satorra.2000"}


def _scaled_difference(test: str, a: Any, b: Any) -> tuple[float, float]:
    """Scaled χ² difference and its p-value of nested fits ``a`` (fewer df) and ``b``.

    Satorra & Bentler (2001) for the scaled tests: ``(T_b - T_a) / c_d`` with
    ``c_d = (df_b c_b - df_a c_a) / (df_b - df_a)``. Satorra (2000) for the scaled-and-shifted
    test (MLMV, WLSMV): the restrictions ``A`` that turn ``a`` into ``b`` (the orthogonal
    complement of ``pinv(Delta_a) Delta_b``, lavaan's "delta" method), ``U_d = W Delta_a P
    A' (A P A')^- A P Delta_a' W`` with ``P`` the inverse information of ``a``, then the
    scaled-and-shifted statistic on ``tr(U_d Gamma)`` and ``tr((U_d Gamma)^2)``.
    """
    fa, fb = a.fit_measures, b.fit_measures
    m = fb["df"] - fa["df"]
    diff = fb["chisq"] - fa["chisq"]
    if m <= 0:
        return math.nan, math.nan
    if test != "scaled.shifted":
        cd = (fb["df"] * fb["chisq_scaling_factor"] - fa["df"] * fa["chisq_scaling_factor"]) / m
        stat = diff / cd
    else:
        ma, mb = a.robust_moments, b.robust_moments
        if ma is None or mb is None:
            raise ModelSpecError("the scaled-and-shifted difference test needs both fits' "
                                 "moment matrices; refit the models")
        H = np.linalg.pinv(ma.delta) @ mb.delta
        Q, _ = np.linalg.qr(H, mode="complete")
        A = Q[:, np.linalg.matrix_rank(H):].T
        P = np.linalg.inv(ma.delta.T @ ma.w @ ma.delta)
        PA = P @ A.T
        middle = PA @ np.linalg.pinv(A @ PA) @ PA.T
        WD = ma.w @ ma.delta
        UG = WD @ middle @ WD.T @ ma.gamma
        trace, trace2 = float(np.trace(UG)), float(np.sum(UG * UG.T))
        scale = math.sqrt(m / trace2)
        stat = diff * scale + (m - scale * trace)
    return stat, float(chi2_sf(max(stat, 0.0), m))


def lrt_table(fits: Sequence[CBResult], names: Sequence[str], test: str = "standard"
              ) -> pd.DataFrame:
    """The comparison numbers, one row per model in the order given (no sorting).

    With a scaled ``test`` (robust or ordinal estimators) ``chisq_diff`` and ``pvalue`` are
    the scaled difference test lavaan's ``lavTestLRT`` chooses (see :data:`DIFF_METHOD`).
    """
    rows = []
    prev: dict[str, float] | None = None
    prev_fit: Any = None
    for fit in fits:
        f = fit.fit_measures
        row = {k: float(f.get(k, math.nan)) for k in ("npar", "df", "chisq", "cfi", "tli",
                                                       "rmsea", "srmr", "aic", "bic")}
        if test in DIFF_METHOD:
            # report the indices a paper gives for these estimators
            for k in ("cfi", "tli", "rmsea"):
                row[k] = float(f.get(f"{k}_robust", f.get(f"{k}_scaled", math.nan)))
        row.update(chisq_diff=math.nan, df_diff=math.nan, pvalue=math.nan,
                   delta_cfi=math.nan, delta_rmsea=math.nan)
        if prev is not None:
            d_chisq = row["chisq"] - prev["chisq"]
            d_df = row["df"] - prev["df"]
            p = float(chi2_sf(max(d_chisq, 0.0), d_df)) if d_df > 0 else math.nan
            if test in DIFF_METHOD:
                d_chisq, p = _scaled_difference(test, prev_fit, fit)
            row.update(chisq_diff=d_chisq, df_diff=d_df, pvalue=p,
                       delta_cfi=row["cfi"] - prev["cfi"],
                       delta_rmsea=row["rmsea"] - prev["rmsea"])
        rows.append(row)
        prev, prev_fit = row, fit
    out = pd.DataFrame(rows, index=pd.Index(list(names), name="model"),
                       columns=COMPARE_COLUMNS)
    out["npar"] = out["npar"].astype(int)
    out["df"] = out["df"].astype(int)
    return out


def apa_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison table as strings in APA style."""
    def num(v: float, d: int = 2, bounded: bool = False) -> str:
        return "" if v is None or not np.isfinite(v) else apa(v, d, bounded)

    out = pd.DataFrame({
        "Model": list(table.index),
        "χ²": [num(v) for v in table["chisq"]],
        "df": [str(int(v)) for v in table["df"]],
        "CFI": [num(v, 3, True) for v in table["cfi"]],
        "TLI": [num(v, 3, True) for v in table["tli"]],
        "RMSEA": [num(v, 3, True) for v in table["rmsea"]],
        "SRMR": [num(v, 3, True) for v in table["srmr"]],
        "AIC": [num(v, 1) for v in table["aic"]],
        "BIC": [num(v, 1) for v in table["bic"]],
        "Δχ²": [num(v) for v in table["chisq_diff"]],
        "Δdf": ["" if not np.isfinite(v) else str(int(v)) for v in table["df_diff"]],
        "p": [apa_p(v) for v in table["pvalue"]],
        "ΔCFI": [num(v, 3, True) for v in table["delta_cfi"]],
        "ΔRMSEA": [num(v, 3, True) for v in table["delta_rmsea"]],
    })
    if "decision" in table.columns:
        out["Decision"] = list(table["decision"])
    return out


@dataclass
class Comparison(OneTable):
    """Nested models compared: ``table`` holds the numbers; renders as an APA table.

    Use :meth:`report` (or :meth:`to_markdown`, :meth:`to_latex`, :meth:`to_html`) for the
    formatted table, :meth:`apa` for one sentence per comparison.
    """

    table: pd.DataFrame
    method: str = "standard"
    #: With :func:`semwidget.tables.nesting.compare_models`: each pair's nesting check.
    nesting: list[Any] = field(default_factory=list)

    def section(self, title: str = "Model comparison") -> Section:
        """The formatted table as a report section."""
        note = ("Each model is tested against the model above it (likelihood-ratio test, "
                "lavaan's lavTestLRT). Δ = this model minus the one above.")
        if self.method != "standard":
            who = METHOD_NAMES.get(self.method, self.method)
            note += (f" χ² are the standard statistics; Δχ² is the scaled difference test "
                     f"({who}); CFI, TLI and RMSEA are the robust versions.")
        return Section(title, apa_rows(self.table), note)

    def apa(self) -> str:
        """One APA-style sentence per comparison (each model against the one above)."""
        t = self.table
        out = []
        for k in range(1, len(t)):
            r = t.iloc[k]
            check = next((c for c in self.nesting if c.restricted == t.index[k]
                          or c.general == t.index[k]), None) if self.nesting else None
            if check is not None and not check.nested:
                out.append(check.sentence())
                continue
            out.append(
                f"{t.index[k]} vs. {t.index[k - 1]}: Δχ²({int(r['df_diff'])}) = "
                f"{apa(r['chisq_diff'])}, p {_p_text(r['pvalue'])}, ΔCFI = "
                f"{apa(r['delta_cfi'], 3, True)}, ΔRMSEA = {apa(r['delta_rmsea'], 3, True)}.")
        return "\n".join(out)


def _p_text(p: float) -> str:
    text = apa_p(p)
    return text if text.startswith("<") else f"= {text}"


def compare(*fits: Any, names: Sequence[str] | None = None) -> Comparison:
    """Compare nested CB-SEM models by likelihood-ratio tests (lavaan's ``lavTestLRT``).

    Parameters
    ----------
    *fits : FitResult
        Two or more ML fits of the same data, nested in each other.
    names : sequence of str, optional
        Row names (default ``model 1``, ``model 2``, ... in the order given).

    Returns
    -------
    Comparison
        ``.table`` (sorted by df, as lavaan): ``npar df chisq cfi tli rmsea srmr aic bic
        chisq_diff df_diff pvalue delta_cfi delta_rmsea``; ``.apa()``, ``.to_markdown()``...

    Raises
    ------
    ModelSpecError
        Fewer than two fits, a PLS fit, another estimator than ML, or different data sizes.
    """
    if len(fits) < 2:
        raise ModelSpecError("compare() needs two or more fitted models")
    names = [f"model {k}" for k in range(1, len(fits) + 1)] if names is None else list(names)
    if len(names) != len(fits):
        raise ModelSpecError(f"compare() got {len(fits)} models but {len(names)} names")
    for name, fit in zip(names, fits, strict=True):
        if getattr(fit, "engine", None) != "sem" or not hasattr(fit, "fit_measures"):
            raise ModelSpecError(f"{name} is not a CB-SEM fit; compare() tests nested "
                                 "covariance-based models")
        if fit.estimator in ("GLS", "ULS") or (fit.estimator == "DWLS"
                                                 and fit.options.get("test") == "standard"):
            raise ModelSpecError(f"{name} was fitted with {fit.estimator}; compare() needs ML, "
                                 "a robust estimator (MLR, MLM, MLMV) or WLSMV/ULSMV")
    tests = {str(f.options.get("test", "standard")) for f in fits}
    estimators = {f.estimator for f in fits}
    if len(tests) > 1 or len(estimators) > 1:
        raise ModelSpecError(f"compare() needs every model fitted the same way; got the "
                             f"estimators {sorted(estimators)} and tests {sorted(tests)}")
    test = tests.pop()
    if test not in ("standard", *DIFF_METHOD):
        raise ModelSpecError(f"compare() has no difference test for test='{test}'")
    n = {int(f.nobs) for f in fits}
    if len(n) > 1:
        raise ModelSpecError(f"the models were fitted to different numbers of observations "
                             f"({sorted(n)}); nested models share their data")
    order = sorted(range(len(fits)), key=lambda k: (fits[k].fit_measures["df"], k))
    return Comparison(lrt_table([fits[k] for k in order], [names[k] for k in order], test),
                      DIFF_METHOD.get(test, "standard"))
