"""Benchmark: the full semwidget CB-SEM pipeline against raw semopy, measured in the same run.

semwidget's time covers parsing, defaults, estimation, standard errors, every fit measure, the
standardized solution and the ``summary()`` table (``fit()`` computes all of them; nothing is
deferred to first access), so it is the same work as lavaan's below. semopy's covers
``Model`` + ``fit`` + ``inspect`` + ``calc_stats`` (``ModelMeans`` with FIML for the
missing-data case). Medians over ``--runs`` repetitions (and semwidget's fastest run), BLAS
pinned to one thread. Targets (issue 2): ratio <= 1 on every case, HS <= 15 ms, FIML <= 1 s.
Issue 16: the HS pipeline <= 4 ms and >= 20x lavaan; with ``--lavaan`` the same cases are
also fitted by lavaan (``cfa``/``sem`` + ``fitMeasures`` + ``standardizedSolution``, timed
inside R, medians) in the same run and the ratio lavaan / semwidget is printed.

Run: ``python benchmarks/bench_fit.py [--runs 20] [--lavaan] [--only HS]``; before/after:
``python benchmarks/bench_fit.py --alternate <other checkout> --runs 300 --rounds 5`` (the
HS pipeline of both checkouts in turns, each turn a fresh process, the load average printed).

Measured 2026-12-01 17:35-17:45 UTC (issue 16) with ``--runs 20 --lavaan`` on the shared
two-core development machine at load average 5-7 (other engineers' test suites, R and node
jobs): every absolute time is several times what the machine gives when quiet, and lavaan ran
(first, in R) in a different minute of that load than semwidget, so its ratio is only rough;
semopy is timed right after each semwidget case:

    case                      semwidget ms (fastest)  semopy ms  ratio  lavaan ms  lav/ours
    HS CFA (n=301)                    26.4     16.3       71.1   0.37      181.0       6.9
    PolDem SEM (n=75)                 38.9     11.5      190.2   0.20      456.0      11.7
    30-indicator CFA (n=500)          35.9     12.2      212.4   0.17      869.5      24.2
    FIML HS, 10% missing             166.5    109.5    17890.3   0.01     2786.5      16.7

The same HS case with the engine of main before issue 16's pipeline work, alternated with
this one in the same minutes (``PYTHONPATH=<checkout> python benchmarks/bench_fit.py --only
"HS CFA" --runs 40``, twice each): 74.3 / 69.0 ms median (fastest 45.5 / 33.0) before,
28.9 / 19.3 ms (fastest 18.8 / 11.1) after, about 3x. The <= 4 ms target (and >= 20x
lavaan on HS) is not shown on this machine under this load.

Issue 16, the full pipeline (2026-12-01 20:22-20:27 UTC, load average 2.4-4.3: two other
engineers' jobs on the two cores). The tables made straight from pandas' storage blocks
(``model.frame_arrays``: no per-column inference, no Series per column read), numpy's LAPACK
gufuncs called directly on the fit's 9 x 9 and 21 x 21 matrices (``cb.small_linalg``), fewer
small numpy calls per ML iteration; every number of every fit unchanged to the bit (theta,
vcov, fit measures, tables and summary compared exactly on HS, PolDem, the 30-indicator
CFA, HS with means, std.lv, GLS, FIML, MLR, observed information and two groups).
``--alternate <main's checkout> --runs 300``, medians of 300 pipelines per turn:

    turns (main / this branch)       median ms per turn             fastest ms
    4 rounds, load 3.5-4.3     main  6.47 6.35 7.68 7.59            5.12
                               this  5.08 3.76 3.71 3.91            3.29
    5 rounds, load 2.4-2.8     main  5.81 5.38 10.04 8.97 6.18      5.03
                               this  3.48 4.47 5.21 5.42 3.86       3.27
    5 rounds, load 2.3-3.1     main  6.02 8.22 7.52 5.46 6.18       5.07
                               this  3.64 4.40 4.67 4.31 3.45       3.27

The fastest run fell from 5.0-5.1 ms to 3.3 ms (1.55x), turn after turn; main's median was
never below 5.38 ms. This branch's median is <= 4 ms in the turns the load spared (3.45-3.91
ms: 7 of 14 turns), 4.3-5.4 ms in the others (median of all 14 turns: 4.11 ms); with the
garbage collector off the medians are the same (no cycles are made per fit), so the spread
is the machine's load. The ``<= 4 ms median`` target is met at the load this machine gives
between other jobs, not in every minute of a loaded one.
``--only "HS CFA" --lavaan --runs 200`` in the same period (20:25, load 1.4-2.6): semwidget
5.9 ms median (3.6 fastest), lavaan 150.0 ms: 25x (target >= 20x: met).
Where the time goes (``perf_counter`` around each stage, medians of 300 pipelines, 20:28 UTC,
load 2.1, 3.6 ms in all): the ML iterations 1.39 ms (15 Fisher-scoring/BFGS steps and the
final information, as before), estimates/standardized solution/tables 0.45, parse 0.21 and
lavaan's defaults 0.25, data checks 0.11 and moments 0.20, fit measures 0.20, the summary
text 0.26, the finite-value check 0.09. What remains is many 10-50 µs pieces (pandas frame
construction, numpy call overhead); fewer iterations did not pay (a later BFGS switch or an
exact-Newton finish costs as much per step as it saves in steps).
After the merge into main, ``--only "HS CFA" --runs 300`` at load
average 1.0 (20:31 UTC): **3.3 ms median**, 3.2 ms fastest (target <= 4 ms: met).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import semopy  # noqa: E402

import semwidget  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "semwidget" / "datasets"
HS = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
POLDEM = """ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ ind60
dem65 ~ ind60 + dem60
y1 ~~ y5
y2 ~~ y4 + y6
y3 ~~ y7
y4 ~~ y8
y6 ~~ y8"""


def simulated_cfa(n: int = 500, factors: int = 5, per: int = 6, seed: int = 1
                  ) -> tuple[str, pd.DataFrame]:
    """A 30-indicator CFA (5 correlated factors, loadings .5-.8) and data drawn from it."""
    rng = np.random.default_rng(seed)
    p = factors * per
    lam = np.zeros((p, factors))
    for f in range(factors):
        lam[f * per:(f + 1) * per, f] = rng.uniform(0.5, 0.8, per)
    phi = np.full((factors, factors), 0.3) + 0.7 * np.eye(factors)
    sigma = lam @ phi @ lam.T
    sigma += np.diag(1.0 - np.diag(sigma))
    x = rng.multivariate_normal(np.zeros(p), sigma, size=n)
    names = [f"v{i + 1}" for i in range(p)]
    model = "\n".join(
        f"F{f + 1} =~ " + " + ".join(names[f * per:(f + 1) * per]) for f in range(factors))
    return model, pd.DataFrame(x, columns=names)


def with_missing(data: pd.DataFrame, share: float = 0.10, seed: int = 2026) -> pd.DataFrame:
    """Set ``share`` of the values missing completely at random (no row left empty)."""
    rng = np.random.default_rng(seed)
    out = data.copy()
    mask = rng.random(out.shape) < share
    mask[mask.all(axis=1), 0] = False
    out = out.mask(mask)
    return out


def timed_ms(func: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and fastest of ``runs`` calls, in ms (the fastest: what a quiet machine gives)."""
    func()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000.0, min(times) * 1000.0


