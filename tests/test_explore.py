"""Item exploration: α against semTools, KMO/Bartlett against factor_analyzer, EFA shape."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from factor_analyzer.factor_analyzer import calculate_bartlett_sphericity, calculate_kmo

from semwidget.errors import SemWidgetError
from semwidget.tables.explore import explore

ROOT = Path(__file__).resolve().parent.parent
ITEMS = [f"x{i}" for i in range(1, 10)]


def test_alpha_and_alpha_if_deleted(hs: pd.DataFrame) -> None:
    g = json.loads((ROOT / "tests" / "golden" / "semtools_hs_cfa.json").read_text())
    e = explore(hs, ["x1", "x2", "x3"], n_factors=1)
    assert e.alpha == pytest.approx(g["alpha_textbook"]["visual"], abs=1e-6)
    # α without x3 is the α of the two-item scale x1, x2 (checked against the formula)
    c = np.cov(hs[["x1", "x2"]].to_numpy(), rowvar=False)
    two = 2 * (1 - np.trace(c) / c.sum())
    assert e.item_total.loc["x3", "alpha_if_deleted"] == pytest.approx(two, abs=1e-12)


def test_kmo_bartlett_match_factor_analyzer(hs: pd.DataFrame) -> None:
    e = explore(hs, ITEMS)
    per_item, overall = calculate_kmo(hs[ITEMS])
    assert e.kmo == pytest.approx(overall, abs=1e-10)
    np.testing.assert_allclose(e.kmo_items.to_numpy(), per_item, atol=1e-10)
    chi2, p = calculate_bartlett_sphericity(hs[ITEMS])
    assert e.bartlett["chi2"] == pytest.approx(chi2, rel=1e-10)
    assert e.bartlett["df"] == 36


def test_factor_retention_and_efa(hs: pd.DataFrame) -> None:
    e = explore(hs, ITEMS, rotation="varimax")
    assert e.n_factors_kaiser == 3 and e.n_factors_parallel == 3
    assert e.eigenvalues["eigenvalue"].sum() == pytest.approx(9.0)
    main = e.loadings.abs().idxmax(axis=1)
    # the three HS abilities come out as three factors
    assert main[["x4", "x5", "x6"]].nunique() == 1
    assert main[["x7", "x8"]].nunique() == 1
    assert len({main["x4"], main["x7"], main["x1"]}) == 3
    ob = explore(hs, ITEMS, rotation="oblimin")
    assert ob.factor_correlations is not None
    assert np.allclose(np.diag(ob.factor_correlations), 1.0)


def test_bad_input(hs: pd.DataFrame) -> None:
    with pytest.raises(SemWidgetError, match="'nope' is not in the data"):
        explore(hs, ["x1", "x2", "nope"])
    with pytest.raises(SemWidgetError, match="at least 3 items"):
        explore(hs, ["x1", "x2"])
    bad = hs[ITEMS].assign(x10=hs["x1"] + hs["x2"])
    with pytest.raises(SemWidgetError, match="singular"):
        explore(bad, [*ITEMS, "x10"])
