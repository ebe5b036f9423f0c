"""Shared checks of our fit measures against a lavaan golden's ``fitMeasures()``."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

import pytest

# lavaan fit measures this engine never reports, for any estimator
NOT_REPORTED = frozenset({
    "fmin", "pnfi", "pnfi.scaled", "rni", "rmsea.ci.level", "rmsea.close.h0",
    "rmsea.notclose.pvalue", "rmsea.notclose.h0", "rmsea.notclose.pvalue.scaled",
    "rmsea.notclose.pvalue.robust", "crmr", "crmr_nomean", "srmr_mplus", "srmr_mplus_nomean",
    "cn_05", "cn_01", "pgfi", "mfi", "ecvi", "scaling.factor.h1", "scaling.factor.h0"})

# ... and for categorical data also GFI/AGFI, WRMR and the Bentler SRMRs
ORDINAL_NOT_REPORTED = (NOT_REPORTED - {"ecvi", "scaling.factor.h1", "scaling.factor.h0"}) | {
    "wrmr", "gfi", "agfi", "rmr_nomean", "srmr_bentler", "srmr_bentler_nomean"}


def assert_fit_measures(gold: Mapping[str, float | None], ours: Mapping[str, float],
                        skip: Collection[str]) -> None:
    """Every lavaan measure not in ``skip``: chi-squares to 1e-3 of their size, indices and
    p-values to 1e-4, NA as NaN."""
    for key, value in gold.items():
        if key in skip:
            continue
        name = key.replace(".", "_")
        assert name in ours, f"{key} is missing"
        mine = ours[name]
        if value is None:
            assert math.isnan(mine), key
            continue
        tol = 1e-3 * max(1.0, abs(value)) if "chisq" in key else 1e-4
        assert mine == pytest.approx(value, abs=tol), key
