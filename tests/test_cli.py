"""The ``semwidget fit`` command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from semwidget.cli import main

ROOT = Path(__file__).resolve().parent.parent
HS_CSV = ROOT / "semwidget" / "datasets" / "hs1939.csv"
HS = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"


@pytest.fixture()
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "hs.lav"
    path.write_text(HS)
    return path


def test_json_output_shape(model_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fit", str(model_file), str(HS_CSV), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"engine", "nobs", "estimates", "fit", "r2", "warnings"}
    assert out["engine"] == "sem" and out["nobs"] == 301
    assert out["fit"]["df"] == 24
    assert out["fit"]["chisq"] == pytest.approx(85.306, abs=0.002)
    assert {"lhs", "op", "rhs", "label", "est", "se", "z", "pvalue", "ci_lower", "ci_upper",
            "std_lv", "std_all"} == set(out["estimates"][0])


def test_text_summary(model_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fit", str(model_file), str(HS_CSV), "--std-lv"]) == 0
    text = capsys.readouterr().out
    assert "Latent Variables:" in text and "RMSEA" in text


@pytest.mark.parametrize(
    ("model", "fragment"),
    [
        ("", "empty"),
        ("f =~ x1 + \n", "expected a variable name after '+'"),
        ("f =~ x1 + x2 + x99\n", "'x99' is not a column"),
        ("f =~ x1 + x2\nx1 ~~ x2\n", "free parameters"),
    ],
)
def test_errors_exit_2_without_traceback(tmp_path: Path, model: str, fragment: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.lav"
    path.write_text(model)
    assert main(["fit", str(path), str(HS_CSV)]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_missing_data_file(model_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fit", str(model_file), "nope.csv"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_python_dash_m_reads_stdin() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "semwidget", "fit", "-", str(HS_CSV), "--json"],
        input=HS, capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["fit"]["npar"] == 21
