"""PLSpredict against seminr's ``predict_pls`` (tests/golden_pls/predict/, written by
tests/golden_pls/make_predict_golden.py): the same shuffles and folds, DA and EA, Mode B
blocks, missing cells, repetitions averaged; Q²_predict from seminr's predictions."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd
import pytest
from pls_cases import GOLDEN, data

from semwidget.errors import DataError, ModelSpecError
from semwidget.pls.predict import fold_ids, predict_pls

CASES = sorted(p.stem for p in (GOLDEN / "predict").glob("*.json"))


@cache
def golden(name: str) -> dict:
    return json.loads((GOLDEN / "predict" / f"{name}.json").read_text())


@cache
def predicted(name: str):
    g = golden(name)
    o = g["options"]
    return predict_pls(g["syntax"], data(g["data"]), folds=o["folds"],
                       repetitions=o["repetitions"], technique=o["technique"], seed=o["seed"],
                       missing_value=o["missing_value"])  # fmt: skip


def test_cases_present():
    assert len(CASES) >= 4


@pytest.mark.parametrize("name", CASES)
def test_item_metrics_equal_seminr(name):
    g, res = golden(name), predicted(name)
    mine = res.items.set_index("item")
    assert set(mine.index) == set(g["items"])
    for item, ref in g["items"].items():
        for key, value in ref.items():
            assert mine.loc[item, key] == pytest.approx(value, abs=1e-9), (item, key)
    order = list(g["items"])  # seminr's column order
    assert res.pls[order].iloc[:5].to_numpy() == pytest.approx(
        np.array(g["first_rows"]["pls"]), abs=1e-9)  # fmt: skip
    assert res.lm[order].iloc[:5].to_numpy() == pytest.approx(
        np.array(g["first_rows"]["lm"]), abs=1e-9)  # fmt: skip


@pytest.mark.parametrize(("n", "k"), [(250, 10), (344, 7), (11, 3), (5, 5)])
def test_fold_ids_are_r_cut(n, k):
    """R: cut(seq_len(n), breaks = k) -- equal-width intervals over 1..n, right-closed."""
    ids = fold_ids(n, k)
    width = (n - 1) / k
    expected = [min(k - 1, max(0, int(np.ceil((i - 1) / width)) - 1)) for i in range(1, n + 1)]
    assert ids.tolist() == expected
    assert ids.min() == 0 and ids.max() == k - 1


def test_bad_options_and_models():
    g = golden("mobi_da")
    mobi = data("mobi.csv")
    with pytest.raises(ModelSpecError, match="folds"):
        predict_pls(g["syntax"], mobi, folds=1)
    with pytest.raises(ModelSpecError, match="folds must be at most"):
        predict_pls(g["syntax"], mobi.head(8), folds=9)
    with pytest.raises(ModelSpecError, match="technique"):
        predict_pls(g["syntax"], mobi, technique="XA")
    with pytest.raises(ModelSpecError, match="repetitions"):
        predict_pls(g["syntax"], mobi, repetitions=0)
    moderated = g["syntax"].replace("Loyalty ~ Image", "Loyalty ~ Image:Value + Image")
    with pytest.raises(ModelSpecError, match="interaction must be one of"):
        predict_pls(moderated, mobi, interaction="product")
    with pytest.raises(ModelSpecError, match="Nope"):
        predict_pls(moderated.replace("Image:Value", "Image:Nope"), mobi)
    flat = mobi.copy()
    flat["CUSL2"] = 4.0
    flat.loc[7, "CUSL2"] = 5.0  # the fold that holds row 7 out trains on a constant
    with pytest.raises(DataError, match="CUSL2"):
        predict_pls(g["syntax"], flat, folds=10, seed=1)


def test_predict_table():
    from semwidget.tables.pls_predict import predict_table

    res = predicted("mobi_da")
    section = predict_table(res)
    assert len(section.table) == len(res.items)
    better = int((res.items.pls_rmse < res.items.lm_rmse).sum())
    assert f"{better} of {len(res.items)}" in section.note


def test_blindfolding_q2_by_hand_on_two_single_items():
    """y ~ x with single items: a round mean-replaces y's omitted cells, standardizes, and
    predicts them by r_xy * x (loading 1); Q² = 1 - SSE / SSO over the D rounds."""
    from semwidget.pls.blindfold import blindfolding

    rng = np.random.default_rng(3)
    n, dist = 61, 7
    x = rng.standard_normal(n)
    y = 0.6 * x + rng.standard_normal(n)
    frame = pd.DataFrame({"x": x, "y": y})
    res = blindfolding("y ~ x\n", frame, distance=dist)
    z = (frame - frame.mean()) / frame.std()
    sse = sso = 0.0
    for d in range(dist):
        omit = np.arange(n) % dist == d
        yy = z.y.to_numpy().copy()
        yy[omit] = yy[~omit].mean()
        ys = (yy - yy.mean()) / yy.std(ddof=1)
        r = np.corrcoef(z.x, ys)[0, 1]
        truth = ((z.y.to_numpy() - yy.mean()) / yy.std(ddof=1))[omit]
        sse += ((truth - r * z.x.to_numpy()[omit]) ** 2).sum()
        sso += (truth**2).sum()
    assert res.q2.q2.iloc[0] == pytest.approx(1 - sse / sso, abs=1e-12)
    assert not res.warnings


def test_blindfolding_on_mobi_and_its_checks():
    from semwidget.pls.blindfold import blindfolding

    g = golden("mobi_da")
    res = blindfolding(g["syntax"], data("mobi.csv"), distance=7)
    q2 = res.q2.set_index("construct").q2
    assert set(q2.index) == {"Expectation", "Value", "Satisfaction", "Loyalty"}
    assert (q2 > 0).all() and (q2 < 1).all()
    assert "multiple of the omission distance" in blindfolding(
        g["syntax"], data("mobi.csv"), distance=5).warnings[0]  # fmt: skip
    with pytest.raises(ModelSpecError, match="distance"):
        blindfolding(g["syntax"], data("mobi.csv"), distance=1)
