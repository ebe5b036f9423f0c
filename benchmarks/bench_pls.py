"""Benchmark: PLS bootstrap of the seed-2 model (live-streaming commerce study).

Five constructs, 22 indicators, n = 225, 5000 resamples, path scheme. The data are
simulated from the study's published loadings (its Table 2) and construct correlations
(Table 4), rounded to a 1–5 rating scale. Target: 5000 resamples in at most 1 s.

For the ratio the same model and data are bootstrapped with seminr's Python port
(``bootstrap_model``, one full PLS fit per resample) when it is installed; it needs about
12 ms per resample, so it runs ``--seminr-boot`` resamples (200 by default) and its time is
scaled linearly to 5000 (per-resample cost is constant: every resample is an independent
fit). BLAS is pinned to one thread for both.

``--mga`` times a multigroup analysis of the same model (two groups of the 225 rows):
5000 permutations and 5000 bootstrap resamples per group (target: 5 s), and the
bootstrap-only part against seminr's ``estimate_pls_mga`` (``--seminr-boot`` resamples per
group, scaled to 5000; seminr has no permutation test).

``--memory`` measures the peak resident memory of a B = 100 bootstrap at n = 100,000 (the
same model, simulated larger) in a child process each for semwidget and seminr, and prints the
ratio (target: semwidget <= 0.6 GB).

Run: ``python benchmarks/bench_pls.py [--boot 5000] [--repeat 5] [--seminr-boot 200]
[--mga] [--memory]``
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported: pin BLAS to one thread

import argparse  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from semwidget.pls.fit import fit_pls  # noqa: E402

#: Published indicator loadings (Table 2) per construct.
LOADINGS = {
    "INT": [0.750, 0.741, 0.800, 0.802],
    "INF": [0.725, 0.697, 0.744, 0.744],
    "PSN": [0.719, 0.716, 0.828, 0.811, 0.789],
    "CLE": [0.859, 0.878, 0.905, 0.818],
    "VCC": [0.844, 0.870, 0.842, 0.894, 0.881],
}
#: Construct correlations (Table 4, Fornell–Larcker off-diagonals).
CORRELATIONS = {
    ("CLE", "INF"): 0.546, ("CLE", "INT"): 0.616, ("INF", "INT"): 0.527,
    ("CLE", "PSN"): 0.651, ("INF", "PSN"): 0.508, ("INT", "PSN"): 0.633,
    ("CLE", "VCC"): 0.737, ("INF", "VCC"): 0.371, ("INT", "VCC"): 0.594, ("PSN", "VCC"): 0.597,
}  # fmt: skip
PATHS = [("INT", "CLE"), ("INF", "CLE"), ("PSN", "CLE"), ("CLE", "VCC")]
N = 225


def items(construct: str) -> list[str]:
    return [f"{construct}{i + 1:02d}" for i in range(len(LOADINGS[construct]))]


def syntax() -> str:
    lines = [f"{c} =~ {' + '.join(items(c))}" for c in LOADINGS]
    lines += ["CLE ~ INT + INF + PSN", "VCC ~ CLE"]
    return "\n".join(lines) + "\n"


def model_table() -> pd.DataFrame:
    """The user table of :func:`syntax` (columns of ``semwidget.model.parse``)."""
    rows = [(c, "=~", i) for c in LOADINGS for i in items(c)]
    rows += [(dst, "~", src) for src, dst in PATHS]
    return pd.DataFrame(
        {
            "id": range(1, len(rows) + 1),
            "lhs": [r[0] for r in rows],
            "op": [r[1] for r in rows],
            "rhs": [r[2] for r in rows],
            "user": 1,
            "free": range(1, len(rows) + 1),
            "ustart": np.nan,
            "label": "",
            "freed": 0,
        }
    )


def simulate(n: int = N, seed: int = 2) -> pd.DataFrame:
    """Rating-scale data from the published measurement model and construct correlations."""
    rng = np.random.default_rng(seed)
    names = list(LOADINGS)
    phi = np.eye(len(names))
    for (a, b), r in CORRELATIONS.items():
        i, j = names.index(a), names.index(b)
        phi[i, j] = phi[j, i] = r
    eta = rng.multivariate_normal(np.zeros(len(names)), phi, size=n)
    cols = {}
    for k, c in enumerate(names):
        for item, lam in zip(items(c), LOADINGS[c], strict=True):
            x = lam * eta[:, k] + np.sqrt(1 - lam**2) * rng.standard_normal(n)
            cols[item] = np.clip(np.round(3.5 + 0.9 * x), 1, 5)
    return pd.DataFrame(cols)


def time_semwidget(data: pd.DataFrame, model, n_boot: int, repeat: int) -> list[float]:
    fit_pls(model, data, bootstrap=200, seed=0)  # warm-up
    times = []
    for r in range(repeat):
        t0 = time.perf_counter()
        fit_pls(model, data, bootstrap=n_boot, seed=r, progress=False)
        times.append(time.perf_counter() - t0)
    return times


def time_seminr(data: pd.DataFrame, n_boot: int) -> float | None:
    """Seconds seminr's ``bootstrap_model`` takes for ``n_boot`` resamples (None if absent)."""
    try:
        from seminr import bootstrap_model, estimate_pls
        from seminr.specify.constructs import composite, constructs, mode_A
        from seminr.specify.relationships import SMRow
    except ImportError:
        return None
    mm = constructs(*(composite(c, items(c), mode_A) for c in LOADINGS))
    sm = [SMRow(source=s, target=t) for s, t in PATHS]
    model = estimate_pls(data, mm, sm)
    t0 = time.perf_counter()
    bootstrap_model(model, n_boot, seed=1)
    return time.perf_counter() - t0


