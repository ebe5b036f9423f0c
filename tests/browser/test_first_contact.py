"""What a newcomer meets first, in JupyterLab and in Notebook 7, with real mouse and keyboard.

One test per bug of issue 11 (each failed before its fix): Enter in the syntax panel, double-click
rename and renaming in the syntax, a latent losing its last indicator, fit warnings on the
diagram, the ``layout`` trait, where new nodes land, self-loops / opposite arrows / accented
names / duplicate effects / unknown variables, and estimates kept (dimmed) through an edit.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from typing import Any

import pytest
from lab_server import NotebookPage, open_notebook
from model_texts import HS

pytestmark = pytest.mark.browser

HEYWOOD = "visual =~ x1 + x2\ntextual =~ x4 + x5 + x6\nvisual ~~ 5*visual\n"
SETUP = (
    "import pandas as pd\n"
    "from importlib import resources\n"
    "from semwidget.widget import SEMWidget\n"
    "def dataset(name):\n"
    "    with resources.files('semwidget').joinpath(f'datasets/{name}.csv').open() as f:\n"
    "        return pd.read_csv(f)\n"
    "hs = dataset('hs1939')\n"
    "med = hs[['x1', 'x2', 'x3']].rename(columns={'x2': 'm', 'x3': 'y'})\n"
)
CELLS = [
    SETUP + "typed = SEMWidget(hs)\ntyped",  # 0
    "print('SYNTAX<<' + typed.syntax + '>>')",  # 1
    f"ren = SEMWidget(hs, {HS!r})\nren",  # 2
    "print('SYNTAX<<' + ren.syntax + '>>', 'ERROR<<' + ren.error + '>>')",  # 3
    f"dele = SEMWidget(hs, {HS!r})\ndele",  # 4
    "print('LATENTS', dele.latents, 'ERROR<<' + dele.error + '>>')",  # 5
    f"hey = SEMWidget(hs, {HEYWOOD!r})\nhey",  # 6
    f"lay = SEMWidget(hs, {HS!r})\nlay.layout.border = '3px solid rgb(200, 0, 0)'\nlay",  # 7
    "new = SEMWidget(hs)\nnew",  # 8
    "loops = SEMWidget(hs, 'F1 =~ x1 + x2 + x3')\nloops",  # 9
    "ind = SEMWidget(med, 'm ~ x1\\ny ~ m + x1\\n')\nind",  # 10
    f"st = SEMWidget(hs, {HS!r}, auto_fit=False)\nst.fit()\nst",  # 11
]

APPS = ["jupyterlab"]
if importlib.util.find_spec("notebook") is not None:
    APPS.append("notebook")


@pytest.fixture(scope="module", params=APPS)
def notebook(request: pytest.FixtureRequest, chromium: Any) -> Iterator[NotebookPage]:
    with open_notebook(chromium, "First.ipynb", CELLS, app=request.param) as nb:
        nb.console = []  # type: ignore[attr-defined]
        nb.page.on("console", lambda msg: nb.console.append(msg.text))  # type: ignore[attr-defined]
        nb.run(0)  # the setup; the first widget
        nb.cell(0).locator(".semw-root").wait_for(timeout=60_000)
        yield nb


def _widget(notebook: NotebookPage, index: int) -> Any:
    notebook.run(index)
    root = notebook.cell(index).locator(".semw-root")
    root.wait_for(timeout=60_000)
    root.scroll_into_view_if_needed()
    return root


def _centre(locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, "element is not rendered"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _transform(root: Any, name: str) -> str:
    return root.locator(f'[data-node="{name}"]').get_attribute("transform") or ""


def test_enter_in_the_syntax_panel_types_a_new_line(notebook: NotebookPage) -> None:
    root = notebook.cell(0).locator(".semw-root")
    root.scroll_into_view_if_needed()
    box = root.locator("textarea.semw-syntax")
    box.click()
    notebook.page.keyboard.type("visual =~ x1 + x2 + x3")
    notebook.page.keyboard.press("Enter")
    notebook.page.keyboard.type("textual =~ x4 + x5 + x6")
    assert box.input_value() == "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6"
    root.locator("[data-node=textual]").wait_for()
    assert root.locator("[data-node=visual]").get_attribute("data-kind") == "latent"
    # the typed model is refitted once it parses and the typing pauses: no Fit press
    root.locator('[data-edge="textual =~ x5"] [data-role=coef]').wait_for(timeout=30_000)
    text = notebook.run_until(1, "SYNTAX<<", ["textual =~ x4 + x5 + x6"])
    assert "visual =~ x1 + x2 + x3" in text


def test_double_click_renames_and_syntax_rename_keeps_positions(notebook: NotebookPage) -> None:
    page = notebook.page
    root = _widget(notebook, 2)
    root.locator("[data-node=visual] ellipse").dblclick()
    editor = root.locator("input.semw-rename")
    editor.wait_for(timeout=5_000)
    assert editor.input_value() == "visual"
    page.keyboard.press("Control+A")
    page.keyboard.type("vis")
    page.keyboard.press("Enter")
    root.locator("[data-node=vis]").wait_for()
    assert root.locator("[data-node=visual]").count() == 0
    text = notebook.run_until(3, "SYNTAX<<", ["vis =~ x1 + x2 + x3"])
    assert "ERROR<<>>" in text

    # rename "textual" by typing in the syntax panel: it and every other node stay where they were
    before = {name: _transform(root, name) for name in ("textual", "vis", "x4", "x5", "speed")}
    box = root.locator("textarea.semw-syntax")
    new_text = box.input_value().replace("textual", "verbal")
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(new_text)
    root.locator("[data-node=verbal]").wait_for()
    root.locator(".semw-panel-title").first.click()  # leave the panel
    assert _transform(root, "verbal") == before["textual"]
    for name in ("vis", "x4", "x5", "speed"):
        assert _transform(root, name) == before[name], name


def test_a_latent_keeps_its_shape_when_its_indicators_are_deleted(notebook: NotebookPage) -> None:
    page = notebook.page
    root = _widget(notebook, 4)
    boxes = [root.locator(f"[data-node=x{i}] rect").first.bounding_box() for i in (7, 8, 9)]
    assert all(boxes)
    left = min(b["x"] for b in boxes) - 8
    top = min(b["y"] for b in boxes) - 8
    right = max(b["x"] + b["width"] for b in boxes) + 8
    bottom = max(b["y"] + b["height"] for b in boxes) + 8
    # shift-drag from empty canvas below-right of x9 to above-left of x7: box select
    page.keyboard.down("Shift")
    page.mouse.move(right, bottom)
    page.mouse.down()
    page.mouse.move(left, top, steps=10)
    page.mouse.up()
    page.keyboard.up("Shift")
    for i in (7, 8, 9):
        assert "semw-selected" in (root.locator(f"[data-node=x{i}]").get_attribute("class") or "")
    page.keyboard.press("Delete")
    root.locator("[data-node=x7]").wait_for(state="detached")
    assert root.locator("[data-node=speed]").get_attribute("data-kind") == "latent"
    text = notebook.run_until(5, "LATENTS", ["'speed'"])
    assert "ERROR<<>>" in text, text
    page.wait_for_timeout(500)
    assert root.locator("[data-node=speed]").get_attribute("data-kind") == "latent"
    assert "Ignored" not in root.locator(".semw-error").inner_text()


def test_fit_warnings_are_listed_and_point_at_the_variable(notebook: NotebookPage) -> None:
    root = _widget(notebook, 6)
    warning = root.locator("[data-role=warning]", has_text="Heywood case")
    warning.wait_for(timeout=30_000)  # live refit: no Fit press needed
    assert "'x1'" in warning.inner_text()
    assert root.locator("[data-role=warning]", has_text="R² of 'x1'").count() == 1
    node = root.locator("[data-node=x1]")
    assert "semw-flagged" in (node.get_attribute("class") or "")
    assert "has a warning" in (node.get_attribute("aria-label") or "")
    warning.locator("[data-warning-var=x1]").click()
    assert "semw-selected" in (node.get_attribute("class") or "")


def test_the_ipywidgets_layout_trait_works(notebook: NotebookPage) -> None:
    root = _widget(notebook, 7)
    host = root.locator("xpath=..")
    assert host.evaluate("el => getComputedStyle(el).borderTopWidth") == "3px"
    assert not [text for text in notebook.console if "reading 'then'" in text]  # type: ignore[attr-defined]


def test_new_nodes_land_inside_the_canvas(notebook: NotebookPage) -> None:
    root = _widget(notebook, 8)
    canvas = root.locator(".semw-canvas svg").bounding_box()
    assert canvas is not None
    for name in ("F1", "F2", "F3"):
        root.locator("[data-action=add-latent]").click()
        shape = root.locator(f"[data-node={name}] ellipse")
        shape.wait_for()
        box = shape.bounding_box()
        assert box is not None
        assert box["x"] >= canvas["x"] and box["y"] >= canvas["y"], name
        assert box["x"] + box["width"] <= canvas["x"] + canvas["width"], name
        assert box["y"] + box["height"] <= canvas["y"] + canvas["height"], name


def test_self_loops_opposite_arrows_accents_unknown_names(notebook: NotebookPage) -> None:
    page = notebook.page
    root = _widget(notebook, 9)
    x1 = root.locator("[data-node=x1] rect").first
    # a path dragged from x1 back onto x1 is refused with a sentence, not ignored
    root.locator("[data-action=path]").click()
    cx, cy = _centre(x1)
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 60, cy - 60, steps=6)
    page.mouse.move(cx + 2, cy + 2, steps=6)
    page.mouse.up()
    assert "to itself is not allowed" in root.locator(".semw-error").inner_text()
    # a click in covariance mode writes nothing
    root.locator("[data-action=covariance]").click()
    x1.click()
    page.wait_for_timeout(300)
    assert root.locator('[data-edge="x1 ~~ x1"]').count() == 0
    # F1 -> x1 exists; x1 -> F1 drawn by mouse is a second arrow, not on top of the first
    root.locator("[data-action=path]").click()
    page.mouse.move(*_centre(x1))
    page.mouse.down()
    page.mouse.move(*_centre(root.locator("[data-node=F1] ellipse")), steps=10)
    page.mouse.up()
    back = root.locator('[data-edge="F1 ~ x1"] path.semw-edge')
    back.wait_for()
    mid = "el => { const p = el.getPointAtLength(el.getTotalLength() / 2); return [p.x, p.y]; }"
    one = root.locator('[data-edge="F1 =~ x1"] path.semw-edge').evaluate(mid)
    two = back.evaluate(mid)
    assert abs(one[0] - two[0]) + abs(one[1] - two[1]) > 20, (one, two)
    root.locator("[data-action=path]").click()  # back to select mode
    # an accented name, as lavaan accepts it
    root.locator("[data-node=F1] ellipse").dblclick()
    root.locator("input.semw-rename").wait_for()
    page.keyboard.press("Control+A")
    page.keyboard.type("élan")
    page.keyboard.press("Enter")
    root.locator('[data-node="élan"]').wait_for()
    # an unknown variable is named as soon as the syntax has it
    box = root.locator("textarea.semw-syntax")
    box.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" + nothere")
    warning = root.locator("[data-role=warning]", has_text="'nothere' is not a column")
    warning.wait_for(timeout=10_000)


def test_the_same_indirect_effect_is_added_once(notebook: NotebookPage) -> None:
    root = _widget(notebook, 10)
    tool = root.locator("[data-action=indirect]")
    for _ in range(2):
        tool.click()
        root.locator("[data-node=x1] rect").first.click()
        root.locator("[data-node=y] rect").first.click()
        root.locator('[data-role=effect][data-effect="ind_x1_y"]').wait_for()
        notebook.page.wait_for_timeout(300)
    error = root.locator(".semw-error")
    notebook.page.wait_for_function(
        "el => el.textContent.includes('already defined')", arg=error.element_handle()
    )
    assert root.locator("[data-role=effect]").count() == 1


def test_an_edit_keeps_the_estimates_dimmed(notebook: NotebookPage) -> None:
    page = notebook.page
    root = _widget(notebook, 11)
    coef = root.locator('[data-edge="visual =~ x2"] [data-role=coef]')
    coef.wait_for(timeout=30_000)
    assert root.locator(".semw-diagram[data-stale]").count() == 0
    root.locator('[data-edge="speed =~ x9"] path.semw-edge').click(force=True)
    root.locator("[data-action=delete]").click()
    root.locator('[data-edge="speed =~ x9"]').wait_for(state="detached")
    # auto_fit is off here: the old numbers stay, dimmed, instead of vanishing
    assert re.match(r"0\.\d\d", coef.text_content() or ""), coef.text_content()
    assert root.locator(".semw-diagram[data-stale=true]").count() == 1
    root.locator("[data-action=undo]").click()
    root.locator('[data-edge="speed =~ x9"]').wait_for()
    page.wait_for_timeout(500)
    assert root.locator("[data-role=coef]").count() >= 9
    assert root.locator(".semw-diagram[data-stale=true]").count() == 1
