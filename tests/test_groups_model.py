"""The model stage with groups: c() modifiers, the group column, group_equal/partial errors."""

from __future__ import annotations

import pandas as pd
import pytest

import semwidget
from semwidget.errors import DataError, ModelSpecError, ModelSyntaxError
from semwidget.model import emit, parse
from semwidget.model.partable import build

HS3 = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


def test_parse_without_c_is_unchanged() -> None:
    assert list(parse(HS3).columns) == ["id", "lhs", "op", "rhs", "user", "free", "ustart",
                                        "label", "freed"]


def test_parse_c_modifiers_round_trip() -> None:
    text = ('f =~ x1 + c(a1, a2)*x2 + c(1, NA)*x3 + c("l1", "l1")*x4 + c(0.5, 0.5)*x5'
            " + NA*c(b, c)*x6")
    t = parse(text)
    assert list(t["by_group"]) == ["", "c(a1,a2)", "c(1,NA)", "c(l1,l1)", "c(0.5,0.5)",
                                   "c(b,c)"]
    assert t.loc[5, "freed"] == 1
    pd.testing.assert_frame_equal(parse(emit(t)), t)


@pytest.mark.parametrize(("text", "col", "message"), [
    ("f =~ c(1, 2)*x1 + c(1, 2, 3)*x2", 19, "3 entries here but 2 on line 1"),
    ("f =~ c(a, 1)*x1", 6, "mixes numbers and labels"),
    ("f =~ c(1, 2)*c(3, 4)*x1", 14, "the fixed value is given twice"),
    ("f =~ a*c(b, c)*x1", 8, "the label is given twice"),
    ("f =~ c(1, +)*x1", 11, "expected a number, NA or a label inside c(...)"),
])
def test_parse_c_errors_name_line_and_column(text: str, col: int, message: str) -> None:
    with pytest.raises(ModelSyntaxError, match=message) as err:
        parse(text)
    assert (err.value.line, err.value.column) == (1, col)


def test_build_groups_counts_and_labels() -> None:
    t = build(parse(HS3 + "\nvisual =~ c(1, NA)*x9"), groups=2,
              group_equal=["loadings", "intercepts"], group_partial=["x3 ~ 1"])
    assert set(t["group"]) == {1, 2}
    x2 = t[(t["rhs"] == "x2") & (t["op"] == "=~")]
    assert list(x2["label"]) == [".p2.", ".p2."] and x2["free"].nunique() == 1
    x3 = t[(t["lhs"] == "x3") & (t["op"] == "~1")]
    assert x3["free"].nunique() == 2 and list(x3["label"]) == ["", ""]
    means = t[(t["op"] == "~1") & t["lhs"].isin(["visual", "textual", "speed"])]
    assert list(means.groupby("group")["free"].apply(lambda f: (f > 0).all())) == [False, True]
    # c(1, NA) under equal loadings: the group-1 value is copied, as lavaan does
    x9 = t[(t["lhs"] == "visual") & (t["rhs"] == "x9")]
    assert list(x9["free"]) == [0, 0] and list(x9["ustart"]) == [1.0, 1.0]


def test_wrong_number_of_entries_names_the_statement() -> None:
    with pytest.raises(ModelSpecError, match=r"'visual =~ x2': c\(a,b\) has 2 entries but the "
                                             "data have 3 groups"):
        build(parse("visual =~ x1 + c(a, b)*x2 + x3"), groups=3)
    with pytest.raises(ModelSpecError, match="has 2 entries but the model has one group"):
        build(parse("visual =~ x1 + c(a, b)*x2 + x3"))


def test_group_option_errors() -> None:
    hs = semwidget.datasets.load("hs1939_school")
    with pytest.raises(ModelSpecError, match="unknown group_equal word 'loading'"):
        semwidget.fit(HS3, hs, group="school", group_equal="loading")
    with pytest.raises(ModelSpecError, match="thresholds"):
        semwidget.fit(HS3, hs, group="school", group_equal="thresholds")
    with pytest.raises(ModelSpecError, match="group_partial names 'x1 ~~ x9'"):
        semwidget.fit(HS3, hs, group="school", group_equal="loadings",
                      group_partial="x1 ~~ x9")
    with pytest.raises(ModelSpecError, match="need group="):
        semwidget.fit(HS3, hs, group_equal="loadings")
    with pytest.raises(DataError, match="'schol' is not a column"):
        semwidget.fit(HS3, hs, group="schol")
    with pytest.raises(DataError, match="single value"):
        semwidget.fit(HS3, hs[hs["school"] == "Pasteur"], group="school")
    bad = hs.copy()
    bad.loc[3, "school"] = None
    with pytest.raises(DataError, match="1 missing value"):
        semwidget.fit(HS3, bad, group="school")
    with pytest.raises(ModelSpecError, match="needs estimator='ML'"):
        semwidget.fit(HS3, hs, group="school", estimator="ULS", missing="fiml")
    with pytest.raises(ModelSpecError, match="CB-SEM constraints"):
        semwidget.fit(HS3, hs, engine="pls", group="school", group_equal="loadings")
    table = semwidget.fit(HS3, hs, group="school").table
    with pytest.raises(ModelSpecError, match="holds several groups"):
        semwidget.fit(table, hs, group="school")


def test_group_equal_accepts_a_comma_list() -> None:
    hs = semwidget.datasets.load("hs1939_school")
    a = semwidget.fit(HS3, hs, group="school", group_equal="loadings, intercepts")
    assert a.fit_measures["df"] == 60


def test_summary_prints_group_by_group() -> None:
    hs = semwidget.datasets.load("hs1939_school")
    text = semwidget.fit(HS3, hs, group="school").summary()
    assert "Group 1 [Pasteur] (156 observations):" in text
    assert text.index("Group 1 [Pasteur]") < text.index("Group 2 [Grant-White]")
    assert text.count("Latent Variables:") == 2 and text.count("R-Square:") == 2
    page = semwidget.fit(HS3, hs, group="school")._repr_html_()
    assert "<th>group_label</th>" in page and "<td>Grant-White</td>" in page
