"""Peak memory and time of large CFAs: semwidget against lavaan, measured in the same run.

    python benchmarks/bench_memory.py [--sizes 100 150 200] [--n 1000] [--lavaan-max 150]

For each size p a p-indicator CFA (p / 10 correlated factors, 10 indicators each, loadings
.5-.8) is drawn with n rows; each fit runs in a fresh process (BLAS on one thread) and the
process's peak RSS (``getrusage``) is recorded with the fit's own wall time (printed by the
child, so interpreter start-up and imports are not in it). The ``floor`` rows are the same
processes without the fit (imports and reading the CSV). Targets (issue 16): the
200-indicator CFA under 1 GB peak RSS and faster than lavaan.

Before issue 16 the GFI's p* x p* weight matrix made the 200-indicator fit peak at 9.4 GB;
the weight is no longer formed (GFI from 1/2 tr((Sigma^-1 E)^2)) and the ML information comes
from rank-two factors of dSigma instead of the (q, p, p) Jacobian.

Measured on the shared development machine (heavily loaded by other work), 2026-12-01,
``python benchmarks/bench_memory.py`` (n = 1000):

       p who          fit s  peak MB floor MB       chisq      gfi
     100 semwidget     1.01       98       88    5189.447  0.90892
     100 lavaan       60.52     2079       78    5189.447  0.90892   (60x slower, 21x the memory)
     150 semwidget     0.84      106       89   11628.635  0.87283
     150 lavaan      488.88     9882       85   11628.635  0.87283   (585x slower, 93x the memory)
     200 semwidget     2.00      120       91   20852.813  0.83787   (target < 1 GB: met)

lavaan was not run at p = 200: its peak grows as p^4 (2.1 GB at 100, 9.9 GB at 150), about
30 GB at 200, more than the machine's 23 GB. Same chi-square and GFI as lavaan at 100 and 150.
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
    parser.add_argument("--lavaan-max", type=int, default=150,
                        help="largest p lavaan is run at (0: never); its memory grows as p^4 "
                             "(9.9 GB at p = 150), so p = 200 would need about 30 GB")
    args = parser.parse_args()
    lavaan = args.lavaan_max > 0 and has_lavaan()
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
            if lavaan and p <= args.lavaan_max:
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
