"""compare() of robust and ordinal fits: lavTestLRT's scaled difference tests.

Reference numbers: lavaan 0.6.14, ``lavTestLRT(f1, f0)`` on the HS CFA (``f1``) and the same
model with two pairs of loadings held equal (``f0``), by tests/golden/make_robust_golden.R's
models and data (the R lines are in the comments); the default method is Satorra & Bentler
(2001) for MLR and MLM and Satorra (2000, scaled and shifted) for MLMV and WLSMV.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import semwidget
from semwidget.errors import ModelSpecError

ROOT = Path(__file__).resolve().parent.parent
FREE = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
EQUAL = "visual =~ x1 + a*x2 + a*x3\ntextual =~ x4 + b*x5 + b*x6\nspeed =~ x7 + x8 + x9"

# lavTestLRT(cfa(FREE, hs, estimator = e), cfa(EQUAL, hs, estimator = e))
LAVAAN = {"MLR": (10.859, 0.004384), "MLM": (12.528, 0.001904), "MLMV": (11.248, 0.003609)}


@pytest.mark.parametrize("estimator", sorted(LAVAAN))
def test_scaled_difference_as_lavtestlrt(estimator: str) -> None:
    hs = semwidget.datasets.load("hs1939")
    free = semwidget.fit(FREE, hs, estimator=estimator)
    equal = semwidget.fit(EQUAL, hs, estimator=estimator)
    table = semwidget.compare(equal, free, names=["equal", "free"]).table
    assert list(table.index) == ["free", "equal"]
    diff, p = LAVAAN[estimator]
    assert table.loc["equal", "chisq_diff"] == pytest.approx(diff, abs=1e-3)
    assert table.loc["equal", "pvalue"] == pytest.approx(p, abs=1e-6)
    assert table.loc["equal", "df_diff"] == 2


def test_wlsmv_difference_as_lavtestlrt() -> None:
    data = pd.read_csv(ROOT / "tests" / "golden" / "data" / "hs_ordinal.csv")
    ordered = [f"x{i}c4" for i in range(1, 10)]
    def items(model: str) -> str:
        return re.sub(r"\b(x[1-9])\b", r"\1c4", model)

    free = semwidget.fit(items(FREE), data, ordered=ordered)
    equal = semwidget.fit(items(EQUAL), data, ordered=ordered)
    comparison = semwidget.compare(free, equal)
    # lavTestLRT(f1, f0) on the ordinal items: Chisq diff 0.189521, p 0.909591
    assert comparison.table.iloc[1]["chisq_diff"] == pytest.approx(0.189521, abs=1e-4)
    assert comparison.table.iloc[1]["pvalue"] == pytest.approx(0.909591, abs=1e-4)
    assert comparison.method == "satorra.2000"
    assert "scaled difference" in comparison.to_markdown()


def test_mixed_estimators_are_refused() -> None:
    hs = semwidget.datasets.load("hs1939")
    with pytest.raises(ModelSpecError, match="fitted the same way"):
        semwidget.compare(semwidget.fit(FREE, hs), semwidget.fit(EQUAL, hs, estimator="MLR"))
