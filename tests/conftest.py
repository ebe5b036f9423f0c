"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parent.parent / "semwidget" / "datasets"


@pytest.fixture(scope="session")
def hs() -> pd.DataFrame:
    """Holzinger & Swineford (1939), x1..x9, n = 301."""
    return pd.read_csv(DATA / "hs1939.csv")


@pytest.fixture(scope="session")
def poldem() -> pd.DataFrame:
    """Bollen's Political Democracy data, n = 75."""
    return pd.read_csv(DATA / "poldem.csv")
