"""SEMWidget without a browser: traits, syncing, messages and refusal of malformed view state."""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from semwidget.errors import DataError, ModelSyntaxError, SemWidgetError
from semwidget.model import emit, parse
from semwidget.widget import SEMWidget
from semwidget.widget import state as widget_state

HS = """
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"""

HS_SEM = HS + "speed ~ visual + textual\n"

pytestmark = pytest.mark.filterwarnings("ignore:semwidget's front end is not built")


@pytest.fixture(scope="module")
def hs() -> pd.DataFrame:
    with resources.files("semwidget").joinpath("datasets/hs1939.csv").open() as handle:
        return pd.read_csv(handle)


def _assert_same_table(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        left.reset_index(drop=True), right.reset_index(drop=True), check_dtype=False
    )


# --------------------------------------------------------------------------- construction


def test_unknown_keyword_raises_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match=r"'estimater'.*fit options are estimator"):
        SEMWidget(syntax=HS, estimater="ML")


def test_pls_option_with_sem_engine_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="'scheme' only apply to engine='pls'"):
        SEMWidget(syntax=HS, scheme="path")


def test_pls_options_accepted_for_pls_engine() -> None:
    w = SEMWidget(syntax=HS, engine="pls", scheme="path", bootstrap=0, seed=1)
    assert w.engine == "pls"
    assert w.fit_options == {"scheme": "path", "bootstrap": 0, "seed": 1}


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(SemWidgetError, match="engine: expected 'sem' or 'pls'"):
        SEMWidget(engine="lisrel")


def test_columns_come_from_data(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs)
    assert w.columns == [f"x{i}" for i in range(1, 10)]
    w.data = hs[["x1", "x2"]]
    assert w.columns == ["x1", "x2"]
    with pytest.raises(DataError, match="pandas DataFrame"):
        w.data = [[1, 2]]


def test_synced_traits_are_exactly_the_contract() -> None:
    synced = {name for name in SEMWidget().keys if not name.startswith("_")}
    # ipywidgets' own keys that every DOMWidget syncs
    synced -= {"tabbable", "tooltip", "style", "layout"}
    assert synced == {
        "syntax", "table", "latents", "columns", "positions", "results", "stale", "options",
        "counts", "error", "engine", "warnings", "versions", "labels", "estimator", "ordered",
    }  # fmt: skip


def test_no_trait_shadows_an_ipywidgets_trait() -> None:
    # A trait named like one of DOMWidget's (``layout`` once did) breaks the view's creation.
    import anywidget
    import ipywidgets

    inherited = set(ipywidgets.DOMWidget.class_trait_names()) | set(
        anywidget.AnyWidget.class_trait_names()
    )
    own = {
        name for name, trait in SEMWidget.class_traits().items()
        if trait.this_class is SEMWidget
    }  # fmt: skip
    assert own, "SEMWidget defines no traits of its own?"
    assert own & inherited == set()
    assert isinstance(SEMWidget().layout, ipywidgets.Layout)


# --------------------------------------------------------------------------- syntax <-> table


def test_syntax_sets_table_latents_counts_and_layout() -> None:
    w = SEMWidget(syntax=HS_SEM)
    assert w.error == ""
    assert w.latents == ["visual", "textual", "speed"]
    assert [(r["lhs"], r["op"], r["rhs"]) for r in w.table][-2:] == [
        ("speed", "~", "visual"),
        ("speed", "~", "textual"),
    ]
    # lavaan: 9 indicators -> 45 moments; 6 loadings + 9 residuals + 3 factor (co)variances
    # (visual, textual, their covariance) + speed's residual variance + 2 regressions = 21
    assert w.counts == {"npar": 21, "moments": 45, "df": 24, "identified": True, "message": ""}
    assert set(w.positions) == {"visual", "textual", "speed", *(f"x{i}" for i in range(1, 10))}
    for position in w.positions.values():
        assert set(position) == {"x", "y"} and all(math.isfinite(v) for v in position.values())


def test_table_rows_are_json_ready() -> None:
    w = SEMWidget(syntax="f =~ 1*x1 + a*x2 + NA*x3 + start(0.5)*x4")
    rows = {r["rhs"]: r for r in w.table}
    assert rows["x1"]["ustart"] == 1.0 and rows["x1"]["free"] == 0
    assert rows["x2"]["label"] == "a" and rows["x2"]["ustart"] is None
    assert rows["x3"]["freed"] == 1
    assert rows["x4"]["ustart"] == 0.5 and rows["x4"]["free"] > 0
    assert all(isinstance(r["id"], int) for r in w.table)


