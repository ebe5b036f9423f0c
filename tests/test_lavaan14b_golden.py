"""Issue 14 part B against lavaan 0.6.14: every case of tests/golden/lavaan14b_cases.json.

The cases (written by tests/golden/make_lavaan14b_golden.R) cover general (nonlinear)
equality and inequality constraints (``constr_*``: lavaan's tutorial example, HS 1939,
Political Democracy; ML and GLS; active and inactive inequalities; a constraint through a
``:=`` parameter), sampling weights (``weights_*``: CFA, SEM, fixed covariates, MLR named)
and exploratory SEM blocks (``esem_*``: geomin, oblimin, varimax, orthogonal geomin, a block
beside a CFA factor, a block inside a SEM). Estimates, SEs, std.all, R², the implied
covariances and every fit measure we report are compared to 1e-4.
"""

from __future__ import annotations

import pytest
from lavaan14b_cases import ALL_CASES, check_estimates, check_fit_measures, check_implied, load_case

import semwidget

# the weighted cases report the robust measures too
MINIMUM_MEASURES = {"weights_": 40}


@pytest.fixture(scope="module", params=sorted(ALL_CASES))
def case(request: pytest.FixtureRequest) -> tuple[dict, semwidget.FitResult]:
    return load_case(request.param)


def test_estimates_ses_std_all(case: tuple[dict, semwidget.FitResult]) -> None:
    check_estimates(*case)


def test_fit_measures(case: tuple[dict, semwidget.FitResult]) -> None:
    g, r = case
    minimum = next((v for k, v in MINIMUM_MEASURES.items() if g["name"].startswith(k)), 20)
    check_fit_measures(g, r, minimum=minimum)


def test_implied_covariance(case: tuple[dict, semwidget.FitResult]) -> None:
    check_implied(*case)
