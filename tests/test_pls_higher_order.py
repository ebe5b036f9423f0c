"""Higher-order constructs (``HOC =~ LOC1 + LOC2``): the disjoint two-stage approach against
seminr's ``higher_composite(method = two_stage)`` (tests/golden_pls/hoc/, written by
tests/golden_pls/make_hoc_golden.py; same-seed bootstrap, both stages per resample), and the
repeated-indicators and embedded approaches by their definitions."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
from pls_cases import GOLDEN, assert_paths_and_r2, data, path_order, paths_of

from semwidget.errors import ModelSpecError
from semwidget.pls.fit import fit_pls

CASES = sorted(p.stem for p in (GOLDEN / "hoc").glob("*.json"))


@cache
def golden(name: str) -> dict:
    return json.loads((GOLDEN / "hoc" / f"{name}.json").read_text())


@cache
def fitted(name: str, hoc: str = "disjoint", boot: bool = True):
    g = golden(name)
    b = g["bootstrap"][0]
    return fit_pls(g["syntax"], data(g["data"]), hoc=hoc, bootstrap=b["nboot"] if boot else 0,
                   seed=b["seed"], missing_value=g["options"]["missing_value"],
                   progress=False)  # fmt: skip


def test_cases_present():
    assert len(CASES) >= 2


@pytest.mark.parametrize("name", CASES)
def test_disjoint_two_stage_equals_seminr(name):
    g, res = golden(name), fitted(name)
    assert_paths_and_r2(res, g)
    paths = paths_of(res)
    for frame, key in ((res.loadings, "hoc_loadings"), (res.weights, "hoc_weights")):
        own = {(r.construct, r["item"]): r.est for _, r in frame.iterrows()}
        for hoc, dims in g[key].items():
            for d, value in dims.items():
                assert own[(hoc, d)] == pytest.approx(value, abs=1e-6), (key, d)
    boot = g["bootstrap"][0]
    assert res.bootstrap == boot["nboot"] - boot["fails"]
    order = path_order(res)
    for src, dst, stat in boot["paths"]:
        assert paths[(src, dst)].se == pytest.approx(stat["se"], abs=1e-6), (src, dst)
        j = order.index((src, dst))
        assert res.boot_samples["paths"][:, j].mean() == pytest.approx(stat["mean"], abs=1e-6)
    assert res.higher_order["approach"] == "disjoint"
    first = res.first_stage
    assert set(g["hoc_loadings"][next(iter(g["hoc_loadings"]))]) <= set(first.reliability.index)


def test_repeated_indicators_model():
    """Repeated indicators: the HOC's block is every dimension's items; Perception =~ its
    dimensions points to each (Quality ~ Perception): a plain PLS fit of that model."""
    g = golden("mobi_perception")
    mobi = data("mobi.csv")
    res = fit_pls(g["syntax"], mobi, hoc="repeated")
    items = [f"PERQ{i}" for i in range(1, 8)] + ["PERV1", "PERV2"]
    copy = mobi.assign(**{f"{i}.Perception": mobi[i] for i in items})
    lines = [ln for ln in g["syntax"].splitlines() if not ln.startswith("Perception =~")]
    lines += ["Perception =~ " + " + ".join(f"{i}.Perception" for i in items),
              "Quality ~ Perception", "Value ~ Perception"]  # fmt: skip
    direct = fit_pls("\n".join(lines) + "\n", copy)
    a, b = paths_of(res), paths_of(direct)
    for key, row in b.items():
        assert a[key].est == pytest.approx(row.est, abs=1e-12), key
    assert res.higher_order["approach"] == "repeated"


def test_embedded_two_stage_uses_repeated_indicator_scores():
    g = golden("mobi_perception")
    mobi = data("mobi.csv")
    rep = fit_pls(g["syntax"], mobi, hoc="repeated")
    emb = fit_pls(g["syntax"], mobi, hoc="embedded")
    stage2 = "\n".join(ln for ln in g["syntax"].splitlines()
                       if not ln.startswith(("Quality =~", "Value =~"))) + "\n"  # fmt: skip
    scored = mobi.assign(Quality=rep.scores["Quality"], Value=rep.scores["Value"])
    direct = fit_pls(stage2, scored)
    a, b = paths_of(emb), paths_of(direct)
    for key, row in b.items():
        assert a[key].est == pytest.approx(row.est, abs=1e-10), key
    assert np.isfinite(emb.first_stage.reliability.loc["Quality", "rho_c"])


def test_higher_order_errors():
    g = golden("mobi_perception")
    mobi = data("mobi.csv")
    with pytest.raises(ModelSpecError, match="hoc must be"):
        fit_pls(g["syntax"], mobi, hoc="stacked")
    with pytest.raises(ModelSpecError, match="mixes dimensions and indicators"):
        fit_pls(g["syntax"].replace("Quality + Value", "Quality + Value + CUSCO"), mobi)
    with pytest.raises(ModelSpecError, match="has a structural path"):
        fit_pls(g["syntax"] + "Loyalty ~ Value\n", mobi)
    with pytest.raises(ModelSpecError, match="consistent"):
        fit_pls(g["syntax"], mobi, consistent=True)