@pytest.mark.parametrize(
    "text",
    [
        HS_SEM,
        "f =~ 1*x1 + a*x2 + a*x3\nx1 ~~ 0*x2\nf ~ 1\nind := a*a",
        "y1 + y2 ~ b*x1 + x2\ny1 ~~ y2\nx1 ~ 1",
        "eta <~ x1 + x2 + x3\neta =~ y1 + y2",
    ],
)
def test_round_trip_syntax_table_syntax(text: str) -> None:
    w = SEMWidget(syntax=text)
    table = widget_state.table_from_records(w.table)
    _assert_same_table(table, parse(text))
    emitted = emit(table)
    w2 = SEMWidget(syntax=emitted)
    assert w2.table == w.table
    _assert_same_table(parse(emitted), table)


def test_surviving_nodes_keep_positions_and_new_ones_are_placed() -> None:
    w = SEMWidget(syntax=HS)
    moved = {**w.positions, "x1": {"x": -500.0, "y": 900.0}}
    w.positions = moved
    w.syntax = HS + "visual =~ x10\n"
    for name, position in moved.items():
        assert w.positions[name] == position
    assert "x10" in w.positions
    new = w.positions["x10"]
    # placed where it does not sit on top of an existing node
    for name, position in w.positions.items():
        if name != "x10":
            assert abs(position["x"] - new["x"]) >= 1 or abs(position["y"] - new["y"]) >= 1
    w.syntax = "visual =~ x1 + x2 + x3"
    assert set(w.positions) == {"visual", "x1", "x2", "x3"}
    assert w.positions["x1"] == {"x": -500.0, "y": 900.0}


def test_syntax_error_keeps_last_good_model_and_reports_line_and_column() -> None:
    w = SEMWidget(syntax=HS)
    table, layout, latents = list(w.table), dict(w.positions), list(w.latents)
    w.syntax = "visual =~ x1 + x2 + x3\ntextual =~ x4 +\n"
    assert w.error.startswith("line 2, column ")
    assert "expected a variable name" in w.error
    assert (w.table, w.positions, w.latents) == (table, layout, latents)
    w.syntax = HS
    assert w.error == ""


def test_drawn_latent_without_indicators_survives_syntax_edits() -> None:
    w = SEMWidget(syntax="f =~ x1 + x2 + x3")
    w.latents = ["f", "g"]
    assert "g" in w.positions
    assert "no indicators" in w.counts["message"] and "'g'" in w.counts["message"]
    w.syntax = "f =~ x1 + x2 + x3 + x4"
    assert w.latents == ["f", "g"]
    w.syntax = "f =~ x1 + x2 + x3\ng =~ x4 + x5 + x6"
    assert w.latents == ["f", "g"]
    w.syntax = "f =~ x1 + x2 + x3"
    # g had indicators in the syntax, so removing them from the syntax removes g
    assert w.latents == ["f"] and "g" not in w.positions


def test_empty_syntax_is_an_empty_model_not_an_error() -> None:
    w = SEMWidget(syntax=HS)
    w.syntax = ""
    assert (w.table, w.latents, w.positions, w.error) == ([], [], {}, "")


# --------------------------------------------------------------------------- malformed view state


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ({"positions": {"nobody": {"x": 1, "y": 2}}}, "unknown node name(s) 'nobody'"),
        ({"positions": {"x1": {"x": "10", "y": 2}}},
         "positions['x1']['x']: expected a finite number"),
        ({"positions": {"x1": {"x": 1}}}, "positions['x1']: missing 'y'"),
        ({"positions": {"x1": {"x": 1, "y": 2, "z": 3}}}, "unexpected key(s) 'z'"),
        ({"positions": [1, 2]}, "positions: expected a mapping"),
        ({"latents": "visual"}, "latents: expected a list"),
        ({"latents": ["visual", "textual"]}, "'speed' must stay latent"),
        ({"latents": ["visual", "textual", "speed", "2bad"]}, "'2bad' is not a valid"),
        ({"options": {"digits": "3"}}, "options['digits']: expected an integer"),
        ({"options": {"stars": 1}}, "options['stars']: expected true or false"),
        ({"options": {"colour": True}}, "unknown option 'colour'"),
        ({"syntax": 42}, "syntax: expected text, got 42"),
        ({"engine": "lisrel"}, "engine: expected 'sem' or 'pls'"),
        ({"table": []}, "table is computed by the kernel"),
        ({"counts": {"df": 0}}, "counts is computed by the kernel"),
        ({"results": {}}, "results is computed by the kernel"),
    ],
)
def test_malformed_view_state_is_refused_and_model_kept(update: dict, message: str) -> None:
    w = SEMWidget(syntax=HS)
    keys = ("syntax", "table", "latents", "positions", "options")
    before = {key: getattr(w, key) for key in keys}
    sent: list[object] = []
    w.send_state = lambda key=None: sent.append(key)  # type: ignore[method-assign]
    w.set_state(update)
    assert w.error.startswith("Ignored an update from the diagram")
    assert message in w.error
    assert {key: getattr(w, key) for key in before} == before
    # the refused key goes back to the view so it does not drift from the kernel
    assert sent[-1] == list(update)


