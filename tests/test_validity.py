"""Fornell–Larcker, HTMT and the validity flags against semTools / lavaan golden files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from semwidget.errors import SemWidgetError
from semwidget.fitting import fit
from semwidget.tables.validity import validity

ROOT = Path(__file__).resolve().parent.parent


def _golden(case: str) -> tuple[dict, object]:
    g = json.loads((ROOT / "tests" / "golden" / f"semtools_{case}.json").read_text())
    return g, fit(g["model"], pd.read_csv(ROOT / g["data"]))


def _matrix(d: dict) -> pd.DataFrame:
    return pd.DataFrame(d["matrix"], index=d["names"], columns=d["names"])


@pytest.mark.parametrize("case", ["hs_cfa", "poldem_sem", "hs_mediation"])
def test_htmt_and_fornell_larcker(case: str) -> None:
    g, r = _golden(case)
    v = validity(r)
    names = g["htmt"]["names"]
    np.testing.assert_allclose(v.htmt.loc[names, names], _matrix(g["htmt"]), atol=1e-3)
    v2 = validity(r, geometric=True)
    np.testing.assert_allclose(v2.htmt.loc[names, names], _matrix(g["htmt2"]), atol=1e-3)
    cor = _matrix(g["cor_lv"])
    fl = v.fornell_larcker
    for a in range(len(names)):
        assert fl.iloc[a, a] == pytest.approx(np.sqrt(g["ave_textbook"][names[a]]), abs=1e-3)
        for b in range(a):
            assert fl.loc[names[a], names[b]] == pytest.approx(cor.iloc[a, b], abs=1e-3)
            assert np.isnan(fl.loc[names[b], names[a]])


def test_htmt_four_constructs_from_report_golden() -> None:
    g = json.loads((ROOT / "tests" / "golden_reports" / "reports_hs_resid_cov.json").read_text())
    r = fit(g["model"], pd.read_csv(ROOT / g["data"]))
    names = g["htmt"]["names"]
    np.testing.assert_allclose(validity(r).htmt.loc[names, names], _matrix(g["htmt"]),
                               atol=1e-3)


def test_flags_follow_thresholds() -> None:
    g, r = _golden("poldem_sem")
    v = validity(r)
    # dem60 and dem65 correlate .97: both Fornell–Larcker and HTMT (.98) fail
    assert not v.flags.at["dem60", "fornell_larcker_ok"]
    assert not v.flags.at["dem65", "htmt_ok"]
    assert v.flags.at["ind60", "htmt_ok"] and v.flags.at["ind60", "ave_ok"]
    pair = v.htmt_flags.query("construct_1 == 'dem65' and construct_2 == 'dem60'")
    assert not pair["ok"].item()
    loose = validity(r, thresholds={"htmt": 0.99, "ave": 0.9})
    assert loose.flags.at["dem65", "htmt_ok"]
    assert not loose.flags.at["ind60", "ave_ok"]  # AVE .851 < .9
    with pytest.raises(SemWidgetError, match="unknown threshold"):
        validity(r, thresholds={"hmtm": 0.9})


def test_cross_loadings_are_implied_correlations() -> None:
    g, r = _golden("hs_cfa")
    cl = validity(r).cross_loadings
    ss = pd.DataFrame(g["standardized_solution"])
    load = ss[ss["op"] == "=~"]
    for lhs, rhs, value in zip(load["lhs"], load["rhs"], load["est.std"], strict=True):
        assert cl.loc[rhs, lhs] == pytest.approx(value, abs=1e-3)
    # cross-loading of x1 on textual = loading x correlation visual-textual
    cor = _matrix(g["cor_lv"])
    expected = cl.loc["x1", "visual"] * cor.loc["visual", "textual"]
    assert cl.loc["x1", "textual"] == pytest.approx(expected, abs=1e-6)


def test_htmt_bootstrap_ci_brackets_estimate() -> None:
    _, r = _golden("hs_cfa")
    v = validity(r, htmt_bootstrap=100, seed=3)
    h = v.htmt_flags
    assert ((h["ci_lower"] <= h["htmt"]) & (h["htmt"] <= h["ci_upper"])).all()
    assert (h["ci_upper"] - h["ci_lower"] > 0.01).all()
