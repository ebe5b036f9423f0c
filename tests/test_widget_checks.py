"""Model and fit warnings, positions kept through a rename, indirect effects defined once."""

from __future__ import annotations

import pandas as pd
import pytest
from model_texts import HS

from semwidget.errors import SemWidgetError
from semwidget.widget import SEMWidget, checks

HEYWOOD = "visual =~ x1 + x2\ntextual =~ x4 + x5 + x6\nvisual ~~ 5*visual\n"


@pytest.fixture(scope="module")
def hs() -> pd.DataFrame:
    from semwidget import datasets

    return datasets.load("hs1939")


def test_an_unknown_variable_is_named_before_any_fit(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, "visual =~ x1 + x2 + extra", auto_fit=False)
    assert [item["variables"] for item in w.warnings] == [["extra"]]
    assert "'extra' is not a column of the data" in w.warnings[0]["message"]
    w.syntax = "visual =~ x1 + x2 + x3"
    assert w.warnings == []
    # without data there is nothing to compare with
    assert SEMWidget(syntax="visual =~ x1 + x2 + extra").warnings == []


def test_heywood_case_reaches_the_widget_pointing_at_the_variable(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, HEYWOOD, auto_fit=False)
    w.fit()
    messages = {item["message"]: item["variables"] for item in w.warnings}
    heywood = [m for m in messages if m.startswith("Heywood case")]
    assert heywood and messages[heywood[0]] == ["x1"]
    r2 = [m for m in messages if m.startswith("R² of 'x1'")]
    assert r2 and messages[r2[0]] == ["x1"]
    assert all(item["source"] == "fit" for item in w.warnings)
    w.syntax = HS
    w.fit()
    assert w.warnings == []


def test_fit_warnings_flag_a_standardized_loading_beyond_one() -> None:
    results = {"edges": {"f =~ a": {"std": 1.25}, "f =~ b": {"std": 0.5}}, "r2": {"a": 1.57}}
    found = checks.fit_warnings(results, ["f", "a", "b"])
    assert [item["variables"] for item in found] == [["a"], ["f", "a"]]


def test_warnings_point_at_the_parameters_they_name(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, HEYWOOD, auto_fit=False)
    w.fit()
    by_message = {item["message"]: item for item in w.warnings}
    heywood = next(v for m, v in by_message.items() if m.startswith("Heywood case"))
    assert heywood["parameters"] == ["x1 ~~ x1"]  # the residual variance, drawn as an edge
    r2 = next(v for m, v in by_message.items() if m.startswith("R² of 'x1'"))
    assert r2["parameters"] == ["x1 ~~ x1"]
    assert "x1 ~~ x1" in w.results["edges"]


def test_a_quoted_parameter_in_a_warning_is_found_in_either_order() -> None:
    results = {"warnings": ["the estimate of 'b ~~ a' is at its bound", "not positive definite"],
               "edges": {"a ~~ b": {"std": 0.2}}}
    found = checks.fit_warnings(results, ["a", "b"])
    assert found[0]["parameters"] == ["a ~~ b"]
    # a warning naming nothing is about the whole model: no variables, no parameters
    assert found[1]["variables"] == [] and found[1]["parameters"] == []


def test_a_standardized_loading_beyond_one_points_at_its_edge() -> None:
    results = {"edges": {"f =~ a": {"std": 1.25}}, "r2": {}}
    assert checks.fit_warnings(results, ["f", "a"])[0]["parameters"] == ["f =~ a"]


def test_a_node_renamed_in_the_syntax_keeps_its_position() -> None:
    w = SEMWidget(syntax=HS)
    before = dict(w.positions)
    w.syntax = HS.replace("visual", "vis")
    assert w.positions["vis"] == before["visual"]
    for name, position in before.items():
        if name != "visual":
            assert w.positions[name] == position, name
    w.syntax = w.syntax.replace("x1", "item1")
    assert w.positions["item1"] == before["x1"]


def test_the_same_indirect_effect_is_not_added_twice(hs: pd.DataFrame) -> None:
    data = hs[["x1", "x2", "x3"]].rename(columns={"x2": "m", "x3": "y"})
    w = SEMWidget(data, "m ~ x1\ny ~ m + x1\n", auto_fit=False)
    names = w.add_indirect("x1", "y")
    assert names == ["ind_x1_y"]
    with pytest.raises(SemWidgetError, match="already defined, as 'ind_x1_y'"):
        w.add_indirect("x1", "y")
    with pytest.raises(SemWidgetError, match="already defined"):
        w.add_indirect("x1", chain=["x1", "m", "y"])
    assert w.syntax.count(":=") == 1
