"""General (nonlinear) constraints: what holds at the estimate, and the errors that name them.

The numbers against lavaan 0.6.14 are in tests/test_lavaan14b_golden.py (``constr_*`` cases).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from lavaan14b_cases import GOLDEN, load_case

import semwidget
from semwidget.errors import ModelSpecError


def test_constraints_hold_at_the_estimate() -> None:
    _, r = load_case("constr_tutorial")
    est = r.estimates.set_index("label")["est"]
    assert est["b1"] == pytest.approx((est["b2"] + est["b3"]) ** 2, abs=1e-8)
    assert est["b1"] >= math.exp(est["b2"] + est["b3"]) - 1e-8


@pytest.mark.parametrize(("text", "needle"), [
    ("b1 == (b2 + zz)^2", "'zz' in 'b1 == (b2+zz)^2'"),
    ("b1 > foo(b2)", "unknown function in 'b1 > foo(b2)'"),
    ("b1 > y", "'y' in 'b1 > y' is not the label"),
    ("b1 > 1 + b2\nb1 < b2", "no estimate satisfies the constraints: 'b1 > 1+b2'"),
    ("1 == 2", "no estimate satisfies the constraints: '1 == 2'"),
    ("b1 == sqrt(b2 - 5)", "'b1 == sqrt(b2-5)' cannot be evaluated at the start values"),
])
def test_bad_constraints_are_named(text: str, needle: str) -> None:
    """Outside lavaan's grammar, contradictory, or undefined at the start."""
    data = pd.read_csv(GOLDEN / "data" / "constr_tutorial.csv")
    with pytest.raises(ModelSpecError) as err:
        semwidget.fit(f"y ~ b1*x1 + b2*x2 + b3*x3\n{text}", data)
    assert needle in str(err.value)


@pytest.mark.parametrize("options", [{"missing": "fiml"}, {"group": "g", "missing": "fiml"}])
def test_paths_without_general_constraints_refuse_them_by_name(options: dict) -> None:
    data = pd.read_csv(GOLDEN / "data" / "constr_tutorial.csv")
    data["g"] = ["a", "b"] * 50
    with pytest.raises(ModelSpecError, match=r"'b1 == \(b2\+b3\)\^2' is not supported with"):
        semwidget.fit("y ~ b1*x1 + b2*x2 + b3*x3\nb1 == (b2 + b3)^2", data, **options)


def test_summary_lists_the_constraints_with_their_slack() -> None:
    _, r = load_case("constr_tutorial")
    text = r.summary()
    assert "Constraints:" in text and "|Slack|" in text
    line = next(x for x in text.splitlines() if "b1 - ((b2+b3)^2)" in x)
    assert float(line.split()[-1]) == 0.0
