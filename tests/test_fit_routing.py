"""``semwidget.fit`` routes options to the right engine."""

from __future__ import annotations

import math

import pandas as pd

import semwidget

HS = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n" \
     "speed ~ visual + textual"


def test_pls_bootstrap_gives_standard_errors(hs: pd.DataFrame) -> None:
    result = semwidget.fit(HS, hs, engine="pls", bootstrap=200, seed=3)
    assert result.engine == "pls"
    paths = result.estimates[result.estimates.op == "~"]
    assert len(paths) == 2 and paths["se"].notna().all() and (paths["se"] > 0).all()


def test_pls_without_bootstrap_has_no_standard_errors(hs: pd.DataFrame) -> None:
    result = semwidget.fit(HS, hs, engine="pls")
    paths = result.estimates[result.estimates.op == "~"]
    assert all(math.isnan(v) for v in paths["se"])


def test_cbsem_bootstrap_default_resamples(hs: pd.DataFrame) -> None:
    result = semwidget.fit("f =~ x1 + x2 + x3", hs, se="bootstrap", bootstrap=50, seed=1)
    assert result.options.get("se") == "bootstrap"
    loads = result.estimates[(result.estimates.op == "=~") & (result.estimates.rhs == "x2")]
    assert loads["se"].iloc[0] > 0
