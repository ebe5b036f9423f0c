"""Reliability (α, CR, AVE, ω) against semTools golden files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from semwidget.errors import SemWidgetError
from semwidget.fitting import fit
from semwidget.tables.reliability import reliability

ROOT = Path(__file__).resolve().parent.parent
SEMTOOLS = ["hs_cfa", "poldem_sem", "hs_mediation"]
REPORTS = ["hs_crossload", "hs_resid_cov"]


def _fit(model: str, data_path: str, **kw):
    return fit(model, pd.read_csv(ROOT / data_path), **kw)


def _close(ours: pd.Series, golden: dict, tol: float = 1e-3) -> None:
    for name, value in golden.items():
        if value is None:
            assert pd.isna(ours[name]), name
        else:
            assert ours[name] == pytest.approx(value, abs=tol), name


@pytest.mark.parametrize("case", SEMTOOLS)
def test_semtools_cases(case: str) -> None:
    g = json.loads((ROOT / "tests" / "golden" / f"semtools_{case}.json").read_text())
    rel = reliability(_fit(g["model"], g["data"]))
    _close(rel["alpha"], g["alpha_textbook"])
    _close(rel["alpha"], g["compRelSEM"]["alpha"])
    _close(rel["cr"], g["cr_textbook"])
    _close(rel["ave"], g["ave_textbook"])
    _close(rel["omega"], g["compRelSEM"]["omega"])
    _close(rel["omega_implied"], g["compRelSEM"]["omega_implied_var"])
    _close(rel["ave_semtools"], g["AVE"])
    assert list(rel.index) == g["constructs"]


@pytest.mark.parametrize("case", REPORTS)
def test_cross_loading_and_residual_covariance(case: str) -> None:
    g = json.loads((ROOT / "tests" / "golden_reports" / f"reports_{case}.json").read_text())
    rel = reliability(_fit(g["model"], g["data"]))
    _close(rel["alpha"], g["compRelSEM_alpha"])
    _close(rel["cr"], g["cr_textbook"])
    _close(rel["ave"], g["ave_textbook"])
    _close(rel["omega"], g["compRelSEM_omega"])
    _close(rel["ave_semtools"], g["AVE"])


def test_single_indicator_is_a_clear_error(poldem: pd.DataFrame) -> None:
    r = fit("ind60 =~ x1 + x2 + x3\ndem60 =~ y1\ndem60 ~ ind60", poldem)
    with pytest.raises(SemWidgetError, match="'dem60' has a single indicator"):
        reliability(r)
    assert list(reliability(r, single="skip").index) == ["ind60"]
    assert reliability(r, single="nan").loc["dem60"].drop("n_items").isna().all()


def test_unknown_construct(hs: pd.DataFrame) -> None:
    r = fit("visual =~ x1 + x2 + x3", hs)
    with pytest.raises(SemWidgetError, match="'speed' is not a latent"):
        reliability(r, constructs=["speed"])
