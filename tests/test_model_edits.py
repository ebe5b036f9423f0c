"""One-click model edits: indirect effects written as labels + ':=', and suggested parameters."""

from __future__ import annotations

import pandas as pd
import pytest

import semwidget
from semwidget.errors import ModelSpecError
from semwidget.model import emit, parse
from semwidget.model.edits import add_indirect, add_parameter, directed_paths

MED = """visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ visual
speed ~ textual + visual"""


def test_directed_paths_need_a_mediator() -> None:
    assert directed_paths(parse(MED), "visual", "speed") == [["visual", "textual", "speed"]]
    assert directed_paths(parse(MED), "textual", "speed") == []


def test_add_indirect_labels_and_defines(hs: pd.DataFrame) -> None:
    table, names = add_indirect(parse(MED), "visual", "speed")
    text = emit(table)
    assert names == ["ind_visual_speed"]
    assert "textual ~ a*visual" in text and "speed ~ b*textual" in text
    assert "ind_visual_speed := a*b" in text
    result = semwidget.fit(text, hs)
    row = result.estimates[result.estimates.op == ":="].iloc[0]
    # the same product lavaan reports for this model (tests/golden/hs_mediation.json: ind)
    assert row["est"] == pytest.approx(0.02688, abs=2e-3)
    assert row["se"] > 0


def test_add_indirect_keeps_existing_labels_and_sums_paths() -> None:
    model = "y ~ p*m1 + m2 + x\nm1 ~ x\nm2 ~ x"
    table, names = add_indirect(parse(model), "x", "y")
    text = emit(table)
    assert names == ["ind_x_y_1", "ind_x_y_2", "ind_x_y"]
    assert "ind_x_y:=ind_x_y_1+ind_x_y_2" in text.replace(" ", "")
    assert "p*m1" in text


def test_add_indirect_errors() -> None:
    with pytest.raises(ModelSpecError, match="no indirect path from 'textual' to 'visual'"):
        add_indirect(parse(MED), "textual", "visual")
    with pytest.raises(ModelSpecError, match="'visual ~ speed' is not in the model"):
        add_indirect(parse(MED), "speed", chain=["speed", "visual", "textual"])


def test_add_parameter() -> None:
    table = add_parameter(parse(MED), "x7", "~~", "x8")
    assert emit(table).splitlines()[-1] == "x7 ~~ x8"
    with pytest.raises(ModelSpecError, match="already in the model"):
        add_parameter(table, "x8", "~~", "x7")
    with pytest.raises(ModelSpecError, match="operator"):
        add_parameter(table, "x7", ":=", "x8")


def test_widget_indirect_and_ghosts(hs: pd.DataFrame) -> None:
    w = semwidget.SEMWidget(data=hs, syntax=MED)
    names = w.add_indirect("visual", "speed")
    assert names == ["ind_visual_speed"]
    assert "ind_visual_speed := a*b" in w.syntax
    assert w.results["edges"]["ind_visual_speed := a*b"]["ci_lower"] is not None
    mi = w.show_modindices(3)
    assert len(w.results["ghosts"]) == 3
    top = w.results["ghosts"][0]
    assert top["edge"] == f"{mi.iloc[0]['lhs']} {mi.iloc[0]['op']} {mi.iloc[0]['rhs']}"
    change = w.add_ghost(top["edge"])
    assert change["delta_chisq"] < 0 and change["cfi_after"] > change["cfi_before"]
    # the chi-square drop of one added parameter is close to its modification index
    assert -change["delta_chisq"] == pytest.approx(top["mi"], rel=0.35)
    assert top["edge"].split()[0] in w.syntax


def test_widget_messages_report_errors(hs: pd.DataFrame) -> None:
    w = semwidget.SEMWidget(data=hs, syntax=MED)
    w._on_custom_msg(w, {"type": "modindices", "k": 2}, [])
    assert "press Fit first" in w.error
    w._on_custom_msg(w, {"type": "indirect", "x": "textual", "y": "visual"}, [])
    assert "no indirect path" in w.error
    before = w.syntax
    w._on_custom_msg(w, {"type": "add_ghost", "edge": "nonsense"}, [])
    assert w.syntax == before and "cannot read" in w.error
