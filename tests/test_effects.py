"""Indirect, direct and total effects against lavaan's `:=` estimates."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from semwidget.cb.effects import all_indirect, indirect
from semwidget.errors import SemWidgetError
from semwidget.fitting import fit

ROOT = Path(__file__).resolve().parent.parent


def _case(name: str):
    g = json.loads((ROOT / "tests" / "golden_reports" / f"reports_{name}.json").read_text())
    est = pd.DataFrame(g["estimates"])
    defined = est[est["op"] == ":="].set_index("lhs")
    return fit(g["model"], pd.read_csv(ROOT / g["data"])), defined


def _check(row: pd.Series, ref: pd.Series) -> None:
    assert row["est"] == pytest.approx(ref["est"], abs=1e-3)
    assert row["se"] == pytest.approx(ref["se"], abs=1e-3)
    assert row["std_all"] == pytest.approx(ref["std.all"], abs=1e-3)
    assert row["std_lv"] == pytest.approx(ref["std.lv"], abs=1e-3)


def test_three_specific_paths() -> None:
    r, ref = _case("poldem_paths")
    eff = indirect(r, "x1", "y5").set_index("path")
    _check(eff.loc["x1 -> y1 -> y5"], ref.loc["ind1"])
    _check(eff.loc["x1 -> y2 -> y5"], ref.loc["ind2"])
    _check(eff.loc["x1 -> y1 -> y2 -> y5"], ref.loc["ind3"])
    eff = indirect(r, "x1", "y5").set_index("effect")
    _check(eff.loc["total indirect"], ref.loc["total_indirect"])
    _check(eff.loc["total"], ref.loc["total"])
    assert indirect(r, "x1", "y5").query("effect == 'indirect'")["labels"].tolist() == [
        "a1*d*b2", "a1*b1", "a2*b2"]


def test_latent_mediation() -> None:
    r, ref = _case("poldem_mediation")
    eff = indirect(r, "ind60", "dem65").set_index("effect")
    _check(eff.loc["indirect"], ref.loc["ind"])
    _check(eff.loc["total"], ref.loc["total"])
    direct = r.estimates.query("lhs == 'dem65' and rhs == 'ind60'").iloc[0]
    assert eff.loc["direct", "est"] == pytest.approx(direct["est"])
    assert eff.loc["direct", "se"] == pytest.approx(direct["se"], rel=1e-6)
    pairs = all_indirect(r)
    assert set(zip(pairs["x"], pairs["y"], strict=True)) == {("ind60", "dem65")}


def test_no_direct_path_means_zero_direct(hs: pd.DataFrame) -> None:
    r = fit("visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"
            "textual ~ visual\nspeed ~ textual", hs)
    eff = indirect(r, "visual", "speed").set_index("effect")
    assert eff.loc["direct", "est"] == 0.0
    assert eff.loc["total", "est"] == pytest.approx(eff.loc["indirect", "est"])


def test_bad_input(hs: pd.DataFrame) -> None:
    r = fit("visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"
            "textual ~ visual", hs)
    with pytest.raises(SemWidgetError, match="no directed path from 'visual' to 'speed'"):
        indirect(r, "visual", "speed")
    with pytest.raises(SemWidgetError, match="'nope' is not a variable"):
        indirect(r, "nope", "speed")
    with pytest.raises(SemWidgetError, match="both 'visual'"):
        indirect(r, "visual", "visual")
