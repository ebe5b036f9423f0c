"""Product terms with a higher-order construct (``Y ~ HOC + M + HOC:M``).

Against seminr's Python port (tests/golden_pls/hoc_moderation/, written by
tests/golden_pls/make_hoc_golden.py): the disjoint two-stage HOC with the interaction formed
in the stage-two model (``higher_composite`` + ``interaction_term`` by two-stage, product
indicators and orthogonalized ones), and the repeated-indicators HOC with the interaction on
its repeated block by all three approaches (mobi, Perception x Expectation); a Mode B HOC
with -99 codes (corp_rep, REP moderating CUSA -> CUSL) both ways; same-seed bootstrap
(seminr redoes every stage in every resample). Multigroup fits of such models by direct
computation (one ``fit_pls`` per group and permuted group).
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
from pls_cases import (
    GOLDEN,
    assert_paths_and_r2,
    data,
    path_order,
    paths_of,
    permutation_p,
    permuted_fits,
)

from semwidget.errors import ModelSpecError
from semwidget.pls.fit import fit_pls
from semwidget.pls.mga import group_seed

CASES = sorted(p.stem for p in (GOLDEN / "hoc_moderation").glob("*.json"))
TERM = "Perception:Expectation"


@cache
def golden(name: str) -> dict:
    return json.loads((GOLDEN / "hoc_moderation" / f"{name}.json").read_text())


def test_cases_present():
    assert len(CASES) >= 8


@pytest.mark.parametrize("name", CASES)
def test_hoc_interaction_equals_seminr(name):
    g = golden(name)
    boot = g["bootstrap"][0]
    res = fit_pls(g["syntax"], data(g["data"]), hoc=g["options"]["hoc"],
                  interaction=g["options"]["interaction"], bootstrap=boot["nboot"],
                  seed=boot["seed"], missing_value=g["options"]["missing_value"],
                  progress=False)  # fmt: skip
    assert_paths_and_r2(res, g)
    assert res.moderation[g["term"]]["iv"] == g["term"].split(":")[0]
    assert res.higher_order["approach"] == g["options"]["hoc"]
    assert res.bootstrap == boot["nboot"] - boot["fails"]
    paths, order = paths_of(res), path_order(res)
    for src, dst, stat in boot["paths"]:
        assert paths[(src, dst)].se == pytest.approx(stat["se"], abs=1e-6), (src, dst)
        j = order.index((src, dst))
        assert res.boot_samples["paths"][:, j].mean() == pytest.approx(stat["mean"], abs=1e-6)


def test_embedded_chain_by_its_definition():
    """Embedded: stage one is the repeated-indicators model without the product term; its
    dimension scores measure Perception in stage two, a plain two-stage moderation model."""
    g = golden("mobi_perception_x_expectation")
    frame = data("mobi.csv")
    res = fit_pls(g["syntax"], frame, hoc="embedded", progress=False)
    main = g["syntax"].replace(" + Perception:Expectation", "")
    first = fit_pls(main, frame, hoc="repeated", progress=False)
    scores = first.scores
    second = frame.assign(Quality=scores["Quality"], Value=scores["Value"])
    lines = [ln for ln in g["syntax"].splitlines()
             if not ln.startswith(("Quality =~", "Value =~"))]  # fmt: skip
    alone = fit_pls("\n".join(lines), second, progress=False)
    mine, ref = paths_of(res), paths_of(alone)
    assert set(mine) == set(ref)
    for key, row in ref.items():
        assert mine[key].est == pytest.approx(row.est, abs=1e-10), key


@pytest.mark.parametrize(("hoc", "method"), [("disjoint", "two_stage"),
                                             ("embedded", "orthogonal"),
                                             ("repeated", "product_indicator")])
def test_groups_and_permutations_by_direct_computation(hoc, method):
    syntax = golden("mobi_perception_x_expectation")["syntax"]
    frame = data("mobi_groups.csv")
    n_perm, seed = 8, 3
    res = fit_pls(syntax, frame, group="cusco", hoc=hoc, interaction=method,
                  permutations=n_perm, bootstrap=30, seed=seed, progress=False)  # fmt: skip
    for g, (name, fit) in enumerate(res.groups.items()):
        rows = np.flatnonzero(frame["cusco"].astype(str).to_numpy() == name)
        alone = fit_pls(syntax, frame.iloc[rows], hoc=hoc, interaction=method, bootstrap=30,
                        seed=group_seed(seed, g), progress=False)  # fmt: skip
        assert fit.estimates.est.to_numpy() == pytest.approx(alone.estimates.est.to_numpy(),
                                                             abs=1e-12)  # fmt: skip
        assert fit.boot_samples["paths"] == pytest.approx(alone.boot_samples["paths"],
                                                          abs=1e-12)  # fmt: skip
    _, _, perms = permuted_fits(frame, "cusco", syntax, n_perm, seed, hoc=hoc,
                                interaction=method)  # fmt: skip
    assert TERM in set(res.mga.rhs)
    for _, row in res.mga.iterrows():
        assert row.p_permutation == pytest.approx(permutation_p(row, perms), abs=1e-12)
    assert TERM not in set(res.micom.invariance.construct)
    assert "Perception" not in set(res.micom.invariance.construct)
    assert TERM in res.micom_note


def test_refusals_say_why():
    g = golden("mobi_perception_x_expectation")
    frame = data("mobi.csv")
    with pytest.raises(ModelSpecError, match="'Quality' is a dimension of the higher-order"):
        fit_pls(g["syntax"].replace("Perception:Expectation", "Quality:Expectation"), frame,
                hoc="repeated", progress=False)  # fmt: skip
    with pytest.raises(ModelSpecError, match="rho_A"):
        fit_pls(g["syntax"], frame, consistent=True, progress=False)


def test_plsc_refusals_of_interactions_and_ipma_say_why():
    from semwidget.pls.ipma import ipma

    frame = data("mobi.csv")
    plain = ("Expectation =~ CUEX1 + CUEX2 + CUEX3\nQuality =~ PERQ1 + PERQ2 + PERQ3\n"
             "Satisfaction =~ CUSA1 + CUSA2 + CUSA3\nLoyalty =~ CUSL1 + CUSL2 + CUSL3\n"
             "Satisfaction ~ Quality + Expectation\nLoyalty ~ Satisfaction\n")
    with pytest.raises(ModelSpecError, match="no reliability"):
        fit_pls(plain + "Satisfaction ~ Quality:Expectation\n", frame, consistent=True)
    with pytest.raises(ModelSpecError, match="different variables"):
        ipma(fit_pls(plain, frame, consistent=True), frame, "Loyalty")