def median_ms(func: Callable[[], object], runs: int) -> float:
    return timed_ms(func, runs)[0]


def pipeline(model: str, data: pd.DataFrame, **options: object) -> None:
    """semwidget's whole pipeline: the fit and every table a reader looks at (issue 16)."""
    r = semwidget.fit(model, data, **options)
    r.fit_measures, r.estimates, r.table  # noqa: B018 - computed by fit(); read as a user would
    r.summary()


def semopy_complete(model: str, data: pd.DataFrame) -> None:
    m = semopy.Model(model)
    m.fit(data)
    m.inspect(std_est=True)
    semopy.calc_stats(m)


def semopy_fiml(model: str, data: pd.DataFrame) -> None:
    m = semopy.ModelMeans(model)
    m.fit(data, obj="ML")  # ModelMeans with ML is FIML on incomplete data
    m.inspect(std_est=True)
    semopy.calc_stats(m)


R_TIMES = """
suppressPackageStartupMessages(library(lavaan))
args <- commandArgs(trailingOnly = TRUE)
runs <- as.integer(args[1])
cases <- jsonlite::fromJSON(args[2], simplifyVector = FALSE)
out <- list()
for (cs in cases) {
  data <- read.csv(cs$data)
  one <- function() {
    fit <- sem(cs$model, data = data, missing = cs$missing)
    fitMeasures(fit); standardizedSolution(fit); parameterEstimates(fit)
  }
  one()
  times <- numeric(runs)
  for (k in seq_len(runs)) { t0 <- proc.time()[["elapsed"]]; one()
                             times[k] <- proc.time()[["elapsed"]] - t0 }
  out[[cs$name]] <- median(times) * 1000
}
cat(jsonlite::toJSON(out, auto_unbox = TRUE, digits = NA))
"""


