"""Conventions and tools a researcher expects, in JupyterLab and Notebook 7, real events only:
defaults drawn lighter before the fit (and hidden on request), fixed parameters dashed, the edge
tooltip, keyboard use (Tab, F2, arrows, Delete) and the toolbar's export, copy, save and load."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_server import NotebookPage, open_notebook
from model_texts import HS

pytestmark = pytest.mark.browser

CELLS = [
    "from semwidget import datasets\nfrom semwidget.widget import SEMWidget\n"
    f"cw = SEMWidget(datasets.load('hs1939'), {HS!r}, auto_fit=False)\ncw",
    "print('SYNTAX<<' + cw.syntax + '>>', 'ERROR<<' + cw.error + '>>')",
]
APPS = ["jupyterlab"]
if importlib.util.find_spec("notebook") is not None:
    APPS.append("notebook")


@pytest.fixture(scope="module", params=APPS)
def notebook(request: pytest.FixtureRequest, chromium: Any) -> Iterator[NotebookPage]:
    with open_notebook(chromium, "Conv.ipynb", CELLS, app=request.param) as nb:
        nb.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        nb.run(0)
        root = nb.cell(0).locator(".semw-root")
        root.wait_for(timeout=60_000)
        root.scroll_into_view_if_needed()
        yield nb


def _root(notebook: NotebookPage) -> Any:
    return notebook.cell(0).locator(".semw-root")


def _x(root: Any, name: str) -> float:
    match = re.match(r"translate\(([-\d.]+),", root.locator(f"[data-node={name}]").get_attribute(
        "transform") or "")
    assert match
    return float(match.group(1))


def test_defaults_fixed_parameters_and_tooltip(notebook: NotebookPage) -> None:
    page = notebook.page
    root = _root(notebook)
    implied = root.locator('[data-edge="visual ~~ textual"]')
    assert implied.get_attribute("data-implied") == "true"  # drawn before the fit, lighter
    assert root.locator("[data-implied=true]").count() == 3
    root.locator("input[data-option=defaults]").click()
    assert root.locator("[data-implied=true]").count() == 0
    root.locator("input[data-option=defaults]").click()
    assert root.locator("[data-implied=true]").count() == 3

    root.locator("[data-action=fit]").click()
    root.locator('[data-edge="visual =~ x2"] [data-role=coef]').wait_for(timeout=30_000)
    assert implied.get_attribute("data-implied") is None  # fitted now: a parameter like any
    marker = root.locator('[data-edge="visual =~ x1"]')
    assert marker.get_attribute("data-fixed") == "true"
    assert marker.locator("path.semw-edge").get_attribute("stroke-dasharray") == "6 3"
    assert root.locator('[data-edge="visual =~ x2"]').get_attribute("data-fixed") is None
    page.mouse.move(*_mid(root.locator('[data-edge="visual =~ x2"] path.semw-edge')))
    tip = root.locator('[data-edge="visual =~ x2"] > title').text_content() or ""
    for word in ("estimate 0.554", "SE 0.100", "z 5.55", "p < .001", "95% CI", "standardized"):
        assert word in tip, tip

    # colour by sign (Okabe-Ito blue for positive), width by the size of the estimate
    root.locator("input[data-option=signs]").click()
    stroke = "el => [getComputedStyle(el).stroke, parseFloat(getComputedStyle(el).strokeWidth)]"
    weak = root.locator('[data-edge="visual =~ x2"] path.semw-edge').evaluate(stroke)
    strong = root.locator('[data-edge="textual =~ x5"] path.semw-edge').evaluate(stroke)
    assert weak[0] == strong[0] == "rgb(0, 114, 178)"
    assert strong[1] > weak[1] + 0.5  # 0.86 against 0.42
    root.locator("input[data-option=signs]").click()

    # AMOS-style error circles, travelling with their variable when it is dragged
    root.locator("input[data-option=errors]").click()
    assert root.locator("[data-error-node]").count() == 9
    circle = root.locator('[data-error-node="x3"]')
    before = circle.get_attribute("transform")
    x3 = root.locator("[data-node=x3] rect").first.bounding_box()
    assert x3 is not None
    page.mouse.move(x3["x"] + 10, x3["y"] + 10)
    page.mouse.down()
    page.mouse.move(x3["x"] + 60, x3["y"] + 40, steps=8)
    page.mouse.up()
    assert circle.get_attribute("transform") != before
    root.locator("[data-action=undo]").click()
    root.locator("input[data-option=errors]").click()
    assert root.locator("[data-error-node]").count() == 0


def _mid(locator: Any) -> tuple[float, float]:
    point = locator.evaluate(
        "el => { const p = el.getPointAtLength(el.getTotalLength() / 2);"
        " const m = el.getScreenCTM(); return [m.a * p.x + m.c * p.y + m.e,"
        " m.b * p.x + m.d * p.y + m.f]; }"
    )
    return point[0], point[1]


def test_keyboard_tab_f2_arrows_delete(notebook: NotebookPage) -> None:
    page = notebook.page
    root = _root(notebook)
    names = root.locator("[data-node]").evaluate_all("els => els.map(e => e.dataset.node)")
    root.locator("[data-node=x1] rect").first.click()
    page.keyboard.press("Tab")  # to the next node, which becomes the selection
    first = root.locator(f'[data-node="{names[names.index("x1") + 1]}"]')
    assert "semw-selected" in (first.get_attribute("class") or "")
    assert root.locator(".semw-node.semw-selected").count() == 1
    assert first.get_attribute("role") == "button" and first.get_attribute("aria-label")
    name = first.get_attribute("data-node")
    page.keyboard.press("F2")
    editor = root.locator("input.semw-rename")
    editor.wait_for()
    assert editor.input_value() == name
    page.keyboard.press("Escape")
    root.locator("[data-node=x9] rect").first.click()
    before = _x(root, "x9")
    assert "semw-selected" in (root.locator("[data-node=x9]").get_attribute("class") or ""), (
        page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)"))
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert _x(root, "x9") == pytest.approx(before + 24)
    page.keyboard.press("Delete")
    root.locator("[data-node=x9]").wait_for(state="detached")
    root.locator("[data-action=undo]").click()
    root.locator("[data-node=x9]").wait_for()


def test_toolbar_export_copy_save_load(notebook: NotebookPage, tmp_path: Path) -> None:
    page = notebook.page
    root = _root(notebook)
    with page.expect_download() as svg:
        root.locator("[data-action=export-svg]").click()
    svg_text = Path(svg.value.path()).read_text(encoding="utf-8")
    assert svg.value.suggested_filename == "diagram.svg"
    assert svg_text.startswith("<?xml") and 'data-edge="visual =~ x2"' in svg_text
    with page.expect_download() as png:
        root.locator("[data-action=export-png]").click()
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    root.locator("[data-action=copy-syntax]").click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.includes('speed'))")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "visual =~ x1 + x2 + x3" in copied

    with page.expect_download() as saved:
        root.locator("[data-action=save]").click()
    diagram = json.loads(Path(saved.value.path()).read_text(encoding="utf-8"))
    assert diagram["format"] == "semwidget-diagram" and "x1" in diagram["positions"]
    diagram["syntax"] += "x1 ~~ x4\n"
    path = tmp_path / "changed.semwidget.json"
    path.write_text(json.dumps(diagram), encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        root.locator("[data-action=load]").click()
    chooser.value.set_files(str(path))
    root.locator('[data-edge="x1 ~~ x4"]').wait_for()
    text = notebook.run_until(1, "SYNTAX<<", ["x1 ~~ x4"])
    assert "ERROR<<>>" in text
