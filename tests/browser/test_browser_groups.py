"""The group selector in a real JupyterLab: switch groups, read the new coefficients (issue 12).

The HS CFA is fitted by school; the diagram first shows Pasteur's standardized loadings, then
Chromium picks Grant-White in the toolbar's selector and the coefficients in the DOM become
Grant-White's; "all groups" writes both values on each edge. Reference numbers are lavaan
0.6.14's (tests/golden/multigroup/hs_configural).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from lab_server import REPO, NotebookPage, open_notebook
from model_texts import HS

pytestmark = pytest.mark.browser

GOLD = json.loads((REPO / "tests/golden/multigroup/hs_configural.json").read_text())

CELLS = [
    "import semwidget\nfrom semwidget import datasets\n"
    f"w = semwidget.SEMWidget(datasets.load('hs1939_school'), {HS!r}, group='school')\n"
    "w.fit()\nw",
]


def _shown(group: int, rhs: str) -> str:
    """The coefficient as the diagram writes it: 2 decimals and stars."""
    r = next(r for r in GOLD["estimates"]
             if r["group"] == group and r["op"] == "=~" and r["rhs"] == rhs)
    p = r["pvalue"]
    stars = "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""
    return f"{r['std.all']:.2f}{stars}"


# The diagram is re-mounted on every redraw, so wait on a fresh query, not an element handle.
_COEF_IS = ("([sel, want]) => { const e = document.querySelector(sel); "
            "return e !== null && e.textContent === want; }")
_X2 = '.semw-root [data-edge="visual =~ x2"] [data-role=coef]'


@pytest.fixture(scope="module")
def notebook(chromium: Any) -> Iterator[NotebookPage]:
    with open_notebook(chromium, "Groups.ipynb", CELLS) as nb:
        yield nb


def test_switching_groups_redraws_the_coefficients(notebook: NotebookPage) -> None:
    notebook.run(0)
    root = notebook.cell(0).locator(".semw-root")
    root.wait_for(timeout=60_000)
    coef = root.locator('[data-edge="visual =~ x2"] [data-role=coef]')
    coef.wait_for(timeout=60_000)
    assert coef.text_content() == _shown(1, "x2")
    select = root.locator("select[data-action=group]")
    assert select.is_visible()
    assert select.locator("option").all_text_contents() == ["Pasteur", "Grant-White",
                                                            "all groups"]
    select.select_option("Grant-White")
    want = _shown(2, "x2")
    notebook.page.wait_for_function(_COEF_IS, arg=[_X2, want], timeout=30_000)
    assert coef.text_content() == want != _shown(1, "x2")
    x3 = root.locator('[data-edge="visual =~ x3"] [data-role=coef]')
    assert x3.text_content() == _shown(2, "x3")
    # the "all groups" view: every group's standardized value on the edge, in group order
    both = " | ".join(_shown(g, "x2").rstrip("*") for g in (1, 2))
    select.select_option("all groups")
    notebook.page.wait_for_function(_COEF_IS, arg=[_X2, both], timeout=30_000)
    select.select_option("Pasteur")
    notebook.page.wait_for_function(_COEF_IS, arg=[_X2, _shown(1, "x2")], timeout=30_000)
    assert select.input_value() == "Pasteur"
