"""Property-based fuzzing of the promises: nothing crashes, hangs or lies.

For fit() over data and model pathologies, the widget's message path, diagram files and
exports: only the package's error type escapes, a refused update keeps the previous state,
every number handed back is finite or NaN with a warning, and no call outlasts its bound.
Each fuzzer is bounded in examples and time so the file runs in CI in about a minute.
"""

from __future__ import annotations

import json
import math
import os
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model_texts import HS

import semwidget
from semwidget import SEMWidget, datasets
from semwidget.errors import SemWidgetError
from semwidget.widget import diagram_file, render

FIT_BOUND_S = 30.0  # a fit of 9 variables; the slowest pathology (FIML, sparse) is far below
CALL_BOUND_S = 15.0  # one widget message, file read or export

# CI runs a fixed sample; SEMWIDGET_FUZZ_EXAMPLES=2000 explores further (with a random seed).
_EXAMPLES = int(os.environ.get("SEMWIDGET_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=_EXAMPLES, deadline=None, derandomize=_EXAMPLES <= 40,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

HS_DATA = datasets.load("HolzingerSwineford1939")[[f"x{i}" for i in range(1, 10)]]
PLS_MODEL = HS + "textual ~ visual\nspeed ~ textual\n"
# A single-indicator latent: its standardized modification indices divide by a zero variance.
SOLO = "visual =~ x1 + x2 + x3\ntextual =~ x5 + x6\nsolo =~ x4\nx4 ~~ 0*x4\n"

NUMBERS = st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1e-300, 1e-12, 1e12, 1e200, 1e300,
                           math.inf, -math.inf, math.nan, 2.0**1023])


def _bounded(call: Any, bound: float) -> Any:
    start = time.monotonic()
    try:
        return call()
    finally:
        took = time.monotonic() - start
        assert took < bound, f"the call took {took:.1f} s (bound {bound:g} s)"


# --------------------------------------------------------------------------- fit()

COLUMN_DAMAGE = st.sampled_from([
    "inf", "huge", "tiny_scale", "huge_scale", "constant", "near_constant", "collinear",
    "all_missing", "half_missing", "bool", "category", "numeric_text", "text", "dates",
    "durations", "complex", "duplicate", "object_mixed", "none",
])


def _damage(data: pd.DataFrame, kind: str, col: str, row: int, value: float) -> pd.DataFrame:
    d = data.copy()
    n = len(d)
    if kind == "inf":
        d.loc[d.index[row], col] = math.inf if value >= 0 else -math.inf
    elif kind == "huge":
        d.loc[d.index[row], col] = 1e200 * (1 if value >= 0 else -1)
    elif kind == "tiny_scale":
        d = d * 1e-12
    elif kind == "huge_scale":
        d = d * 1e12
    elif kind == "constant":
        d[col] = 5.0
    elif kind == "near_constant":
        d[col] = 5.0 + 1e-10 * np.arange(n)
    elif kind == "collinear":
        other = "x1" if col != "x1" else "x2"
        d[col] = 2.0 * d[other] + 1.0
    elif kind == "all_missing":
        d[col] = np.nan
    elif kind == "half_missing":
        d.loc[d.index[::2], col] = np.nan
    elif kind == "bool":
        d[col] = (np.arange(n) % 2).astype(bool)
    elif kind == "category":
        d[col] = pd.Categorical(np.where(np.arange(n) % 2, "a", "b"))
    elif kind == "numeric_text":
        d[col] = d[col].astype(str)
    elif kind == "text":
        d[col] = d[col].astype(object)
        d.loc[d.index[row], col] = "n/a"
    elif kind == "dates":
        d[col] = pd.date_range("2020-01-01", periods=n)
    elif kind == "durations":
        d[col] = pd.to_timedelta(np.arange(n), unit="s")
    elif kind == "complex":
        d[col] = d[col].to_numpy() + 1j
    elif kind == "duplicate":
        d = pd.concat([d, d[[col]]], axis=1)
    elif kind == "object_mixed":
        d[col] = d[col].astype(object)
        d.loc[d.index[row], col] = None
    return d


