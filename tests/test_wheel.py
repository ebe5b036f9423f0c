"""The built wheel and sdist carry the front-end bundle (built by the hatch build hook)."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
         "-w", str(out), "-q"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def test_wheel_contains_bundle_and_data(dist: Path) -> None:
    wheel = next(dist.glob("semwidget-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("semwidget/static/widget.js", "semwidget/static/render.js",
                     "semwidget/datasets/hs1939.csv", "semwidget/datasets/poldem.csv"):
        assert required in names, required
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry).decode()
    assert "semwidget = semwidget.cli:main" in text


def test_sdist_contains_bundle(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    sdist = next(tmp_path.glob("semwidget-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        names = tar.getnames()
    assert any(n.endswith("semwidget/static/widget.js") for n in names)
    assert not any("/node_modules/" in n for n in names)
