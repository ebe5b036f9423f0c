"""Every failure issue 10 lists, each with the sentence the user now gets (or the honest result)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from model_texts import HS

import semwidget
from semwidget import SEMWidget
from semwidget.cli import main
from semwidget.errors import DataError, ModelSpecError, SemWidgetError
from semwidget.tables import report as rp
from semwidget.widget import diagram_file, render

PLS = HS + "textual ~ visual\nspeed ~ textual\n"
ROOT = Path(__file__).resolve().parent.parent
HS_CSV = ROOT / "semwidget" / "datasets" / "hs1939.csv"


def _with(hs: pd.DataFrame, col: str, values: object) -> pd.DataFrame:
    data = hs.copy()
    data[col] = values
    return data


# --------------------------------------------------------------------------- bad numbers

@pytest.mark.parametrize(("value", "match"), [
    (math.inf, r"column 'x1' holds an infinite value \(row 3\)"),
    (1e200, r"column 'x1' holds 1e\+200 \(row 3\), beyond"),
])
def test_extreme_values_are_named(hs: pd.DataFrame, value: float, match: str) -> None:
    data = hs.copy()
    data.loc[3, "x1"] = value
    with pytest.raises(DataError, match=match):
        semwidget.fit(HS, data)


@pytest.mark.parametrize("model", ["visual =~ x1 + start(1e300)*x2 + x3\n",
                                   HS + "x2 ~~ -0.5*x2\n"])
def test_impossible_fixed_or_start_values_are_a_model_error(hs: pd.DataFrame,
                                                            model: str) -> None:
    with pytest.raises(ModelSpecError, match="not positive definite at the start values"):
        semwidget.fit(model, hs)


def test_duplicated_column_names(hs: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="column 'x1' appears 2 times"):
        semwidget.fit(HS, pd.concat([hs, hs[["x1"]]], axis=1))


@pytest.mark.parametrize("expression", ["a/(b-b)", "log(-a)", "exp(1000*a)", "9^9^9"])
def test_undefined_definitions_are_nan_with_a_warning(hs: pd.DataFrame, expression: str) -> None:
    fit = semwidget.fit(f"visual =~ x1 + a*x2 + b*x3\nd := {expression}\n", hs)
    row = fit.estimates[fit.estimates["op"] == ":="].iloc[0]
    assert math.isnan(row["est"])
    assert any("'d := " in w and "not defined at the estimates" in w for w in fit.warnings)
    assert fit.estimates[fit.estimates["op"] == "=~"]["est"].notna().all()


@pytest.mark.parametrize(("options", "engine"), [({"estimator": "GLS"}, "sem"),
                                                 ({}, "sem"), ({}, "pls")])
def test_collinear_columns_are_named(hs: pd.DataFrame, options: dict, engine: str) -> None:
    data = _with(hs, "x2", 2 * hs["x1"])
    with pytest.raises(DataError, match="columns 'x2', 'x1' are collinear"):
        semwidget.fit(PLS if engine == "pls" else HS, data, engine=engine, **options)


def test_tiny_pls_bootstrap_samples_do_not_crash(hs: pd.DataFrame) -> None:
    fit = semwidget.fit(PLS, hs.head(12), engine="pls", bootstrap=30, seed=1)
    assert np.isfinite(fit.estimates["est"]).all()


# --------------------------------------------------------------------------- messages

@pytest.mark.parametrize(("values", "match"), [
    ([True, False] * 150 + [True], "holds true/false values"),
    (pd.Categorical(["a", "b"] * 150 + ["a"]), r"is categorical \(levels 'a', 'b'"),
    (["1", "2"] * 150 + ["1"], "holds numbers stored as text"),
    (["a", "b"] * 150 + ["a"], "holds text such as 'a'"),
    (pd.date_range("2020", periods=301), "holds dates"),
    (pd.to_timedelta(np.arange(301), unit="s"), "holds durations"),
    (np.arange(301) + 1j, "holds complex numbers"),
])
@pytest.mark.parametrize("engine", ["sem", "pls"])
def test_column_types_are_named(hs: pd.DataFrame, values: object, match: str,
                                engine: str) -> None:
    with pytest.raises(DataError, match=f"column 'x1' {match}"):
        semwidget.fit(PLS if engine == "pls" else HS, _with(hs, "x1", values), engine=engine)


def test_rescaled_data_fit_as_the_original(hs: pd.DataFrame) -> None:
    base = semwidget.fit(HS, hs)
    big = semwidget.fit(HS, hs * 1e12)
    assert big.fit_measures["chisq"] == pytest.approx(base.fit_measures["chisq"], rel=1e-6)
    loadings = base.estimates["op"] == "=~"
    assert np.allclose(big.estimates["est"][loadings], base.estimates["est"][loadings],
                       rtol=1e-6)


def test_tiny_scale_and_near_constant_columns_are_named(hs: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="variance of column.* is below 1e-08.*rescale"):
        semwidget.fit(HS, hs * 1e-12)
    with pytest.raises(DataError, match="'x1' are nearly constant"):
        semwidget.fit(HS, _with(hs, "x1", 5 + 1e-10 * np.arange(len(hs))))


def test_an_empty_column_is_named(hs: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="column 'x1' has no observed values"):
        semwidget.fit(HS, _with(hs, "x1", np.nan))


def test_long_numbers_are_not_echoed_whole(hs: pd.DataFrame) -> None:
    with pytest.raises(SemWidgetError) as info:
        semwidget.fit("visual =~ x1 + " + "9" * 100_000 + "*x2 + x3", hs)
    assert len(str(info.value)) < 300 and "100002 characters" in str(info.value)


# --------------------------------------------------------------------------- silent results

def test_fiml_refuses_an_empirically_unidentified_model(hs: pd.DataFrame) -> None:
    model = "f =~ x1 + x2\ng =~ x3 + x4\nf ~~ 0*g\n"
    with pytest.raises(ModelSpecError, match="not identified"):
        semwidget.fit(model, hs)
    with pytest.raises(ModelSpecError, match="not identified"):
        semwidget.fit(model, hs, missing="fiml")


def test_pls_listwise_is_honoured(hs: pd.DataFrame) -> None:
    data = hs.copy()
    data.loc[::3, "x1"] = np.nan
    assert semwidget.fit(PLS, data, engine="pls", missing="listwise").nobs == 200
    assert semwidget.fit(PLS, data, engine="pls").nobs == 301  # mean replacement


def test_sparse_fiml_warns_about_coverage(hs: pd.DataFrame) -> None:
    data = hs.copy()
    data.loc[data.index[:280], "x1"] = np.nan  # x1 seen in 7 % of the rows
    fit = semwidget.fit(HS, data, missing="fiml")
    assert any("fewer than 10% of the rows ('x1'" in w for w in fit.warnings)


# --------------------------------------------------------------------------- widget

def test_malformed_messages_change_nothing(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, HS)
    syntax = w.syntax
    w._on_custom_msg(w, {"type": "indirect", "chain": {"a": 1}}, [])
    assert "'chain' must be a list" in w.error and w.syntax == syntax
    w.engine = "pls"
    w._on_custom_msg(w, {"type": "add_ghost", "edge": "visual =~ x4"}, [])
    assert "CB-SEM fit" in w.error and w.syntax == syntax


def test_a_refused_syntax_keeps_its_error_even_if_the_view_clears_it() -> None:
    w = SEMWidget(syntax=HS)
    w.set_state({"syntax": "visual =~ x1 +", "error": ""})
    assert w.error.startswith("line 1") and w.syntax == "visual =~ x1 +"
    assert w.table  # the model that parsed is kept


def test_positions_off_the_drawing_are_refused() -> None:
    w = SEMWidget(syntax=HS)
    before = dict(w.positions)
    w.set_state({"positions": {**before, "x1": {"x": 0.0, "y": 1.79e308}}})
    assert "off the drawing" in w.error and w.positions == before


def test_results_stay_finite_json(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, "visual =~ x1 + x2 + x3\ntextual =~ x5 + x6\nsolo =~ x4\nx4 ~~ 0*x4\n")
    w.fit()
    w.show_modindices(50)
    json.dumps(w.results, allow_nan=False)
    w.results = {"fit": {"chisq": math.inf}}
    assert w.results == {"fit": {"chisq": None}}


# --------------------------------------------------------------------------- files, report

@pytest.mark.parametrize(("content", "match"), [
    (b"\xff\xfe{}", "is not UTF-8 text"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
])
def test_bad_diagram_files(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "d.json"
    path.write_bytes(content)
    with pytest.raises(diagram_file.DiagramFileError, match=match):
        diagram_file.load(path)
    with pytest.raises(diagram_file.DiagramFileError, match="is a directory"):
        SEMWidget.load(tmp_path)


def test_report_markdown_keeps_user_text_as_text(hs: pd.DataFrame) -> None:
    fit = semwidget.fit(HS + "textual ~ visual\n", hs)
    md = rp.report(fit, hypotheses={"textual ~ visual": "<img src=x onerror=alert(1)>|"}
                   ).to_markdown()
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;\\|" in md


def test_png_scale_and_size_are_bounded() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"/>'
    for scale in (0, -1, math.nan, 1000):
        with pytest.raises(render.RenderError, match="scale must be"):
            render.svg_to_png(svg, scale=scale)


# --------------------------------------------------------------------------- CLI

def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(args)
    except SystemExit as stop:  # argparse
        code = int(stop.code or 0)
    return code, capsys.readouterr().err


def test_cli_sentences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "m.lav"
    model.write_bytes(b"\xef\xbb\xbf" + HS.encode())  # a byte-order mark
    hs = pd.read_csv(HS_CSV)
    semi = tmp_path / "semi.csv"
    hs.to_csv(semi, sep=";", index=False)
    assert _cli(["fit", str(model), str(semi)], capsys)[0] == 0
    inf = tmp_path / "inf.csv"
    hs.assign(x1=np.where(hs.index == 0, np.inf, hs["x1"])).to_csv(inf, index=False)
    latin = tmp_path / "latin.lav"
    latin.write_bytes("visual =~ x1 + x2 + é\n".encode("latin-1"))
    cases = [
        (["fit", str(model), str(inf)], "column 'x1' holds an infinite value"),
        (["fit", str(latin), str(HS_CSV)], "is not UTF-8 text"),
        (["fit", str(model), str(HS_CSV), "--engine", "pls", "--seed", "-1"], "a seed is from 0"),
        (["fit", str(model), str(HS_CSV), "--engine", "pls", "--std-lv"],
         "--std-lv only applies to --engine sem"),
        (["fit", str(model), str(HS_CSV), "--engine", "pls", "--estimator", "GLS"],
         "--estimator only applies"),
        (["fit", str(model), str(tmp_path)], "is a directory"),
        (["fit", str(model), "/dev/null"], "is not a regular file"),
        (["fit", str(model), str(HS_CSV), "--missing", "mean"], "--missing mean is for"),
    ]
    for args, match in cases:
        code, err = _cli(args, capsys)
        assert code == 2 and match in err and "Traceback" not in err, (args, err)
    pls = tmp_path / "pls.lav"
    pls.write_text(PLS)
    assert _cli(["fit", str(pls), str(HS_CSV), "--engine", "pls", "--missing", "mean"],
                capsys)[0] == 0


def test_lone_surrogates_never_reach_the_front_end_or_a_message() -> None:
    w = SEMWidget(syntax=HS)
    w.set_state({"syntax": "visual =~ x1 + x2 # \ud800\n"})
    assert "lone surrogate" in w.error and w.syntax == HS
    with pytest.raises(SemWidgetError) as info:
        semwidget.parse('f =~ x1 + label("a\ud800b")*x2')
    str(info.value).encode("utf-8")  # printable, sendable