NAMES = st.sampled_from(["a", "b", "c", "1", "0", "2.5"])
EXPRESSIONS = st.recursive(
    NAMES,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "^"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["log", "sqrt", "exp", "abs", "pnorm"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"),
    ),
    max_leaves=6,
)


@st.composite
def models(draw: st.DrawFn) -> str:
    fixed = draw(NUMBERS)
    kind = draw(st.sampled_from(["plain", "fixed_var", "start", "fixed_load", "defined",
                                 "single_indicator", "unidentified"]))
    if kind == "fixed_var":
        return HS + f"x2 ~~ {fixed!r}*x2\n"
    if kind == "start":
        return f"visual =~ x1 + start({fixed!r})*x2 + x3\n"
    if kind == "fixed_load":
        return f"visual =~ x1 + {fixed!r}*x2 + x3\ntextual =~ x4 + x5 + x6\n"
    if kind == "defined":
        return ("visual =~ x1 + a*x2 + b*x3\ntextual =~ x4 + c*x5 + x6\n"
                f"d := {draw(EXPRESSIONS)}\n")
    if kind == "single_indicator":
        return "visual =~ x1 + x2 + x3\nsolo =~ x4\n"
    if kind == "unidentified":
        return "f =~ x1 + x2\ng =~ x3 + x4\nf ~~ 0*g\n"
    return HS


def _check_result(result: Any) -> None:
    frames = [getattr(result, "estimates", None)]
    for frame in frames:
        if isinstance(frame, pd.DataFrame):
            numeric = frame.select_dtypes("number")
            assert not np.isinf(numeric.to_numpy(dtype=float)).any(), "an infinite estimate"
    measures = getattr(result, "fit_measures", {}) or {}
    for key, value in measures.items():
        if isinstance(value, float):
            assert not math.isinf(value), f"fit measure {key} is infinite"
    est = getattr(result, "estimates", None)
    if isinstance(est, pd.DataFrame) and "op" in est:
        undefined = est[(est["op"] == ":=") & est["est"].isna()]
        if len(undefined):
            assert any("not defined at the estimates" in w for w in result.warnings)


@FUZZ
@given(model=models(), damage=COLUMN_DAMAGE, col=st.sampled_from(["x1", "x2", "x5", "x9"]),
       row=st.integers(0, 300), value=NUMBERS,
       engine=st.sampled_from(["sem", "sem", "pls"]),
       estimator=st.sampled_from(["ML", "GLS", "ULS"]),
       missing=st.sampled_from([None, "listwise", "fiml"]),
       std_lv=st.booleans())
def test_fit_only_raises_its_own_errors_and_returns_finite_numbers(
        model: str, damage: str, col: str, row: int, value: float, engine: str,
        estimator: str, missing: str | None, std_lv: bool) -> None:
    data = _damage(HS_DATA, damage, col, row, value if not math.isnan(value) else 0.0)
    if engine == "pls":
        model = PLS_MODEL
        options: dict[str, Any] = {"missing": missing if missing != "fiml" else "listwise"}
    else:
        options = {"estimator": estimator if missing != "fiml" else "ML", "missing": missing,
                   "std_lv": std_lv}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = _bounded(lambda: semwidget.fit(model, data, engine=engine, **options),
                              FIT_BOUND_S)
        except SemWidgetError as err:
            assert str(err) and len(str(err)) < 2000
            return
    _check_result(result)


# --------------------------------------------------------------------------- widget messages

JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                        st.floats(allow_nan=True, allow_infinity=True),
                        st.text(max_size=12))
