"""Multigroup PLS with higher-order constructs (``group=`` and ``HOC =~ LOC1 + LOC2``).

The disjoint two-stage approach per group is checked against seminr's ``estimate_pls_mga``
on a ``higher_composite`` model in test_pls_mga.py (cases ``*_cusco`` / ``*_servicetype``
with a HOC, tests/golden_pls/make_mga_golden.py). Here every approach by direct computation:
each group's fit is ``fit_pls`` on the group's rows, the permutation p-value is that of one
``fit_pls`` per permuted group (both HOC stages refitted there; the batched code is not used
by the reference), and MICOM equals a plain MGA's MICOM on the model MICOM runs on (the
stage-one or repeated-indicators model), restricted to the constructs with indicators.
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
from pls_cases import GOLDEN, data, permutation_p, permuted_fits

from semwidget.pls.fit import fit_pls
from semwidget.pls.higher_order import _disjoint_rows, _rows, stages
from semwidget.pls.mga import group_seed, henseler_p, split_groups
from semwidget.pls.model import parse_model
from semwidget.tables.pls_mga import micom_table

APPROACHES = ("disjoint", "embedded", "repeated")
DIMENSIONS = {"Quality", "Value"}


@cache
def syntax() -> str:
    return json.loads((GOLDEN / "mga" / "mobi_perception_cusco.json").read_text())["syntax"]


def stage_one_syntax(approach: str) -> tuple[str, object]:
    """The model MICOM runs on, written out, and its data (copies for repeated indicators)."""
    frame = data("mobi_groups.csv")
    table = parse_model(syntax())
    if approach == "disjoint":
        rows = _disjoint_rows(_rows(table), {"Perception": ["Quality", "Value"]})
        out = frame
    else:
        st = stages(table, frame, approach)
        rows, out = _rows(st.first_rows), st.data
    blocks: dict[tuple[str, str], list[str]] = {}
    for lhs, op, rhs in rows:
        blocks.setdefault((lhs, op), []).append(rhs)
    lines = [f"{lhs} {op} {' + '.join(r)}" for (lhs, op), r in blocks.items()]
    return "\n".join(lines) + "\n", out


@pytest.mark.parametrize("approach", APPROACHES)
def test_groups_permutations_and_micom_by_direct_computation(approach):
    frame = data("mobi_groups.csv")
    n_perm, n_boot, seed = 10, 40, 6
    res = fit_pls(syntax(), frame, group="cusco", hoc=approach, permutations=n_perm,
                  bootstrap=n_boot, seed=seed, progress=False)  # fmt: skip
    labels = frame["cusco"].astype(str)
    first = labels.iloc[0]
    own = {}
    for g, name in enumerate((first, "low" if first == "high" else "high")):
        rows = np.flatnonzero((labels == name).to_numpy())
        own[name] = fit_pls(syntax(), frame.iloc[rows], hoc=approach, bootstrap=n_boot,
                            seed=group_seed(seed, g), progress=False)  # fmt: skip
        mine = res.groups[name]
        assert mine.higher_order["approach"] == approach
        assert mine.estimates.est.to_numpy() == pytest.approx(
            own[name].estimates.est.to_numpy(), abs=1e-12)  # fmt: skip
        assert mine.boot_samples["paths"] == pytest.approx(own[name].boot_samples["paths"],
                                                           abs=1e-12)  # fmt: skip
    _, _, perms = permuted_fits(frame, "cusco", syntax(), n_perm, seed, hoc=approach)
    a, b = res.groups
    for j, row in res.mga.reset_index(drop=True).iterrows():
        expected = permutation_p(row, perms)
        assert row.p_permutation == pytest.approx(expected, abs=1e-12), (row.lhs, row.rhs)
        ba, bb = own[a].boot_samples["paths"][:, j], own[b].boot_samples["paths"][:, j]
        assert row.p_henseler == pytest.approx(henseler_p(ba, bb), abs=1e-12)
    # the repeated-indicators model has the HOC's paths to its dimensions, as the fit reports
    paths = set(zip(res.mga.rhs, res.mga.lhs, strict=True))
    assert (("Perception", "Quality") in paths) == (approach == "repeated")

    # MICOM: the constructs with indicators of their own, as a plain MGA of MICOM's model
    covered = {"Expectation", "Quality", "Value", "Satisfaction", "Loyalty"}
    assert set(res.micom.invariance.construct) == covered
    assert "Perception" in res.micom_note and "Quality" in res.micom_note
    assert res.to_dict()["micom_note"] == res.micom_note
    assert res.micom_note in micom_table(res).note
    model, frame1 = stage_one_syntax(approach)
    plain = fit_pls(model, frame1, group="cusco", permutations=n_perm, seed=seed,
                    progress=False)  # fmt: skip
    ref = plain.micom.compositional.set_index("construct").loc[sorted(covered)]
    got = res.micom.compositional.set_index("construct").loc[sorted(covered)]
    assert got.c.to_numpy() == pytest.approx(ref.c.to_numpy(), abs=1e-12)
    assert got.p.to_numpy() == pytest.approx(ref.p.to_numpy(), abs=1e-12)
    ref3 = plain.micom.means_variances.set_index("construct").loc[sorted(covered)]
    got3 = res.micom.means_variances.set_index("construct").loc[sorted(covered)]
    for col in ("mean_diff", "mean_p", "log_var_ratio", "var_p"):
        assert got3[col].to_numpy() == pytest.approx(ref3[col].to_numpy(), abs=1e-12), col


def test_mode_b_hoc_groups_with_missing_codes():
    """REP <~ COMP + LIKE with -99 codes: per-group two-stage fits equal fit_pls per group."""
    g = json.loads((GOLDEN / "mga" / "corp_rep_reputation_servicetype.json").read_text())
    frame = data("corp_rep.csv")
    res = fit_pls(g["syntax"], frame, group="servicetype", hoc="embedded", permutations=5,
                  seed=2, missing_value=-99, progress=False)  # fmt: skip
    rows = split_groups(frame, "servicetype")
    for name, fit in res.groups.items():
        part = frame.iloc[rows[name]]
        alone = fit_pls(g["syntax"], part, hoc="embedded", missing_value=-99, progress=False)
        assert fit.estimates.est.to_numpy() == pytest.approx(alone.estimates.est.to_numpy(),
                                                             abs=1e-12)  # fmt: skip
    assert "REP" not in set(res.micom.invariance.construct)
    assert np.isfinite(res.mga.p_permutation).all()