def lavaan_ms(cases: list[tuple[str, str, pd.DataFrame, str]], runs: int) -> dict[str, float]:
    """Median ms of lavaan's pipeline per case (``sem`` + fit measures + std solution)."""
    import json
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        spec = []
        for k, (name, model, data, missing) in enumerate(cases):
            path = Path(tmp, f"d{k}.csv")
            data.to_csv(path, index=False)
            spec.append({"name": name, "model": model, "data": str(path), "missing": missing})
        script = Path(tmp, "times.R")
        script.write_text(R_TIMES)
        spec_path = Path(tmp, "cases.json")
        spec_path.write_text(json.dumps(spec))
        out = subprocess.run(["Rscript", str(script), str(runs), str(spec_path)],
                             capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def _hs_times(runs: int) -> None:
    """Print the HS pipeline's median and fastest ms as JSON (one side of ``--alternate``)."""
    import json

    warnings.filterwarnings("ignore")
    hs = pd.read_csv(DATA / "hs1939.csv")
    median, fastest = timed_ms(lambda: pipeline(HS, hs), runs)
    print(json.dumps({"median": median, "fastest": fastest,
                      "package": str(Path(semwidget.__file__).parent.parent.name)}))


def alternate(other: str, runs: int, rounds: int) -> None:
    """The HS pipeline of another checkout and of this one, in turns, in fresh processes.

    Each turn is a new interpreter whose ``PYTHONPATH`` is the checkout's root (this file's
    timing code for both), so the two engines see the same minutes of a shared machine's
    load; the load average is printed with each turn.
    """
    import json
    import subprocess
    import sys

    trees = [("other", Path(other).resolve()), ("this", ROOT)]
    got: dict[str, list[tuple[float, float]]] = {"other": [], "this": []}
    for k in range(rounds):
        for label, tree in trees:
            env = {**os.environ, "PYTHONPATH": str(tree)}
            out = subprocess.run([sys.executable, str(Path(__file__).resolve()),
                                  "--hs-json", "--runs", str(runs)], env=env, cwd=tree,
                                 capture_output=True, text=True, check=True).stdout
            t = json.loads(out.strip().splitlines()[-1])
            load = os.getloadavg()[0]
            got[label].append((t["median"], t["fastest"]))
            if t["package"] != tree.name:
                raise SystemExit(f"the {label} turn imported semwidget from {t['package']}, "
                                 f"not {tree.name}: is another copy installed first?")
            print(f"round {k + 1} {label:<5} ({tree.name}): median {t['median']:.2f} ms, "
                  f"fastest {t['fastest']:.2f} ms, load {load:.2f}", flush=True)
    for label, _ in trees:
        med = statistics.median(m for m, _ in got[label])
        fast = min(f for _, f in got[label])
        print(f"{label:<5}: median of medians {med:.2f} ms, fastest {fast:.2f} ms")
    ratio = statistics.median(m for m, _ in got["other"]) / \
        statistics.median(m for m, _ in got["this"])
    print(f"other / this (median of medians): {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--alternate", metavar="CHECKOUT", default="",
                        help="time the HS pipeline of another checkout (its root) and of "
                             "this one in turns, in fresh processes")
    parser.add_argument("--rounds", type=int, default=3, help="turns each, with --alternate")
    parser.add_argument("--hs-json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--lavaan", action="store_true",
                        help="also time lavaan on the same cases (Rscript)")
    parser.add_argument("--only", default="",
                        help="run only the cases whose name contains this text (e.g. HS)")
    args = parser.parse_args()
    if args.hs_json:
        return _hs_times(args.runs)
    if args.alternate:
        return alternate(args.alternate, args.runs, args.rounds)
    warnings.filterwarnings("ignore")
    hs = pd.read_csv(DATA / "hs1939.csv")
    poldem = pd.read_csv(DATA / "poldem.csv")
    sim_model, sim = simulated_cfa()
    hs_na = with_missing(hs)
    cases = [
        ("HS CFA (n=301)", lambda: pipeline(HS, hs),
         lambda: semopy_complete(HS, hs), 15.0),
        ("PolDem SEM (n=75)", lambda: pipeline(POLDEM, poldem),
         lambda: semopy_complete(POLDEM, poldem), None),
        ("30-indicator CFA (n=500)", lambda: pipeline(sim_model, sim),
         lambda: semopy_complete(sim_model, sim), None),
        ("FIML HS, 10% missing", lambda: pipeline(HS, hs_na, missing="fiml"),
         lambda: semopy_fiml(HS, hs_na), 1000.0),
    ]
    cases = [c for c in cases if args.only in c[0]]
    lav = {}
    if args.lavaan:
        lav = lavaan_ms([(name, model, data, missing) for name, model, data, missing in [
                         ("HS CFA (n=301)", HS, hs, "listwise"),
                         ("PolDem SEM (n=75)", POLDEM, poldem, "listwise"),
                         ("30-indicator CFA (n=500)", sim_model, sim, "listwise"),
                         ("FIML HS, 10% missing", HS, hs_na, "ml")]
                        if args.only in name], args.runs)
    print(f"{'case':<28}{'semwidget ms':>14}{'(fastest)':>10}{'semopy ms':>12}{'ratio':>8}"
          f"{'lavaan ms':>11}{'lav/ours':>9}  target")
    ok = True
    for name, ours, peer, limit in cases:
        a, fastest = timed_ms(ours, args.runs)
        b = median_ms(peer, args.runs)
        ratio = a / b
        met = ratio <= 1.0 and (limit is None or a <= limit)
        ok &= met
        target = "ratio <= 1" + (f", <= {limit:g} ms" if limit else "")
        extra = f"{lav[name]:>11.1f}{lav[name] / a:>9.1f}" if name in lav else " " * 20
        print(f"{name:<28}{a:>14.1f}{fastest:>10.1f}{b:>12.1f}{ratio:>8.2f}{extra}  {target}: "
              f"{'met' if met else 'MISSED'}")
        if name.startswith("HS CFA"):
            print(f"{'':<28}issue 16: HS <= 4 ms (median): "
                  f"{'met' if a <= 4 else 'MISSED on this machine'}"
                  + (f"; >= 20x lavaan: {'met' if lav[name] / a >= 20 else 'MISSED'}"
                     if name in lav else ""))
    print("all targets met" if ok else "some targets missed")


if __name__ == "__main__":
    main()
