"""Headless export: the front end's renderer run in V8 (mini-racer), PNG through resvg."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from model_texts import HS, POLDEM

from semwidget.fitting import fit
from semwidget.widget import SEMWidget, export, placement
from semwidget.widget import render as svg_export

SVG = "{http://www.w3.org/2000/svg}"
needs_bundle = pytest.mark.skipif(
    not svg_export.bundle_available(),
    reason="semwidget/static/render.js is not built (run `npm run build`)",
)


def _data(name: str) -> pd.DataFrame:
    with resources.files("semwidget").joinpath(f"datasets/{name}.csv").open() as handle:
        return pd.read_csv(handle)


def _elements(svg: str, attribute: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {el.get(attribute): el for el in root.iter() if el.get(attribute) is not None}


def _texts(svg: str, role: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(el.itertext()) for el in root.iter() if el.get("data-role") == role]


@needs_bundle
def test_to_svg_draws_every_node_and_edge_with_test_hooks() -> None:
    w = SEMWidget(syntax=HS + "visual ~~ textual\n")
    svg = w.to_svg()
    root = ET.fromstring(svg)  # well-formed, standalone
    assert root.tag == f"{SVG}svg"
    nodes = _elements(svg, "data-node")
    assert set(nodes) == {"visual", "textual", "speed", *(f"x{i}" for i in range(1, 10))}
    assert nodes["visual"].get("data-kind") == "latent"
    assert nodes["x1"].get("data-kind") == "observed"
    edges = _elements(svg, "data-edge")
    assert {"visual =~ x1", "speed =~ x9", "visual ~~ textual"} <= set(edges)
    assert _texts(svg, "coef") == []  # nothing fitted yet


@needs_bundle
def test_to_svg_after_fit_shows_coefficients_and_r2() -> None:
    w = SEMWidget(_data("hs1939"), syntax=HS)
    result = w.fit()
    svg = w.to_svg()
    edges = _elements(svg, "data-edge")
    estimates = result.estimates.set_index(["lhs", "op", "rhs"])
    for factor, items in (("visual", "123"), ("textual", "456"), ("speed", "789")):
        for item in items:
            group = edges[f"{factor} =~ x{item}"]
            coef = [el for el in group.iter() if el.get("data-role") == "coef"]
            assert len(coef) == 1
            # standardized by default, two digits, stars for p < .001 on the free loadings
            std = estimates.loc[(factor, "=~", f"x{item}"), "std_all"]
            assert "".join(coef[0].itertext()).startswith(f"{std:.2f}")
    # lavaan's std.all for visual =~ x2 is 0.424 and its p-value < .001
    assert (
        "".join(
            el.text or "" for el in edges["visual =~ x2"].iter() if el.get("data-role") == "coef"
        )
        == "0.42***"
    )
    r2 = _texts(svg, "r2")
    assert len(r2) == 9
    assert any(f"{result.r2['x5']:.2f}" in text for text in r2)


@needs_bundle
def test_unstandardized_option_changes_the_labels() -> None:
    w = SEMWidget(_data("hs1939"), syntax=HS)
    result = w.fit()
    w.options = {"standardized": False, "stars": False}
    coefs = _texts(w.to_svg(), "coef")
    est = result.estimates.query("lhs == 'visual' and rhs == 'x2' and op == '=~'").iloc[0]["est"]
    assert f"{est:.2f}" in coefs


@needs_bundle
def test_fitted_svg_for_the_cli_matches_the_widget() -> None:
    data = _data("poldem")
    result = fit(POLDEM, data)
    svg = export.fitted_svg(POLDEM, result)
    nodes = _elements(svg, "data-node")
    assert {"ind60", "dem60", "dem65", "y8", "x3"} <= set(nodes)
    assert "dem65 ~ dem60" in _elements(svg, "data-edge")
    assert len(_texts(svg, "coef")) >= 13
    w = SEMWidget(data, syntax=POLDEM)
    w.fit()
    assert svg == w.to_svg()


@needs_bundle
def test_fitted_svg_keeps_given_positions() -> None:
    result = fit(HS, _data("hs1939"))
    svg = export.fitted_svg(HS, result, layout={"visual": {"x": 1000.0, "y": 500.0}})
    transform = _elements(svg, "data-node")["visual"].get("transform")
    assert transform is not None and "1000" in transform and "500" in transform


@needs_bundle
def test_save_svg_and_png(tmp_path: Path) -> None:
    w = SEMWidget(syntax=HS)
    w.save_svg(tmp_path / "m.svg")
    assert (tmp_path / "m.svg").read_text(encoding="utf-8") == w.to_svg()
    w.save_png(tmp_path / "m.png", scale=1.0)
    png = (tmp_path / "m.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    root = ET.fromstring(w.to_svg())
    assert (width, height) == (round(float(root.get("width"))), round(float(root.get("height"))))


@needs_bundle
def test_js_layout_honours_kept_positions() -> None:
    w = SEMWidget(syntax="f =~ x1 + x2 + x3")
    w.positions = {**w.positions, "f": {"x": 700.0, "y": 30.0}}
    w.syntax = "f =~ x1 + x2 + x3 + x4"
    assert w.positions["f"] == {"x": 700.0, "y": 30.0}
    assert "x4" in w.positions


def test_missing_bundle_is_a_clear_error(tmp_path: Path) -> None:
    runtime = svg_export._JSRuntime(tmp_path / "render.js")
    with pytest.raises(svg_export.BundleMissingError, match="npm run build"):
        runtime.render("{}")


def test_bundle_without_the_functions_is_a_clear_error(tmp_path: Path) -> None:
    bundle = tmp_path / "render.js"
    bundle.write_text("var somethingElse = 1;", encoding="utf-8")
    runtime = svg_export._JSRuntime(bundle)
    with pytest.raises(svg_export.BundleMissingError, match="semwidgetRenderSVG"):
        runtime.render("{}")


@pytest.mark.filterwarnings("ignore:semwidget's front end is not built")
def test_python_fallback_layout_without_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(svg_export, "bundle_available", lambda: False)
    w = SEMWidget(syntax="ind60 =~ x1 + x2\ndem60 =~ y1 + y2\ndem60 ~ ind60")
    layout = w.positions
    # exogenous construct left of the endogenous one, indicators outside each
    assert layout["ind60"]["x"] < layout["dem60"]["x"]
    assert layout["x1"]["x"] < layout["ind60"]["x"]
    assert layout["y1"]["x"] > layout["dem60"]["x"]
    positions = [(p["x"], p["y"]) for p in layout.values()]
    assert len(set(positions)) == len(positions)
    assert placement.fallback_layout(w.table, w.latents) == layout
