"""PLS-SEM in the widget in a real browser (issue 15), in JupyterLab and in Notebook 7.

- The group selector drives a multigroup PLS fit: choosing "shopping" with the keyboard redraws
  the path coefficients with that group's (seminr's ``estimate_pls_mga`` values,
  tests/golden_pls/mga/genre.json); a mouse click on "MGA" opens the group-difference table.
- A product term ``CLE ~ INT + INF + PSN + INT:PSN`` is drawn as a dot on INT -> CLE, not a
  node, and the syntax panel keeps ``INT:PSN``.
- A click on "PLSpredict" runs PLSpredict in the kernel and shows its table, with the numbers
  ``predict_pls`` gives for the same model, data and seed (those match seminr in
  tests/test_pls_predict.py); for the model with the product term too, whose interaction is
  rebuilt in every training fold and is no prediction target (test_pls_predict_moderation.py).
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from lab_server import REPO, NotebookPage, open_notebook

pytestmark = pytest.mark.browser

DATA = REPO / "tests/golden_pls/data/genre.csv"
GOLD = json.loads((REPO / "tests/golden_pls/mga/genre.json").read_text())
MODERATED = GOLD["syntax"].replace("CLE ~ INT + INF + PSN", "CLE ~ INT + INF + PSN + INT:PSN")
SEED = 1

CELLS = [
    "import pandas as pd\nimport semwidget\n"
    f"d = pd.read_csv({str(DATA)!r})\n"
    f"w = semwidget.SEMWidget(d, {GOLD['syntax']!r}, engine='pls', group='genre', "
    f"bootstrap={GOLD['options']['bootstrap']}, seed={GOLD['options']['seed']}, "
    "permutations=100)\nw.fit()\nw",
    f"m = semwidget.SEMWidget(d.drop(columns='genre'), {MODERATED!r}, engine='pls', "
    f"seed={SEED})\nm.fit()\nm",
    f"p = semwidget.SEMWidget(d.drop(columns='genre'), {GOLD['syntax']!r}, engine='pls', "
    f"seed={SEED})\np.fit()\np",
]

APPS = ["jupyterlab", pytest.param("notebook", marks=pytest.mark.skipif(
    importlib.util.find_spec("notebook") is None, reason="Notebook 7 is not installed"))]

_TEXT_STARTS = ("([sel, want]) => { const e = document.querySelector(sel); "
                "return e !== null && (e.textContent || '').startsWith(want); }")


def _path(source: str, target: str) -> dict[str, Any]:
    return next(p for p in GOLD["paths"] if (p["source"], p["target"]) == (source, target))


@pytest.fixture(scope="module", params=APPS)
def notebook(request: pytest.FixtureRequest, chromium: Any) -> Iterator[NotebookPage]:
    with open_notebook(chromium, f"PLS-{request.param}.ipynb", CELLS, app=request.param) as nb:
        nb.app = request.param  # type: ignore[attr-defined]
        yield nb


def test_group_selector_and_mga_table(notebook: NotebookPage, tmp_path_factory: Any) -> None:
    page = notebook.page
    notebook.run(0)
    root = notebook.cell(0).locator(".semw-root")
    root.wait_for(timeout=90_000)
    coef = root.locator('[data-edge="CLE ~ INT"] [data-role=coef]')
    coef.wait_for(timeout=90_000)
    a, b = GOLD["groups"]
    assert (coef.text_content() or "").startswith(f"{_path('INT', 'CLE')['est_a']:.2f}")
    select = root.locator("select[data-action=group]")
    assert select.locator("option").all_text_contents() == [a, b, "all groups"]
    select.focus()
    page.keyboard.press("ArrowDown")  # the keyboard picks the next group
    want = f"{_path('INT', 'CLE')['est_b']:.2f}"
    # the first widget of the page; the diagram is re-mounted on a redraw, so query afresh
    page.wait_for_function(_TEXT_STARTS, arg=[
        '.semw-root [data-edge="CLE ~ INT"] [data-role=coef]', want], timeout=30_000)
    assert select.input_value() == b
    mga = root.locator("button[data-action=mga]")
    assert mga.is_visible() and mga.is_enabled()
    mga.click()
    table = root.locator("table.semw-pls-table")
    table.wait_for(timeout=10_000)
    rows = table.locator("tbody tr")
    assert rows.count() == len(GOLD["paths"])
    first = rows.filter(has_text="INT \u2192 CLE").locator("td").all_text_contents()
    assert first[0] == f"{a} vs {b}"
    assert first[3] == f"{_path('INT', 'CLE')['diff']:.3f}"
    p_two = 2 * min(_path("INT", "CLE")["p_henseler"], 1 - _path("INT", "CLE")["p_henseler"])
    assert first[5] == ("< .001" if p_two < 0.001 else f"{p_two:.3f}".lstrip("0"))
    assert mga.get_attribute("aria-pressed") == "true"
    shot = tmp_path_factory.mktemp("pls") / f"mga-{notebook.app}.png"  # type: ignore[attr-defined]
    root.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    mga.click()  # a second click closes it
    table.wait_for(state="hidden", timeout=10_000)


def test_interaction_dot(notebook: NotebookPage, tmp_path_factory: Any) -> None:
    notebook.run(1)
    root = notebook.cell(1).locator(".semw-root")
    root.wait_for(timeout=90_000)
    mark = root.locator('[data-moderation="CLE ~ INT:PSN"]')
    mark.wait_for(timeout=90_000)
    assert mark.locator("circle[data-role=interaction-dot]").count() == 1
    assert mark.locator("[data-role=coef]").count() == 1  # the interaction's coefficient
    assert root.locator('[data-node="INT:PSN"]').count() == 0
    assert root.locator('[data-node="PSN"]').count() == 1
    syntax = root.locator("textarea.semw-syntax")  # the syntax panel is open by default
    assert syntax.is_visible()
    assert "INT + INF + PSN + INT:PSN" in syntax.input_value()
    # PLSpredict of a model with a product term: the endogenous indicators, not the product
    root.locator("button[data-action=pls-predict]").click()
    _check_predict_table(notebook, root, MODERATED)
    assert root.locator(".semw-error").filter(has_text="interaction").count() == 0
    shot = tmp_path_factory.mktemp("pls") / f"moderation-{notebook.app}.png"  # type: ignore[attr-defined]
    root.screenshot(path=str(shot))
    print(f"screenshot: {shot}")


def _check_predict_table(notebook: NotebookPage, root: Any, syntax: str) -> None:
    """The PLSpredict table shows, per indicator, what ``predict_pls`` gives for ``syntax``."""
    from semwidget.pls.predict import predict_pls

    table = root.locator('table[aria-label="PLSpredict"]')
    table.wait_for(timeout=120_000)
    data = pd.read_csv(DATA).drop(columns="genre")
    ref = predict_pls(syntax, data, folds=10, repetitions=10, seed=SEED).items
    rows = table.locator("tbody tr")
    assert rows.count() == len(ref)
    for r in ref.itertuples():
        cells = rows.filter(has=notebook.page.locator(f"td:text-is('{r.item}')"))
        texts = cells.locator("td").all_text_contents()
        assert texts[1] == f"{r.q2_predict:.3f}".replace("-", "\u2212"), r.item
        assert texts[2] == f"{r.pls_rmse:.3f}" and texts[4] == f"{r.lm_rmse:.3f}", r.item


def test_plspredict_button(notebook: NotebookPage, tmp_path_factory: Any) -> None:
    notebook.run(2)
    root = notebook.cell(2).locator(".semw-root")
    root.locator('[data-edge="CLE ~ INT"] [data-role=coef]').wait_for(timeout=90_000)
    button = root.locator("button[data-action=pls-predict]")
    button.click()
    _check_predict_table(notebook, root, GOLD["syntax"])
    # the status reads apart from the counter before it ("5 paths | PLSpredict done")
    status = root.locator(".semw-status")
    status.filter(has_text="PLSpredict done").wait_for()
    counter = root.locator(".semw-counter").bounding_box()
    box = status.bounding_box()
    assert counter is not None and box is not None
    assert box["x"] - (counter["x"] + counter["width"]) >= 10, (counter, box)
    shot = tmp_path_factory.mktemp("pls") / f"predict-{notebook.app}.png"  # type: ignore[attr-defined]
    root.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
