"""Run a command in a fresh process and report its wall time and peak resident memory.

Shared by the benchmarks that measure a cold start or a peak RSS (``bench_import.py``,
``bench_memory.py``): the child is started with BLAS on one thread, timed from the parent with
``perf_counter`` and its peak RSS read from ``resource.getrusage(RUSAGE_CHILDREN)`` after it
exits (the kernel keeps the largest child's high-water mark, so one child per call is
measured by starting each through a small Python wrapper process).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
       "MKL_NUM_THREADS": "1"}

# The wrapper runs the command and prints wall seconds and the child's peak RSS in MB; a
# fresh wrapper per run keeps RUSAGE_CHILDREN to that one child.
_WRAPPER = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.run(json.loads(sys.argv[1]), capture_output=True, text=True)
secs = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
print(json.dumps({"seconds": secs, "rss_mb": rss, "rc": proc.returncode,
                  "stdout": proc.stdout, "stderr": proc.stderr[-2000:]}))
"""


def run_once(cmd: Sequence[str], env: dict[str, str] | None = None) -> dict:
    """One cold run of ``cmd``: ``seconds``, ``rss_mb``, ``stdout`` (raises if it fails)."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, json.dumps(list(cmd))],
                         capture_output=True, text=True, env=env or ENV, check=True)
    res = json.loads(out.stdout)
    if res["rc"] != 0:
        raise RuntimeError(f"{cmd[0]} failed ({res['rc']}): {res['stderr']}")
    return res


def medians(cmds: dict[str, Sequence[str]], runs: int,
            env: dict[str, str] | None = None) -> dict[str, dict]:
    """Median seconds and peak RSS of each command, the runs interleaved so load is shared."""
    got: dict[str, list[dict]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            got[name].append(run_once(cmd, env))
    return {name: {"seconds": statistics.median(r["seconds"] for r in rs),
                   "rss_mb": statistics.median(r["rss_mb"] for r in rs),
                   "stdout": rs[-1]["stdout"]}
            for name, rs in got.items()}


def has_lavaan() -> bool:
    """Whether ``Rscript`` with lavaan is on this machine."""
    try:
        subprocess.run(["Rscript", "-e", "library(lavaan)"], capture_output=True, check=True,
                       timeout=120)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def elapsed(t0: float) -> float:
    """Seconds since ``t0`` (a ``perf_counter`` reading)."""
    return time.perf_counter() - t0
