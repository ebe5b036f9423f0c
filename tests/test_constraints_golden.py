"""General (nonlinear) equality and inequality constraints against lavaan 0.6.14.

Golden files: tests/golden/lavaan14b_constr_*.json, written by
tests/golden/make_lavaan14b_golden.R (lavaan's tutorial example, HS 1939, Political Democracy;
ML and GLS; active and inactive inequalities, constraints through a ``:=`` parameter).
Estimates, SEs (lavaan's constrained information), std.all, R², the implied covariances and
every fit measure we report are compared to 1e-4.
"""

from __future__ import annotations

import math

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
from semwidget.errors import ModelSpecError


@pytest.fixture(scope="module", params=case_names("constr_"))
def case(request: pytest.FixtureRequest) -> tuple[dict, semwidget.FitResult]:
    return load_case(request.param)


def test_estimates_ses_std_all(case: tuple[dict, semwidget.FitResult]) -> None:
    check_estimates(*case)


def test_fit_measures(case: tuple[dict, semwidget.FitResult]) -> None:
    check_fit_measures(*case)


def test_implied_covariance(case: tuple[dict, semwidget.FitResult]) -> None:
    check_implied(*case)


def test_constraints_hold_at_the_estimate() -> None:
    _, r = load_case("constr_tutorial")
    est = r.estimates.set_index("label")["est"]
    assert est["b1"] == pytest.approx((est["b2"] + est["b3"]) ** 2, abs=1e-8)
    assert est["b1"] >= math.exp(est["b2"] + est["b3"]) - 1e-8


@pytest.mark.parametrize(("text", "needle"), [
    ("b1 == (b2 + zz)^2", "'zz' in 'b1 == (b2+zz)^2'"),
    ("b1 > foo(b2)", "unknown function in 'b1 > foo(b2)'"),
    ("b1 > y", "'y' in 'b1 > y' is not the label"),
])
def test_expression_outside_the_grammar_is_named(text: str, needle: str) -> None:
    data = pd.read_csv(GOLDEN / "data" / "constr_tutorial.csv")
    with pytest.raises(ModelSpecError, match=None) as err:
        semwidget.fit(f"y ~ b1*x1 + b2*x2 + b3*x3\n{text}", data)
    assert needle in str(err.value)


@pytest.mark.parametrize("options", [{"missing": "fiml"}, {"group": "g"}])
def test_paths_without_general_constraints_refuse_them_by_name(options: dict) -> None:
    data = pd.read_csv(GOLDEN / "data" / "constr_tutorial.csv")
    data["g"] = ["a", "b"] * 50
    with pytest.raises(ModelSpecError, match=r"'b1 == \(b2\+b3\)\^2' is not supported with"):
        semwidget.fit("y ~ b1*x1 + b2*x2 + b3*x3\nb1 == (b2 + b3)^2", data, **options)


def test_robust_se_under_nonlinear_constraints_is_refused() -> None:
    data = pd.read_csv(GOLDEN / "data" / "constr_tutorial.csv")
    with pytest.raises(ModelSpecError, match="under nonlinear constraints"):
        semwidget.fit("y ~ b1*x1 + b2*x2 + b3*x3\nb1 == (b2 + b3)^2", data, estimator="MLR")
