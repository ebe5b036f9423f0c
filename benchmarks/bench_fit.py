"""Benchmark: the full semwidget CB-SEM pipeline against raw semopy, measured in the same run.

semwidget's time covers parsing, defaults, estimation, standard errors, every fit measure and
the standardized solution. semopy's covers ``Model`` + ``fit`` + ``inspect`` + ``calc_stats``
(``ModelMeans`` with FIML for the missing-data case). Medians over ``--runs`` repetitions, BLAS
pinned to one thread. Targets (issue 2): ratio <= 1 on every case, HS <= 15 ms, FIML <= 1 s.

Run: ``python benchmarks/bench_fit.py [--runs 20]``
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


def median_ms(func: Callable[[], object], runs: int) -> float:
    func()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000.0


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    hs = pd.read_csv(DATA / "hs1939.csv")
    poldem = pd.read_csv(DATA / "poldem.csv")
    sim_model, sim = simulated_cfa()
    hs_na = with_missing(hs)
    cases = [
        ("HS CFA (n=301)", lambda: semwidget.fit(HS, hs),
         lambda: semopy_complete(HS, hs), 15.0),
        ("PolDem SEM (n=75)", lambda: semwidget.fit(POLDEM, poldem),
         lambda: semopy_complete(POLDEM, poldem), None),
        ("30-indicator CFA (n=500)", lambda: semwidget.fit(sim_model, sim),
         lambda: semopy_complete(sim_model, sim), None),
        ("FIML HS, 10% missing", lambda: semwidget.fit(HS, hs_na, missing="fiml"),
         lambda: semopy_fiml(HS, hs_na), 1000.0),
    ]
    print(f"{'case':<28}{'semwidget ms':>14}{'semopy ms':>12}{'ratio':>8}  target")
    ok = True
    for name, ours, peer, limit in cases:
        a = median_ms(ours, args.runs)
        b = median_ms(peer, args.runs)
        ratio = a / b
        met = ratio <= 1.0 and (limit is None or a <= limit)
        ok &= met
        target = "ratio <= 1" + (f", <= {limit:g} ms" if limit else "")
        print(f"{name:<28}{a:>14.1f}{b:>12.1f}{ratio:>8.2f}  {target}: "
              f"{'met' if met else 'MISSED'}")
    print("all targets met" if ok else "some targets missed")


if __name__ == "__main__":
    main()
