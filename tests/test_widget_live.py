"""The widget's refit after an edit (semwidget.widget.live): warm starts from the last fit reach
the cold fit's numbers, and the local-fit overlay is computed only while it is shown."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from model_texts import HS, POLDEM

import semwidget
import semwidget.fitting  # the module the spy below patches (semwidget imports it lazily)
from semwidget import datasets
from semwidget.errors import ModelSpecError
from semwidget.widget import SEMWidget, live


def _refit(w: SEMWidget, syntax: str) -> None:
    w.syntax = syntax
    w.wait_for_auto_fit(60)
    assert w.error == "" and not w.stale


@pytest.mark.parametrize(("name", "model", "edited"), [
    ("hs1939", HS, HS.replace(" + x3", "", 1)),
    ("hs1939", HS, HS + "visual =~ x9\n"),
    ("poldem", POLDEM, POLDEM.replace(" + x2", "", 1)),
    ("poldem", POLDEM, POLDEM.replace("y6 ~~ y8\n", "")),
])
def test_a_refit_after_an_edit_starts_warm_and_equals_a_cold_fit(
        name: str, model: str, edited: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = datasets.load(name)
    starts: list[Any] = []
    fit = semwidget.fitting.fit

    def spy(*args: Any, **kwargs: Any) -> Any:
        starts.append(kwargs.get("start"))
        return fit(*args, **kwargs)

    monkeypatch.setattr(semwidget.fitting, "fit", spy)
    w = SEMWidget(data, model)
    w.wait_for_auto_fit(60)
    first = w.result
    for syntax in (edited, model):
        _refit(w, syntax)
        cold = fit(syntax, data)
        assert starts[-1] is not None  # the refit started from the last fit
        for key, edge in w.results["edges"].items():
            lhs, op, rhs = key.split(" ", 2)
            row = cold.table[(cold.table.lhs == lhs) & (cold.table.op == op)
                             & (cold.table.rhs == rhs)].iloc[0]
            assert edge["est"] == pytest.approx(row["est"], abs=1e-6), key
            assert edge["se"] == pytest.approx(row["se"], abs=1e-6), key
        assert w.results["fit"]["chisq"] == pytest.approx(cold.fit_measures["chisq"], abs=1e-6)
    assert starts[0] is None and starts[1] is first


def test_warm_starts_only_where_they_apply(hs: pd.DataFrame) -> None:
    last = semwidget.fit(HS, hs)
    assert live.warm_start(last, "sem", {}) is last
    assert live.warm_start(None, "sem", {}) is None
    assert live.warm_start(last, "pls", {}) is None
    assert live.warm_start(last, "sem", {"group": "school"}) is None
    assert live.warm_start(last, "sem", {"ordered": ["x1"]}) is None


def test_a_failing_warm_fit_is_fitted_cold_and_its_error_is_the_cold_one() -> None:
    calls: list[dict] = []

    def fit(**start: Any) -> str:
        calls.append(start)
        if start:
            raise ModelSpecError("start= is supported for continuous data", name="start")
        return "cold"

    assert live.fit_warm(fit, object()) == "cold"
    assert [bool(c) for c in calls] == [True, False]

    def broken(**start: Any) -> str:
        raise ModelSpecError("variable 'nope' is not a column")

    with pytest.raises(ModelSpecError, match="nope"):
        live.fit_warm(broken, object())


def test_the_local_fit_overlay_is_computed_while_shown(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, HS, auto_fit=False)
    w.fit()
    assert w.results["local_fit"] == {"threshold": 0.1, "pairs": [], "max": None,
                                      "deferred": True}
    table = w.result.local_fit()
    w._on_custom_msg(w, {"type": "local_fit", "on": True}, [])  # the toolbar's toggle
    assert w.error == ""
    shown = w.results["local_fit"]
    assert [(p["lhs"], p["rhs"]) for p in shown["pairs"]] == list(zip(table.lhs, table.rhs,
                                                                      strict=True))
    # it stays computed on every refit while shown
    w.syntax = HS + "x7 ~~ x8\n"
    w.fit()
    after = w.result.local_fit()
    assert len(w.results["local_fit"]["pairs"]) == len(after) and "deferred" not in \
        w.results["local_fit"]
    w._on_custom_msg(w, {"type": "local_fit", "on": False}, [])
    assert w.results["local_fit"]["deferred"] is True


def test_local_fit_of_a_fit_it_does_not_apply_to_is_empty_not_deferred() -> None:
    data = pd.read_csv(semwidget.datasets.__path__[0] + "/hs1939_school.csv")
    w = SEMWidget(data, HS, auto_fit=False, group="school")
    w.fit()
    assert w.results["local_fit"] == {"threshold": 0.1, "pairs": [], "max": None}


@pytest.mark.parametrize("content", [{"type": "local_fit"}, {"type": "local_fit", "on": 1},
                                     {"type": "local_fit", "on": True, "k": 3}])
def test_bad_local_fit_messages_are_named(hs: pd.DataFrame, content: dict) -> None:
    w = SEMWidget(hs, HS, auto_fit=False)
    w._on_custom_msg(w, content, [])
    assert "Ignored a message from the diagram: local_fit message" in w.error


def _sent(w: SEMWidget) -> list[dict[str, Any]]:
    """Record each state update the kernel sends to the views (what ``hold_sync`` batches)."""
    out: list[dict[str, Any]] = []
    w.send_state = lambda key=None: out.append(w.get_state(key))  # type: ignore[method-assign]
    return out


def test_an_edit_sends_the_stale_flag_not_the_results_again(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, HS)
    w.wait_for_auto_fit(60)
    sent = _sent(w)
    w._refit.wait(60)
    with w._refit.lock:  # hold the refit back to see what the edit alone sends
        w.syntax = HS.replace(" + x3", "", 1)
        edit = [dict(m) for m in sent]
    assert any(m.get("stale") is True for m in edit), edit
    assert not any("results" in m for m in edit), [list(m) for m in edit]
    w.wait_for_auto_fit(60)
    refit = [m for m in sent[len(edit):] if "results" in m]
    # the refit's numbers and the flag's end come in one update
    assert len(refit) == 1 and refit[0]["stale"] is False
    assert "visual =~ x3" not in refit[0]["results"]["edges"]


def test_a_refit_that_fails_leaves_the_old_numbers_marked_stale(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, HS)
    w.wait_for_auto_fit(60)
    before = w.results["edges"]["visual =~ x2"]["est"]
    w.syntax = HS + "x1 ~~ x2\nx1 ~~ x3\nx2 ~~ x3\nx1 ~ x2\n"  # not identified
    w.wait_for_auto_fit(60)
    assert w.error and w.stale is True
    assert w.results["edges"]["visual =~ x2"]["est"] == before
    assert w.diagram_state()["results"]["stale"] is True


def test_the_view_cannot_set_the_stale_flag(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, HS)
    w.wait_for_auto_fit(60)
    w.set_state({"stale": True})
    assert w.stale is False and "stale is computed by the kernel" in w.error
