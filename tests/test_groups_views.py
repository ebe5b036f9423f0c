"""Per-group views of a multigroup fit: reliability (vs semTools), indirect, report, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import semwidget
from semwidget.errors import ModelSpecError

ROOT = Path(__file__).parent.parent
REF = json.loads((ROOT / "tests/golden/multigroup/semtools_metric.json").read_text())
HS3 = REF["model"]


@pytest.fixture(scope="module")
def metric() -> semwidget.FitResult:
    return semwidget.fit(HS3, pd.read_csv(ROOT / REF["data"]), group="school",
                         group_equal="loadings")


def test_reliability_by_group_matches_semtools(metric: semwidget.FitResult) -> None:
    rel = metric.reliability()
    assert list(rel.index.names) == ["group", "construct"]
    cols = {"omega": "omega", "omega_implied_var": "omega_implied", "alpha": "alpha",
            "AVE": "ave_semtools"}
    for key, col in cols.items():
        for group, values in REF[key].items():
            for construct, value in values.items():
                assert rel.loc[(group, construct), col] == pytest.approx(value, abs=0.002), \
                    (key, group, construct)


def test_validity_and_group_view(metric: semwidget.FitResult) -> None:
    val = metric.validity()
    assert set(val) == {"Pasteur", "Grant-White"}
    view = metric.group("Grant-White")
    assert view.nobs == 145 and not view.multigroup
    assert view.r2 == metric.r2["Grant-White"]
    with pytest.raises(ModelSpecError, match="no group 'Nowhere'"):
        metric.group("Nowhere")
    assert {"group", "group_label", "mi"} <= set(metric.modindices().columns)


def test_indirect_by_group_and_report() -> None:
    hs = semwidget.datasets.load("hs1939_school")
    model = HS3 + "\ntextual ~ c(a1, a2)*visual\nspeed ~ c(b1, b2)*textual"
    fit = semwidget.fit(model, hs, group="school", group_equal="loadings")
    ind = fit.indirect("visual", "speed")
    assert list(ind["group"].unique()) == ["Pasteur", "Grant-White"]
    est = fit.estimates.set_index(["label"])["est"]
    got = ind[(ind["effect"] == "indirect")].set_index("group")["est"]
    assert got["Pasteur"] == pytest.approx(est["a1"] * est["b1"], rel=1e-9)
    assert got["Grant-White"] == pytest.approx(est["a2"] * est["b2"], rel=1e-9)
    titles = [s.title for s in fit.report().sections]
    assert titles == ["Model fit", "Measurement model — Pasteur", "Structural paths — Pasteur",
                      "Measurement model — Grant-White", "Structural paths — Grant-White"]
    defined = semwidget.fit(model + "\ndiff := a1*b1 - a2*b2", hs, group="school")
    med = defined.report()["Mediation"]
    assert list(med["Effect"]) == ["diff"]
    with pytest.raises(ModelSpecError, match="needs estimator='ML' and missing='listwise'"):
        semwidget.fit(model, hs, group="school", se="bootstrap", missing="fiml")
    with pytest.raises(ModelSpecError, match="needs estimator='ML'"):
        semwidget.fit(model, hs, group="school", se="bootstrap", estimator="GLS")


def test_bootstrap_within_groups_matches_lavaan() -> None:
    """SEs of 500 resamples within groups against lavaan's 1000 (both Monte Carlo: 15 %)."""
    ref = json.loads((ROOT / "tests/golden/multigroup/hs_boot_groups.json").read_text())
    data = pd.read_csv(ROOT / ref["data"])
    fit = semwidget.fit(ref["model"], data, group="school", group_equal="loadings",
                        se="bootstrap", bootstrap=500, seed=12)
    est = fit.estimates
    checked = 0
    for r in ref["estimates"]:
        if r["op"] not in ("=~", "~", ":=") or not r["se"]:
            continue
        hit = est[(est.lhs == r["lhs"]) & (est.op == r["op"]) & (est.rhs == r["rhs"])
                  & (est.group == r["group"])].iloc[0]
        assert hit["est"] == pytest.approx(r["est"], abs=0.002)
        assert hit["se"] == pytest.approx(r["se"], rel=0.15), (r["lhs"], r["op"], r["rhs"])
        width = r["ci.upper"] - r["ci.lower"]
        assert hit["ci_lower"] == pytest.approx(r["ci.lower"], abs=0.2 * width)
        assert hit["ci_upper"] == pytest.approx(r["ci.upper"], abs=0.2 * width)
        checked += 1
    assert checked >= 14
    assert fit.bootstrap.shape[0] >= 490 and fit.options["se"] == "bootstrap"
    with pytest.raises(ModelSpecError, match="boot_ci='bca' with group="):
        semwidget.fit(ref["model"], data, group="school", se="bootstrap", bootstrap=10,
                      boot_ci="bca")
