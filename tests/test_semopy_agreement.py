"""Cross-check with semopy: given lavaan's covariance (divisor N), semopy's ML ("MLW")
optimizes the same discrepancy as our engine, so the estimates agree up to semopy's looser
stopping rule (its SLSQP stops about 2e-4 short on HS)."""

from __future__ import annotations

import pandas as pd
import pytest
import semopy

import semwidget

MODELS = {
    "hs": "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9",
    "poldem": "ind60 =~ x1 + x2 + x3\ndem60 =~ y1 + y2 + y3 + y4\n"
              "dem65 =~ y5 + y6 + y7 + y8\ndem60 ~ ind60\ndem65 ~ ind60 + dem60",
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_estimates_agree_with_semopy(name: str, hs: pd.DataFrame, poldem: pd.DataFrame) -> None:
    data = hs if name == "hs" else poldem
    desc = MODELS[name]
    peer = semopy.Model(desc)
    peer.fit(cov=data.cov(ddof=0), n_samples=len(data), obj="MLW")
    theirs = peer.inspect()
    ours = semwidget.fit(desc, data).estimates
    compared = 0
    for row in theirs.itertuples(index=False):
        if row.op == "~":
            hit = ours[(ours.op.isin(["~", "=~"])) &
                       (((ours.lhs == row.lval) & (ours.rhs == row.rval)) |
                        ((ours.lhs == row.rval) & (ours.rhs == row.lval)))]
        else:
            hit = ours[(ours.op == "~~") &
                       (((ours.lhs == row.lval) & (ours.rhs == row.rval)) |
                        ((ours.lhs == row.rval) & (ours.rhs == row.lval)))]
        assert len(hit) == 1, (row.lval, row.op, row.rval)
        assert hit["est"].iloc[0] == pytest.approx(row.Estimate, abs=2e-3, rel=2e-3)
        compared += 1
    assert compared >= 20
