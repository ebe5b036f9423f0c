"""``semwidget fit --group ... --group-equal ... --group-partial ...`` (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from semwidget.cli import main

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "semwidget" / "datasets" / "hs1939_school.csv"
GOLDEN = ROOT / "tests" / "golden" / "multigroup" / "hs_partial.json"
HS = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"


@pytest.fixture()
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "hs.lav"
    path.write_text(HS)
    return path


def test_group_options_reach_the_fit(model_file: Path, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    ref = json.loads(GOLDEN.read_text())["fit"]
    assert main(["fit", str(model_file), str(CSV), "--group", "school", "--group-equal",
                 "loadings,intercepts", "--group-partial", "x3~1, x7 ~ 1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["groups"] == ["Pasteur", "Grant-White"]
    assert out["nobs_per_group"] == {"Pasteur": 156, "Grant-White": 145}
    assert out["fit"]["df"] == ref["df"]
    assert out["fit"]["chisq"] == pytest.approx(ref["chisq"], rel=1e-4)
    assert {r["group"] for r in out["estimates"]} == {1, 2}


def test_group_summary_and_errors(model_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fit", str(model_file), str(CSV), "--group", "school"]) == 0
    assert "Group 2 [Grant-White]" in capsys.readouterr().out
    assert main(["fit", str(model_file), str(CSV), "--group-equal", "loadings"]) == 2
    assert "need group=" in capsys.readouterr().err
    assert main(["fit", str(model_file), str(CSV), "--group", "klass"]) == 2
    assert "'klass' is not a column" in capsys.readouterr().err
