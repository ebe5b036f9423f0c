"""Peak memory and time of large CFAs: semwidget against lavaan, measured in the same run.

    python benchmarks/bench_memory.py [--sizes 100 150 200] [--n 1000] [--no-lavaan]

For each size p a p-indicator CFA (p / 10 correlated factors, 10 indicators each, loadings
.5-.8) is drawn with n rows; each fit runs in a fresh process (BLAS on one thread) and the
process's peak RSS (``getrusage``) is recorded with the fit's own wall time (printed by the
child, so interpreter start-up and imports are not in it). The ``floor`` rows are the same
processes without the fit (imports and reading the CSV). Targets (issue 16): the
200-indicator CFA under 1 GB peak RSS and faster than lavaan.

Before issue 16 the GFI's p* x p* weight matrix made the 200-indicator fit peak at 9.4 GB;
the weight is no longer formed (GFI from 1/2 tr((Sigma^-1 E)^2)) and the ML information comes
from rank-two factors of dSigma instead of the (q, p, p) Jacobian.

Measured on the shared 2-core development machine, 2026-12-01:

    (numbers filled in from the run below)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench_fit import simulated_cfa
from coldrun import ENV, has_lavaan, run_once

ROOT = Path(__file__).resolve().parent.parent

PY_CHILD = """
import json, sys, time
import pandas as pd
import semwidget
data = pd.read_csv(sys.argv[2])
model = open(sys.argv[1]).read()
if sys.argv[3] == "fit":
    t0 = time.perf_counter()
    res = semwidget.fit(model, data)
    secs = time.perf_counter() - t0
    print(json.dumps({"fit_seconds": secs, "cfi": res.fit_measures["cfi"],
                      "gfi": res.fit_measures["gfi"], "chisq": res.fit_measures["chisq"]}))
"""

R_CHILD = """
suppressPackageStartupMessages(library(lavaan))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[2])
model <- paste(readLines(args[1]), collapse = "\\n")
if (args[3] == "fit") {
  secs <- system.time(fit <- cfa(model, data = data))["elapsed"]
  fm <- fitMeasures(fit, c("cfi", "gfi", "chisq"))
  cat(jsonlite::toJSON(list(fit_seconds = unname(secs), cfi = unname(fm["cfi"]),
                            gfi = unname(fm["gfi"]), chisq = unname(fm["chisq"])),
                       digits = NA, auto_unbox = TRUE))
}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 150, 200])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--no-lavaan", action="store_true")
    args = parser.parse_args()
    lavaan = not args.no_lavaan and has_lavaan()
    env = {**ENV, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        py_child, r_child = Path(tmp, "child.py"), Path(tmp, "child.R")
        py_child.write_text(PY_CHILD)
        r_child.write_text(R_CHILD)
        print(f"{'p':>4} {'who':<10}{'fit s':>9}{'peak MB':>9}{'floor MB':>9}"
              f"{'chisq':>12}{'gfi':>9}")
        for p in args.sizes:
            model, data = simulated_cfa(n=args.n, factors=p // 10, per=10)
            mpath, dpath = Path(tmp, f"m{p}.txt"), Path(tmp, f"d{p}.csv")
            mpath.write_text(model)
            data.to_csv(dpath, index=False)
            runs = {"semwidget": [sys.executable, str(py_child)]}
            if lavaan:
                runs["lavaan"] = ["Rscript", str(r_child)]
            got = {}
            for who, cmd in runs.items():
                floor = run_once([*cmd, str(mpath), str(dpath), "floor"], env)
                res = run_once([*cmd, str(mpath), str(dpath), "fit"], env)
                out = json.loads(res["stdout"].strip().splitlines()[-1])
                got[who] = (out["fit_seconds"], res["rss_mb"])
                print(f"{p:>4} {who:<10}{out['fit_seconds']:>9.2f}{res['rss_mb']:>9.0f}"
                      f"{floor['rss_mb']:>9.0f}{out['chisq']:>12.3f}{out['gfi']:>9.5f}",
                      flush=True)
            if "lavaan" in got:
                (ts, ms), (tl, ml) = got["semwidget"], got["lavaan"]
                print(f"{p:>4} ratio     time {ts / tl:.3f} (lavaan {tl / ts:.1f}x slower), "
                      f"peak RSS {ms / ml:.2f}", flush=True)
            if p == 200:
                ms = got["semwidget"][1]
                print(f"     200-indicator peak {ms:.0f} MB: target < 1024 MB "
                      f"{'met' if ms < 1024 else 'MISSED'}")


if __name__ == "__main__":
    main()
