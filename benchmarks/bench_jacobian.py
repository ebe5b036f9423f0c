"""The ML derivatives of a 100-indicator CFA: the Jacobian and the rank-two path, timed.

    python benchmarks/bench_jacobian.py [--p 100] [--runs 5]

Rows (medians, BLAS on one thread, one process):

- ``RAMModel.jacobian``: dSigma/dtheta as a (q, p, p) array, rows put in their parameters'
  slots (an index-add only with equality labels);
- ``dense aggregator product``: the (q x r) 0/1 matrix times the rows that ``jacobian`` used to
  do on every call, an identity when no label is shared (issue 16: 60 of 103 ms at p = 100);
- ``gradient + information via jacobian``: the contraction ``fit_ml`` did per iteration;
- ``gradient + information, rank-two``: ``cb.ml_derivatives`` as ``fit_ml`` now does it,
  with the largest difference from the Jacobian's numbers.

The peer (lavaan) computes these inside ``cfa()``; its whole-fit time at p = 100, 150 is in
``bench_memory.py``.

Measured 2026-12-01 on the shared, heavily loaded development machine (``--runs 3``):

    p = 100, q = 245
    RAMModel.jacobian                           189.3 ms   (428 ms with the product, same run
    dense aggregator product (removed)          139.8 ms    of the old code: 2.1x)
    gradient + information via jacobian         649.4 ms
    gradient + information, rank-two             31.6 ms   (21x)
    largest difference: gradient 8.47e-16, information 4.74e-16 (relative)
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402
from bench_fit import simulated_cfa  # noqa: E402

import semwidget  # noqa: E402
from semwidget.cb.ml_derivatives import ml_gradient_information  # noqa: E402


def median_ms(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--p", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    model, data = simulated_cfa(n=1000, factors=args.p // 10, per=10)
    res = semwidget.fit(model, data)
    m, theta = res.model, res.theta
    imp = m.implied(theta)
    S = res.sample_cov.to_numpy()
    inv = np.linalg.inv(imp.sigma)
    q, p = m.n_par, m.n_obs
    par = m.pidx[m.pidx >= 0]
    agg = np.zeros((q, len(par)))
    agg[par, np.arange(len(par))] = 1.0

    def via_jacobian() -> tuple[np.ndarray, np.ndarray]:
        dsig, _ = m.jacobian(theta, imp)
        R = inv @ (imp.sigma - S) @ inv
        V = inv @ dsig
        return dsig.reshape(q, -1) @ R.ravel(), V.reshape(q, -1) @ V.transpose(0, 2, 1).reshape(
            q, -1).T

    def rank_two() -> tuple[np.ndarray, np.ndarray | None]:
        return ml_gradient_information(m, imp.G, imp.C, imp.sigma, inv, S)

    dsig, _ = m.jacobian(theta, imp)
    rows = dsig[np.argsort(par)].reshape(len(par), -1)
    g0, h0 = via_jacobian()
    g1, h1 = rank_two()
    assert h1 is not None
    print(f"p = {p}, q = {q}")
    jac = median_ms(lambda: m.jacobian(theta, imp), args.runs)
    print(f"{'RAMModel.jacobian':<40}{jac:9.1f} ms")
    print(f"{'dense aggregator product (removed)':<40}"
          f"{median_ms(lambda: agg @ rows, args.runs):9.1f} ms")
    a = median_ms(via_jacobian, args.runs)
    b = median_ms(rank_two, args.runs)
    print(f"{'gradient + information via jacobian':<40}{a:9.1f} ms")
    print(f"{'gradient + information, rank-two':<40}{b:9.1f} ms   ({a / b:.0f}x)")
    print(f"largest difference: gradient {np.abs(g0 - g1).max():.2e}, information "
          f"{np.abs(h0 - h1).max() / np.abs(h0).max():.2e} (relative)")


if __name__ == "__main__":
    main()
