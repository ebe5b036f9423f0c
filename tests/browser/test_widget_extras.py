"""The widget's last conventions, in JupyterLab and Notebook 7, real mouse and keyboard only:
display labels, edges drawn from the keyboard, warnings that point at the model or an edge, the
residual variance beside an error circle, ordinal indicators and the estimator control."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_server import NotebookPage, open_notebook
from model_texts import HS
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
HS4 = json.loads((ROOT / "tests" / "golden" / "ordinal_hs4_wlsmv.json").read_text("utf-8"))

pytestmark = pytest.mark.browser

HEYWOOD = "visual =~ x1 + x2\ntextual =~ x4 + x5 + x6\nvisual ~~ 5*visual\n"
#: Latent variances fixed to 1 and their covariance to 1.3: a warning that names no variable.
NOT_PD = ("visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nvisual ~~ 1*visual\n"
          "textual ~~ 1*textual\nvisual ~~ 1.3*textual\n")
SETUP = (
    "from semwidget import datasets\nfrom semwidget.widget import SEMWidget\n"
    "hs = datasets.load('hs1939')\n"
)
CELLS = [
    SETUP + f"lw = SEMWidget(hs, {HS!r}, auto_fit=False)\nlw",  # 0
    "print('LABELS<<' + repr(sorted(lw.labels.items())) + '>>', 'SYNTAX<<' + lw.syntax + '>>')",
    "lw.set_label('x1', 'Élan vital')",  # 2
    "kw = SEMWidget(hs, 'visual =~ x1 + x2 + x3\\n', auto_fit=False)\nkw",  # 3
    "print('SYNTAX<<' + kw.syntax + '>>')",  # 4
    f"hey = SEMWidget(hs, {HEYWOOD!r})\nhey",  # 5
    f"npd = SEMWidget(hs, {NOT_PD!r})\nnpd",  # 6
    f"ew = SEMWidget(hs, {HS!r})\new",  # 7
    "ew.wait_for_auto_fit(30)\nv = ew.results['edges']['x1 ~~ x1']\n"
    "print('VAR<<%.2f|%.2f>>' % (v['std'], v['est']))",  # 8
    f"rw = SEMWidget(hs, {HS!r})\nrw",  # 9
    "print('EST<<' + rw.estimator + '>>')",  # 10
    "import pandas as pd\n"
    f"od = pd.read_csv({str(ROOT / HS4['data'])!r})\n"
    f"ow = SEMWidget(od, {HS4['model']!r}, ordered={HS4['ordered']!r})\now",  # 11
    "print('ORD<<' + ' '.join(ow.ordered) + '>>', 'ERROR<<' + ow.error + '>>')",  # 12
]
APPS = ["jupyterlab"]
if importlib.util.find_spec("notebook") is not None:
    APPS.append("notebook")


@pytest.fixture(scope="module", params=APPS)
def notebook(request: pytest.FixtureRequest, chromium: Any) -> Iterator[NotebookPage]:
    with open_notebook(chromium, "Extras.ipynb", CELLS, app=request.param) as nb:
        nb.run(0)
        nb.cell(0).locator(".semw-root").wait_for(timeout=60_000)
        yield nb


def _widget(notebook: NotebookPage, index: int) -> Any:
    if notebook.cell(index).locator(".semw-root").count() == 0:
        notebook.run(index)
    root = notebook.cell(index).locator(".semw-root")
    root.wait_for(timeout=60_000)
    root.scroll_into_view_if_needed()
    return root


def _name_text(root: Any, name: str) -> str:
    return root.locator(f'[data-node="{name}"] text').first.text_content() or ""


def _wait_text(page: Any, node: Any, text: str) -> None:
    """Wait until the node shows ``text`` (its first text: the name or the label); the node's
    element is replaced by each redraw, so the locator is queried afresh."""
    expect(node.locator("text").first).to_have_text(text)


def test_display_labels(notebook: NotebookPage, tmp_path: Path) -> None:
    page = notebook.page
    root = _widget(notebook, 0)
    root.locator('[data-node="visual"] ellipse').click()
    page.keyboard.press("Shift+F2")  # the node editor, at its label field
    field = root.locator("input.semw-label-input")
    field.wait_for()
    assert field.evaluate("el => el === document.activeElement")
    page.keyboard.type("Visual perception")
    page.keyboard.press("Enter")
    node = root.locator('[data-node="visual"]')
    _wait_text(page, node, "Visual perception")
    assert node.get_attribute("data-label") == "Visual perception"
    assert "(Visual perception)" in (node.get_attribute("aria-label") or "")
    text = notebook.run_until(1, "LABELS<<", ["Visual perception"])
    assert "('visual', 'Visual perception')" in text
    assert "visual =~ x1 + x2 + x3" in text  # the syntax keeps the name

    # the Python API; the view follows
    notebook.run(2)
    _wait_text(page, root.locator('[data-node="x1"]'), "Élan vital")

    # the exported SVG and the saved diagram file carry the labels
    with page.expect_download() as svg:
        root.locator("[data-action=export-svg]").click()
    svg_text = Path(svg.value.path()).read_text(encoding="utf-8")
    assert ">Visual perception</text>" in svg_text and ">Élan vital</text>" in svg_text
    with page.expect_download() as saved:
        root.locator("[data-action=save]").click()
    diagram = json.loads(Path(saved.value.path()).read_text(encoding="utf-8"))
    assert diagram["labels"] == {"visual": "Visual perception", "x1": "Élan vital"}

    # undo removes the label; loading the file brings both back
    root.locator("[data-action=undo]").click()
    _wait_text(page, node, "visual")
    path = tmp_path / "labels.semwidget.json"
    path.write_text(json.dumps(diagram), encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        root.locator("[data-action=load]").click()
    chooser.value.set_files(str(path))
    _wait_text(page, node, "Visual perception")
    assert _name_text(root, "x1") == "Élan vital"


def _status(root: Any) -> str:
    return root.locator(".semw-status").text_content() or ""


def test_edges_drawn_from_the_keyboard(notebook: NotebookPage) -> None:
    page = notebook.page
    root = _widget(notebook, 3)
    # Reach the first node without the mouse: Tab from the focused canvas.
    root.locator(".semw-canvas").focus()
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.getAttribute('data-node')")
    assert first == "visual", page.evaluate("() => document.activeElement.outerHTML.slice(0, 300)")
    for _ in range(1):
        page.keyboard.press("Tab")  # to x1
    assert page.evaluate("() => document.activeElement.getAttribute('data-node')") == "x1"
    page.keyboard.press("c")  # a covariance from x1
    assert "Covariance from x1" in _status(root)
    page.keyboard.press("ArrowRight")
    assert root.locator(".semw-target").get_attribute("data-node") == "x2"
    assert root.locator(".semw-rubber").count() == 1
    page.keyboard.press("ArrowRight")
    assert root.locator(".semw-target").get_attribute("data-node") == "x3"
    assert "to x3: Enter draws it" in _status(root)
    page.keyboard.press("Enter")
    root.locator('[data-edge="x1 ~~ x3"]').wait_for()
    assert root.locator(".semw-target").count() == 0 and root.locator(".semw-rubber").count() == 0
    assert "x1 ~~ x3" in notebook.run_until(4, "SYNTAX<<", ["x1 ~~ x3"])

    # Escape cancels a draft; nothing is drawn
    root.locator(".semw-canvas").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # x2
    assert page.evaluate("() => document.activeElement.getAttribute('data-node')") == "x2"
    edges = root.locator("[data-edge]").count()
    page.keyboard.press("p")
    page.keyboard.press("Tab")  # the next node after x2 as the target, focus stays on x2
    assert root.locator(".semw-target").get_attribute("data-node") == "x3"
    assert page.evaluate("() => document.activeElement.getAttribute('data-node')") == "x2"
    page.keyboard.press("Escape")
    assert root.locator(".semw-target").count() == 0
    assert "cancelled" in _status(root)
    assert root.locator("[data-edge]").count() == edges

    # A path with the Path tool on: Enter starts it from the selected node
    root.locator("[data-action=path]").focus()
    page.keyboard.press("Enter")  # the toolbar button, pressed from the keyboard
    assert root.locator("[data-action=path]").get_attribute("aria-pressed") == "true"
    root.locator(".semw-canvas").focus()
    for _ in range(3):
        page.keyboard.press("Tab")  # x2
    page.keyboard.press("Enter")
    assert "Path from x2" in _status(root)
    page.keyboard.press("ArrowRight")  # x3
    page.keyboard.press("Enter")
    root.locator('[data-edge="x3 ~ x2"]').wait_for()
    assert "x3 ~ x2" in notebook.run_until(4, "SYNTAX<<", ["x3 ~ x2"])


def test_warnings_point_at_edges_and_at_the_whole_model(notebook: NotebookPage) -> None:
    page = notebook.page
    root = _widget(notebook, 5)
    button = root.locator('[data-warning-edge="x1 ~~ x1"]').first
    button.wait_for(timeout=30_000)
    # the negative residual variance is drawn (Residuals is off) and flagged
    loop = root.locator('[data-edge="x1 ~~ x1"]')
    assert loop.get_attribute("data-flagged") == "true"
    assert "has a warning" in (loop.locator("title").text_content() or "")
    assert root.locator('[data-edge="visual =~ x1"]').get_attribute("data-flagged") == "true"
    button.click()
    assert "semw-selected" in (loop.get_attribute("class") or "")
    root.locator('[data-warning-edge="visual =~ x1"]').first.click()
    assert "semw-selected" in (root.locator('[data-edge="visual =~ x1"]').get_attribute("class")
                               or "")
    assert root.locator("[data-scope=model]").count() == 0

    root = _widget(notebook, 6)
    row = root.locator("[data-role=warning][data-scope=model]")
    row.wait_for(timeout=30_000)
    assert "Whole model:" in (row.text_content() or "")
    assert "not positive definite" in (row.text_content() or "")
    bar = root.locator(".semw-fitbar")
    assert bar.locator("[data-role=model-warning]").is_visible()
    row.locator("[data-warning-model]").focus()
    page.keyboard.press("Enter")  # the button, from the keyboard
    assert "semw-fit-pointed" in (bar.get_attribute("class") or "")
    assert bar.evaluate("el => el === document.activeElement")


def test_error_circles_show_the_residual_variance(notebook: NotebookPage) -> None:
    root = _widget(notebook, 7)
    root.locator('[data-edge="visual =~ x2"] [data-role=coef]').wait_for(timeout=30_000)
    text = notebook.run_until(8, "VAR<<", ["|"])
    std, est = text.split("VAR<<")[1].split(">>")[0].split("|")
    root.locator("input[data-option=errors]").click()
    note = root.locator('[data-error-node="x1"] [data-role=error-var]')
    note.wait_for()
    assert note.text_content() == std
    assert root.locator("[data-role=error-var]").count() == 9
    # beside the circle, not on it
    circle = root.locator('[data-error-node="x1"] ellipse').bounding_box()
    box = note.bounding_box()
    assert circle and box and box["x"] >= circle["x"] + circle["width"] - 1
    root.locator("input[data-option=standardized]").click()
    expect(note).to_have_text(est)
    root.locator("input[data-option=standardized]").click()
    root.locator("input[data-option=errors]").click()
    assert root.locator("[data-role=error-var]").count() == 0


def _fit_text(root: Any, key: str) -> str:
    return root.locator(f".semw-fitbar [data-fit={key}]").text_content() or ""


def test_estimator_control_and_ordinal_indicators(notebook: NotebookPage) -> None:
    page = notebook.page
    root = _widget(notebook, 9)
    root.locator('[data-edge="visual =~ x2"] [data-role=coef]').wait_for(timeout=30_000)
    assert _fit_text(root, "chisq").startswith("χ²(24) = 85.31")  # ML, lavaan's HS numbers
    select = root.locator("select[data-control=estimator]")
    assert select.input_value() == ""
    select.focus()
    page.keyboard.press("ArrowDown")  # ML
    page.keyboard.press("ArrowDown")  # MLR
    root.locator(".semw-fitbar [data-fit=chisq]").filter(has_text="scaled").wait_for(
        timeout=60_000)
    # lavaan 0.6.14, HS with MLR (tests/golden/robust_hs_mlr.json)
    assert _fit_text(root, "chisq").startswith("χ²(24) scaled = 87.13")
    assert _fit_text(root, "cfi") == "CFI (robust) = .930"
    assert _fit_text(root, "rmsea").startswith("RMSEA (robust) = .092")
    assert _fit_text(root, "estimator") == "Estimator = MLR"
    assert "EST<<MLR>>" in notebook.run_until(10, "EST<<", ["MLR"])

    root = _widget(notebook, 11)
    node = root.locator('[data-node="x1c4"]')
    expect(node).to_have_attribute("data-ordinal", "3", timeout=60_000)
    assert "ordinal, 3 thresholds" in (node.get_attribute("aria-label") or "")
    assert node.locator("title").text_content() == "x1c4: ordinal, 3 thresholds"
    assert node.locator("[data-role=ordinal-mark] rect").count() == 4
    assert root.locator("[data-ordinal]").count() == 9
    assert _fit_text(root, "estimator") == "Estimator = WLSMV"
    # lavaan 0.6.14, tests/golden/ordinal_hs4_wlsmv.json
    assert _fit_text(root, "chisq").startswith(f"χ²(24) scaled = {HS4['fit']['chisq.scaled']:.2f}")
    assert _fit_text(root, "cfi") == "CFI (robust) = " + f"{HS4['fit']['cfi.robust']:.3f}"[1:]

    # the Ordinal toggle on the selected node: x1c4 stops being ordinal (a mixed model: x1c4
    # numeric beside eight ordinal items, which fits), then is ordinal again
    node.locator("rect").first.click()
    button = root.locator("[data-action=ordinal]")
    assert button.get_attribute("aria-pressed") == "true"
    button.click()
    text = notebook.run_until(12, "ORD<<", ["ORD<<x2c4", "ERROR<<>>"], timeout=60)
    assert "x1c4" not in text.split("ORD<<")[1].split(">>")[0]
    assert "ERROR<<>>" in text
    expect(node).not_to_have_attribute("data-ordinal", "3", timeout=60_000)
    assert root.locator("[data-ordinal]").count() == 8
    button.focus()
    page.keyboard.press("Enter")
    expect(node).to_have_attribute("data-ordinal", "3", timeout=60_000)
    text = notebook.run_until(12, "ORD<<", ["x9c4 x1c4", "ERROR<<>>"], timeout=30)
    assert "ERROR<<>>" in text