def test_syntax_that_fails_from_the_view_keeps_model() -> None:
    w = SEMWidget(syntax=HS)
    table = list(w.table)
    w.set_state({"syntax": "visual =~ x1 + (x2"})
    assert w.syntax == "visual =~ x1 + (x2"  # the panel keeps what the user typed
    assert w.error.startswith("line 1, column ")
    assert w.table == table


def test_view_update_with_new_node_and_its_position_in_one_message() -> None:
    w = SEMWidget(syntax="f =~ x1 + x2 + x3")
    layout = {**w.positions, "x4": {"x": 12.5, "y": 34.0}}
    w.set_state({"positions": layout, "syntax": "f =~ x1 + x2 + x3 + x4"})
    assert w.error == ""
    assert w.positions["x4"] == {"x": 12.5, "y": 34.0}


def test_valid_update_after_refusal_clears_the_refusal() -> None:
    w = SEMWidget(syntax=HS)
    w.set_state({"positions": {"nobody": {"x": 1, "y": 2}}})
    assert w.error
    w.set_state({"options": {"digits": 3}})
    assert w.error == "" and w.options["digits"] == 3


def test_partial_options_are_merged() -> None:
    w = SEMWidget()
    w.options = {"se": True}
    assert w.options == {**widget_state.DEFAULT_OPTIONS, "se": True}


def test_layout_from_python_with_unknown_name_raises() -> None:
    w = SEMWidget(syntax=HS)
    with pytest.raises(SemWidgetError, match="unknown node name"):
        w.positions = {"nobody": {"x": 0, "y": 0}}


def test_layout_may_place_data_columns_not_yet_in_the_model(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, syntax="f =~ x1 + x2 + x3")
    w.set_state({"positions": {**w.positions, "x9": {"x": 1.0, "y": 2.0}}})
    assert w.error == "" and w.positions["x9"] == {"x": 1.0, "y": 2.0}


# --------------------------------------------------------------------------- fitting and messages


def test_fit_fills_results(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, syntax=HS)
    result = w.fit()
    assert w.result is result
    edges = w.results["edges"]
    loading = edges["visual =~ x2"]
    row = result.estimates.query("lhs == 'visual' and op == '=~' and rhs == 'x2'").iloc[0]
    assert loading["est"] == pytest.approx(row["est"])
    assert loading["std"] == pytest.approx(row["std_all"])
    assert loading["se"] == pytest.approx(row["se"])
    assert loading["pvalue"] == pytest.approx(row["pvalue"])
    assert (loading["ci_lower"], loading["ci_upper"]) == pytest.approx(
        (row["ci_lower"], row["ci_upper"])
    )
    # the first loading is fixed: as in lavaan, no p-value (written null, never NaN, so the
    # JSON stays valid)
    assert edges["visual =~ x1"]["est"] == 1.0
    assert edges["visual =~ x1"]["pvalue"] is None
    assert w.results["r2"]["x1"] == pytest.approx(result.r2["x1"])
    # lavaan's chi-square for the HS CFA (lavaan 0.6.14: 85.306 on 24 df)
    assert w.results["fit"]["chisq"] == pytest.approx(85.306, abs=1e-3)
    assert w.results["fit"]["df"] == 24
    assert w.results["engine"] == "sem"
    assert w.error == ""


def test_fit_message_from_view(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, syntax=HS)
    sent: list[dict] = []
    w.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    w._handle_custom_msg({"type": "fit"}, [])
    assert w.results["edges"]["speed =~ x9"]["std"] is not None
    assert sent == [{"type": "fitted"}]


def test_fit_button_error_goes_to_error_not_raised(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, syntax="f =~ x1 + nope + x3")
    w._handle_custom_msg({"type": "fit"}, [])
    assert "nope" in w.error
    assert w.results == {}


def test_fit_called_directly_raises(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, syntax="f =~ x1 + nope + x3")
    with pytest.raises(SemWidgetError, match="nope"):
        w.fit()
    assert "nope" in w.error
    with pytest.raises(DataError, match="no data"):
        SEMWidget(syntax=HS).fit()
    w = SEMWidget(hs, syntax=HS)
    w.syntax = "visual =~ x1 +"
    with pytest.raises(ModelSyntaxError, match="line 1"):
        w.fit()


