"""Sampling weights: equal weights are plain MLR, and bad weights or options are named.

The numbers against lavaan 0.6.14 are in tests/test_lavaan14b_golden.py (``weights_*`` cases).
"""

from __future__ import annotations

import pandas as pd
import pytest
from lavaan14b_cases import GOLDEN

import semwidget
from semwidget.errors import DataError, ModelSpecError

HS_CFA = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


def test_equal_weights_give_the_unweighted_estimates_and_mlr() -> None:
    data = pd.read_csv(GOLDEN / "data" / "hs_weighted.csv")
    data["w"] = 7.0
    weighted = semwidget.fit(HS_CFA, data, sampling_weights="w")
    mlr = semwidget.fit(HS_CFA, data.drop(columns="w"), estimator="MLR")
    assert weighted.estimates["est"].to_numpy() == pytest.approx(
        mlr.estimates["est"].to_numpy(), abs=1e-8)
    assert weighted.estimates["se"].to_numpy() == pytest.approx(
        mlr.estimates["se"].to_numpy(), abs=1e-8)


@pytest.mark.parametrize(("value", "needle"), [
    (-1.0, "row 3 is -1.0"), (float("nan"), "row 3 is nan"), ("a", "row 3 is 'a'")])
def test_bad_weight_is_named_by_row(value: object, needle: str) -> None:
    data = pd.read_csv(GOLDEN / "data" / "hs_weighted.csv").astype({"w": object})
    data.loc[2, "w"] = value
    with pytest.raises(DataError, match=needle):
        semwidget.fit(HS_CFA, data, sampling_weights="w")


@pytest.mark.parametrize(("options", "needle"), [
    ({"sampling_weights": "nope"}, "'nope' is not a column"),
    ({"sampling_weights": "x1"}, "is a variable of the model"),
    ({"sampling_weights": "w", "estimator": "GLS"}, "estimator='GLS' is not supported"),
    ({"sampling_weights": "w", "estimator": "MLM"}, "estimator='MLM' is not supported"),
    ({"sampling_weights": "w", "test": "satorra.bentler"},
     "test='satorra.bentler' is not supported"),
    ({"sampling_weights": "w", "se": "bootstrap"}, "se='bootstrap' is not supported"),
])
def test_unsupported_combinations_are_named(options: dict, needle: str) -> None:
    data = pd.read_csv(GOLDEN / "data" / "hs_weighted.csv")
    with pytest.raises((DataError, ModelSpecError), match=needle):
        semwidget.fit(HS_CFA, data, **options)


def test_cli_sampling_weights_match_the_api(tmp_path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    import json

    from semwidget.cli import main

    model = tmp_path / "hs.lav"
    model.write_text(HS_CFA)
    csv = GOLDEN / "data" / "hs_weighted.csv"
    assert main(["fit", str(model), str(csv), "--sampling-weights", "w", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    api = semwidget.fit(HS_CFA, pd.read_csv(csv), sampling_weights="w")
    assert [r["se"] for r in out["estimates"]] == pytest.approx(
        api.estimates["se"].tolist(), abs=1e-12)
    assert out["fit"]["chisq_scaled"] == pytest.approx(api.fit_measures["chisq_scaled"])
    assert main(["fit", str(model), str(csv), "--sampling-weights", "w"]) == 0
    assert "sampling weights: w" in capsys.readouterr().out
