"""The widget's estimator and ordinal variables: traits synced with the view, each change refits,
and the numbers the diagram gets are lavaan's (golden files of tests/golden/, lavaan 0.6.14)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from model_texts import HS

from semwidget.widget import SEMWidget
from semwidget.widget.estimation import ESTIMATOR_CHOICES, KNOWN_ESTIMATORS
from semwidget.widget.state import WidgetStateError

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def _golden(name: str) -> dict:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def test_the_choices_are_every_estimator_fit_takes_and_the_view_lists_them() -> None:
    assert set(ESTIMATOR_CHOICES) == {"", *KNOWN_ESTIMATORS}
    assert len(ESTIMATOR_CHOICES) == len(set(ESTIMATOR_CHOICES))
    source = (ROOT / "js" / "ui" / "estimator.ts").read_text(encoding="utf-8")
    listed = re.search(r"export const ESTIMATORS = \[([^\]]*)\]", source)
    assert listed is not None
    assert tuple(re.findall(r'"([A-Z]*)"', listed.group(1))) == ESTIMATOR_CHOICES


def test_the_keyword_arguments_become_the_traits() -> None:
    w = SEMWidget(syntax=HS, estimator="mlr", ordered=["x1"])
    assert w.estimator == "MLR" and w.ordered == ["x1"]
    assert w.fit_options == {"estimator": "MLR", "ordered": ["x1"]}
    w.estimator = ""
    w.ordered = []
    assert w.fit_options == {}


def test_choosing_mlr_refits_with_lavaans_scaled_and_robust_measures(hs: pd.DataFrame) -> None:
    golden = _golden("robust_hs_mlr.json")
    w = SEMWidget(hs, golden["model"])
    w.wait_for_auto_fit(60)
    assert w.results["estimator"] == "ML" and "chisq_scaled" not in w.results["fit"]
    w.estimator = "MLR"
    w.wait_for_auto_fit(60)
    fit = w.results["fit"]
    assert w.results["estimator"] == "MLR"
    for ours, theirs in [("chisq_scaled", "chisq.scaled"), ("cfi_robust", "cfi.robust"),
                         ("tli_robust", "tli.robust"), ("rmsea_robust", "rmsea.robust"),
                         ("chisq", "chisq"), ("df", "df")]:
        assert fit[ours] == pytest.approx(golden["fit"][theirs], abs=1e-3), ours


def test_ordered_variables_refit_with_wlsmv_and_report_their_thresholds() -> None:
    golden = _golden("ordinal_hs4_wlsmv.json")
    data = pd.read_csv(ROOT / golden["data"])
    w = SEMWidget(data, golden["model"])
    w.wait_for_auto_fit(60)
    assert w.results["thresholds"] == {}
    w.ordered = list(golden["ordered"])
    w.wait_for_auto_fit(120)
    assert w.error == ""
    assert w.results["estimator"] == "WLSMV"
    assert w.results["thresholds"] == {name: 3 for name in golden["ordered"]}
    for ours, theirs in [("chisq_scaled", "chisq.scaled"), ("cfi_robust", "cfi.robust"),
                         ("rmsea_robust", "rmsea.robust"), ("df", "df")]:
        assert w.results["fit"][ours] == pytest.approx(golden["fit"][theirs], abs=1e-3), ours


def test_a_mixed_model_fits_with_the_numeric_variables_kept_numeric() -> None:
    # ordinal and numeric indicators in one model are fitted as lavaan does (issue 13)
    golden = _golden("ordinal_hs4_wlsmv.json")
    data = pd.read_csv(ROOT / golden["data"])
    w = SEMWidget(data, golden["model"])
    w.ordered = ["x1c4"]
    w.wait_for_auto_fit(60)
    assert not w.error


@pytest.mark.parametrize(
    ("trait", "value", "message"),
    [
        ("estimator", "LISREL", "estimator: expected one of ML, MLR"),
        ("estimator", 3, "estimator: expected one of"),
        ("ordered", "x1", "ordered: expected a list"),
        ("ordered", ["visual"], "'visual' is a latent variable"),
        ("ordered", [""], "ordered: variable names are text"),
    ],
)
def test_bad_values_are_refused_naming_the_value(trait: str, value: object, message: str) -> None:
    w = SEMWidget(syntax=HS)
    with pytest.raises(WidgetStateError, match=message):
        setattr(w, trait, value)


def test_a_bad_estimator_from_the_view_is_refused_and_kept() -> None:
    w = SEMWidget(syntax=HS, estimator="MLM")
    w.set_state({"estimator": "nope"})
    assert w.estimator == "MLM"
    assert "estimator: expected one of" in w.error
