"""Run an R script for a benchmark's peer measurement (lavaan in the same run)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def run_rscript(script: str, args: list[str], files: dict[str, str] | None = None,
                what: str = "lavaan") -> str | None:
    """The script's standard output, or None (with a message) when R or the run fails.

    ``files`` are written beside the script first; ``{dir}`` in ``args`` is their folder.
    """
    if shutil.which("Rscript") is None:
        print(f"Rscript not found: skipping the {what} comparison")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "peer.R").write_text(script)
        for name, text in (files or {}).items():
            (Path(tmp) / name).write_text(text)
        proc = subprocess.run(["Rscript", str(Path(tmp) / "peer.R"),
                               *[a.replace("{dir}", tmp) for a in args]],
                              capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(f"{what} run failed, skipping the comparison:\n" + proc.stderr.strip()[:500])
        return None
    return proc.stdout
