"""lavaan's defaults (lavaanify for sem()/cfa()) and model validation."""

from __future__ import annotations

import pandas as pd
import pytest

from semwidget.errors import ModelSpecError
from semwidget.model import parse
from semwidget.model.partable import build, model_counts, roles

HS = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
HS_COLS = [f"x{i}" for i in range(1, 10)]


def rows(table: pd.DataFrame) -> dict[tuple[str, str, str], dict]:
    return {(r.lhs, r.op, r.rhs): r._asdict() for r in table.itertuples(index=False)}


def test_cfa_defaults_match_lavaan() -> None:
    full = build(parse(HS), HS_COLS)
    r = rows(full)
    assert r[("visual", "=~", "x1")]["free"] == 0 and r[("visual", "=~", "x1")]["ustart"] == 1
    assert r[("visual", "=~", "x2")]["free"] > 0
    for v in HS_COLS + ["visual", "textual", "speed"]:
        assert r[(v, "~~", v)]["user"] == 0 and r[(v, "~~", v)]["free"] > 0
    assert ("visual", "~~", "textual") in r and ("textual", "~~", "speed") in r
    assert full["free"].max() == 21
    assert list(full["user"][:9]) == [1] * 9 and set(full["user"][9:]) == {0}


def test_std_lv_frees_loadings_and_fixes_variances() -> None:
    r = rows(build(parse(HS), HS_COLS, std_lv=True))
    assert r[("visual", "=~", "x1")]["free"] > 0
    assert r[("visual", "~~", "visual")]["free"] == 0
    assert r[("visual", "~~", "visual")]["ustart"] == 1


def test_na_frees_marker() -> None:
    r = rows(build(parse("f =~ NA*x1 + x2 + x3\nf ~~ 1*f"), HS_COLS))
    assert r[("f", "=~", "x1")]["free"] > 0
    assert r[("f", "~~", "f")]["free"] == 0


def test_orthogonal_fixes_latent_covariances() -> None:
    r = rows(build(parse(HS), HS_COLS, orthogonal=True))
    assert r[("visual", "~~", "textual")]["free"] == 0
    assert r[("visual", "~~", "textual")]["ustart"] == 0


def test_shared_labels_share_a_free_index() -> None:
    full = build(parse("f =~ x1 + a*x2 + a*x3"), HS_COLS)
    r = rows(full)
    assert r[("f", "=~", "x2")]["free"] == r[("f", "=~", "x3")]["free"]


def test_fixed_x_covariates() -> None:
    full = build(parse("f =~ x1 + x2 + x3\nf ~ x7 + x8"), HS_COLS)
    r = rows(full)
    for key in [("x7", "~~", "x7"), ("x7", "~~", "x8"), ("x8", "~~", "x8")]:
        assert r[key]["exo"] == 1 and r[key]["free"] == 0
    assert roles(full).ov_x == ["x7", "x8"]
    free = build(parse("f =~ x1 + x2 + x3\nf ~ x7 + x8"), HS_COLS, fixed_x=False)
    assert rows(free)[("x7", "~~", "x8")]["free"] > 0


def test_single_indicator_residual_fixed_to_zero() -> None:
    r = rows(build(parse("f =~ x1 + x2 + x3\ng =~ x4\ng ~ f"), HS_COLS))
    assert r[("x4", "~~", "x4")]["free"] == 0 and r[("x4", "~~", "x4")]["ustart"] == 0


def test_pure_outcomes_covary() -> None:
    r = rows(build(parse("y1 ~ x1\ny2 ~ x1"), ["y1", "y2", "x1"]))
    assert ("y1", "~~", "y2") in r


def test_meanstructure_intercepts() -> None:
    r = rows(build(parse(HS), HS_COLS, meanstructure=True))
    assert r[("x1", "~1", "")]["free"] > 0
    assert r[("visual", "~1", "")]["free"] == 0


@pytest.mark.parametrize(
    ("syntax", "fragment"),
    [
        ("f =~ x1 + x2 + x10", "'x10' is not a column of the data"),
        ("f =~ x1 + x2\nf =~ x2", "duplicated statement 'f =~ x2'"),
        ("f =~ x1 + x2 + x3\nx1 ~ f", "'x1' is an indicator of 'f'"),
        ("f =~ x1 + x2 + x3\nf ~ x1", "its own indicator 'x1'"),
        ("x1 ~ x1", "regresses a variable on itself"),
        ("x1 ~~ x2\nx2 ~~ x1", "duplicated statement"),
    ],
)
def test_validation_messages(syntax: str, fragment: str) -> None:
    with pytest.raises(ModelSpecError) as info:
        build(parse(syntax), HS_COLS)
    assert fragment in str(info.value)


def test_latent_without_indicators() -> None:
    with pytest.raises(ModelSpecError, match="'g' has no indicators"):
        build(parse(HS), HS_COLS, latents=["g"])


def test_latent_named_like_a_column() -> None:
    with pytest.raises(ModelSpecError, match="also a column of the data"):
        build(parse("x1 =~ x2 + x3 + x4"), HS_COLS)


def test_model_counts() -> None:
    counts = model_counts(parse(HS))
    assert (counts["npar"], counts["moments"], counts["df"]) == (21, 45, 24)
    assert counts["identified"] and counts["message"] == ""
    bad = model_counts(parse("f =~ x1 + x2\nx1 ~~ x2"))
    assert bad["df"] < 0 and "free parameters" in bad["message"]
