"""A new widget's nodes are laid out by the view, which sends the positions to the kernel.

The kernel does not lay out a model (that would start V8 on the way to the first drawing):
the view places the nodes with the same layout code and sends them back, so Python then
holds what the view shows, and those are the positions the headless layout gives. Checked in
JupyterLab and in Notebook 7, with a second view of the same widget and an edit from Python.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from lab_server import NotebookPage, open_notebook
from model_texts import HS

pytestmark = pytest.mark.browser

_STATE = ("print('STATE' + json.dumps({'stored': w._trait_values['positions'], "
          "'v8': 'py_mini_racer' in sys.modules}))")

CELLS = [
    # 0: a new widget, no data: the kernel holds no positions when it is displayed
    "import json, sys\nfrom semwidget.widget import SEMWidget\n"
    f"w = SEMWidget(syntax={HS!r})\n"
    "print('BEFORE', len(w._trait_values['positions']), 'py_mini_racer' in sys.modules)\nw",
    # 1: what the kernel holds once the view has laid the diagram out
    _STATE,
    # 2: the headless layout of the same model, for comparison (starts V8 now)
    "from semwidget.widget.placement import place_nodes\n"
    "print('HEADLESS' + json.dumps(place_nodes({**w.diagram_state(), 'positions': {}}, {})))",
    # 3: a second view of the same widget
    "w",
    # 4: an edit from Python that adds a node: the view places it
    f"w.syntax = {HS + 'visual =~ x10' + chr(10)!r}",
    # 5: the kernel holds the new node's position
    _STATE,
]

_TRANSLATE = re.compile(r"translate\(([-\d.e]+),\s*([-\d.e]+)\)")
_NODES = ["visual", "textual", "speed", *(f"x{i}" for i in range(1, 10))]


def _drawn(cell: Any, names: list[str]) -> dict[str, tuple[float, float]]:
    """Node centres as the view draws them (the ``translate`` of each node's group)."""
    out = {}
    for name in names:
        node = cell.locator(f'[data-node="{name}"]').first
        node.wait_for(timeout=60_000)
        found = _TRANSLATE.search(node.get_attribute("transform") or "")
        assert found, f"{name}: no translate() in its transform"
        out[name] = (float(found.group(1)), float(found.group(2)))
    return out


def _payload(text: str, marker: str) -> Any:
    return json.loads(text.split(marker, 1)[1].strip().splitlines()[0])


def _held(notebook: NotebookPage, index: int, names: list[str]) -> dict[str, Any]:
    """Run cell ``index`` (``_STATE``) until the kernel holds positions of ``names``."""
    text = notebook.run_until(index, "STATE", [f'"{name}": {{' for name in names], timeout=60.0)
    return _payload(text, "STATE")


def _close(drawn: tuple[float, float], held: dict[str, float]) -> bool:
    # the view sends positions rounded to 0.1 and draws them rounded to 0.01
    return abs(drawn[0] - held["x"]) <= 0.06 and abs(drawn[1] - held["y"]) <= 0.06


@pytest.fixture(scope="module", params=["jupyterlab", "notebook"])
def notebook(request: pytest.FixtureRequest, chromium: Any) -> Iterator[NotebookPage]:
    if request.param == "notebook" and importlib.util.find_spec("notebook") is None:
        pytest.skip("Notebook 7 (package `notebook`) is not installed")
    with open_notebook(chromium, f"positions_{request.param}.ipynb", CELLS,
                       app=request.param) as nb:
        yield nb


def test_the_view_lays_out_a_new_widget_and_the_kernel_holds_it(notebook: NotebookPage) -> None:
    notebook.run(0)
    assert "BEFORE 0 False" in notebook.output_text(0, "BEFORE")
    first = notebook.cell(0)
    drawn = _drawn(first, _NODES)

    state = _held(notebook, 1, _NODES)
    held = state["stored"]
    assert set(held) == set(_NODES)
    for name in _NODES:
        assert _close(drawn[name], held[name]), (name, drawn[name], held[name])
    # the kernel never started V8 for it
    assert state["v8"] is False

    # the positions the headless (V8) layout gives, as Python computed them before
    notebook.run(2)
    headless = _payload(notebook.output_text(2, "HEADLESS"), "HEADLESS")
    for name in _NODES:
        assert abs(headless[name]["x"] - held[name]["x"]) <= 0.051, name
        assert abs(headless[name]["y"] - held[name]["y"]) <= 0.051, name

    # a second view of the same widget draws the same positions
    notebook.run(3)
    again = _drawn(notebook.cell(3), _NODES)
    assert again == drawn

    # an edit from Python leaves the new node to the view, which sends its position back
    notebook.run(4)
    placed = _drawn(first, ["x10"])["x10"]
    state = _held(notebook, 5, [*_NODES, "x10"])
    assert _close(placed, state["stored"]["x10"])
    for name in _NODES:  # the others stay where they were
        assert state["stored"][name] == held[name]
