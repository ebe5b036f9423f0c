"""Tests for semwidget.datasets and the committed script that makes the seed data sets."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from semwidget import datasets
from semwidget.errors import SemWidgetError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "semwidget" / "datasets"

SHAPES = {
    "holzinger_swineford_1939": (301, 9),
    "holzinger_swineford_1939_school": (301, 14),
    "political_democracy": (75, 11),
    "live_streaming_cbsem": (663, 30),
    "live_streaming_pls": (225, 22),
}


def _script():
    spec = importlib.util.spec_from_file_location("make_seed_data",
                                                  ROOT / "scripts" / "make_seed_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_seed_data"] = module
    spec.loader.exec_module(module)
    return module


def test_list_names_sizes_and_descriptions() -> None:
    table = datasets.list()
    assert list(table.index) == list(SHAPES)
    for name, (rows, cols) in SHAPES.items():
        assert (table.loc[name, "rows"], table.loc[name, "columns"]) == (rows, cols)
        assert table.loc[name, "description"]
        assert "\n" not in table.loc[name, "description"]


@pytest.mark.parametrize(("name", "alias"), [
    ("holzinger_swineford_1939", "hs1939"), ("political_democracy", "PolDem"),
    ("live_streaming_cbsem", "seed1"), ("live_streaming_pls", "seed2"),
    ("holzinger_swineford_1939_school", "hs1939_school"),
])
def test_load_by_name_and_alias(name: str, alias: str) -> None:
    frame = datasets.load(name)
    assert frame.shape == SHAPES[name]
    pd.testing.assert_frame_equal(frame, datasets.load(alias))
    text = frame.attrs["description"]
    assert "Source:" in text and "Licence:" in text
    for col in frame.columns:  # every column is documented
        assert f"  {col}: " in text
    assert frame.attrs["name"] == name
    assert frame.notna().all().all()


def test_load_returns_a_fresh_copy() -> None:
    a = datasets.load("hs1939")
    a.loc[0, "x1"] = -999.0
    assert datasets.load("hs1939").loc[0, "x1"] != -999.0


def test_known_values_of_the_classic_data() -> None:
    hs = datasets.load("hs1939")
    # lavaan's HolzingerSwineford1939: first row x1 = 3.333333, column means x1 ~ 4.936
    assert hs.loc[0, "x1"] == pytest.approx(3.3333333)
    assert hs["x1"].mean() == pytest.approx(4.9358, abs=1e-3)
    pd_ = datasets.load("poldem")
    assert list(pd_.columns) == [f"y{k}" for k in range(1, 9)] + ["x1", "x2", "x3"]


@pytest.mark.parametrize("name", ["live_streaming_cbsem", "live_streaming_pls"])
def test_seed_data_are_five_point_items(name: str) -> None:
    frame = datasets.load(name)
    values = frame.to_numpy()
    assert values.dtype == np.int64
    assert set(np.unique(values)) == {1, 2, 3, 4, 5}
    assert "SIMULATED" in frame.attrs["description"]


def test_unknown_name_lists_the_choices() -> None:
    with pytest.raises(SemWidgetError, match="unknown data set 'iris'.*hs1939"):
        datasets.load("iris")
    with pytest.raises(SemWidgetError, match="must be a string"):
        datasets.load(3)  # type: ignore[arg-type]
    with pytest.raises(SemWidgetError, match="not a seed study"):
        datasets.published("hs1939")


def test_script_reproduces_the_shipped_files_bit_for_bit(tmp_path: Path) -> None:
    script = _script()
    written = script.write(tmp_path)
    for path in written:
        assert path.read_bytes() == (DATA / path.name).read_bytes(), path.name


def test_published_values_match_the_script_and_the_model() -> None:
    script = _script()
    cb = datasets.published("live_streaming_cbsem")
    assert cb["n"] == 663 and cb["likert"] == 5
    paths = {p["hypothesis"]: p for p in cb["table4_paths"]}
    assert paths["H1"]["beta"] == 0.507 and paths["H3"]["beta"] is None
    assert len(cb["table2_items"]) == 30
    pls = datasets.published("seed2")
    assert pls["n"] == 225 and pls["bootstrap"] == 5000
    assert [p["beta"] for p in pls["table6_paths"]] == [0.265, 0.216, 0.374, 0.737]
    # the Table 4 correlations imply the Table 6 paths (the script refuses otherwise)
    script.check_pls_paths()
    R = script.pls_correlations()
    assert np.linalg.eigvalsh(R.to_numpy()).min() > 0


def test_seed_population_reproduces_the_published_standardized_values() -> None:
    from semwidget.cb.simulate import population

    cb = datasets.published("live_streaming_cbsem")
    C = population(cb["population"]).cov
    for item in cb["table2_items"]:
        assert C.loc[item["construct"], item["item"]] == pytest.approx(item["loading"])
    # SE -> PU is the only path into PU, so the correlation equals the path
    assert C.loc["SE", "PU"] == pytest.approx(0.853)
    pls = datasets.published("live_streaming_pls")
    C2 = population(pls["population"]).cov
    order = pls["table4_order"]
    for i, row in enumerate(pls["table4_fornell_larcker"]):
        for j, value in enumerate(row[:i]):
            assert C2.loc[order[i], order[j]] == pytest.approx(value)


def test_data_readme_documents_every_file() -> None:
    text = (DATA / "README.md").read_text(encoding="utf-8")
    for path in DATA.glob("*.csv"):
        assert f"`{path.name}`" in text
    assert "seed_published.json" in text
