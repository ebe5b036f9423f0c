"""Interactive bqplot figures of a fitted CB-SEM model.

- :func:`bootstrap_plot`: bootstrap distribution of a parameter or defined effect with its CI;
- :func:`residual_heatmap`: residual correlations (lavaan's ``resid(fit, "cor")``);
- :func:`loadings_plot`: standardized loadings grouped by construct;
- :func:`modindices_plot`: the largest modification indices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult


def residual_correlations(result: CBResult) -> pd.DataFrame:
    """Sample minus model-implied correlations (lavaan's ``resid(fit, type = "cor")``)."""
    def cor(m: pd.DataFrame) -> np.ndarray:
        a = m.to_numpy()
        sd = np.sqrt(np.diag(a))
        return a / np.outer(sd, sd)

    names = list(result.sample_cov.columns)
    return pd.DataFrame(cor(result.sample_cov) - cor(result.implied_cov), index=names,
                        columns=names)


def _find_row(result: CBResult, name: str) -> int:
    """Table row of a ``:=`` name, a label, or ``"lhs op rhs"``."""
    t = result.table
    hit = t.index[(t["op"] == ":=") & (t["lhs"] == name)]
    if len(hit) == 0:
        hit = t.index[(t["label"] == name) & t["op"].isin(["=~", "~", "~~"])]
    if len(hit) == 0:
        key = " ".join(name.split())
        text = t["lhs"] + " " + t["op"] + " " + t["rhs"]
        hit = t.index[text == key]
    if len(hit) == 0:
        raise ModelSpecError(f"'{name}' is neither a defined parameter, a label, nor a row "
                             "like 'y ~ x' of the model", name=name)
    return int(hit[0])


def bootstrap_plot(result: CBResult, name: str, bins: int = 40) -> Any:
    """Histogram of the bootstrap replicates of ``name`` with the estimate and its CI.

    Parameters
    ----------
    result : CBResult
        A fit with ``se="bootstrap"``.
    name : str
        A defined parameter (``ind``), a label (``a``) or a row (``"y ~ x"``).
    """
    import bqplot as bq

    boot = getattr(result, "bootstrap", None)
    if boot is None:
        raise ModelSpecError("this fit has no bootstrap replicates: fit with se='bootstrap'")
    row = _find_row(result, name)
    draws = boot.est[:, row]
    draws = draws[np.isfinite(draws)]
    counts, edges = np.histogram(draws, bins=bins)
    mids = (edges[:-1] + edges[1:]) / 2
    x = bq.LinearScale()
    y = bq.LinearScale(min=0)
    bars = bq.Bars(x=mids, y=counts, scales={"x": x, "y": y}, padding=0.05,
                   colors=["#8fb3d9"], tooltip=bq.Tooltip(fields=["x", "y"], formats=[".3f", ""]))
    est = float(result.table.at[row, "est"])
    lo = float(result.table.at[row, "ci_lower"])
    hi = float(result.table.at[row, "ci_upper"])
    top = float(counts.max()) if counts.size else 1.0
    marks: list[Any] = [bars]
    for value, color, style in ((lo, "#c0392b", "dashed"), (hi, "#c0392b", "dashed"),
                                (est, "black", "solid"), (0.0, "gray", "dotted")):
        marks.append(bq.Lines(x=[value, value], y=[0, top], scales={"x": x, "y": y},
                              colors=[color], line_style=style))
    level = int(round(100 * boot.level))
    title = f"{name}: {est:.3f}, {level}% CI [{lo:.3f}, {hi:.3f}] ({boot.ok} resamples)"
    return bq.Figure(marks=marks, axes=[bq.Axis(scale=x, label=name),
                                        bq.Axis(scale=y, side="left",
                                                label="resamples")],
                     title=title)


def residual_heatmap(result: CBResult) -> Any:
    """Heat map of the residual correlations; hover shows the pair and the value."""
    import bqplot as bq

    res = residual_correlations(result)
    names = list(res.columns)
    lim = max(float(np.abs(res.to_numpy()).max()), 1e-3)
    col = bq.ColorScale(scheme="RdBu", min=-lim, max=lim, reverse=True)
    grid = bq.GridHeatMap(color=res.to_numpy(), row=names, column=names,
                          scales={"row": bq.OrdinalScale(reverse=True),
                                  "column": bq.OrdinalScale(), "color": col},
                          tooltip=bq.Tooltip(fields=["row", "column", "color"],
                                             formats=["", "", ".3f"]))
    return bq.Figure(marks=[grid], axes=[
        bq.Axis(scale=grid.scales["column"]),
        bq.Axis(scale=grid.scales["row"], side="left"),
        bq.ColorAxis(scale=col)], title="Residual correlations (sample − implied)",
        padding_y=0.0)


def loadings_plot(result: CBResult, threshold: float = 0.7) -> Any:
    """Standardized loadings as bars coloured by construct, with a reference line."""
    import bqplot as bq

    est = result.estimates
    load = est[est["op"] == "=~"]
    if load.empty:
        raise ModelSpecError("the model has no loadings ('=~') to plot")
    labels = [f"{a}: {b}" for a, b in zip(load["lhs"], load["rhs"], strict=True)]
    constructs = list(dict.fromkeys(load["lhs"]))
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#7f7f7f", "#bcbd22", "#17becf"]
    colors = [palette[constructs.index(f) % len(palette)] for f in load["lhs"]]
    x = bq.OrdinalScale()
    y = bq.LinearScale(min=min(0.0, float(load["std_all"].min())), max=1.0)
    bars = bq.Bars(x=labels, y=load["std_all"].to_numpy(), scales={"x": x, "y": y},
                   colors=colors, tooltip=bq.Tooltip(fields=["x", "y"], formats=["", ".3f"]))
    line = bq.Lines(x=[labels[0], labels[-1]], y=[threshold, threshold],
                    scales={"x": x, "y": y}, colors=["gray"], line_style="dashed")
    return bq.Figure(marks=[bars, line], axes=[
        bq.Axis(scale=x, tick_rotate=-45), bq.Axis(scale=y, side="left",
                                                   label="standardized loading")],
        title="Standardized loadings by construct")


def modindices_plot(result: CBResult, top: int = 10) -> Any:
    """Horizontal bars of the ``top`` largest modification indices (3.84 marked)."""
    import bqplot as bq

    from semwidget.cb.modindices import modindices

    mi = modindices(result, sort=True, top=top)
    if mi.empty:
        raise ModelSpecError("the model has no modification indices (it may be saturated)")
    labels = [f"{a} {o} {b}" for a, o, b in zip(mi["lhs"], mi["op"], mi["rhs"], strict=True)]
    x = bq.OrdinalScale(reverse=True)
    y = bq.LinearScale(min=0)
    bars = bq.Bars(x=labels, y=mi["mi"].to_numpy(), orientation="horizontal",
                   scales={"x": x, "y": y}, colors=["#8c564b"],
                   tooltip=bq.Tooltip(fields=["x", "y"], formats=["", ".2f"]))
    crit = bq.Lines(x=[labels[0], labels[-1]], y=[3.84, 3.84], scales={"x": x, "y": y},
                    colors=["gray"], line_style="dashed")
    return bq.Figure(marks=[bars, crit], axes=[
        bq.Axis(scale=x, side="left"),
        bq.Axis(scale=y, label="modification index (χ², 1 df)")],
        title=f"Top {len(mi)} modification indices", fig_margin={"top": 40, "bottom": 40,
                                                                 "left": 120, "right": 20})


def power_curve(result: Any, effects: Any = None) -> Any:
    """Power against sample size, one line per path or effect, with the target power marked.

    Parameters
    ----------
    result : Power
        From :func:`semwidget.power`.
    effects : sequence of str, optional
        The quantities to draw (default: all).
    """
    import bqplot as bq

    grid = result.power
    names = list(grid.columns) if effects is None else [str(e) for e in effects]
    missing = [e for e in names if e not in grid.columns]
    if missing:
        raise ModelSpecError(f"'{missing[0]}' is not among the simulated effects "
                             f"({', '.join(map(str, grid.columns))})", name=missing[0])
    ns = grid.index.to_numpy(dtype=float)
    x = bq.LinearScale()
    y = bq.LinearScale(min=0.0, max=1.0)
    lines = bq.Lines(x=ns, y=[grid[e].to_numpy(dtype=float) for e in names],
                     scales={"x": x, "y": y}, labels=names, display_legend=True,
                     marker="circle", tooltip=bq.Tooltip(fields=["x", "y"],
                                                         formats=[".0f", ".3f"]))
    goal = bq.Lines(x=[ns.min(), ns.max()], y=[result.target, result.target],
                    scales={"x": x, "y": y}, colors=["gray"], line_style="dashed")
    return bq.Figure(marks=[lines, goal], axes=[
        bq.Axis(scale=x, label="sample size n"),
        bq.Axis(scale=y, side="left", label="power", tick_format=".0%")],
        title=f"Power (α = {result.alpha}, {result.reps} replications per n)",
        legend_location="bottom-right")
