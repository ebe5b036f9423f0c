"""IPMA (Ringle & Sarstedt 2016): formula checks. With every indicator on the same scale the
rescaled construct scores are affine in the standardized ones, so the importance must be the
standardized total effect times the ratio of the rescaled scores' standard deviations."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pls_cases import GOLDEN, data

from semwidget.errors import DataError, ModelSpecError
from semwidget.pls.fit import fit_pls
from semwidget.pls.ipma import ipma
from semwidget.tables.pls_ipma import ipma_plot, ipma_table

MOBI = json.loads((GOLDEN / "mobi_path.json").read_text())["syntax"]


def rescaled_scores(res, frame, lo, hi):
    items = list(res.weights["item"])
    x = frame[items].to_numpy(float)
    w = res.weights.est.to_numpy() / x.std(axis=0, ddof=1)
    out = {}
    for c in res.construct_cor.columns:
        sel = (res.weights.construct == c).to_numpy()
        out[c] = ((x[:, sel] - lo) / (hi - lo) * 100) @ (w[sel] / w[sel].sum())
    return out


def test_importance_is_the_rescaled_total_effect_on_one_scale():
    mobi = data("mobi.csv")
    res = fit_pls(MOBI, mobi)
    out = ipma(res, mobi, "Loyalty", scale=(1, 10))
    scores = rescaled_scores(res, mobi, 1, 10)
    total = res.indirect[(res.indirect.type == "total") & (res.indirect.to == "Loyalty")]
    sd_t = scores["Loyalty"].std(ddof=1)
    table = out.constructs.set_index("construct")
    assert set(table.index) == set(total["from"])
    for row in total.itertuples():
        expected = row.est * sd_t / scores[row._1].std(ddof=1)
        assert table.loc[row._1, "importance"] == pytest.approx(expected, rel=1e-8), row._1
        assert table.loc[row._1, "performance"] == pytest.approx(scores[row._1].mean())
    assert out.target_performance == pytest.approx(scores["Loyalty"].mean())
    ind = out.indicators
    assert ind.groupby("construct").weight.sum().to_numpy() == pytest.approx(1.0)
    img = ind[ind.construct == "Image"]
    assert img.importance.sum() == pytest.approx(table.loc["Image", "importance"])


def test_table_plot_and_errors():
    mobi = data("mobi.csv")
    res = fit_pls(MOBI, mobi)
    out = ipma(res, mobi, "Satisfaction")
    assert ipma_table(out).table.Construct.tolist() == out.constructs.construct.tolist()
    fig = ipma_plot(out, indicators=True)
    assert list(fig.marks[0].names) == list(out.indicators["item"])
    with pytest.raises(ModelSpecError, match="no predecessors"):
        ipma(res, mobi, "Image")
    with pytest.raises(ModelSpecError, match="Nope"):
        ipma(res, mobi, "Nope")
    with pytest.raises(DataError, match="outside its scale"):
        ipma(res, mobi, "Loyalty", scale=(1, 5))
    with pytest.raises(DataError, match="usable rows"):
        ipma(res, mobi.head(100), "Loyalty")
    with pytest.raises(ModelSpecError, match="consistent"):
        ipma(fit_pls(MOBI, mobi, consistent=True), mobi, "Loyalty")
    with pytest.raises(ModelSpecError, match="IMAG1"):
        ipma(res, mobi, "Loyalty", scale={"CUEX1": (1, 10)})
    assert np.isfinite(out.constructs.importance).all()
