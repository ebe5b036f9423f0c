"""Shared loaders of the PLS golden tests (data sets and the path rows of a result)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

GOLDEN = Path(__file__).parent / "golden_pls"


@cache
def data(file: str) -> pd.DataFrame:
    """A data set of ``tests/golden_pls/data/``."""
    return pd.read_csv(GOLDEN / "data" / file)


def paths_of(result) -> dict[tuple[str, str], pd.Series]:
    """The ``~`` rows of ``result.estimates`` by ``(source, target)``."""
    est = result.estimates
    return {(row.rhs, row.lhs): row for _, row in est[est.op == "~"].iterrows()}


def path_order(result) -> list[tuple[str, str]]:
    """``(source, target)`` of the paths in the column order of ``boot_samples["paths"]``."""
    est = result.estimates
    return [(row.rhs, row.lhs) for _, row in est[est.op == "~"].iterrows()]
