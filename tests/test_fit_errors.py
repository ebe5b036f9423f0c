"""Bad input gets one clear message (issue 2, "Bad input")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import semwidget
from semwidget.errors import DataError, ModelSpecError, ModelSyntaxError

HS = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


def test_empty_model(hs: pd.DataFrame) -> None:
    with pytest.raises(ModelSyntaxError, match="empty"):
        semwidget.fit("  # nothing here\n", hs)


def test_unknown_operator(hs: pd.DataFrame) -> None:
    with pytest.raises(ModelSyntaxError, match=r"line 2, column \d+"):
        semwidget.fit("f =~ x1 + x2 + x3\nf -> x4", hs)


def test_unbalanced_parentheses(hs: pd.DataFrame) -> None:
    with pytest.raises(ModelSyntaxError, match="line 1"):
        semwidget.fit("f =~ start(0.5*x1 + x2 + x3", hs)


def test_name_missing_from_data(hs: pd.DataFrame) -> None:
    with pytest.raises(ModelSpecError, match="'x42' is not a column"):
        semwidget.fit("f =~ x1 + x2 + x42", hs)


def test_non_numeric_column(hs: pd.DataFrame) -> None:
    data = hs.copy()
    data["x2"] = ["a"] + list(data["x2"].astype(str)[1:])
    with pytest.raises(DataError, match="column 'x2' holds text such as 'a' \\(row 0\\)"):
        semwidget.fit(HS, data)


def test_constant_column(hs: pd.DataFrame) -> None:
    data = hs.assign(x3=2.0)
    with pytest.raises(DataError, match="column 'x3' is constant"):
        semwidget.fit(HS, data)


def test_fewer_rows_than_variables(hs: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="5 usable rows for 9 variables"):
        semwidget.fit(HS, hs.head(5))


def test_negative_df_names_counts(hs: pd.DataFrame) -> None:
    with pytest.raises(ModelSpecError, match=r"7 free parameters, 6 moments"):
        semwidget.fit("f =~ x1 + x2 + x3\nx1 ~~ x2", hs)


def test_unidentified_with_nonnegative_df(hs: pd.DataFrame) -> None:
    # two indicators, uncorrelated with anything else: df >= 0 but one loading is not determined
    model = "f =~ x1 + x2\ng =~ x4 + x5 + x6\nf ~~ 0*g"
    with pytest.raises(ModelSpecError, match="not identified"):
        semwidget.fit(model, hs)


def test_unknown_option(hs: pd.DataFrame) -> None:
    with pytest.raises(TypeError, match="bootstraps"):
        semwidget.fit(HS, hs, bootstraps=10)
    with pytest.raises(ModelSpecError, match="unknown estimator"):
        semwidget.fit(HS, hs, estimator="BOGUS")
    with pytest.raises(ModelSpecError, match="ordered="):
        semwidget.fit(HS, hs, estimator="WLSMV")


def test_data_not_a_frame() -> None:
    with pytest.raises(DataError, match="DataFrame"):
        semwidget.fit(HS, np.zeros((10, 9)))


def test_heywood_case_is_reported(hs: pd.DataFrame) -> None:
    # a two-indicator factor with a free loading and free variance near a boundary
    model = "f =~ x1 + x2 + x3\ng =~ x4 + x5\nx4 ~~ -0.1*x4"
    result = semwidget.fit(model, hs)
    assert any("Heywood" in w and "'x4'" in w for w in result.warnings)
