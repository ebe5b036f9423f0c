"""Report tables, APA formatting and exports; plots build."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from semwidget.errors import SemWidgetError
from semwidget.fitting import fit
from semwidget.tables import report as rp
from semwidget.tables.plots import (
    bootstrap_plot,
    loadings_plot,
    modindices_plot,
    residual_correlations,
    residual_heatmap,
)

ROOT = Path(__file__).resolve().parent.parent
SEMTOOLS = json.loads((ROOT / "tests" / "golden" / "semtools_poldem_sem.json").read_text())
# lavaan's Political Democracy model with hypothesis labels (labels do not change estimates)
MODEL = (SEMTOOLS["model"].replace("dem60 ~ ind60", "dem60 ~ H1*ind60")
         .replace("dem65 ~ ind60 + dem60", "dem65 ~ H2*ind60 + H3*dem60") + "\nind := H1*H3\n")


@pytest.fixture(scope="module")
def result(poldem_frame: pd.DataFrame):
    return fit(MODEL, poldem_frame)


@pytest.fixture(scope="module")
def poldem_frame() -> pd.DataFrame:
    return pd.read_csv(ROOT / "semwidget" / "datasets" / "poldem.csv")


def test_apa_formatting() -> None:
    assert rp.apa(0.8512, 2, bounded=True) == ".85"
    assert rp.apa(-0.1234, 3, bounded=True) == "-.123"
    assert rp.apa(1.4741, 3) == "1.474"
    assert rp.apa(-0.0001, 2) == "0.00"
    assert rp.apa_p(0.0004) == "< .001"
    assert rp.apa_p(0.0391) == ".039"
    assert rp.stars(0.0004) == "***" and rp.stars(0.02) == "*" and rp.stars(0.2) == ""


def test_tables_hold_the_models_numbers(result) -> None:
    rep = rp.report(result, mediation=[("ind60", "dem65")])
    titles = [s.title for s in rep.sections]
    assert titles == ["Measurement model", "Model fit", "Structural paths", "Mediation",
                      "Fornell–Larcker criterion", "HTMT"]
    meas = rep["Measurement"]
    g = SEMTOOLS
    first = meas[meas["Construct"] == "dem60"].iloc[0]
    assert first["CR"] == rp.apa(g["cr_textbook"]["dem60"], 3, True)
    assert first["AVE"] == rp.apa(g["ave_textbook"]["dem60"], 3, True)
    assert first["α"] == rp.apa(g["alpha_textbook"]["dem60"], 3, True)
    paths = rep["Structural"]
    assert paths["Hypothesis"].tolist() == ["H1", "H2", "H3"]
    assert paths["Supported"].tolist() == ["yes", "yes", "yes"]
    lavaan = json.loads((ROOT / "tests" / "golden" / "poldem_sem.json").read_text())
    fm = lavaan["fit"]
    fit_t = rep["Model fit"].set_index("Measure")
    assert fit_t.loc["CFI", "Value"] == rp.apa(fm["cfi"], 3, True)
    assert fit_t.loc["RMSEA", "Value"] == rp.apa(fm["rmsea"], 3, True)
    assert fit_t.loc["χ²/df", "Value"] == rp.apa(fm["chisq"] / fm["df"], 3)
    med = rep["Mediation"]
    assert med["Effect"].tolist()[:2] == ["ind", "indirect"]
    htmt = rep["HTMT"].set_index("")
    assert htmt.loc["dem65", "dem60"] == rp.apa(g["htmt"]["matrix"][2][1], 3)
    assert htmt.loc["ind60", "dem60"] == ""


def test_hypothesis_mapping_and_errors(result) -> None:
    t = rp.path_table(result, hypotheses={"dem65~dem60": "H9"}).table
    assert t.set_index("Path").loc["dem60 → dem65", "Hypothesis"] == "H9"
    with pytest.raises(SemWidgetError, match="'dem60 ~ dem65' is not a regression"):
        rp.path_table(result, hypotheses={"dem60 ~ dem65": "H1"})


def test_exports(result, tmp_path: Path) -> None:
    rep = rp.report(result)
    md = rep.save(tmp_path / "r.md").read_text()
    assert "### Structural paths" in md and "| H1 | ind60 → dem60 |" in md
    tex = rep.save(tmp_path / "r.tex").read_text()
    assert tex.count(r"\begin{table}") == len(rep.sections) and r"$\chi$$^2$/df" in tex
    html = rep.save(tmp_path / "r.html").read_text()
    assert html == rep._repr_html_() and "<table>" in html
    with pytest.raises(SemWidgetError, match=r"\.md, \.tex or \.html"):
        rep.save(tmp_path / "r.docx")


def test_residual_correlations_match_lavaan() -> None:
    g = json.loads((ROOT / "tests" / "golden_reports" / "reports_poldem_mediation.json")
                   .read_text())
    r = fit(g["model"], pd.read_csv(ROOT / g["data"]))
    names = g["resid_cor"]["names"]
    np.testing.assert_allclose(residual_correlations(r).loc[names, names],
                               np.array(g["resid_cor"]["matrix"]), atol=1e-5)


def test_plots_build(result) -> None:
    import bqplot as bq

    from semwidget.cb.bootstrap import bootstrap_result

    boot = bootstrap_result(result, 100, seed=1, bca=False, progress=False)
    fig = bootstrap_plot(boot, "ind")
    assert isinstance(fig, bq.Figure) and "ind" in fig.title
    assert isinstance(residual_heatmap(result), bq.Figure)
    assert len(loadings_plot(result).marks[0].x) == 11
    assert len(modindices_plot(result, top=5).marks[0].x) == 5
    with pytest.raises(SemWidgetError, match="no bootstrap replicates"):
        bootstrap_plot(result, "ind")