JSON = st.recursive(JSON_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=10)
NODE = st.sampled_from(["visual", "textual", "x1", "x2", "x4", "f", "nope", "", "1x", "\ud800"])
MESSAGES = st.one_of(
    JSON,
    st.fixed_dictionaries({"type": st.sampled_from(["fit", "layout", "indirect", "modindices",
                                                    "add_ghost", "bogus"])},
                          optional={"x": st.one_of(NODE, JSON), "y": st.one_of(NODE, JSON),
                                    "chain": st.one_of(st.lists(NODE, max_size=4), JSON),
                                    "k": st.one_of(st.integers(-5, 10**6), JSON),
                                    "edge": st.one_of(
                                        st.tuples(NODE, st.sampled_from(["~", "=~", "~~", "x"]),
                                                  NODE).map(" ".join), JSON)}),
)
COORD = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**400, 10**400),
                  st.just(1.79e308), st.text(max_size=3))
UPDATES = st.fixed_dictionaries({}, optional={
    "syntax": st.one_of(st.sampled_from([HS, "visual =~ x1 + x2 +", "f =~ x1 + x2 + x3\n",
                                         "x2 ~ x1\n", "", "1 =~ a"]), st.text(max_size=30)),
    "positions": st.one_of(st.dictionaries(NODE, st.fixed_dictionaries({"x": COORD, "y": COORD}),
                                        max_size=3), JSON),
    "latents": st.one_of(st.lists(NODE, max_size=3), JSON),
    "options": st.one_of(st.dictionaries(st.sampled_from(["digits", "stars", "bogus"]),
                                         JSON_LEAVES, max_size=2), JSON),
    "error": st.one_of(st.just(""), st.text(max_size=5)),
    "results": JSON,
    "engine": st.sampled_from(["sem", "pls", "bogus"]),
})


def _assert_finite_json(w: SEMWidget) -> None:
    for name in ("results", "positions", "table", "counts", "options"):
        json.dumps(getattr(w, name), allow_nan=False)


@pytest.fixture(scope="module")
def fitted_widget() -> SEMWidget:
    w = SEMWidget(HS_DATA, SOLO)
    w.fit()
    return w


@FUZZ
@given(messages=st.lists(MESSAGES, min_size=1, max_size=3))
def test_widget_messages_never_escape_or_half_apply(fitted_widget: SEMWidget,
                                                    messages: list[Any]) -> None:
    w = fitted_widget
    w.syntax = SOLO
    w.engine = "sem"
    w.fit()
    for content in messages:
        before = (w.syntax, dict(w.positions))
        _bounded(lambda content=content: w._on_custom_msg(w, content, []), CALL_BOUND_S)
        if w.error and w.syntax != before[0]:
            pytest.fail(f"a refused message changed the syntax: {content!r}")
        _assert_finite_json(w)
    # The PLS engine cannot take a suggested parameter: refused before the syntax changes.
    w.engine = "pls"
    syntax = w.syntax
    w._on_custom_msg(w, {"type": "add_ghost", "edge": "visual =~ x4"}, [])
    assert w.syntax == syntax and w.error


@FUZZ
@given(update=UPDATES)
def test_widget_state_updates_are_validated_as_a_whole(update: dict[str, Any]) -> None:
    w = SEMWidget(syntax=HS)
    before = {name: getattr(w, name) for name in ("syntax", "table", "positions", "latents",
                                                  "options", "engine", "results")}
    _bounded(lambda: w.set_state(update), CALL_BOUND_S)
    _assert_finite_json(w)
    for name, value in before.items():
        if name in update and getattr(w, name) != value:
            # an accepted change; it must be valid
            continue
        if name in ("table", "positions", "latents") and w.syntax != before["syntax"]:
            continue  # derived from the new syntax (its nodes placed, its latents)
        assert getattr(w, name) == value, f"{name} changed without being sent"
    if "results" in update:
        assert w.results == before["results"] and w.error, "results are the kernel's"
    syntax = update.get("syntax")
    if isinstance(syntax, str) and w.syntax == syntax and syntax.strip():
        try:
            semwidget.parse(syntax)
        except SemWidgetError:
            assert w.error, "an invalid syntax left no error"
    for position in w.positions.values():
        assert all(math.isfinite(position[a]) and abs(position[a]) <= 1e6 for a in "xy")


