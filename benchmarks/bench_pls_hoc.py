"""Benchmark: PLS-MGA and the bootstrap of models with a higher-order construct.

ECSI mobi (n = 250), ``Perception =~ Quality + Value`` by the disjoint two-stage approach,
split by ``CUSCO < 6``; with ``--interaction`` the product term ``Perception:Expectation`` on
Satisfaction (two-stage moderation formed in the stage-two model). semwidget runs
``--boot`` permutations and ``--boot`` bootstrap resamples per group, every one redoing both
HOC stages (and the interaction) batched; the bootstrap-only part is compared with seminr's
Python port ``estimate_pls_mga`` on the same ``higher_composite`` model (one full two-stage
estimation per resample; ``--seminr-boot`` resamples per group, scaled linearly to
``--boot``; seminr has no permutation test). BLAS is pinned to one thread for both.

Run: ``python benchmarks/bench_pls_hoc.py [--boot 2000] [--repeat 3] [--seminr-boot 50]
[--interaction]``
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported: pin BLAS to one thread

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from semwidget.pls.fit import fit_pls  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests" / "golden_pls" / "data" / "mobi.csv"
BLOCKS = {
    "Expectation": ["CUEX1", "CUEX2", "CUEX3"],
    "Quality": [f"PERQ{i}" for i in range(1, 8)],
    "Value": ["PERV1", "PERV2"],
    "Satisfaction": ["CUSA1", "CUSA2", "CUSA3"],
    "Loyalty": ["CUSL1", "CUSL2", "CUSL3"],
}
PATHS = [("Expectation", "Perception"), ("Perception", "Satisfaction"),
         ("Expectation", "Satisfaction"), ("Satisfaction", "Loyalty")]  # fmt: skip
TERM = ("Perception", "Expectation")


def syntax(interaction: bool) -> str:
    lines = [f"{c} =~ {' + '.join(i)}" for c, i in BLOCKS.items()]
    lines.append("Perception =~ Quality + Value")
    extra = " + Perception:Expectation" if interaction else ""
    lines += ["Perception ~ Expectation", f"Satisfaction ~ Perception + Expectation{extra}",
              "Loyalty ~ Satisfaction"]  # fmt: skip
    return "\n".join(lines) + "\n"


def seminr_seconds(data: pd.DataFrame, keep: np.ndarray, interaction: bool, n: int) -> float:
    from seminr import estimate_pls
    from seminr.mga.estimate_pls_mga import estimate_pls_mga
    from seminr.specify import interactions
    from seminr.specify.constructs import composite, higher_composite, mode_A
    from seminr.specify.relationships import SMRow

    mm = [composite(c, i, mode_A) for c, i in BLOCKS.items()]
    mm.append(higher_composite("Perception", ["Quality", "Value"], weights=mode_A))
    paths = list(PATHS)
    if interaction:
        mm.append(interactions.interaction_term(*TERM, method=interactions.two_stage))
        paths.append(("Perception*Expectation", "Satisfaction"))
    model = estimate_pls(data, mm, [SMRow(source=s, target=t) for s, t in paths])
    t0 = time.perf_counter()
    estimate_pls_mga(model, keep, nboot=n, seed=1)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--boot", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seminr-boot", type=int, default=50)
    parser.add_argument("--interaction", action="store_true")
    args = parser.parse_args()
    data = pd.read_csv(DATA)
    keep = (data["CUSCO"] < 6).to_numpy()
    grouped = data.assign(cusco=np.where(keep, "low", "high"))
    model = syntax(args.interaction)
    kw = {"group": "cusco", "seed": 1, "progress": False}
    fit_pls(model, grouped, bootstrap=50, permutations=50, **kw)  # warm-up
    full, boot_only = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        fit_pls(model, grouped, bootstrap=args.boot, permutations=args.boot, **kw)
        full.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        fit_pls(model, grouped, bootstrap=args.boot, permutations=0, **kw)
        boot_only.append(time.perf_counter() - t0)
    what = "HOC + interaction" if args.interaction else "HOC"
    print(f"semwidget MGA ({what}): {args.boot} permutations + {args.boot} bootstrap "
          f"resamples per group in {statistics.median(full):.2f} s median ({args.repeat} runs)")
    try:
        seconds = seminr_seconds(data, keep, args.interaction, args.seminr_boot)
    except ImportError:
        print("seminr is not installed: no ratio (pip install seminr)")
        return
    scaled = seconds * args.boot / args.seminr_boot
    ours = statistics.median(boot_only)
    print(f"bootstrap MGA only: semwidget {ours:.2f} s, seminr estimate_pls_mga {scaled:.1f} s "
          f"scaled from {args.seminr_boot} to {args.boot} per group; ratio "
          f"{scaled / ours:.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
