"""A 30-indicator CFA in JupyterLab: folded layout, readable text, resizable canvas, collapsible
panels, full screen; the screenshots ``docs/cfa30_light.png`` and ``docs/cfa30_dark.png``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from big_model import DATA_CODE, SYNTAX
from lab_server import REPO, NotebookPage, open_notebook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CELLS = [
    DATA_CODE + "from semwidget.widget import SEMWidget\n"
    f"big = SEMWidget(cfa30_data(), {SYNTAX!r})\nbig",
]


@pytest.fixture(scope="module")
def notebook(chromium: Any) -> Iterator[NotebookPage]:
    with open_notebook(chromium, "Big.ipynb", CELLS) as nb:
        yield nb


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, "element is not rendered"
    return box


def _set_dark_theme(page: Any) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Settings").click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Theme$")).hover()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^JupyterLab Dark$")).click()
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")


def test_big_model_is_folded_readable_and_roomy(notebook: NotebookPage) -> None:
    page = notebook.page
    notebook.run(0)
    root = notebook.cell(0).locator(".semw-root")
    root.wait_for(timeout=60_000)
    root.scroll_into_view_if_needed()
    root.locator("[data-role=coef]").first.wait_for(timeout=60_000)  # live refit
    assert root.locator("[data-role=coef]").count() == 30 + 15

    # folded: the drawing's aspect ratio is near a screen's, not one long row
    boxes = [_box(n) for n in root.locator("[data-node]").all()]
    width = max(b["x"] + b["width"] for b in boxes) - min(b["x"] for b in boxes)
    height = max(b["y"] + b["height"] for b in boxes) - min(b["y"] for b in boxes)
    assert 1.2 < width / height < 2.8, (width, height)

    # collapse both side panels: the canvas takes their room; fit-to-view keeps text readable
    canvas = root.locator(".semw-canvas")
    before = _box(canvas)["width"]
    root.locator("[data-action=columns]").click()
    root.locator("[data-action=syntax-panel]").click()
    assert root.locator(".semw-palette").is_hidden() and root.locator(".semw-side").is_hidden()
    assert root.locator("[data-action=columns]").get_attribute("aria-pressed") == "false"
    assert _box(canvas)["width"] > before + 300
    # make the canvas taller by its resize corner, with the mouse
    box = _box(canvas)
    page.mouse.move(box["x"] + box["width"] - 3, box["y"] + box["height"] - 3)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 3, box["y"] + box["height"] + 197, steps=8)
    page.mouse.up()
    assert _box(canvas)["height"] > box["height"] + 150
    root.locator("[data-action=fit-view]").click()
    page.wait_for_timeout(200)
    heights = [_box(t)["height"] for t in root.locator("[data-role=coef]").all()[:10]]
    assert min(heights) >= 9.0, heights  # CSS pixels of an 11 px label at the fitted zoom

    root.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    root.screenshot(path=str(REPO / "docs" / "cfa30_light.png"), animations="disabled")

    # full screen and back, by the toolbar button
    full = root.locator("[data-action=fullscreen]")
    full.click()
    page.wait_for_function("() => document.fullscreenElement?.classList.contains('semw-root')")
    # the button and the canvas follow the browser's fullscreenchange event: wait for them
    expect(full).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("(el) => el.getBoundingClientRect().height > 700",
                           arg=canvas.element_handle(), timeout=10_000)
    assert _box(canvas)["height"] > 700
    full.click()
    page.wait_for_function("() => document.fullscreenElement === null")

    _set_dark_theme(page)
    root.scroll_into_view_if_needed()
    root.locator("[data-action=fit-view]").click()
    page.wait_for_timeout(500)
    root.screenshot(path=str(REPO / "docs" / "cfa30_dark.png"), animations="disabled")
