"""Shared loaders of the PLS golden tests (data sets and the path rows of a result)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

GOLDEN = Path(__file__).parent / "golden_pls"


@cache
def data(file: str) -> pd.DataFrame:
    """A data set of ``tests/golden_pls/data/``."""
    return pd.read_csv(GOLDEN / "data" / file)


def paths_of(result) -> dict[tuple[str, str], pd.Series]:
    """The ``~`` rows of ``result.estimates`` by ``(source, target)``."""
    est = result.estimates
    return {(row.rhs, row.lhs): row for _, row in est[est.op == "~"].iterrows()}


def path_order(result) -> list[tuple[str, str]]:
    """``(source, target)`` of the paths in the column order of ``boot_samples["paths"]``."""
    est = result.estimates
    return [(row.rhs, row.lhs) for _, row in est[est.op == "~"].iterrows()]


def assert_paths_and_r2(result, golden: dict, atol: float = 1e-6) -> None:
    """``golden["paths"]`` (``[source, target, value]`` rows) and ``golden["r2"]`` match."""
    import pytest

    paths = paths_of(result)
    for src, dst, value in golden["paths"]:
        assert paths[(src, dst)].est == pytest.approx(value, abs=atol), (src, dst)
    for c, value in golden["r2"].items():
        assert result.r2[c] == pytest.approx(value, abs=atol), c


def assert_boot_paths(result, boot: dict, tol: float = 1e-6) -> None:
    """A golden bootstrap case (same seed, so the same resamples): the number of fitted
    resamples and each path's SE, mean and 95% percentile interval match."""
    import numpy as np
    import pytest

    assert result.bootstrap == boot["nboot"] - boot["fails"]
    samples = result.boot_samples["paths"]
    rows = paths_of(result)
    order = path_order(result)
    for src, dst, stat in boot["paths"]:
        j = order.index((src, dst))
        assert rows[(src, dst)].se == pytest.approx(stat["se"], abs=tol), (src, dst)
        assert samples[:, j].mean() == pytest.approx(stat["mean"], abs=tol), (src, dst)
        lo, hi = np.quantile(samples[:, j], [0.025, 0.975])
        assert (lo, hi) == pytest.approx((stat["lo"], stat["hi"]), abs=tol), (src, dst)


def permuted_fits(frame: pd.DataFrame, group: str, syntax: str, n_perm: int, seed: int,
                  **fit_kw):  # fmt: skip
    """The permutation groups of a two-group MGA refitted one by one with ``fit_pls``
    (independent of the batched code): ``pooled``, ``is_a`` and ``(mask, fit_a, fit_b)``s."""
    import numpy as np

    from semwidget.pls.fit import fit_pls

    labels = frame[group].astype(str)
    first = labels.iloc[0]
    rows_a = np.flatnonzero(labels == first)
    rows_b = np.flatnonzero(labels != first)
    pooled = frame.iloc[np.concatenate([rows_a, rows_b])].reset_index(drop=True)
    is_a = np.arange(len(pooled)) < rows_a.size
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_perm):
        mask = is_a[rng.permutation(len(pooled))]
        out.append((mask, fit_pls(syntax, pooled[mask], **fit_kw),
                    fit_pls(syntax, pooled[~mask], **fit_kw)))  # fmt: skip
    return pooled, is_a, out
