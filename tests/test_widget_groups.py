"""SEMWidget with group=: the results payload by group and the group message (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import semwidget
from semwidget.widget import SEMWidget
from semwidget.widget.export import fitted_svg

ROOT = Path(__file__).parent.parent
HS3 = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
GOLD = json.loads((ROOT / "tests/golden/multigroup/hs_metric.json").read_text())


def _std(group: int, rhs: str) -> float:
    return next(r["std.all"] for r in GOLD["estimates"]
                if r["group"] == group and r["op"] == "=~" and r["rhs"] == rhs)


def test_widget_switches_groups() -> None:
    hs = semwidget.datasets.load("hs1939_school")
    w = SEMWidget(hs, HS3, group="school", group_equal="loadings")
    w.fit()
    res = w.results
    assert res["groups"] == ["Pasteur", "Grant-White"] and res["group"] == "Pasteur"
    assert res["fit"]["df"] == GOLD["df"]
    assert res["edges"]["visual =~ x2"]["std"] == pytest.approx(_std(1, "x2"), abs=0.003)
    assert "visual =~ x2" in res["equal"] and "visual =~ x1" not in res["equal"]
    assert res["edges"]["visual =~ x2"]["equal"] and res["edges"]["visual =~ x2"]["label"] == ""
    assert not res["edges"]["visual ~~ textual"]["equal"]
    assert w.counts["df"] == GOLD["df"] and w.counts["npar"] == GOLD["npar"]
    w._on_custom_msg(w, {"type": "group", "group": "Grant-White"}, [])
    assert w.error == ""
    assert w.results["group"] == "Grant-White"
    assert w.results["edges"]["visual =~ x2"]["std"] == pytest.approx(_std(2, "x2"), abs=0.003)
    assert w.results["r2"] == pytest.approx(
        {k: v for k, v in w.result.r2["Grant-White"].items()}, abs=1e-9)
    assert w.results["fit"] == res["fit"]
    w.show_group("all groups")
    x2 = w.results["edges"]["visual =~ x2"]
    assert x2["values_std"] == pytest.approx([_std(1, "x2"), _std(2, "x2")], abs=0.003)
    assert w.results["r2"] == {} and w.results["group"] == "all groups"
    w._on_custom_msg(w, {"type": "group", "group": "Nowhere"}, [])
    assert "no group 'Nowhere'" in w.error
    json.dumps(w.results, allow_nan=False)


@pytest.mark.parametrize("shown", ["Grant-White", "all groups"])
def test_a_refit_keeps_the_group_the_user_picked(shown: str) -> None:
    hs = semwidget.datasets.load("hs1939_school")
    w = SEMWidget(hs, HS3, group="school", group_equal="loadings", auto_fit=False)
    w.fit()
    w.show_group(shown)
    picked = w.results
    w.fit()  # a refit, or a fit that was running when the group was picked, publishes now
    assert w.results["group"] == shown
    assert w.results["edges"] == picked["edges"] and w.results["r2"] == picked["r2"]
    w.syntax = HS3 + "\nx7 ~~ x8"  # an edit: the new model still has that group
    w.fit()
    assert w.results["group"] == shown and "x7 ~~ x8" in w.results["edges"]
    if shown != "all groups":  # the picked group's own estimates of the new fit
        assert w.results["edges"] == w.results["by_group"][shown]["edges"]


def test_group_message_without_groups_and_svg() -> None:
    hs = semwidget.datasets.load("hs1939_school")
    w = SEMWidget(hs, HS3)
    w.fit()
    w._on_custom_msg(w, {"type": "group", "group": "Pasteur"}, [])
    assert "has no groups" in w.error
    fit = semwidget.fit(HS3, hs, group="school")
    assert "<svg" in fitted_svg(HS3, fit)  # the CLI's --svg draws the first group


def test_indirect_tool_refuses_labels_that_would_constrain_groups() -> None:
    hs = semwidget.datasets.load("hs1939_school")
    w = SEMWidget(hs, HS3 + "\ntextual ~ visual\nspeed ~ textual", group="school")
    w._on_custom_msg(w, {"type": "indirect", "x": "visual", "y": "speed"}, [])
    assert "would hold the paths equal" in w.error
    assert "ind" not in w.syntax
