"""Local fit against lavaan 0.6.14: ``resid(fit, type = "cor")`` and ``lavResiduals(fit)$cov.z``
(tests/golden/comparison/residuals.json, made by tests/golden/make_comparison_golden.R)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import semwidget
from semwidget.errors import ModelSpecError
from semwidget.tables.local_fit import (
    local_fit,
    local_fit_payload,
    residual_correlations,
    residual_z,
)

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "comparison" / "residuals.json"
CASES = json.loads(GOLDEN.read_text())["cases"]


def _fit(case: dict) -> semwidget.FitResult:
    return semwidget.fit(case["model"], pd.read_csv(ROOT / case["data"]))


def _lavaan(entry: dict) -> pd.DataFrame:
    return pd.DataFrame(np.array(entry["matrix"], dtype=float), index=entry["names"],
                        columns=entry["names"])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_residual_correlations_as_lavaan(case: dict) -> None:
    ours = residual_correlations(_fit(case))
    ref = _lavaan(case["cor"])
    np.testing.assert_allclose(ours.loc[ref.index, ref.columns], ref, atol=1e-4)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_standardized_residuals_as_lavresiduals(case: dict) -> None:
    ours = residual_z(_fit(case))
    ref = _lavaan(case["z"])
    ours = ours.loc[ref.index, ref.columns].to_numpy()
    ref = ref.to_numpy()
    # where lavaan's z is defined and the residual has sampling variance
    both = np.isfinite(ref) & np.isfinite(ours) & (np.abs(ref) > 1e-4)
    assert both.sum() >= len(ref) * (len(ref) - 1) // 2
    np.testing.assert_allclose(ours[both], ref[both], atol=2e-3, rtol=1e-3)


def test_local_fit_lists_pairs_above_the_threshold() -> None:
    fit = _fit(CASES[0])
    out = local_fit(fit, 0.1)
    cor = residual_correlations(fit)
    pairs = {(a, b) for a in cor.index for b in cor.columns
             if list(cor.index).index(a) < list(cor.index).index(b) and abs(cor.loc[a, b]) > .1}
    assert {(r.lhs, r.rhs) for r in out.itertuples()} == pairs
    assert list(out["residual_cor"].abs()) == sorted(out["residual_cor"].abs(), reverse=True)
    z = _lavaan(CASES[0]["z"])
    for r in out.itertuples():
        assert r.z == pytest.approx(z.loc[r.lhs, r.rhs], abs=2e-3)
    payload = local_fit_payload(fit, 0.1)
    assert len(payload["pairs"]) == len(out) and payload["max"] >= abs(out["residual_cor"]).max()


def test_local_fit_refuses_multigroup() -> None:
    hs = semwidget.datasets.load("hs1939_school")
    grouped = semwidget.fit(CASES[0]["model"], hs, group="school")
    with pytest.raises(ModelSpecError, match="single-group"):
        local_fit(grouped)
    assert local_fit_payload(grouped)["pairs"] == []


def test_widget_results_carry_the_overlay() -> None:
    from semwidget.widget import SEMWidget

    case = CASES[0]
    w = SEMWidget(pd.read_csv(ROOT / case["data"]), case["model"], auto_fit=False)
    w.fit()
    assert w.results["local_fit"]["deferred"] is True  # computed while the overlay is shown
    assert w.show_local_fit() == w.results["local_fit"]
    overlay = w.results["local_fit"]
    table = w.result.local_fit()
    assert overlay["threshold"] == 0.1
    pairs = list(zip(table["lhs"], table["rhs"], strict=True))
    assert [(p["lhs"], p["rhs"]) for p in overlay["pairs"]] == pairs
    assert overlay["pairs"][0]["z"] == pytest.approx(table["z"].iloc[0])
