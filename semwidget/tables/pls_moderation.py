"""Simple slopes of a two-stage PLS moderation: the table and the bqplot figure.

With standardized scores, ``y = b_x x + b_m m + b_xm (x m - mean(x m)) + ...``, so the effect of
``x`` at a moderator level ``m`` (in standard deviations) is ``b_x + b_xm m`` and the line's
intercept ``b_m m - b_xm mean(x m)``; SmartPLS draws these lines at -1 SD, the mean and +1 SD.
Bootstrap intervals of a slope are the percentiles of ``b_x + b_xm m`` over the resamples.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.pls.result import PLSResult


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
