"""Ordinal data: polychoric matrix and WLSMV fit against lavaan, measured in the same run.

    python benchmarks/bench_ordinal.py [--n 1000] [--runs 3] [--mixed]

Simulates 30 five-category Likert items from a 6-factor CFA (n = 1000, seeded), then times
(1) the thresholds + polychoric correlations + their asymptotic covariance and (2) the whole
WLSMV fit of the 6-factor model, in semwidget and in lavaan (``lavCor(..., ordered = )`` and
``cfa(..., ordered = )`` through Rscript), medians of ``--runs``. Prints both times, their
ratio (target: semwidget faster) and the largest differences of the polychorics and of the
estimates. BLAS is pinned to one thread for both. Without Rscript/lavaan that half is skipped
with a message. ``--mixed``: the last two items of each factor stay continuous (12 numeric,
18 ordinal: polyserial and Pearson correlations, the joint NACOV, then WLSMV).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from semwidget.cb.polychoric import ordinal_moments  # noqa: E402
from semwidget.cb.polyserial import mixed_moments  # noqa: E402
from semwidget.fitting import fit  # noqa: E402

FACTORS, ITEMS = 6, 5
NAMES = [f"f{f + 1}i{i + 1}" for f in range(FACTORS) for i in range(ITEMS)]
MODEL = "\n".join(
    f"F{f + 1} =~ " + " + ".join(NAMES[f * ITEMS:(f + 1) * ITEMS]) for f in range(FACTORS))

R_SCRIPT = """
suppressPackageStartupMessages(library(lavaan))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
model <- paste(readLines(args[2]), collapse = "\\n")
runs <- as.integer(args[3])
ord <- readLines(args[4])
t_cor <- t_fit <- numeric(runs)
for (r in seq_len(runs)) {
  t_cor[r] <- system.time(pc <- lavCor(d, ordered = ord, output = "fit"))["elapsed"]
  t_fit[r] <- system.time(fit <- cfa(model, d, ordered = ord))["elapsed"]
}
pe <- parameterEstimates(fit)
cat(jsonlite::toJSON(list(cor_seconds = median(t_cor), fit_seconds = median(t_fit),
                          cor = as.numeric(lavInspect(pc, "sampstat")$cov),
                          lhs = pe$lhs, op = pe$op, rhs = pe$rhs, est = pe$est),
                     digits = NA, auto_unbox = TRUE))
"""


def simulate(n: int, seed: int, numeric: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Five-category items (cuts at fixed normal quantiles) from a correlated 6-factor model;
    the items in ``numeric`` keep their continuous response."""
    rng = np.random.default_rng(seed)
    phi = np.full((FACTORS, FACTORS), 0.3) + 0.7 * np.eye(FACTORS)
    eta = rng.multivariate_normal(np.zeros(FACTORS), phi, size=n)
    lam = rng.uniform(0.55, 0.85, size=FACTORS * ITEMS)
    cols = {}
    cuts = np.array([-1.3, -0.4, 0.4, 1.3])
    for k, name in enumerate(NAMES):
        ystar = lam[k] * eta[:, k // ITEMS] + np.sqrt(1 - lam[k] ** 2) * rng.standard_normal(n)
        cols[name] = ystar if name in numeric else 1 + np.searchsorted(cuts, ystar)
    return pd.DataFrame(cols)


def run_lavaan(data: Path, model: Path, runs: int, ordered: Path) -> dict | None:
    if shutil.which("Rscript") is None:
        print("lavaan: skipped (Rscript is not installed)")
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as f:
        f.write(R_SCRIPT)
    out = subprocess.run(["Rscript", f.name, str(data), str(model), str(runs), str(ordered)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print(f"lavaan: skipped ({out.stderr.strip().splitlines()[-1]})")
        return None
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--mixed", action="store_true")
    args = parser.parse_args()
    numeric = frozenset(n for n in NAMES if args.mixed and n[-1] in "45")
    ordered = [n for n in NAMES if n not in numeric]
    data = simulate(args.n, args.seed, numeric)
    X = data.to_numpy(dtype=float)
    t_cor, t_fit = [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        om = (mixed_moments(NAMES, X, [n not in numeric for n in NAMES]) if numeric
              else ordinal_moments(NAMES, X))
        t_cor.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        result = fit(MODEL, data, ordered=ordered)
        t_fit.append(time.perf_counter() - t0)
    ours_cor, ours_fit = statistics.median(t_cor), statistics.median(t_fit)
    print(f"{len(NAMES)} items x {ITEMS} categories ({len(numeric)} kept numeric), "
          f"n = {args.n}, {FACTORS} factors")
    print(f"semwidget: polychorics + Gamma {ours_cor:.3f} s; WLSMV fit {ours_fit:.3f} s "
          f"(chisq {result.fit_measures['chisq']:.3f}, df {result.fit_measures['df']:.0f})")
    with tempfile.TemporaryDirectory() as tmp:
        dpath, mpath = Path(tmp) / "items.csv", Path(tmp) / "model.lav"
        opath = Path(tmp) / "ordered.txt"
        data.to_csv(dpath, index=False)
        mpath.write_text(MODEL, encoding="utf-8")
        opath.write_text("\n".join(ordered) + "\n", encoding="utf-8")
        lav = run_lavaan(dpath, mpath, args.runs, opath)
    if lav is None:
        return
    cor = np.array(lav["cor"]).reshape(len(NAMES), len(NAMES))
    est = pd.DataFrame({"lhs": lav["lhs"], "op": lav["op"], "rhs": lav["rhs"],
                        "est_lav": lav["est"]})
    merged = result.estimates.merge(est, on=["lhs", "op", "rhs"])
    print(f"lavaan:    polychorics {lav['cor_seconds']:.3f} s; WLSMV fit "
          f"{lav['fit_seconds']:.3f} s")
    print(f"ratio (semwidget / lavaan): polychorics {ours_cor / lav['cor_seconds']:.2f}, "
          f"fit {ours_fit / lav['fit_seconds']:.2f}  (target < 1)")
    print(f"largest difference: polychorics {np.abs(om.cor - cor).max():.2e}, "
          f"estimates {(merged['est'] - merged['est_lav']).abs().max():.2e}")


if __name__ == "__main__":
    main()
