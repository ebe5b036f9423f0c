"""``fit(..., start=previous)``: lavaan's ``start=`` with a fitted model. Warm starts move where the
optimizer begins, never the optimum: every warm-started fit here equals the cold fit to 1e-6."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from model_texts import HS, POLDEM

import semwidget
from semwidget import datasets
from semwidget.errors import ModelSpecError

ROOT = Path(__file__).resolve().parent.parent

# (model, data set, the model before an edit: one path less, one more, or other options)
CASES = {
    "HS, a loading added": (HS, "hs1939", HS.replace(" + x3", "", 1), {}),
    "HS, a loading removed": (HS, "hs1939", HS + "visual =~ x9\n", {}),
    "HS, std.lv, meanstructure": (HS, "hs1939", HS.replace(" + x6", "", 1),
                                  {"std_lv": True, "meanstructure": True}),
    "HS, FIML": (HS, "hs1939", HS + "x7 ~~ x8\n", {"missing": "fiml"}),
    "PolDem, a loading added": (POLDEM, "poldem", POLDEM.replace(" + x2", "", 1), {}),
    "PolDem, a regression removed": (POLDEM, "poldem", POLDEM.replace("ind60 + dem60",
                                                                      "dem60", 1), {}),
    "PolDem, MLR": (POLDEM, "poldem", POLDEM.replace("y3 ~~ y7\n", ""), {"estimator": "MLR"}),
}


def _same(cold: semwidget.FitResult, warm: semwidget.FitResult) -> None:
    for column in ("est", "se", "std_all"):
        np.testing.assert_allclose(warm.table[column], cold.table[column], atol=1e-6,
                                   err_msg=column)
    for name in ("chisq", "df", "cfi", "rmsea", "srmr", "aic"):
        assert warm.fit_measures[name] == pytest.approx(cold.fit_measures[name], abs=1e-6)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_warm_start_from_the_model_before_an_edit_reaches_the_cold_optimum(case: str) -> None:
    model, name, before, options = CASES[case]
    data = datasets.load(name)
    previous = semwidget.fit(before, data, **options)
    cold = semwidget.fit(model, data, **options)
    warm = semwidget.fit(model, data, start=previous, **options)
    _same(cold, warm)
    # the warm starts are not the model's own: emit(fit.table) writes no start()
    pd.testing.assert_series_equal(warm.table["ustart"], cold.table["ustart"])
    assert "start(" not in semwidget.emit(warm.table)


def test_a_warm_start_from_the_optimum_itself_stays_there() -> None:
    data = datasets.load("poldem")
    cold = semwidget.fit(POLDEM, data)
    _same(cold, semwidget.fit(POLDEM, data, start=cold))


def test_start_takes_a_table_or_a_dict_and_starts_the_matching_free_parameters() -> None:
    data = datasets.load("hs1939")
    cold = semwidget.fit(HS, data)
    table = cold.table[["lhs", "op", "rhs", "est"]].rename(columns={"est": "start"})
    _same(cold, semwidget.fit(HS, data, start=table))
    # a covariance matches either way round; names absent from the model are ignored
    values = {"textual ~~ visual": 0.41, "visual =~ x2": 0.55, "nothing =~ here": 1.0}
    _same(cold, semwidget.fit(HS, data, start=values))


def test_a_start_in_the_syntax_wins_over_start_equals() -> None:
    from semwidget.cb.starts import with_starts
    from semwidget.model.partable import build, user_table

    user = user_table("visual =~ x1 + start(0.5)*x2 + x3")
    full = build(user, ["x1", "x2", "x3"], std_lv=False, orthogonal=False, fixed_x=True,
                 meanstructure=False)
    warm, ids = with_starts(full, {"visual =~ x2": 0.9, "visual =~ x3": 1.2,
                                   "visual =~ x1": 7.0, "x1 ~~ x1": 0.3})
    starts = dict(zip(warm["lhs"] + warm["op"] + warm["rhs"], warm["ustart"], strict=True))
    assert starts["visual=~x2"] == 0.5          # the syntax's start()
    assert starts["visual=~x3"] == 1.2          # from start=
    assert starts["visual=~x1"] == 1.0          # fixed: the marker stays 1
    assert starts["x1~~x1"] == 0.3
    keys = warm["lhs"] + warm["op"] + warm["rhs"]
    assert ids == frozenset(warm.loc[keys.isin(["visual=~x3", "x1~~x1"]), "id"])


@pytest.mark.parametrize(("start", "message"), [
    ({"visual =~ x2": "big"}, "the value of 'visual =~ x2' must be a finite number"),
    ({"visual =~ x2": float("nan")}, "the value of 'visual =~ x2' must be a finite number"),
    (pd.DataFrame({"lhs": ["visual"], "op": ["=~"]}), "no column 'rhs'"),
    ([1.0, 2.0], "start= takes a fit, a parameter table or a dict"),
])
def test_bad_starts_are_refused_naming_the_value(start: object, message: str) -> None:
    with pytest.raises(ModelSpecError, match=message):
        semwidget.fit(HS, datasets.load("hs1939"), start=start)


def test_start_is_refused_where_it_does_not_apply() -> None:
    data = pd.read_csv(ROOT / "semwidget" / "datasets" / "hs1939_school.csv")
    grouped = semwidget.fit(HS, data, group="school")
    with pytest.raises(ModelSpecError, match="single-group CB-SEM fit"):
        semwidget.fit(HS, data, start=grouped)
    with pytest.raises(ModelSpecError, match="not with group= or ordered="):
        semwidget.fit(HS, data, group="school", start={"visual =~ x2": 0.5})
    with pytest.raises(ModelSpecError, match="CB-SEM option"):
        semwidget.fit(HS, data, engine="pls", start={"visual =~ x2": 0.5})