def test_an_edit_keeps_the_estimates_marked_stale_until_the_refit(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, syntax=HS, auto_fit=False)
    w.fit()
    w.syntax = HS + "\n# a comment changes nothing\n"
    assert w.stale is False and "stale" not in w.results
    w.syntax = HS_SEM
    assert w.stale is True
    assert w.results["edges"]["visual =~ x1"]["est"] == 1.0
    # what the renderer draws (and the SVG export) carries the flag
    assert w.diagram_state()["results"]["stale"] is True
    w.fit()
    assert w.stale is False and "stale" not in w.diagram_state()["results"]


def test_live_refit_is_the_default_and_drops_superseded_fits(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, syntax=HS)
    assert w.auto_fit is True
    w.wait_for_auto_fit(10)
    assert not w.stale and w.results["edges"]
    for extra in ("x1 ~~ x4\n", "x1 ~~ x5\n", "x1 ~~ x6\n"):
        w.syntax = HS + extra
    w.wait_for_auto_fit(10)
    # the last edit's model is what is shown, whatever fits were dropped on the way
    assert "x1 ~~ x6" in w.results["edges"] and "x1 ~~ x4" not in w.results["edges"]
    assert not w.stale

def test_layout_message_lays_out_again() -> None:
    w = SEMWidget(syntax=HS)
    automatic = dict(w.positions)
    w.positions = {**automatic, "x1": {"x": 9999.0, "y": 9999.0}}
    w._handle_custom_msg({"type": "layout"}, [])
    assert w.positions == automatic


def test_unknown_message_is_reported() -> None:
    w = SEMWidget(syntax=HS)
    w._handle_custom_msg({"type": "explode"}, [])
    assert "unknown message" in w.error and "explode" in w.error


def test_auto_fit_refits_after_edits(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, syntax=HS, auto_fit=True)
    w.wait_for_auto_fit(5)
    assert w.results["edges"]["visual =~ x1"]["std"] is not None
    w.syntax = HS_SEM
    w.syntax = HS_SEM + "x1 ~~ x4\n"
    w.wait_for_auto_fit(5)
    assert "x1 ~~ x4" in w.results["edges"]
    assert w.result.fit_measures["df"] == 23


def test_auto_fit_surfaces_errors(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, syntax=HS, auto_fit=True)
    w.syntax = "f =~ x1 + nothere"
    w.wait_for_auto_fit(5)
    assert "nothere" in w.error


def test_pls_fit_fills_results(hs: pd.DataFrame) -> None:
    w = SEMWidget(
        hs, syntax="visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\ntextual ~ visual", engine="pls"
    )
    result = w.fit()
    assert w.results["engine"] == "pls"
    path = result.estimates.query("lhs == 'textual' and op == '~'").iloc[0]
    # PLS estimates are standardized: the diagram's "std" is the estimate itself
    assert w.results["edges"]["textual ~ visual"]["std"] == pytest.approx(path["est"])
    assert w.results["r2"]["textual"] == pytest.approx(result.r2["textual"])
    assert w.results["fit"] == {"srmr": pytest.approx(result.srmr)}


def test_a_bug_while_applying_view_state_is_shown_not_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import semwidget.widget.widget as widget_module

    w = SEMWidget(syntax=HS)

    def broken(state: dict, previous: dict) -> dict:
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(widget_module, "kept_positions", broken)
    w.set_state({"syntax": HS_SEM + "x1 ~~ x2\n"})
    assert "internal error (RuntimeError: layout exploded)" in w.error


def test_widget_fits_ordinal_items_and_keeps_thresholds_in_the_syntax() -> None:
    data = pd.read_csv(Path(__file__).resolve().parent / "golden" / "data" / "hs_ordinal.csv")
    items = [f"x{i}c4" for i in range(1, 7)]
    syntax = ("visual =~ x1c4 + x2c4 + x3c4\ntextual =~ x4c4 + x5c4 + x6c4\n"
              "x1c4 | t1 + t2 + t3\n")
    w = SEMWidget(data[items], syntax, ordered=items, auto_fit=False)
    result = w.fit()
    assert result.estimator == "WLSMV"
    assert "x1c4 | t1 + t2 + t3" in w.syntax
    assert w.results["fit"]["chisq_scaled"] == pytest.approx(
        result.fit_measures["chisq_scaled"])
    # thresholds are not nodes of the diagram
    assert "t1" not in w.positions
