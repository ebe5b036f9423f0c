"""The widget in a real JupyterLab, driven by Chromium: draw, sync both ways, fit.

Run with ``pytest -m browser tests/browser``. Screenshots of the fitted HS CFA and of the
Political Democracy SEM are written to ``docs/`` (shown in the README).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_server import REPO, NotebookPage, open_notebook
from model_texts import HS, POLDEM

pytestmark = pytest.mark.browser

DOCS = REPO / "docs"

CELLS = [
    # 0: the widget on the HS data, empty model
    "import pandas as pd\n"
    "from importlib import resources\n"
    "from semwidget.widget import SEMWidget\n"
    "def dataset(name):\n"
    "    with resources.files('semwidget').joinpath(f'datasets/{name}.csv').open() as f:\n"
    "        return pd.read_csv(f)\n"
    "w = SEMWidget(dataset('hs1939'))\n"
    "w",
    # 1: what the kernel holds after drawing
    "print('SYNTAX<<' + w.syntax + '>>')\nprint('ERROR<<' + w.error + '>>')",
    # 2: syntax set from the kernel
    f"w.syntax = {HS!r}",
    # 3: the fit made by the Fit button, seen from the kernel
    "print('CHISQ', round(w.result.fit_measures['chisq'], 3), 'ERROR<<' + w.error + '>>')",
    # 4: the Political Democracy SEM, fitted from Python
    f"pdw = SEMWidget(dataset('poldem'), {POLDEM!r})\npdw.fit()\npdw",
    # 5: refit after every edit
    "aw = SEMWidget(dataset('hs1939'), 'visual =~ x1 + x2 + x3', auto_fit=True)\naw",
]


@pytest.fixture(scope="module")
def notebook(chromium: Any) -> Iterator[NotebookPage]:
    with open_notebook(chromium, "NB.ipynb", CELLS) as nb:
        yield nb


def _centre(locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, "element is not rendered"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _drag(page: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=12)
    page.mouse.up()


def _shot(root: Any, name: str) -> Path:
    DOCS.mkdir(exist_ok=True)
    path = DOCS / name
    root.screenshot(path=str(path), animations="disabled")
    return path


def test_draw_sync_and_fit(notebook: NotebookPage) -> None:
    page = notebook.page
    notebook.run(0)
    root = notebook.cell(0).locator(".semw-root")
    root.wait_for(timeout=60_000)
    root.scroll_into_view_if_needed()

    # --- draw by mouse: a latent, three indicators dragged from the palette, a regression
    root.locator("[data-action=add-latent]").click()
    latent = root.locator("[data-node=F1]")
    latent.wait_for()
    for column in ("x1", "x2", "x3"):
        root.locator(f"[data-column={column}]").drag_to(latent)
        root.locator(f"[data-node={column}]").wait_for()
    canvas = root.locator(".semw-canvas")
    box = canvas.bounding_box()
    assert box is not None
    root.locator("[data-column=x4]").drag_to(
        canvas, target_position={"x": 60, "y": box["height"] - 60}
    )
    predictor = root.locator("[data-node=x4]")
    predictor.wait_for()
    root.locator("[data-action=path]").click()
    _drag(page, _centre(predictor.locator("rect").first), _centre(latent.locator("ellipse")))
    root.locator('[data-edge="F1 ~ x4"]').wait_for()
    for column in ("x1", "x2", "x3"):
        root.locator(f'[data-edge="F1 =~ {column}"]').wait_for()

    # --- the kernel holds the drawn model
    text = notebook.run_until(1, "SYNTAX<<", ["F1 =~ x1 + x2 + x3", "F1 ~ x4"])
    assert "F1 =~ x1 + x2 + x3" in text
    assert "F1 ~ x4" in text
    assert "ERROR<<>>" in text

    # --- syntax set in the kernel redraws the diagram
    notebook.run(2)
    root.locator("[data-node=speed]").wait_for()
    for name in ("visual", "textual", "speed"):
        assert root.locator(f"[data-node={name}]").get_attribute("data-kind") == "latent"
    for item in range(1, 10):
        assert root.locator(f"[data-node=x{item}]").get_attribute("data-kind") == "observed"
    assert root.locator("[data-node=F1]").count() == 0
    # the 9 loadings, and the 3 factor covariances the fit adds (drawn lighter until fitted;
    # the live refit may have fitted them already)
    assert root.locator('[data-edge*=" =~ "]').count() == 9
    assert root.locator('[data-edge*=" ~~ "]').count() == 3

    # --- the Fit button fits in the kernel and the diagram shows coefficients and R²
    root.locator("[data-action=fit]").click()
    root.locator("[data-role=coef]").first.wait_for(timeout=60_000)
    root.locator("[data-role=r2]").first.wait_for()
    assert root.locator('[data-edge="visual =~ x2"] [data-role=coef]').text_content() == "0.42***"
    assert root.locator("[data-role=r2]").count() == 9
    notebook.run(3)
    # lavaan 0.6.14: chi-square 85.306 on 24 degrees of freedom
    assert "CHISQ 85.306" in notebook.output_text(3, "CHISQ")
    # --- the automatic layout button tidies the drawing for the picture
    root.locator("[data-action=path]").click()  # back to select mode for the picture
    assert root.locator("[data-action=path]").get_attribute("aria-pressed") == "false"
    root.locator("[data-action=layout]").click()
    root.locator("[data-action=fit-view]").click()
    canvas.click(position={"x": 8, "y": 8})  # a click on the background clears the selection
    page.wait_for_timeout(300)
    _shot(root, "hs_cfa.png")


def test_poldem_screenshot(notebook: NotebookPage) -> None:
    notebook.run(4)
    root = notebook.cell(4).locator(".semw-root")
    root.wait_for(timeout=60_000)
    root.locator('[data-edge="dem65 ~ dem60"] [data-role=coef]').wait_for()
    assert root.locator("[data-role=r2]").count() >= 11
    root.scroll_into_view_if_needed()
    # the first fit-to-view follows the canvas to its settled size: the whole diagram, unless
    # that would shrink text below a readable size (then it is shown at the smallest zoom that
    # keeps it readable, and the user pans)
    canvas = root.locator(".semw-canvas").bounding_box()
    assert canvas is not None
    inside = True
    for node in root.locator("[data-node]").all():
        b = node.bounding_box()
        assert b is not None
        inside &= canvas["x"] <= b["x"] and b["x"] + b["width"] <= canvas["x"] + canvas["width"]
        inside &= canvas["y"] <= b["y"] and b["y"] + b["height"] <= canvas["y"] + canvas["height"]
    heights = [t.bounding_box()["height"] for t in root.locator("[data-role=coef]").all()[:10]]
    assert inside or min(heights) >= 9.0, heights
    _shot(root, "poldem_sem.png")


def test_auto_fit_refits_after_a_drawn_edit(notebook: NotebookPage) -> None:
    notebook.run(5)
    root = notebook.cell(5).locator(".semw-root")
    root.wait_for(timeout=60_000)
    root.scroll_into_view_if_needed()
    # fitted on creation, without pressing Fit
    root.locator('[data-edge="visual =~ x3"] [data-role=coef]').wait_for()
    # select the latent, click a palette column: it becomes an indicator, and the model refits
    root.locator("[data-node=visual] ellipse").click()
    root.locator("[data-column=x4]").click()
    root.locator('[data-edge="visual =~ x4"] [data-role=coef]').wait_for(timeout=30_000)
    assert root.locator("[data-role=r2]").count() == 4
