"""Issue 17 in a real browser: the History panel and diff, identification marks, local fit.

Run in JupyterLab and in Notebook 7. Chromium opens the History panel, ticks two versions and
presses Compare with the mouse; the kernel's ``results["diff"]`` comes back and the diagram marks
the added cross-loading while the panel shows the comparison table and its sentence. A model
without a scale for one factor fails to fit: the loadings the identification finder names are
drawn flagged and the warnings panel carries the error sentence. The Local fit toggle draws the
residual correlations the kernel computes when the toggle asks (``results["local_fit"]``);
hovering one shows its residual and z.
Screenshots go to build/browser/ (not in git).
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from typing import Any

import pytest
from lab_server import REPO, NotebookPage, open_notebook
from model_texts import HS

pytestmark = pytest.mark.browser

SHOTS = REPO / "build" / "browser"
CROSS = HS + "visual =~ x9\n"
NO_SCALE = "visual =~ NA*x1 + x2 + x3\ntextual =~ x4 + x5 + x6\n"
THIRD = HS + "x7 ~~ x8\n"
CELLS = [
    "import json, semwidget\nfrom semwidget import datasets\nhs = datasets.load('hs1939')\n"
    f"w = semwidget.SEMWidget(hs, {HS!r}, auto_fit=False)\nw.fit()\n"
    f"w.syntax = {CROSS!r}\nw.fit()\nw",
    # the table itself: the overlay's pairs reach the view only once the toggle asks for them
    "lf = w.result.local_fit().rename(columns={'residual_cor': 'cor'})\n"
    "print('LOCAL', json.dumps(lf[['lhs', 'rhs', 'cor', 'z']].to_dict('records')))",
    f"u = semwidget.SEMWidget(hs, {NO_SCALE!r}, auto_fit=False)\n"
    "try:\n    u.fit()\nexcept semwidget.errors.SemWidgetError:\n    pass\nu",
    "print('DIFF', json.dumps(w.results.get('diff', {}).get('added')))",
    "print('UNIDENTIFIED', json.dumps(u.results['unidentified']))",
    f"w.syntax = {THIRD!r}\nw.fit()\nprint('THIRD', len(w.versions))",
]

APPS = ["jupyterlab", pytest.param("notebook", marks=pytest.mark.skipif(
    importlib.util.find_spec("notebook") is None, reason="Notebook 7 is not installed"))]


@pytest.fixture(scope="module", params=APPS)
def notebook(chromium: Any, request: pytest.FixtureRequest) -> Iterator[NotebookPage]:
    with open_notebook(chromium, "Compare.ipynb", CELLS, app=request.param) as nb:
        nb.app = request.param  # type: ignore[attr-defined]
        yield nb


def _shot(notebook: NotebookPage, root: Any, what: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    root.screenshot(path=str(SHOTS / f"{what}_{notebook.app}.png"))  # type: ignore[attr-defined]


def _widget(notebook: NotebookPage, index: int) -> Any:
    notebook.run(index)
    root = notebook.cell(index).locator(".semw-root")
    root.locator('[data-node="visual"]').wait_for(timeout=60_000)
    return root


def test_history_panel_compares_two_versions(notebook: NotebookPage) -> None:
    page = notebook.page
    root = _widget(notebook, 0)
    panel = root.locator("details[data-role=history]")
    summary = panel.locator("summary")
    summary.wait_for()
    assert summary.text_content() == "History (2 versions)"
    summary.click()
    rows = panel.locator("tr[data-role=version]")
    assert rows.count() == 2
    assert rows.nth(1).locator("td").nth(3).text_content() != "\u2013"  # χ² of version 2
    compare = panel.locator("[data-action=compare]")
    assert compare.is_disabled()
    for n in (1, 2):
        panel.locator(f"input[data-version='{n}']").click()
    assert compare.is_enabled()
    compare.click()
    added = root.locator('[data-edge="visual =~ x9"][data-diff="added"]')
    added.wait_for(timeout=30_000)
    assert "added from version 1 to version 2" in (added.locator("title").text_content() or "")
    assert root.locator("[data-diff]").count() == 1
    table = panel.locator("tr[data-role=compare-row]")
    assert table.count() == 2
    sentence = panel.locator("[data-role=compare-sentence]").text_content() or ""
    assert "version 1" in sentence and "version 2" in sentence
    assert panel.locator("[data-diff-count=added]").text_content() == "added 1"
    notebook.run(3)
    assert 'DIFF ["visual =~ x9"]' in notebook.output_text(3, "DIFF")
    page.mouse.move(0, 0)
    _shot(notebook, root, "history_diff")
    # a third version drops the cross-loading and adds a residual covariance: compared with the
    # second, the dropped loading is drawn as a ghost and the covariance marked added
    notebook.run(5)
    assert "THIRD 3" in notebook.output_text(5, "THIRD")
    panel.locator("input[data-version='3']").wait_for()
    panel.locator("input[data-version='1']").click()  # untick 1: versions 2 and 3 are ticked
    panel.locator("input[data-version='3']").click()
    assert panel.locator("input:checked").count() == 2
    compare.click()
    ghost = root.locator('[data-removed="visual =~ x9"]')
    ghost.wait_for(timeout=30_000)
    assert root.locator('[data-edge="visual =~ x9"]').count() == 0
    assert root.locator('[data-edge="x7 ~~ x8"][data-diff="added"]').count() == 1
    assert panel.locator("[data-diff-count=removed]").text_content() == "removed 1"
    page.mouse.move(0, 0)
    _shot(notebook, root, "history_removed")
    panel.locator("[data-action=clear-diff]").click()
    root.locator("[data-diff]").first.wait_for(state="detached")
    assert panel.locator("[data-role=compare-sentence]").count() == 0


def test_identification_marks_the_parameters(notebook: NotebookPage) -> None:
    root = _widget(notebook, 2)
    flagged = root.locator('[data-edge="visual =~ x2"][data-flagged="true"]')
    flagged.wait_for(timeout=60_000)
    notebook.run(4)
    named = json.loads(notebook.output_text(4, "UNIDENTIFIED").split("UNIDENTIFIED ", 1)[1])
    drawn = [k for k in named if root.locator(f'[data-edge="{k}"]').count()]
    assert {"visual =~ x1", "visual =~ x2", "visual =~ x3"} <= set(drawn)
    for key in drawn:
        assert root.locator(f'[data-edge="{key}"]').get_attribute("data-flagged") == "true"
    assert root.locator('[data-edge="textual =~ x5"]').get_attribute("data-flagged") is None
    row = root.locator("[data-role=warning][data-source=identification]")
    assert "scale of visual is not set" in (row.text_content() or "")
    # the row's buttons select the parameter on the diagram (real mouse)
    row.locator("[data-warning-edge='visual =~ x2']").click()
    picked = root.locator('[data-edge="visual =~ x2"]').get_attribute("class") or ""
    assert "semw-selected" in picked
    notebook.page.mouse.move(0, 0)
    _shot(notebook, root, "identification")


def test_local_fit_overlay(notebook: NotebookPage) -> None:
    page = notebook.page
    root = _widget(notebook, 0)
    notebook.run(1)
    pairs = json.loads(notebook.output_text(1, "LOCAL").split("LOCAL ", 1)[1])
    assert pairs, "the HS model has residual correlations above .1"
    toggle = root.locator("[data-action=local-fit]")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert root.locator("[data-local-fit]").count() == 0
    toggle.click()
    links = root.locator("[data-local-fit]")
    links.first.wait_for()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert links.count() == len(pairs)
    top = max(pairs, key=lambda p: abs(p["cor"]))
    link = root.locator(f'[data-local-fit="{top["lhs"]} ~~ {top["rhs"]}"]')
    assert link.get_attribute("data-heat") == str(max(
        int(g.get_attribute("data-heat") or 0) for g in links.all()))
    title = link.locator("title").text_content() or ""
    title = title.replace("\u2212", "-")
    assert f"{top['cor']:.3f}" in title and f"z = {top['z']:.2f}" in title
    stroke = link.locator(".semw-local")
    assert stroke.get_attribute("stroke-dasharray") == "5 3"
    # the mouse goes to the middle of the curve itself (its box's centre is off the line)
    at = link.locator(".semw-hit").evaluate(
        "p => { const q = p.getPointAtLength(p.getTotalLength() / 2); const m = p.getScreenCTM(); "
        "return [q.x * m.a + q.y * m.c + m.e, q.x * m.b + q.y * m.d + m.f]; }")
    page.mouse.move(at[0], at[1])
    assert link.evaluate("e => e.matches(':hover')")
    _shot(notebook, root, "local_fit")
    toggle.click()
    links.first.wait_for(state="detached")
    page.mouse.move(0, 0)
