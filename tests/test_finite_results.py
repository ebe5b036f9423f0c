"""finite_result(): every ±inf a result holds becomes NaN with one note naming where it was.

The check reads a frame's float storage blocks at once (cb and pls results hold five or more
frames per fit); text, integer and extension columns must still be handled.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from semwidget.model.numeric import finite_result


@dataclasses.dataclass
class _Result:
    table: pd.DataFrame
    fit_measures: dict
    chisq: float
    warnings: list


def _result(table: pd.DataFrame) -> _Result:
    return _Result(table, {"cfi": 1.0, "rmsea": np.inf}, -np.inf, [])


@pytest.mark.parametrize("text_dtype", [object, "string"])
def test_infinities_in_a_mixed_frame_become_nan_with_a_note(text_dtype: object) -> None:
    table = pd.DataFrame({"lhs": pd.array(["f", "f", "x1"], dtype=text_dtype),
                          "op": ["=~", "=~", "~~"], "rhs": ["x1", "x2", "x1"],
                          "free": [0, 1, 2], "est": [1.0, np.inf, 0.5],
                          "se": [0.0, 0.1, -np.inf]})
    r = finite_result(_result(table))
    assert np.isnan(r.table.at[1, "est"]) and np.isnan(r.table.at[2, "se"])
    assert r.table.at[2, "est"] == 0.5 and r.table["lhs"].tolist() == ["f", "f", "x1"]
    assert math.isnan(r.fit_measures["rmsea"]) and math.isnan(r.chisq)
    note = next(w for w in r.warnings if w.startswith("table:"))
    assert "est, se" in note and "f =~ x2" in note and "x1 ~~ x1" in note
    assert any("rmsea" in w for w in r.warnings) and any("chisq" in w for w in r.warnings)


def test_a_finite_frame_is_handed_back_untouched() -> None:
    table = pd.DataFrame({"lhs": ["f"], "op": ["=~"], "rhs": ["x1"], "est": [np.nan],
                          "n": [3]})
    r = finite_result(_Result(table, {"cfi": 1.0}, 2.0, []))
    assert r.table is table and r.warnings == []


def test_float_extension_columns_are_checked_too() -> None:
    table = pd.DataFrame({"v": pd.array([1.0, np.inf], dtype="Float64"), "w": [1.0, 2.0]})
    r = finite_result(_result(table))
    assert pd.isna(r.table.at[1, "v"]) and r.table.at[0, "v"] == 1.0
    assert any(w.startswith("table: v of") for w in r.warnings)
