"""SmartPLS's model fit (SRMR, d_ULS, d_G, chi², NFI for the saturated and estimated model) and
the bootstrap exact-fit test. seminr has none of them: formula checks on small models whose
implied correlations are known in closed form, and independent computations (scipy)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from pls_cases import GOLDEN, data
from scipy import linalg

from semwidget.errors import ModelSpecError
from semwidget.pls.fit import fit_pls
from semwidget.pls.model import BlockIndex, build_model, parse_model
from semwidget.pls.model_fit import discrepancies, rotate_to_model, structural_correlations


def _chain_data(n: int = 300, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    y = 0.5 * x + rng.standard_normal(n)
    z = 0.4 * y + 0.2 * x + rng.standard_normal(n)
    return pd.DataFrame({"x": x, "y": y, "z": z})


def test_single_items_saturated_fit_is_perfect_and_estimated_is_the_chain():
    """Single items: the saturated model reproduces S; the chain x -> y -> z implies
    r_xz = r_xy r_yz, so the estimated model misfits only that correlation."""
    frame = _chain_data()
    res = fit_pls("y ~ x\nz ~ y\n", frame)
    sat, est = res.model_fit["saturated"], res.model_fit["estimated"]
    assert sat["srmr"] == pytest.approx(0.0, abs=1e-12)
    assert sat["d_uls"] == pytest.approx(0.0, abs=1e-12)
    assert sat["d_g"] == pytest.approx(0.0, abs=1e-12)
    assert sat["chisq"] == pytest.approx(0.0, abs=1e-9) and sat["nfi"] == pytest.approx(1.0)
    r = frame.corr().to_numpy()
    resid = r[0, 2] - r[0, 1] * r[1, 2]
    assert est["srmr"] == pytest.approx(np.sqrt(resid**2 / 6), abs=1e-12)
    assert est["d_uls"] == pytest.approx(resid**2, abs=1e-12)  # 1/2 of both triangles
    sigma = r.copy()
    sigma[0, 2] = sigma[2, 0] = r[0, 1] * r[1, 2]
    phi = np.real(linalg.eigvals(np.linalg.solve(r, sigma)))
    assert est["d_g"] == pytest.approx(0.5 * np.sum(np.log(phi) ** 2), rel=1e-10)
    n = len(frame)
    f_ml = np.log(np.linalg.det(sigma)) + np.trace(r @ np.linalg.inv(sigma)) \
        - np.log(np.linalg.det(r)) - 3
    assert est["chisq"] == pytest.approx((n - 1) * f_ml, rel=1e-10)
    assert est["nfi"] == pytest.approx(1 - f_ml / -np.log(np.linalg.det(r)), rel=1e-10)


@pytest.mark.parametrize("name", ["mobi_path", "ecsi_modeb", "mobi_plsc", "corp_rep_path"])
def test_saturated_srmr_is_the_engine_srmr_and_estimated_fits_worse(name):
    g = json.loads((GOLDEN / f"{name}.json").read_text())
    res = fit_pls(g["syntax"], data(g["data"]), consistent=g["options"]["consistent"],
                  missing_value=g["options"]["missing_value"])  # fmt: skip
    assert res.model_fit.loc["srmr", "saturated"] == pytest.approx(res.srmr, abs=1e-12)
    # the inner model restricts construct correlations; it cannot fit better than saturated
    assert res.model_fit.loc["d_uls", "estimated"] >= res.model_fit.loc["d_uls", "saturated"]
    assert (res.model_fit.loc["d_g"] >= 0).all()


def test_structural_correlations_of_a_saturated_inner_model_are_the_correlations():
    g = json.loads((GOLDEN / "mobi_path.json").read_text())
    mobi = data("mobi.csv")
    saturated = g["syntax"] + "Loyalty ~ Expectation + Value\nValue ~ Image\n"
    res = fit_pls(saturated, mobi)
    spec = build_model(parse_model(saturated), list(mobi.columns))
    index = BlockIndex.from_model(spec)
    paths = np.zeros((1, len(spec.constructs), len(spec.constructs)))
    pos = {c: k for k, c in enumerate(spec.constructs)}
    for row in res.estimates[res.estimates.op == "~"].itertuples():
        paths[0, pos[row.rhs], pos[row.lhs]] = row.est
    cor = res.construct_cor.to_numpy()[None]
    assert structural_correlations(cor, paths, index) == pytest.approx(cor, abs=1e-12)
    assert res.model_fit["estimated"].to_numpy() == pytest.approx(
        res.model_fit["saturated"].to_numpy(), abs=1e-9)  # fmt: skip


def test_rotated_data_have_the_implied_correlations():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((200, 4)) @ rng.standard_normal((4, 4))
    z = (z - z.mean(0)) / z.std(0, ddof=1)
    s = np.corrcoef(z.T)
    sigma = np.full((4, 4), 0.3) + 0.7 * np.eye(4)
    zs = rotate_to_model(z, s, sigma)
    assert np.corrcoef(zs.T) == pytest.approx(sigma, abs=1e-12)
    d = discrepancies(np.corrcoef(zs.T)[None], sigma[None], 200)
    assert d["srmr"][0] == pytest.approx(0.0, abs=1e-12)


def test_exact_fit_bootstrap():
    g = json.loads((GOLDEN / "mobi_path.json").read_text())
    res = fit_pls(g["syntax"], data("mobi.csv"), exact_fit=200, seed=4, progress=False)
    ex = res.exact_fit.set_index(["model", "measure"])
    assert len(ex) == 6
    assert (ex.hi95 <= ex.hi99).all() and (ex["mean"] <= ex.hi95).all()
    for model in ("saturated", "estimated"):
        assert ex.loc[(model, "srmr"), "original"] == pytest.approx(
            res.model_fit.loc["srmr", model])  # fmt: skip
    again = fit_pls(g["syntax"], data("mobi.csv"), exact_fit=200, seed=4, progress=False)
    assert again.exact_fit.hi95.tolist() == res.exact_fit.hi95.tolist()
    with pytest.raises(ModelSpecError, match="exact_fit"):
        fit_pls(g["syntax"], data("mobi.csv"), exact_fit=-5)
