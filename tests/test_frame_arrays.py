"""column_arrays gives each column as pandas stores it, the same as asking column by column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from semwidget.model import frame_arrays
from semwidget.model.frame_arrays import column, column_arrays, frame_of, names_index


def _by_column(frame: pd.DataFrame) -> dict[str, object]:
    return {c: frame[c].to_numpy() if isinstance(frame[c].dtype, np.dtype) else frame[c].array
            for c in frame.columns}


def _mixed() -> pd.DataFrame:
    return pd.DataFrame({
        "id": np.arange(1, 5), "lhs": ["f", "f", "x1", "x2"], "est": [1.0, 0.5, np.nan, 2.0],
        "free": [0, 1, 2, 3], "label": ["", "a", "", "b"], "ok": [True, False, True, True],
        "cat": pd.Categorical(["u", "v", "u", "w"]), "se": [0.1, 0.2, 0.3, 0.4],
        "when": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04"]),
        "n": pd.array([1, None, 3, 4], dtype="Int64"),
    })


@pytest.mark.parametrize("with_dates", [False, True])
def test_every_column_matches_the_column_path_in_order_and_type(
        with_dates: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _mixed() if with_dates else _mixed().drop(columns="when")
    if not with_dates:  # every block here is one the block path reads: prove it answered
        monkeypatch.setattr(frame_arrays, "_by_column", None)
    got, ref = column_arrays(frame), _by_column(frame)
    assert list(got) == list(frame.columns)
    for c in frame.columns:
        assert type(got[c]) is type(ref[c]), c
        assert got[c].dtype == ref[c].dtype, c
        assert pd.Series(got[c]).equals(pd.Series(ref[c])), c
    rebuilt = pd.DataFrame(got)
    pd.testing.assert_frame_equal(rebuilt, frame, check_exact=True)


def test_numpy_columns_are_read_only_and_a_new_frame_owns_its_copy() -> None:
    frame = _mixed().drop(columns="when")
    got = column_arrays(frame)
    with pytest.raises(ValueError, match="read-only"):
        got["est"][0] = 99.0
    copy = pd.DataFrame(got)
    copy.loc[0, "lhs"] = "changed"
    copy.loc[0, "se"] = 9.0
    assert frame.loc[0, "lhs"] == "f" and frame.loc[0, "se"] == 0.1


def test_after_column_edits_and_with_repeated_names() -> None:
    frame = _mixed()
    frame["est"] = frame["est"] * 2  # a new block for one column, out of storage order
    frame.insert(1, "extra", [9.0, 8.0, 7.0, 6.0])
    got = column_arrays(frame)
    assert list(got) == list(frame.columns)
    pd.testing.assert_frame_equal(pd.DataFrame(got), frame, check_exact=True)
    twice = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], columns=["a", "a"])
    got = column_arrays(twice)
    assert list(got) == ["a"] and got["a"].tolist() == [2.0, 4.0]  # the last "a"
    empty = pd.DataFrame({"a": np.array([], dtype=float), "b": pd.array([], dtype="str")})
    pd.testing.assert_frame_equal(pd.DataFrame(column_arrays(empty)), empty)


def _columns() -> dict[str, object]:
    return {"id": np.arange(1, 5), "lhs": np.array(["f", "f", "x1", "x2"], dtype=object),
            "est": np.array([1.0, 0.5, np.nan, 2.0]), "free": np.array([0, 1, 2, 3]),
            "label": np.array(["", "a", "", "b"], dtype=object),
            "ok": np.array([True, False, True, True]),
            "cat": pd.Categorical(["u", "v", "u", "w"]), "se": np.array([0.1, 0.2, 0.3, 0.4])}


def test_frame_of_is_the_constructors_frame() -> None:
    expected = pd.DataFrame(_columns())
    got = frame_of(_columns())
    pd.testing.assert_frame_equal(got, expected)
    assert list(got.dtypes) == list(expected.dtypes)
    # from another frame's stored arrays (text as pandas' string arrays)
    pd.testing.assert_frame_equal(frame_of(column_arrays(expected)), expected)


def test_frame_of_owns_what_it_was_given_as_pandas_arrays() -> None:
    source = pd.DataFrame(_columns())
    copy = frame_of(column_arrays(source))
    copy.loc[0, "lhs"] = "changed"
    copy.loc[0, "est"] = 99.0
    assert source.loc[0, "lhs"] == "f" and source.loc[0, "est"] == 1.0


@pytest.mark.parametrize("odd", [
    {"a": np.array(["x", 1], dtype=object), "b": np.array([1.0, 2.0])},  # not all text
    {"a": np.array([1.0, 2.0]), "b": np.array([1.0])},                   # lengths differ
    {"a": np.zeros((2, 2))},                                               # not 1-d
])
def test_frame_of_hands_anything_else_to_the_constructor(odd: dict[str, object]) -> None:
    try:
        expected = pd.DataFrame(odd)
    except ValueError as err:
        with pytest.raises(ValueError, match=str(err)[:20]):
            frame_of(odd)
        return
    pd.testing.assert_frame_equal(frame_of(odd), expected)


def test_names_index_is_made_once_per_set_of_names() -> None:
    a = names_index(("x1", "x2"))
    assert a is names_index(("x1", "x2"))
    pd.testing.assert_index_equal(a, pd.Index(["x1", "x2"]))


def test_column_is_the_columns_array_read_only() -> None:
    frame = pd.DataFrame(_columns())
    for name in frame.columns:
        got, expected = column(frame, name), frame[name].to_numpy()
        assert got.dtype == expected.dtype
        assert list(got) == list(expected) if got.dtype == object else \
            np.array_equal(got, expected, equal_nan=True)
    numbers = column(frame, "est")
    with pytest.raises(ValueError):
        numbers[0] = 5.0
    assert frame.loc[0, "est"] == 1.0
    # repeated names and missing ones take frame[name]
    twice = pd.DataFrame([[1, 2]], columns=["a", "a"])
    assert column(twice, "a").shape == (1, 2)
    with pytest.raises(KeyError):
        column(frame, "absent")