# --------------------------------------------------------------------------- diagram files

def _diagram_json(layout: Any, version: Any, extra: dict[str, Any]) -> dict[str, Any]:
    return {"format": diagram_file.FORMAT_NAME, "version": version, "syntax": HS,
            "layout": layout, **extra}


FILE_CONTENTS = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.integers(1, 60_000).map(lambda depth: ("[" * depth + "]" * depth).encode()),
    st.integers(1, 60_000).map(lambda depth: ('{"a":' * depth + "1" + "}" * depth).encode()),
    st.builds(_diagram_json, JSON, st.one_of(st.integers(-3, 3), JSON),
              st.dictionaries(st.sampled_from(["latents", "options", "engine", "bogus"]), JSON,
                              max_size=2)).map(lambda d: json.dumps(d).encode()),
    st.just(b"\xef\xbb\xbf" + json.dumps(_diagram_json({}, 1, {})).encode()),
    st.just(b'{"format": "semwidget-diagram", "version": 1' + b"0" * 5000 + b', "syntax": ""}'),
)


@FUZZ
@given(content=FILE_CONTENTS)
def test_diagram_files_only_raise_diagram_file_errors(tmp_path_factory: pytest.TempPathFactory,
                                                      content: bytes) -> None:
    path = tmp_path_factory.mktemp("d") / "model.semw.json"
    path.write_bytes(content)
    try:
        diagram = _bounded(lambda: diagram_file.load(path), CALL_BOUND_S)
    except diagram_file.DiagramFileError as err:
        assert len(str(err)) < 1000
        return
    assert isinstance(diagram.syntax, str)


def test_a_directory_or_missing_file_is_a_diagram_file_error(tmp_path: Path) -> None:
    with pytest.raises(diagram_file.DiagramFileError, match="is a directory"):
        diagram_file.load(tmp_path)
    with pytest.raises(diagram_file.DiagramFileMissingError, match="no such file"):
        diagram_file.load(tmp_path / "missing.json")


# --------------------------------------------------------------------------- exports

needs_bundle = pytest.mark.skipif(not render.bundle_available(),
                                  reason="semwidget/static/render.js is not built")
LABELS = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=8)


@needs_bundle
@settings(max_examples=max(_EXAMPLES // 2, 1), deadline=None, derandomize=_EXAMPLES <= 40,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(x=st.floats(-1e6, 1e6), y=st.floats(-1e6, 1e6),
       scale=st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                       st.sampled_from([0, -1, 1, 2, 16, 17, 1000])),
       label=LABELS)
def test_exports_refuse_clearly_or_write_valid_files(tmp_path_factory: pytest.TempPathFactory,
                                                     x: float, y: float, scale: float,
                                                     label: str) -> None:
    import xml.etree.ElementTree as ET

    out = tmp_path_factory.mktemp("e")
    w = SEMWidget(syntax="f =~ x1 + x2 + x3")
    w.positions = {**w.positions, "x1": {"x": x, "y": y}}
    state = w.diagram_state()
    state["table"] = [{**row, "label": label} for row in state["table"]]
    svg = _bounded(lambda: render.to_svg(state), CALL_BOUND_S)
    ET.fromstring(svg)
    svg.encode("utf-8")
    try:
        png = _bounded(lambda: render.svg_to_png(svg, scale=scale), CALL_BOUND_S)
    except SemWidgetError as err:
        assert "scale" in str(err) or "PNG would be" in str(err)
        return
    (out / "d.png").write_bytes(png)
    assert png.startswith(b"\x89PNG")
