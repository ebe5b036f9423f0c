"""Sampling weights (lavaan's ``sampling.weights``) against lavaan 0.6.14.

Golden files: tests/golden/lavaan14b_weights_*.json, written by
tests/golden/make_lavaan14b_golden.R (HS 1939 CFA, with fixed covariates, latent mediation
with estimator MLR; Political Democracy SEM). Weighted estimates, lavaan's default robust
(Huber-White) SEs, std.all, R², the implied covariances and every fit measure we report
(Yuan-Bentler scaled and robust ones included) are compared to 1e-4.
"""

from __future__ import annotations

import pandas as pd
import pytest
from lavaan14b_cases import (
    GOLDEN,
    case_names,
    check_estimates,
    check_fit_measures,
    check_implied,
    load_case,
)

import semwidget
from semwidget.errors import DataError, ModelSpecError

HS_CFA = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


@pytest.fixture(scope="module", params=case_names("weights_"))
def case(request: pytest.FixtureRequest) -> tuple[dict, semwidget.FitResult]:
    return load_case(request.param)


def test_estimates_ses_std_all(case: tuple[dict, semwidget.FitResult]) -> None:
    check_estimates(*case)


def test_fit_measures(case: tuple[dict, semwidget.FitResult]) -> None:
    check_fit_measures(*case, minimum=40)


def test_implied_covariance(case: tuple[dict, semwidget.FitResult]) -> None:
    check_implied(*case)


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
    ({"sampling_weights": "w", "se": "bootstrap"}, "se='bootstrap' is not supported"),
    ({"sampling_weights": "w", "missing": "fiml"}, "missing='fiml' is not supported"),
])
def test_unsupported_combinations_are_named(options: dict, needle: str) -> None:
    data = pd.read_csv(GOLDEN / "data" / "hs_weighted.csv")
    with pytest.raises((DataError, ModelSpecError), match=needle):
        semwidget.fit(HS_CFA, data, **options)
