"""Nesting checked, not assumed (Bentler & Satorra's NET) and the comparison table.

Reference numbers: tests/golden/make_comparison_golden.R — semTools 0.5-6 ``net()`` for the
nesting verdicts and lavaan 0.6.14 ``lavTestLRT`` for Δχ², Δdf, p, AIC and BIC.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import pytest

import semwidget
from semwidget.errors import ModelSpecError
from semwidget.tables.nesting import compare_models, nesting

GOLDEN = json.loads((Path(__file__).parent / "golden" / "comparison" / "lrt.json").read_text())
PAIRS = GOLDEN["pairs"]


@cache
def _fit(name: str, estimator: str) -> semwidget.FitResult:
    data = semwidget.datasets.load("hs1939" if name.startswith("hs") else "poldem")
    return semwidget.fit(GOLDEN["models"][name], data, estimator=estimator,
                         orthogonal=name == "hs_orthogonal")


def _id(p: dict) -> str:
    return f"{p['restricted']}-in-{p['general']}-{p['estimator']}"


@pytest.mark.parametrize("pair", PAIRS, ids=_id)
def test_nesting_as_semtools_net(pair: dict) -> None:
    general, restricted = _fit(pair["general"], "ML"), _fit(pair["restricted"], "ML")
    check = nesting(general, restricted, (pair["general"], pair["restricted"]))
    expected = pair["net_restricted_in_general"]
    if pair["df"][0] == pair["df"][1]:
        assert check.relation == ("equivalent" if expected else "not nested")
    else:
        dfs = {n: _fit(n, "ML").fit_measures["df"] for n in (pair["general"], pair["restricted"])}
        assert check.restricted == max(dfs, key=dfs.__getitem__)
        assert check.relation == ("nested" if expected else "not nested")
    assert (check.chisq < 1e-4) == expected
    assert check.nested == expected


@pytest.mark.parametrize("pair", PAIRS, ids=_id)
def test_comparison_as_lavtestlrt(pair: dict) -> None:
    est = pair["estimator"]
    general, restricted = _fit(pair["general"], est), _fit(pair["restricted"], est)
    # given in lavTestLRT's order; rows are sorted by df (stable) as lavTestLRT does
    table = compare_models(general, restricted, names=["a", "b"]).table
    first = "a" if general.fit_measures["df"] <= restricted.fit_measures["df"] else "b"
    assert list(table.index) == [first, "ab".replace(first, "")]
    last = table.index[1]
    assert list(table["df"]) == pair["df"]
    assert list(table["aic"]) == pytest.approx(pair["aic"], abs=1e-3)
    assert list(table["bic"]) == pytest.approx(pair["bic"], abs=1e-3)
    assert list(table["chisq"]) == pytest.approx(pair["chisq"], abs=1e-3)
    assert table.loc[last, "df_diff"] == pair["df_diff"]
    # fitMeasures() of a and b, in the table's order
    cfi, rmsea = (pair[k] if first == "a" else pair[k][::-1] for k in ("cfi", "rmsea"))
    assert list(table["cfi"]) == pytest.approx(cfi, abs=1e-4)
    assert list(table["rmsea"]) == pytest.approx(rmsea, abs=1e-4)
    assert table.loc[last, "delta_cfi"] == pytest.approx(cfi[1] - cfi[0], abs=1e-4)
    assert table.loc[last, "delta_rmsea"] == pytest.approx(rmsea[1] - rmsea[0], abs=1e-4)
    if pair["net_restricted_in_general"]:
        assert table.loc[last, "nested"] in ("nested", "equivalent")
        assert table.loc[last, "chisq_diff"] == pytest.approx(pair["chisq_diff"], abs=2e-3)
        assert table.loc[last, "pvalue"] == pytest.approx(pair["pvalue"], abs=1e-5)
    else:
        # lavTestLRT still prints a (meaningless) test; we leave it out and say why
        assert table.loc[last, "nested"] == "not nested"
        assert math.isnan(table.loc[last, "chisq_diff"])
        assert math.isnan(table.loc[last, "pvalue"])


def test_not_nested_sentence_points_to_information_criteria() -> None:
    out = compare_models(_fit("hs_cfa", "ML"), _fit("hs_moved", "ML"), names=["cfa", "moved"])
    assert "not nested" in out.apa() and "AIC" in out.apa()
    nested = compare_models(_fit("hs_cfa", "ML"), _fit("hs_one", "ML"))
    assert "Δχ²(3)" in nested.apa()
    assert nested.nesting[0].sentence().startswith("model 2 is nested in model 1")


def test_different_variables_are_refused() -> None:
    hs = semwidget.datasets.load("hs1939")
    small = semwidget.fit("visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6", hs)
    with pytest.raises(ModelSpecError, match="different observed variables.*x7"):
        nesting(_fit("hs_cfa", "ML"), small)


def test_grouped_fits_are_refused() -> None:
    hs = semwidget.datasets.load("hs1939_school")
    grouped = semwidget.fit(GOLDEN["models"]["hs_cfa"], hs, group="school")
    with pytest.raises(ModelSpecError, match="single-group"):
        nesting(grouped, grouped)


def test_grouped_fits_are_compared_unchecked() -> None:
    hs = semwidget.datasets.load("hs1939_school")
    free = semwidget.fit(GOLDEN["models"]["hs_cfa"], hs, group="school")
    equal = semwidget.fit(GOLDEN["models"]["hs_cfa"], hs, group="school",
                          group_equal="loadings")
    out = compare_models(free, equal, names=["configural", "metric"])
    plain = semwidget.compare(free, equal, names=["configural", "metric"]).table
    assert out.table.loc["metric", "nested"] == "not checked"
    assert out.table.loc["metric", "chisq_diff"] == plain.loc["metric", "chisq_diff"]
    assert out.nesting == []