def peak_child(tool: str, n: int, n_boot: int) -> float | None:
    """Peak resident memory (GB) of a child process bootstrapping ``n`` rows with ``tool``."""
    here = os.path.dirname(os.path.abspath(__file__))
    code = (
        f"import resource, sys; sys.path.insert(0, {here!r}); import bench_pls as b; "
        f"b.bootstrap_once({tool!r}, {n}, {n_boot}); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode != 0:
        print(f"{tool}: {out.stderr.strip().splitlines()[-1] if out.stderr else 'failed'}")
        return None
    return int(out.stdout.split()[-1]) / 2**20  # ru_maxrss is in KiB on Linux


def bootstrap_once(tool: str, n: int, n_boot: int) -> None:
    """One bootstrap of the seed-2 model on ``n`` simulated rows (for :func:`peak_child`)."""
    data = simulate(n=n)
    if tool == "semwidget":
        fit_pls(syntax(), data, bootstrap=n_boot, seed=1, progress=False)
        return
    from seminr import bootstrap_model, estimate_pls
    from seminr.specify.constructs import composite, constructs, mode_A
    from seminr.specify.relationships import SMRow

    mm = constructs(*(composite(c, items(c), mode_A) for c in LOADINGS))
    model = estimate_pls(data, mm, [SMRow(source=s, target=t) for s, t in PATHS])
    bootstrap_model(model, n_boot, seed=1)


def memory(n: int = 100_000, n_boot: int = 100) -> None:
    ours = peak_child("semwidget", n, n_boot)
    peer = peak_child("seminr", n, n_boot)
    if ours is not None:
        print(f"semwidget: n = {n}, B = {n_boot} bootstrap peaks at {ours:.2f} GB "
              f"(target <= 0.6 GB: {'met' if ours <= 0.6 else 'NOT met'})")  # fmt: skip
    if ours is not None and peer is not None:
        print(f"seminr bootstrap_model peaks at {peer:.2f} GB; ratio ours/seminr "
              f"{ours / peer:.2f}")  # fmt: skip


def mga(n_boot: int, repeat: int, seminr_boot: int) -> None:
    data = simulate()
    data["genre"] = np.where(np.random.default_rng(0).random(len(data)) < 0.5, "a", "b")
    kw = {"group": "genre", "seed": 1, "progress": False}
    fit_pls(syntax(), data, bootstrap=100, permutations=100, **kw)  # warm-up
    times, boot_only = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fit_pls(syntax(), data, bootstrap=n_boot, permutations=n_boot, **kw)
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        fit_pls(syntax(), data, bootstrap=n_boot, permutations=0, **kw)
        boot_only.append(time.perf_counter() - t0)
    median = statistics.median(times)
    print(f"semwidget MGA: {n_boot} permutations + {n_boot} bootstrap resamples per group in "
          f"{median:.2f} s median ({repeat} runs); target <= 5 s: "
          f"{'met' if median <= 5.0 else 'NOT met'}")  # fmt: skip
    try:
        from seminr import estimate_pls
        from seminr.mga.estimate_pls_mga import estimate_pls_mga
        from seminr.specify.constructs import composite, constructs, mode_A
        from seminr.specify.relationships import SMRow
    except ImportError:
        print("seminr is not installed: no ratio (pip install seminr)")
        return
    mm = constructs(*(composite(c, items(c), mode_A) for c in LOADINGS))
    model = estimate_pls(data.drop(columns=["genre"]), mm,
                         [SMRow(source=s, target=t) for s, t in PATHS])  # fmt: skip
    t0 = time.perf_counter()
    estimate_pls_mga(model, (data["genre"] == "a").to_numpy(), nboot=seminr_boot, seed=1)
    scaled = (time.perf_counter() - t0) * n_boot / seminr_boot
    ours = statistics.median(boot_only)
    print(f"bootstrap MGA only: semwidget {ours:.2f} s, seminr estimate_pls_mga "
          f"{scaled:.1f} s scaled from {seminr_boot} to {n_boot} per group; "
          f"speed-up {scaled / ours:.0f}x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boot", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seminr-boot", type=int, default=200)
    parser.add_argument("--memory", action="store_true", help="peak memory at n = 100,000")
    parser.add_argument("--mga", action="store_true", help="multigroup analysis timing")
    args = parser.parse_args()
    if args.mga:
        mga(args.boot, args.repeat, args.seminr_boot)
        return
    if args.memory:
        memory()
        return

    data = simulate()
    try:
        from semwidget.model import parse

        model = parse(syntax())
    except ImportError:  # the parser is a sibling module; the table is its output shape
        model = model_table()
    fit = fit_pls(model, data)
    print(f"seed-2 model: {len(fit.construct_cor)} constructs, {len(fit.weights)} indicators, "
          f"n = {fit.nobs}; R2 CLE = {fit.r2['CLE']:.3f}, VCC = {fit.r2['VCC']:.3f}")  # fmt: skip

    times = time_semwidget(data, model, args.boot, args.repeat)
    best, median = min(times), statistics.median(times)
    print(f"semwidget: {args.boot} resamples in {median:.3f} s median, {best:.3f} s best "
          f"({args.repeat} runs, BLAS 1 thread); target <= 1 s: "
          f"{'met' if median <= 1.0 else 'NOT met'}")  # fmt: skip

    seminr = time_seminr(data, args.seminr_boot)
    if seminr is None:
        print("seminr is not installed: no ratio (pip install seminr)")
        return
    scaled = seminr * args.boot / args.seminr_boot
    print(f"seminr bootstrap_model: {args.seminr_boot} resamples in {seminr:.2f} s "
          f"-> {scaled:.1f} s scaled to {args.boot}")  # fmt: skip
    print(f"speed-up (seminr scaled / semwidget median): {scaled / median:.0f}x "
          f"(target >= 30x: {'met' if scaled / median >= 30 else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    main()
