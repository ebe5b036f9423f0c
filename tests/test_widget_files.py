"""Saving and loading diagram files, and the messages for malformed ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from semwidget.widget import SEMWidget
from semwidget.widget.diagram_file import FORMAT_NAME, FORMAT_VERSION, DiagramFileError

pytestmark = pytest.mark.filterwarnings("ignore:semwidget's front end is not built")

MODEL = "ind60 =~ x1 + x2 + x3\ndem60 =~ y1 + y2 + y3 + y4\ndem60 ~ ind60\n"


def _good() -> dict:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "syntax": "f =~ x1 + x2 + x3",
        "positions": {"f": {"x": 300, "y": 100}, "x1": {"x": 100, "y": 40}},
        "latents": ["f", "g"],
        "options": {"standardized": False, "digits": 3},
        "engine": "sem",
    }


def _write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "model.semwidget.json"
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    return path


def test_save_then_load_restores_the_drawing(tmp_path: Path) -> None:
    w = SEMWidget(syntax=MODEL)
    w.latents = [*w.latents, "drawn"]
    w.positions = {**w.positions, "x1": {"x": -40.0, "y": 7.5}}
    w.options = {"standardized": False, "se": True, "digits": 3}
    path = tmp_path / "pd.json"
    w.save(path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert list(saved) == [
        "format", "version", "syntax", "positions", "latents", "options", "engine", "labels",
    ]  # fmt: skip
    assert saved["format"] == "semwidget-diagram" and saved["version"] == 1

    loaded = SEMWidget.load(path)
    assert loaded.syntax == w.syntax
    assert loaded.positions == w.positions
    assert loaded.latents == ["ind60", "dem60", "drawn"]
    assert loaded.options == w.options
    assert loaded.table == w.table
    assert loaded.error == ""


def test_load_places_nodes_the_file_has_no_position_for(tmp_path: Path) -> None:
    w = SEMWidget.load(_write(tmp_path, _good()))
    assert w.positions["f"] == {"x": 300.0, "y": 100.0}
    assert w.positions["x1"] == {"x": 100.0, "y": 40.0}
    assert {"x2", "x3", "g"} <= set(w.positions)
    assert w.options["digits"] == 3 and w.options["standardized"] is False
    assert w.latents == ["f", "g"]


def test_load_reads_files_that_call_the_positions_layout(tmp_path: Path) -> None:
    old = _good()
    old["layout"] = old.pop("positions")
    w = SEMWidget.load(_write(tmp_path, old))
    assert w.positions["f"] == {"x": 300.0, "y": 100.0}


def test_load_passes_data_and_fit_options(tmp_path: Path) -> None:
    import pandas as pd

    data = pd.DataFrame({"x1": [1.0, 2.0], "x2": [3.0, 1.0], "x3": [0.0, 1.0]})
    w = SEMWidget.load(_write(tmp_path, _good()), data=data, std_lv=True)
    assert w.columns == ["x1", "x2", "x3"]
    assert w.fit_options == {"std_lv": True}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "something-else"}, "'format' must be 'semwidget-diagram'"),
        ({"version": 2}, "version 2 was written by a newer semwidget"),
        ({"version": "1"}, "'version' must be a positive integer"),
        ({"syntax": None}, "'syntax' must be text"),
        ({"syntax": "f =~ x1 +"}, "syntax: line 1, column"),
        ({"positions": {"f": {"x": "left", "y": 0}}},
         "positions['f']['x']: expected a finite number"),
        ({"positions": {"zz": {"x": 0, "y": 0}}}, "positions: 'zz' not in the model"),
        ({"positions": []}, "positions: expected a mapping"),
        ({"latents": ["f", "f"]}, "latents: 'f' is listed twice"),
        ({"latents": [3]}, "latents: expected a name"),
        ({"options": {"digits": 99}}, "options['digits']: expected an integer from 0 to 6"),
        ({"options": {"bold": True}}, "options: unknown option 'bold'"),
        ({"engine": "lisrel"}, "engine: expected 'sem' or 'pls'"),
        ({"colour": "red"}, "unknown field(s) 'colour'"),
    ],
)
def test_malformed_file_names_what_is_wrong(tmp_path: Path, change: dict, message: str) -> None:
    path = _write(tmp_path, {**_good(), **change})
    with pytest.raises(DiagramFileError) as caught:
        SEMWidget.load(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith("model.semwidget.json: ")


def test_missing_syntax_field(tmp_path: Path) -> None:
    content = _good()
    del content["syntax"]
    with pytest.raises(DiagramFileError, match="the 'syntax' field is missing"):
        SEMWidget.load(_write(tmp_path, content))


def test_not_json_reports_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(DiagramFileError, match=r"not valid JSON \(line 2, column 1"):
        SEMWidget.load(_write(tmp_path, '{"format": "semwidget-diagram",\n}'))


def test_json_but_not_an_object(tmp_path: Path) -> None:
    with pytest.raises(DiagramFileError, match="expected a JSON object, found list"):
        SEMWidget.load(_write(tmp_path, "[1, 2]"))


def test_nan_coordinate_is_refused(tmp_path: Path) -> None:
    text = json.dumps(_good()).replace('"x": 300', '"x": NaN')
    with pytest.raises(DiagramFileError, match="expected a finite number, got nan"):
        SEMWidget.load(_write(tmp_path, text))


def test_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        SEMWidget.load(tmp_path / "nothing.json")


def test_save_refuses_syntax_that_does_not_parse(tmp_path: Path) -> None:
    from semwidget.errors import ModelSyntaxError

    w = SEMWidget(syntax=MODEL)
    w.syntax = MODEL + "dem65 =~ \n"
    with pytest.raises(ModelSyntaxError, match="line 4"):
        w.save(tmp_path / "broken.json")
    assert not (tmp_path / "broken.json").exists()
