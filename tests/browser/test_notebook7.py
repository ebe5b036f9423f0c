"""The widget in Notebook 7 (the classic-notebook successor), not only in JupyterLab."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest
from lab_server import REPO, NotebookPage, open_notebook
from model_texts import HS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(importlib.util.find_spec("notebook") is None,
                       reason="Notebook 7 (package `notebook`) is not installed"),
]

CELLS = [
    "import semwidget\nfrom semwidget import datasets\n"
    f"w = semwidget.SEMWidget(datasets.load('hs1939'), {HS!r})\nw.fit()\nw",
]


@pytest.fixture(scope="module")
def notebook(chromium: Any) -> Iterator[NotebookPage]:
    with open_notebook(chromium, "NB7.ipynb", CELLS, app="notebook") as nb:
        yield nb


def test_fitted_widget_renders_in_notebook7(notebook: NotebookPage) -> None:
    page = notebook.page
    notebook.run(0)
    root = notebook.cell(0).locator(".jp-OutputArea-output")
    root.locator('[data-node="visual"]').first.wait_for(timeout=60_000)
    coef = root.locator('[data-edge="visual =~ x2"] [data-role="coef"]')
    coef.first.wait_for(timeout=30_000)
    assert (coef.first.text_content() or "").startswith("0.42")
    assert root.locator('[data-role="r2"]').count() == 9
    assert root.locator('[data-action="fit"]').count() == 1
    page.wait_for_timeout(300)
    root.first.screenshot(path=str(REPO / "docs" / "notebook7.png"))
