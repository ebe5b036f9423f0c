"""A script that fits and exports exits promptly; every call into V8 is bounded."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from semwidget import SEMWidget
from semwidget.widget import render

needs_bundle = pytest.mark.skipif(
    not render.bundle_available(),
    reason="semwidget/static/render.js is not built (run `npm run build`)",
)

SCRIPT = """
import sys
import semwidget as sw
from semwidget import datasets

hs = datasets.load("HolzingerSwineford1939")
w = sw.SEMWidget(hs, "visual =~ x1 + x2 + x3\\ntextual =~ x4 + x5 + x6\\n")
w.fit()
w.save_svg(sys.argv[1] + ".svg")
w.save_png(sys.argv[1] + ".png")
print("exported")
"""


@needs_bundle
def test_a_script_that_exports_exits_within_10_s_ten_times(tmp_path: Path) -> None:
    script = tmp_path / "export.py"
    script.write_text(SCRIPT, encoding="utf-8")
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    for run in range(10):
        out = tmp_path / f"run{run}"
        start = time.monotonic()
        done = subprocess.run([sys.executable, str(script), str(out)], env=env,
                              capture_output=True, text=True, timeout=10)
        took = time.monotonic() - start
        assert done.returncode == 0, (run, done.returncode, done.stderr[-2000:])
        assert "exported" in done.stdout
        assert took < 10, (run, took)
        assert out.with_suffix(".png").read_bytes().startswith(b"\x89PNG")
        ET.fromstring(out.with_suffix(".svg").read_text(encoding="utf-8"))


@needs_bundle
def test_lone_surrogates_and_control_characters_give_well_formed_svg() -> None:
    w = SEMWidget(syntax='f =~ x1 + x2 + x3')
    # Labels reach the renderer through the table; put the bad text where a label goes.
    state = w.diagram_state()
    state["table"] = [{**row, "label": "a\ud800b\x01c"} for row in state["table"]]
    state["syntax"] = "f =~ \ud83d x1\x0b"
    start = time.monotonic()
    svg = render.to_svg(state)
    assert time.monotonic() - start < 10
    ET.fromstring(svg)
    svg.encode("utf-8")  # no surrogate survives


def test_safe_text_replaces_only_what_xml_and_utf8_forbid() -> None:
    assert render.safe_text("a\tb\nc\r") == "a\tb\nc\r"
    assert render.safe_text("é😀") == "é😀"
    assert render.safe_text("\ud800\x00\x1f\ufffe") == "\ufffd" * 4


def test_a_renderer_that_never_returns_is_interrupted(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "render.js"
    bundle.write_text("function semwidgetRenderSVG(s) { for (;;) {} }\n"
                      "function semwidgetLayoutSync(s) { return '{}'; }\n", encoding="utf-8")
    monkeypatch.setattr(render, "CALL_TIMEOUT_S", 1.0)
    runtime = render._JSRuntime(bundle)
    try:
        start = time.monotonic()
        with pytest.raises(render.RenderError, match="did not finish within 1 s"):
            runtime.render("{}")
        assert time.monotonic() - start < 5
        # The context was replaced: the next call works again.
        assert runtime.layout("{}") == "{}"
    finally:
        runtime.close()


def test_a_closed_runtime_refuses_calls(tmp_path: Path) -> None:
    bundle = tmp_path / "render.js"
    bundle.write_text("function semwidgetRenderSVG(s) { return '<svg/>'; }\n"
                      "function semwidgetLayoutSync(s) { return '{}'; }\n", encoding="utf-8")
    runtime = render._JSRuntime(bundle)
    assert runtime.render("{}") == "<svg/>"
    runtime.close()
    with pytest.raises(render.RenderError, match="shut down"):
        runtime.render("{}")


@pytest.mark.parametrize("scale", [0, -1, float("nan"), float("inf"), 1000, "two"])
def test_png_scale_out_of_range_is_a_clear_error(scale: object) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    with pytest.raises(render.RenderError, match="scale must be"):
        render.svg_to_png(svg, scale=scale)  # type: ignore[arg-type]


def test_png_larger_than_the_limits_is_refused() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="448" height="10000269"/>'
    with pytest.raises(render.RenderError, match="the PNG would be"):
        render.svg_to_png(svg, scale=2)
    with pytest.raises(render.RenderError, match="width and height"):
        render.svg_to_png('<svg xmlns="http://www.w3.org/2000/svg"/>')


@needs_bundle
def test_a_node_far_away_is_refused_before_resvg(tmp_path: Path) -> None:
    w = SEMWidget(syntax="f =~ x1 + x2 + x3")
    w.positions = {**w.positions, "x1": {"x": 0.0, "y": 1e6}}
    with pytest.raises(render.RenderError, match="the PNG would be"):
        w.save_png(tmp_path / "far.png")
    assert not (tmp_path / "far.png").exists()
