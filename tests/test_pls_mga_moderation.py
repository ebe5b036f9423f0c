"""Multigroup PLS with product terms (``group=`` and ``y ~ x + m + x:m``), by direct computation.

Every group is fitted by the chosen ``interaction=`` approach on its own rows (those fits
match seminr, see test_pls_moderation.py / test_pls_product_indicators.py); the permutation
test refits the interaction in every permuted group, checked here against one ``fit_pls``
per permuted group (the batched code is not used by the reference); MICOM tests the
main-effect constructs.
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
from pls_cases import GOLDEN, data, permuted_fits

from semwidget.pls.fit import fit_pls
from semwidget.pls.mga import group_seed, henseler_p

METHODS = ("two_stage", "product_indicator", "orthogonal")
TERM = "INT:PSN"


@cache
def syntax() -> str:
    g = json.loads((GOLDEN / "mga" / "genre.json").read_text())
    return g["syntax"].replace("CLE ~ INT + INF + PSN", f"CLE ~ INT + INF + PSN + {TERM}")


@pytest.mark.parametrize("method", METHODS)
def test_groups_permutations_and_henseler_by_direct_computation(method):
    frame = data("genre.csv")
    n_perm, n_boot, seed = 12, 60, 4
    res = fit_pls(syntax(), frame, group="genre", permutations=n_perm, bootstrap=n_boot,
                  seed=seed, interaction=method, progress=False)  # fmt: skip
    labels = frame["genre"].astype(str)
    rows_a = np.flatnonzero(labels == "game")
    rows_b = np.flatnonzero(labels != "game")
    own = {}
    for g, (name, rows) in enumerate((("game", rows_a), ("shopping", rows_b))):
        own[name] = fit_pls(syntax(), frame.iloc[rows], interaction=method, bootstrap=n_boot,
                            seed=group_seed(seed, g), progress=False)  # fmt: skip
        assert res.groups[name].moderation[TERM]["method"] == method
        mine = res.groups[name].estimates.est.to_numpy()
        assert mine == pytest.approx(own[name].estimates.est.to_numpy(), abs=1e-12)
    _, _, perms = permuted_fits(frame, "genre", syntax(), n_perm, seed, interaction=method)
    est_a = own["game"].estimates.query("op == '~'").reset_index(drop=True)
    boot_a = own["game"].boot_samples["paths"]
    boot_b = own["shopping"].boot_samples["paths"]
    assert TERM in set(res.mga.rhs)
    for j, row in res.mga.reset_index(drop=True).iterrows():
        assert (row.lhs, row.rhs) == (est_a.lhs[j], est_a.rhs[j])
        d = []
        for _, fa, fb in perms:
            pa = fa.estimates.query("lhs == @row.lhs and rhs == @row.rhs and op == '~'").est
            pb = fb.estimates.query("lhs == @row.lhs and rhs == @row.rhs and op == '~'").est
            d.append(pa.iloc[0] - pb.iloc[0])
        expected = np.mean(np.abs(d) >= abs(row["diff"]) - 1e-12)
        assert row.p_permutation == pytest.approx(expected, abs=1e-12), (row.lhs, row.rhs)
        assert row.p_henseler == pytest.approx(henseler_p(boot_a[:, j], boot_b[:, j]))
    # MICOM compares the main-effect composites only
    assert set(res.micom.invariance.construct) == {"INT", "INF", "PSN", "CLE", "VCC"}


def test_mga_tables_with_a_product_term():
    from semwidget.tables.pls_mga import mga_table
    from semwidget.tables.pls_moderation import moderation_table

    res = fit_pls(syntax(), data("genre.csv"), group="genre", permutations=20, seed=1,
                  interaction="product_indicator", progress=False)  # fmt: skip
    assert "INT:PSN → CLE" in set(mga_table(res).table["Path"])
    table = moderation_table(res.groups["game"]).table
    assert table["Interaction"].tolist() == ["INT × PSN → CLE"]
