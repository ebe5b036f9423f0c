"""The IPMA table and the importance–performance map (bqplot) of a PLS fit."""

from __future__ import annotations

from typing import Any

import pandas as pd

from semwidget.pls.ipma import IPMAResult
from semwidget.tables.report import Section, apa


def ipma_table(result: IPMAResult, digits: int = 3) -> Section:
    """Importance (unstandardized total effect) and performance (0–100) per construct."""
    table = pd.DataFrame({
        "Construct": result.constructs.construct,
        "Importance": [apa(v, digits) for v in result.constructs.importance],
        "Performance": [apa(v, 2) for v in result.constructs.performance],
    })  # fmt: skip
    note = (f"Target construct: {result.target} (performance {apa(result.target_performance, 2)})."
            " Importance: unstandardized total effect on the target per point of the "
            "driver's 0–100 score; performance: mean rescaled score (Ringle & Sarstedt, 2016).")
    return Section(f"Importance–performance map of {result.target}", table, note)


def ipma_plot(result: IPMAResult, indicators: bool = False) -> Any:
    """Importance (x) against performance (y), one labelled point per construct or indicator."""
    import bqplot as bq

    frame = result.indicators if indicators else result.constructs
    names = list(frame["item"] if indicators else frame["construct"])
    sx, sy = bq.LinearScale(), bq.LinearScale()
    points = bq.Scatter(
        x=frame.importance.to_numpy(), y=frame.performance.to_numpy(), names=names,
        display_names=True, scales={"x": sx, "y": sy},
    )  # fmt: skip
    axes = [
        bq.Axis(scale=sx, label=f"Importance (total effect on {result.target})"),
        bq.Axis(scale=sy, orientation="vertical", label="Performance (0–100)"),
    ]
    return bq.Figure(marks=[points], axes=axes, title=f"IPMA of {result.target}")
