"""The scipy.special tails give scipy.stats's answers, and a plain import stays light."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from semwidget import distributions as dist


def _same(a: object, b: object) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


@pytest.mark.parametrize(("x", "df"), itertools.product(
    [-1.0, -1e-12, 0.0, 1e-12, 0.5, 3.0, 50.0, 1e4, np.inf, np.nan],
    [0, -1.0, 1, 2, 2.5, 40, np.nan]))
def test_chi2_tail_matches_scipy_stats_at_every_edge(x: float, df: float) -> None:
    ours, ref = dist.chi2_sf(x, df), stats.chi2.sf(x, df)
    assert _same(ours, ref), (x, df, ours, ref)
    assert type(ours) is type(ref)


def test_vector_tails_and_quantiles_match_scipy_stats() -> None:
    z = np.linspace(-40, 40, 2001)
    assert _same(dist.norm_sf(z), stats.norm.sf(z))
    assert _same(dist.norm_cdf(z), stats.norm.cdf(z))
    q = np.array([-0.1, 0.0, 1e-300, 0.025, 0.5, 0.975, 1.0, 1.5, np.nan])
    assert _same(dist.norm_ppf(q), stats.norm.ppf(q))
    np.testing.assert_allclose(dist.t_sf(z, 7), stats.t.sf(z, 7), rtol=1e-12, atol=1e-300)
    k = np.arange(12)
    np.testing.assert_allclose(dist.binom_cdf(k, 11, 0.5), stats.binom.cdf(k, 11, 0.5),
                               rtol=1e-12)
    x, df = np.array([3.0, -1.0, 2.0]), np.array([2, 3, 0])
    assert _same(dist.chi2_sf(x, df), stats.chi2.sf(x, df))


def test_import_leaves_what_a_complete_fit_does_not_need_unloaded() -> None:
    # semwidget.fit loads the engine a first fit runs (import semwidget alone loads nothing)
    code = ("import sys, semwidget\n"
            "semwidget.fit\n"
            "heavy = ['scipy.stats', 'scipy.optimize', 'semwidget.pls.fit', 'anywidget',\n"
            "         'bqplot', 'matplotlib', 'sklearn', 'semwidget.widget.widget']\n"
            "print([m for m in heavy if m in sys.modules])\n"
            "semwidget.simulate, semwidget.compare, semwidget.invariance\n"
            "print('scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[0] == "[]", out[0]
    assert out[1] == "False"  # the lazily loaded public functions do not need it either
