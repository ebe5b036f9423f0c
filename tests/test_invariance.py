"""compare() and invariance() against lavaan's lavTestLRT and lavTestScore (hs_ladder.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import semwidget
from semwidget.cb.score_test import score_tests
from semwidget.errors import ModelSpecError

ROOT = Path(__file__).parent.parent
LADDER = json.loads((ROOT / "tests" / "golden" / "multigroup" / "hs_ladder.json").read_text())


@pytest.fixture(scope="module")
def ladder() -> semwidget.tables.invariance.Invariance:  # type: ignore[name-defined]
    data = pd.read_csv(ROOT / LADDER["data"])
    return semwidget.invariance(LADDER["model"], data, group=LADDER["group"])


def test_ladder_matches_lavtestlrt(ladder) -> None:  # type: ignore[no-untyped-def]
    t = ladder.table
    assert list(t.index) == [r["model"] for r in LADDER["lrt"]]
    for ref in LADDER["lrt"]:
        row = t.loc[ref["model"]]
        assert row["df"] == ref["Df"]
        assert row["chisq"] == pytest.approx(ref["Chisq"], rel=1e-4)
        assert row["aic"] == pytest.approx(ref["AIC"], rel=1e-5)
        assert row["bic"] == pytest.approx(ref["BIC"], rel=1e-5)
        if ref["Chisq_diff"] is None:
            assert pd.isna(row["chisq_diff"])
            continue
        assert row["chisq_diff"] == pytest.approx(ref["Chisq_diff"], abs=1e-3)
        assert row["df_diff"] == ref["Df_diff"]
        assert row["pvalue"] == pytest.approx(ref["p"], rel=1e-3, abs=1e-9)


def test_ladder_decisions_and_partial(ladder) -> None:  # type: ignore[no-untyped-def]
    t = ladder.table
    assert list(t["decision"]) == ["", "holds", "fails", "—"]
    assert ladder.failed == "scalar"
    assert t.loc["metric", "delta_cfi"] == pytest.approx(-0.0025, abs=5e-4)
    # score tests of the intercept constraints only, largest first: x3 then x7 (lavaan)
    tests = ladder.score_tests
    assert set(tests["parameter"]) == {f"x{k} ~ 1" for k in range(1, 10)}
    assert ladder.partial(2) == ["x3 ~ 1", "x7 ~ 1"]
    ref = {r["parameter"]: r["X2"] for r in LADDER["score_uni"]}
    for _, r in tests.iterrows():
        assert r["X2"] == pytest.approx(ref[r["parameter"]], rel=1e-3)
    md = ladder.to_markdown()
    assert "| scalar | 164.10 | 60 |" in md and "x3 ~ 1" in md
    assert "\\begin{table}" in ladder.to_latex() and "<table>" in ladder.to_html()


def test_score_tests_match_lavtestscore(ladder) -> None:  # type: ignore[no-untyped-def]
    total, uni = score_tests(ladder.fits["scalar"])
    ref = LADDER["score_total"]
    assert total["X2"] == pytest.approx(ref["X2"], rel=1e-3)
    assert total["df"] == ref["df"]
    assert len(uni) == len(LADDER["score_uni"])
    for (_, got), want in zip(uni.iterrows(), LADDER["score_uni"], strict=True):
        assert (got["lhs"], got["op"], got["rhs"]) == (want["lhs"], want["op"], want["rhs"])
        assert got["parameter"] == want["parameter"]
        assert got["group"] == want["group_rhs"]
        assert got["X2"] == pytest.approx(want["X2"], rel=1e-3, abs=1e-5)
        assert got["pvalue"] == pytest.approx(want["p.value"], rel=1e-3, abs=1e-6)
    _, uni_m = score_tests(ladder.fits["metric"])
    for (_, got), want in zip(uni_m.iterrows(), LADDER["score_uni_metric"], strict=True):
        assert got["X2"] == pytest.approx(want["X2"], rel=1e-3, abs=1e-5)


def test_compare_sorts_by_df_and_renders(ladder) -> None:  # type: ignore[no-untyped-def]
    c = semwidget.compare(ladder.fits["scalar"], ladder.fits["configural"],
                          names=["scalar", "configural"])
    assert list(c.table.index) == ["configural", "scalar"]
    ref_c, ref_s = LADDER["lrt"][0], LADDER["lrt"][2]
    assert c.table.loc["scalar", "chisq_diff"] == pytest.approx(ref_s["Chisq"] - ref_c["Chisq"],
                                                               abs=1e-3)
    assert c.table.loc["scalar", "df_diff"] == 12
    ref = LADDER["pair_lrt"]
    pair = semwidget.compare(ladder.fits["configural"], ladder.fits["metric"])
    assert pair.table.iloc[1]["pvalue"] == pytest.approx(ref["p"], rel=1e-3)
    assert pair.apa().startswith("model 2 vs. model 1: Δχ²(6) = 8.19, p = .224")
    assert "ΔCFI" in pair.to_markdown()


def test_compare_and_invariance_errors(ladder) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ModelSpecError, match="two or more"):
        semwidget.compare(ladder.fits["metric"])
    hs = semwidget.datasets.load("hs1939")
    small = semwidget.fit("visual =~ x1 + x2 + x3", hs.iloc[:200])
    with pytest.raises(ModelSpecError, match="different numbers of observations"):
        semwidget.compare(small, ladder.fits["metric"])
    data = pd.read_csv(ROOT / LADDER["data"])
    with pytest.raises(ModelSpecError, match="unknown invariance step 'weak'"):
        semwidget.invariance(LADDER["model"], data, group="school", steps=("configural", "weak"))
    with pytest.raises(ModelSpecError, match="unknown cut-off"):
        semwidget.invariance(LADDER["model"], data, group="school", cutoffs={"cfi": 0.9})
    with pytest.raises(ModelSpecError, match="score tests .* need a fit with group="):
        score_tests(small)


def test_invariance_with_fiml_matches_lavaan_chisq() -> None:
    """The ladder by FIML: χ² of each step as lavaan's (hs_fiml_configural / hs_fiml_scalar)."""
    gold = ROOT / "tests" / "golden" / "multigroup"
    conf = json.loads((gold / "hs_fiml_configural.json").read_text())
    scal = json.loads((gold / "hs_fiml_scalar.json").read_text())
    data = pd.read_csv(ROOT / conf["data"])
    inv = semwidget.invariance(conf["model"], data, group="school", missing="fiml",
                               steps=("configural", "metric", "scalar"))
    assert inv.table.loc["configural", "chisq"] == pytest.approx(conf["fit"]["chisq"], rel=2e-3)
    assert inv.table.loc["scalar", "chisq"] == pytest.approx(scal["fit"]["chisq"], rel=2e-3)
    assert inv.table.loc["scalar", "df"] == scal["fit"]["df"]
    assert inv.failed == "scalar" and inv.score_tests is None
    with pytest.raises(ModelSpecError, match="not for FIML, GLS or ULS"):
        score_tests(inv.fits["scalar"])
