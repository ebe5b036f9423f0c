"""PLS moderation: simple slopes (table and bqplot figure), the APA table and text.

They read ``result.moderation`` and the paths, so they serve every ``interaction=``
approach: two-stage, product indicators and orthogonalized product indicators. In each the
interaction score stands for the centred product of the two standardized construct scores
(on its scale, see :mod:`semwidget.pls.product_terms`), so with standardized scores
``y = b_x x + b_m m + b_xm (x m - mean(x m)) + ...``: the effect of ``x`` at a moderator
level ``m`` (in standard deviations) is ``b_x + b_xm m`` and the line's intercept
``b_m m - b_xm mean(x m)``; SmartPLS draws these lines at -1 SD, the mean and +1 SD.
Bootstrap intervals of a slope are the percentiles of ``b_x + b_xm m`` over the resamples.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.pls.result import PLSResult
from semwidget.tables.report import Section, apa, apa_p

#: How the notes name and cite each approach.
APPROACHES = {
    "two_stage": "two-stage approach (Henseler & Chin, 2010)",
    "product_indicator": "product-indicator approach (Chin, Marcolin & Newsted, 2003)",
    "orthogonal": "orthogonalizing approach (Little, Bovaird & Widaman, 2006)",
}


def _term(result: PLSResult, term: str | None) -> tuple[str, dict[str, Any], str]:
    """The product term, its record and its target construct."""
    if not result.moderation:
        raise ModelSpecError("the fit has no interaction term (write one as 'y ~ x + m + x:m')")
    if term is None:
        term = next(iter(result.moderation))
    if term not in result.moderation:
        raise ModelSpecError(
            f"'{term}' is not an interaction term of the fit; it has "
            f"{', '.join(result.moderation)}", name=term,
        )  # fmt: skip
    est = result.estimates
    target = est.loc[(est.op == "~") & (est.rhs == term), "lhs"]
    return term, result.moderation[term], str(target.iloc[0])


def simple_slopes(
    result: PLSResult, term: str | None = None, levels: Sequence[float] = (-1.0, 0.0, 1.0)
) -> pd.DataFrame:
    """Effect of the independent variable at moderator levels (standard deviations).

    Parameters
    ----------
    result : PLSResult
        A fit with an interaction term ``x:m``.
    term : str, optional
        The product term (default: the first).
    levels : sequence of float
        Moderator values in standard deviations.

    Returns
    -------
    DataFrame
        ``level slope intercept`` (+ ``ci_lower ci_upper``, 95% percentile, when bootstrapped).
    """
    term, info, target = _term(result, term)
    est = result.estimates
    rows = est[est.op == "~"].reset_index(drop=True)

    def position(source: str) -> int | None:
        hit = rows.index[(rows.rhs == source) & (rows.lhs == target)]
        return int(hit[0]) if len(hit) else None

    j_x, j_m, j_xm = position(info["iv"]), position(info["moderator"]), position(term)
    if j_x is None:
        raise ModelSpecError(
            f"the interaction '{term}' needs the main effect '{target} ~ {info['iv']}'",
            name=info["iv"],
        )
    b = rows.est.to_numpy()
    b_m = b[j_m] if j_m is not None else 0.0
    out = pd.DataFrame({"level": np.asarray(levels, dtype=float)})
    out["slope"] = b[j_x] + b[j_xm] * out.level
    out["intercept"] = b_m * out.level - b[j_xm] * info["mean"]
    samples = result.boot_samples.get("paths")
    if samples is not None and len(samples):
        slopes = samples[:, [j_x]] + samples[:, [j_xm]] * out.level.to_numpy()[None, :]
        out["ci_lower"], out["ci_upper"] = np.quantile(slopes, [0.025, 0.975], axis=0)
    return out


def simple_slope_plot(
    result: PLSResult, term: str | None = None, levels: Sequence[float] = (-1.0, 0.0, 1.0)
) -> Any:
    """bqplot figure: the target against the independent variable at each moderator level."""
    import bqplot as bq

    term, info, target = _term(result, term)
    table = simple_slopes(result, term, levels)
    x = np.linspace(-2.0, 2.0, 2)
    sx, sy = bq.LinearScale(), bq.LinearScale()
    lines = bq.Lines(
        x=x, y=[r.intercept + r.slope * x for r in table.itertuples()],
        scales={"x": sx, "y": sy}, display_legend=True,
        labels=[f"{info['moderator']} at {lv:+g} SD" if lv else f"{info['moderator']} at mean"
                for lv in table.level],
    )  # fmt: skip
    axes = [
        bq.Axis(scale=sx, label=f"{info['iv']} (SD)"),
        bq.Axis(scale=sy, orientation="vertical", label=f"{target} (SD)"),
    ]
    return bq.Figure(marks=[lines], axes=axes, title=f"Simple slopes of {term}")


def _interaction_rows(result: PLSResult) -> list[tuple[dict[str, Any], Any, pd.DataFrame]]:
    """Per product term: its record, its ``~`` row and its simple slopes at -1, 0, +1 SD."""
    if not result.moderation:
        raise ModelSpecError("the fit has no interaction term (write one as 'y ~ x + m + x:m')")
    est = result.estimates
    out = []
    for term, info in result.moderation.items():
        row = est[(est.op == "~") & (est.rhs == term)].iloc[0]
        out.append((info, row, simple_slopes(result, term)))
    return out


def moderation_table(result: PLSResult, digits: int = 3) -> Section:
    """APA table of the interaction terms: the path, its bootstrap test and simple slopes.

    Parameters
    ----------
    result : PLSResult
        A fit with at least one product term ``x:m`` (any ``interaction=`` approach).
    digits : int
        Decimals of the coefficients.

    Returns
    -------
    Section
        One row per term: ``Interaction``, ``Approach``, ``β``, ``SE``, ``t``, ``p``,
        ``95% CI`` and the slopes of the independent variable at -1 SD, the mean and +1 SD
        of the moderator (bootstrap columns empty without ``bootstrap=``).
    """
    rows = []
    for info, row, slopes in _interaction_rows(result):
        ci = (f"[{apa(row.ci_lower, digits)}, {apa(row.ci_upper, digits)}]"
              if np.isfinite(row.ci_lower) else "")  # fmt: skip
        rec = {
            "Interaction": f"{info['iv']} × {info['moderator']} → {row.lhs}",
            "Approach": info.get("method", "two_stage").replace("_", "-"),
            "β": apa(row.est, digits), "SE": apa(row.se, digits), "t": apa(row.t, 2),
            "p": apa_p(row.pvalue), "95% CI": ci,
        }  # fmt: skip
        for level, slope in zip(slopes.level, slopes.slope, strict=True):
            where = "mean" if level == 0 else f"{level:+g} SD"
            rec[f"Slope at {where}"] = apa(slope, digits)
        rows.append(rec)
    methods = dict.fromkeys(info.get("method", "two_stage") for info in result.moderation.values())
    note = (
        f"PLS-SEM, {' and '.join(APPROACHES[m] for m in methods)}. Standardized "
        "coefficients; the slopes are the effect of the independent variable at the "
        "moderator's level (standard deviations)."
    )
    if result.bootstrap:
        note += (f" SE, t, p and the percentile CI from {result.bootstrap} bootstrap "
                 "resamples.")  # fmt: skip
    return Section("Moderation: interaction terms", pd.DataFrame(rows), note)


def moderation_apa(result: PLSResult) -> str:
    """APA-style sentences on each interaction term and its simple slopes."""
    sentences = []
    for info, row, slopes in _interaction_rows(result):
        method = info.get("method", "two_stage")
        test = ""
        if np.isfinite(row.pvalue):
            p = apa_p(row.pvalue)
            test = (f", t = {apa(row.t, 2)}, p {p if p.startswith('<') else '= ' + p}, "
                    f"95% CI [{apa(row.ci_lower, 2, True)}, {apa(row.ci_upper, 2, True)}]")
        low, high = slopes.slope.iloc[0], slopes.slope.iloc[-1]
        sentences.append(
            f"By the {APPROACHES[method]}, the interaction of {info['iv']} and "
            f"{info['moderator']} on {row.lhs} was β = {apa(row.est, 2, True)}{test}. "
            f"The effect of {info['iv']} on {row.lhs} was β = {apa(low, 2, True)} at "
            f"{slopes.level.iloc[0]:g} SD of {info['moderator']} and "
            f"β = {apa(high, 2, True)} at {slopes.level.iloc[-1]:+g} SD."
        )
    return " ".join(sentences)
