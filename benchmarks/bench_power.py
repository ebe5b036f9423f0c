"""Monte Carlo power speed: 1,000 replications of the HS model at 4 sample sizes.

    python benchmarks/bench_power.py [--reps 1000] [--peer-reps 50] [--jobs 2]

Times ``semwidget.power`` on the Holzinger–Swineford 3-factor CFA (estimates as population
values, n = 100, 200, 400, 800; target: within 60 s on 2 cores) and, in the same run, two peers
doing the same replications one by one: lavaan (``simulateData`` + ``cfa`` per replication,
through Rscript; the simsem way) and semwidget's own slow path (``simulate()`` + ``fit()`` per
replication). The peers run ``--peer-reps`` replications per n; their time per replication is
scaled to the full count and the ratios are printed. BLAS is pinned to one thread throughout.
Without Rscript/lavaan the lavaan peer is skipped with a message.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import semwidget  # noqa: E402
from benchmarks.rscript import run_rscript  # noqa: E402

MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
NS = [100, 200, 400, 800]

R_SCRIPT = """
suppressPackageStartupMessages(library(lavaan))
args <- commandArgs(trailingOnly = TRUE)
hs <- read.csv(args[1]); reps <- as.integer(args[2])
model <- "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
fit <- cfa(model, hs)
pop <- parTable(fit)
pop$ustart <- pop$est
t0 <- proc.time()[["elapsed"]]
set.seed(1)
for (n in c(100, 200, 400, 800)) for (r in seq_len(reps)) {
  d <- simulateData(pop, sample.nobs = n)
  f <- cfa(model, d)
}
cat(proc.time()[["elapsed"]] - t0, "\\n")
"""


def _lavaan(reps: int) -> float | None:
    out = run_rscript(R_SCRIPT, [str(ROOT / "semwidget" / "datasets" / "hs1939.csv"), str(reps)])
    return None if out is None else float(out.split()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--peer-reps", type=int, default=50)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    hs = semwidget.datasets.load("hs1939")
    base = semwidget.fit(MODEL, hs)
    t0 = time.perf_counter()
    out = semwidget.power(base, n=NS, reps=args.reps, seed=1, n_jobs=args.jobs, progress=False)
    ours = time.perf_counter() - t0
    total = len(NS) * args.reps
    print(f"semwidget.power: {total} replications in {ours:.1f} s "
          f"({'within' if ours <= 60 else 'OVER'} the 60 s target, n_jobs={args.jobs})")
    print(out.power.round(3).to_string())
    t0 = time.perf_counter()
    for n in NS:
        for r in range(args.peer_reps):
            semwidget.fit(MODEL, semwidget.simulate(base, n, seed=r))
    slow = (time.perf_counter() - t0) / (len(NS) * args.peer_reps) * total
    print(f"simulate() + fit() per replication: {slow:.1f} s for {total} (scaled from "
          f"{args.peer_reps} per n); ratio {slow / ours:.1f}x")
    lav = _lavaan(args.peer_reps)
    if lav is not None:
        lav_total = lav / (len(NS) * args.peer_reps) * total
        print(f"lavaan simulateData() + cfa() per replication: {lav_total:.1f} s for {total} "
              f"(scaled from {args.peer_reps} per n); ratio {lav_total / ours:.1f}x")


if __name__ == "__main__":
    main()
