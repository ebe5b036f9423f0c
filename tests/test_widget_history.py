"""Model history in the widget: versions, w.history, w.compare(i, j), and save/load.

The comparison numbers are lavaan's (tests/golden/comparison/lrt.json, made by
tests/golden/make_comparison_golden.R); the diff is checked edge by edge.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import semwidget
from semwidget.errors import DataError, ModelSpecError
from semwidget.widget import SEMWidget
from semwidget.widget.diagram_file import DiagramFileError

pytestmark = pytest.mark.filterwarnings("ignore:semwidget's front end is not built")

GOLDEN = json.loads((Path(__file__).parent / "golden" / "comparison" / "lrt.json").read_text())
MODELS = GOLDEN["models"]


def _pair(general: str, restricted: str) -> dict:
    return next(p for p in GOLDEN["pairs"] if p["general"] == general and
                p["restricted"] == restricted and p["estimator"] == "ML")


@pytest.fixture
def hs() -> object:
    return semwidget.datasets.load("hs1939")


def _widget(hs: object, *syntaxes: str, **options: object) -> SEMWidget:
    w = SEMWidget(hs, auto_fit=False, **options)
    for syntax in syntaxes:
        w.syntax = syntax
        w.fit()
    return w


def test_every_fit_is_a_version(hs: object) -> None:
    w = _widget(hs, MODELS["hs_cfa"], MODELS["hs_equal"])
    w.fit()  # the same model again: the last version is updated, not repeated
    h = w.history
    assert list(h.index) == [1, 2]
    assert h.loc[1, "df"] == 24 and h.loc[2, "df"] == 26
    assert h.loc[1, "chisq"] == pytest.approx(GOLDEN["pairs"][0]["chisq"][0], abs=1e-3)
    assert [v["number"] for v in w.versions] == [1, 2]
    assert w.versions[1]["syntax"] == MODELS["hs_equal"]
    # the panel's rows carry no positions or edges (sent after every fit); the kernel keeps them
    assert set(w.versions[0]) == {"number", "time", "syntax", "options", "fit"}
    # fitted before anything placed the nodes (no view, no read): a read places them, and the
    # versions fitted meanwhile keep those positions
    assert w._history.get(1).positions == {}
    placed = w.positions
    assert set(w._history.get(1).positions) >= {"visual", "x1"}
    assert w._history.get(1).positions["x1"] == w._history.get(2).positions["x1"] == placed["x1"]


def test_compare_table_and_diff(hs: object) -> None:
    w = _widget(hs, MODELS["hs_cfa"], MODELS["hs_cross"] + "\nvisual ~~ 0*speed")
    out = w.compare(1, 2)
    t = out.table
    # one loading freed and one covariance fixed: the same df, and neither nested in the other
    assert list(t.index) == ["version 1", "version 2"]
    assert t.loc["version 2", "nested"] == "not nested"
    assert out.diff.added == ["visual =~ x9"]
    assert out.diff.fixed == ["visual ~~ speed"]
    assert out.diff.removed == [] and out.diff.freed == []
    back = w.compare(2, 1).diff
    assert back.removed == ["visual =~ x9"] and back.freed == ["visual ~~ speed"]
    assert w.results["diff"]["removed"] == ["visual =~ x9"]
    assert w.results["diff"]["table"][1]["nested"] == "not nested"


def test_compare_against_lavtestlrt(hs: object) -> None:
    # orthogonal=TRUE in lavaan, written out as fixed covariances here
    zero = "\nvisual ~~ 0*textual\nvisual ~~ 0*speed\ntextual ~~ 0*speed"
    w = _widget(hs, MODELS["hs_cfa"], MODELS["hs_cfa"] + zero)
    golden = _pair("hs_cfa", "hs_orthogonal")
    out = w.compare(1, 2)
    assert out.table.iloc[1]["nested"] == "nested"
    assert out.table.iloc[1]["chisq_diff"] == pytest.approx(golden["chisq_diff"], abs=1e-3)
    assert out.table.iloc[1]["pvalue"] == pytest.approx(golden["pvalue"], rel=1e-4)
    assert list(out.table["aic"]) == pytest.approx(golden["aic"], abs=1e-3)
    assert out.diff.fixed == ["visual ~~ textual", "visual ~~ speed", "textual ~~ speed"]


def test_not_nested_versions_keep_only_information_criteria(hs: object) -> None:
    w = _widget(hs, MODELS["hs_cfa"], MODELS["hs_moved"])
    out = w.compare(1, 2)
    assert out.table.iloc[1]["nested"] == "not nested"
    assert "AIC" in out.payload()["sentence"]
    assert out.diff.added == ["visual =~ x4"] and out.diff.removed == ["textual =~ x4"]


def test_unknown_version_is_named(hs: object) -> None:
    w = _widget(hs, MODELS["hs_cfa"])
    with pytest.raises(ModelSpecError, match="no version 7 .*versions: 1 to 1"):
        w.compare(1, 7)


def test_versions_survive_save_and_load(hs: object, tmp_path: Path) -> None:
    w = _widget(hs, MODELS["hs_cfa"], MODELS["hs_equal"])
    path = tmp_path / "m.semwidget.json"
    w.save(path)
    empty = SEMWidget.load(path, auto_fit=False)
    assert list(empty.history.index) == [1, 2]
    assert empty.history.loc[2, "chisq"] == pytest.approx(w.history.loc[2, "chisq"])
    with pytest.raises(DataError, match="set the widget's data"):
        empty.compare(1, 2)
    loaded = SEMWidget.load(path, hs, auto_fit=False)
    golden = _pair("hs_cfa", "hs_equal")
    t = loaded.compare(1, 2).table  # refitted from the saved syntax and options
    assert t.iloc[1]["chisq_diff"] == pytest.approx(golden["chisq_diff"], abs=1e-3)
    assert loaded._history.get(1).positions == w._history.get(1).positions
    assert loaded.versions == w.versions
    loaded.syntax = MODELS["hs_one"]
    loaded.fit()
    assert list(loaded.history.index) == [1, 2, 3]


def test_bad_history_in_a_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.semwidget.json"
    path.write_text(json.dumps({"format": "semwidget-diagram", "version": 1, "syntax": "",
                                "history": [{"number": "one"}]}))
    with pytest.raises(DiagramFileError, match=r"history\[0\]: 'number' must be int"):
        SEMWidget.load(path)


def test_compare_message_from_the_history_panel(hs: object) -> None:
    zero = "\nvisual ~~ 0*textual\nvisual ~~ 0*speed\ntextual ~~ 0*speed"
    w = _widget(hs, MODELS["hs_cfa"], MODELS["hs_cfa"] + zero)
    w._on_custom_msg(w, {"type": "compare", "i": 1, "j": 2}, [])
    assert w.error == ""
    diff = w.results["diff"]
    assert diff["versions"] == [1, 2]
    assert diff["fixed"] == ["visual ~~ textual", "visual ~~ speed", "textual ~~ speed"]
    golden = _pair("hs_cfa", "hs_orthogonal")
    assert diff["table"][1]["chisq_diff"] == pytest.approx(golden["chisq_diff"], abs=1e-3)
    # an unknown version is named in `error`; results keep the last comparison
    w._on_custom_msg(w, {"type": "compare", "i": 1, "j": 9}, [])
    assert "no version 9" in w.error and w.results["diff"]["versions"] == [1, 2]


@pytest.mark.parametrize(("content", "match"), [
    ({"type": "compare", "i": 1}, "'j' must be a version number.*None"),
    ({"type": "compare", "i": 0, "j": 2}, "'i' must be a version number.*0"),
    ({"type": "compare", "i": True, "j": 2}, "'i' must be a version number"),
    ({"type": "compare", "i": "1", "j": 2}, "'i' must be a version number"),
    ({"type": "compare", "i": 1, "j": 2, "k": 3}, "unexpected field"),
])
def test_bad_compare_messages_are_named(hs: object, content: dict, match: str) -> None:
    w = _widget(hs, MODELS["hs_cfa"])
    w._on_custom_msg(w, content, [])
    assert "Ignored a message from the diagram" in w.error
    assert re.search(match, w.error), w.error
