"""Display labels: drawn instead of the variable name, never in the syntax; saved and exported."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from semwidget.widget import SEMWidget
from semwidget.widget.diagram_file import DiagramFileError
from semwidget.widget.labels import validate_labels
from semwidget.widget.state import WidgetStateError

HS = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\n"


def _node_text(svg: str, name: str) -> str:
    match = re.search(rf'data-node="{name}"[^>]*>.*?<text[^>]*>([^<]*)</text>', svg, re.S)
    assert match, name
    return match.group(1)


def test_label_is_drawn_and_the_syntax_keeps_the_name(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, HS, auto_fit=False)
    w.set_label("visual", "Visual perception")
    w.set_label("x1", "  Élan vital – item 1 ")
    assert w.labels == {"visual": "Visual perception", "x1": "Élan vital – item 1"}
    assert w.syntax == HS
    svg = w.to_svg()
    assert _node_text(svg, "visual") == "Visual perception"
    assert _node_text(svg, "x1") == "Élan vital – item 1"
    assert _node_text(svg, "x2") == "x2"
    assert 'data-label="Visual perception"' in svg
    # the node grows to hold its label
    plain = SEMWidget(hs, HS, auto_fit=False).to_svg()
    rx = re.compile(r'data-node="visual".*?<ellipse[^>]*rx="([\d.]+)"', re.S)
    assert float(rx.search(svg).group(1)) > float(rx.search(plain).group(1)) + 30  # type: ignore[union-attr]
    w.set_label("visual", None)
    assert w.labels == {"x1": "Élan vital – item 1"}


def test_labels_survive_save_and_load(hs: pd.DataFrame, tmp_path: Path) -> None:
    w = SEMWidget(hs, HS, auto_fit=False)
    w.set_label("textual", "Textual ability")
    path = tmp_path / "d.semwidget.json"
    w.save(path)
    assert json.loads(path.read_text(encoding="utf-8"))["labels"] == {"textual": "Textual ability"}
    back = SEMWidget.load(path, hs)
    assert back.labels == {"textual": "Textual ability"}
    assert _node_text(back.to_svg(), "textual") == "Textual ability"
    # files written before labels existed load without them
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["labels"]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert SEMWidget.load(path, hs).labels == {}


def test_a_bad_label_in_a_file_names_the_variable(tmp_path: Path) -> None:
    w = SEMWidget(syntax=HS, auto_fit=False)
    path = tmp_path / "d.semwidget.json"
    w.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["labels"] = {"x1": "two\nlines"}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DiagramFileError, match=r"labels\['x1'\]: a label is one line"):
        SEMWidget.load(path)
    data["labels"] = {"speed": "Speed"}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DiagramFileError, match="'speed' is not a variable of the model"):
        SEMWidget.load(path)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"nope": "A"}, "'nope' is not a variable"),
        ({"x1": ""}, r"labels\['x1'\]: the label is empty"),
        ({"x1": 3}, r"labels\['x1'\]: expected text, got 3"),
        ({"x1": "x" * 81}, "81 characters; a label has at most 80"),
        ({"x1": "bell\u0007"}, "control character U\\+0007"),
        (["x1"], "expected a mapping"),
    ],
)
def test_bad_labels_are_refused_with_the_variable_named(
    hs: pd.DataFrame, value: object, message: str
) -> None:
    w = SEMWidget(hs, HS, auto_fit=False)
    with pytest.raises(WidgetStateError, match=message):
        w.labels = value
    assert w.labels == {}


def test_a_bad_label_from_the_view_is_refused_and_the_model_kept(hs: pd.DataFrame) -> None:
    w = SEMWidget(hs, HS, auto_fit=False)
    w.set_label("x2", "Item two")
    w.set_state({"labels": {"x2": "Item two", "ghost": "Boo"}})
    assert w.labels == {"x2": "Item two"}
    assert "labels: 'ghost' is not a variable" in w.error


def test_a_rename_from_the_view_carries_the_label(hs: pd.DataFrame) -> None:
    w = SEMWidget(syntax=HS, auto_fit=False)
    w.set_label("visual", "Visual perception")
    # the view sends the renamed syntax and the label under the new name in one update
    w.set_state({"syntax": HS.replace("visual", "vis"), "labels": {"vis": "Visual perception"}})
    assert w.error == ""
    assert w.labels == {"vis": "Visual perception"}


def test_deleting_a_variable_drops_its_label() -> None:
    w = SEMWidget(syntax=HS, auto_fit=False)
    w.set_label("x6", "Sentence completion")
    w.syntax = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5\n"
    assert w.labels == {}


def test_validate_labels_normalises_unicode() -> None:
    decomposed = "E\u0301lan"
    assert validate_labels({"x1": decomposed}) == {"x1": "\u00c9lan"}
