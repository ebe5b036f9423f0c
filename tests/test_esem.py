"""Exploratory SEM blocks: the rotation options and efa syntax errors name the feature.

The numbers against lavaan 0.6.14 are in tests/test_lavaan14b_golden.py (``esem_*`` cases).
"""

from __future__ import annotations

import pandas as pd
import pytest
from lavaan14b_cases import ROOT

import semwidget
from semwidget.errors import ModelSpecError, ModelSyntaxError

HS3 = "efa('e')*f1 + efa('e')*f2 + efa('e')*f3 =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9"


@pytest.mark.parametrize(("options", "needle"), [
    ({"rotation": "promax"}, "unknown rotation='promax'"),
    ({"rotation_args": {"epsilon": 0.01}}, "unknown rotation_args entry 'epsilon'"),
    ({"rotation_args": {"orthogonal": "yes"}}, "'orthogonal' must be True or False"),
    ({"se": "bootstrap"}, "se=bootstrap are not supported"),
])
def test_bad_rotation_options_are_named(options: dict, needle: str) -> None:
    data = pd.read_csv(ROOT / "semwidget" / "datasets" / "hs1939.csv")
    with pytest.raises(ModelSpecError, match=needle):
        semwidget.fit(HS3, data, **options)


@pytest.mark.parametrize(("text", "needle"), [
    ("efa('e')*f1 ~ x1", "it goes before a factor on the left of '=~', not '~'"),
    ("f1 =~ efa('e')*x1", "put it before the factor on the left of '=~'"),
    ("efa(e)*f1 =~ x1", 'an exploratory block is written efa("name")*factor'),
])
def test_efa_syntax_errors_name_the_feature(text: str, needle: str) -> None:
    with pytest.raises(ModelSyntaxError, match=None) as err:
        semwidget.parse(text)
    assert needle in str(err.value)


def test_block_with_one_factor_is_refused() -> None:
    data = pd.read_csv(ROOT / "semwidget" / "datasets" / "hs1939.csv")
    with pytest.raises(ModelSpecError, match="efa block 'e' has one factor"):
        semwidget.fit("efa('e')*f1 =~ x1 + x2 + x3", data)


def test_cli_rotation_options_match_the_api(tmp_path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    import json

    from semwidget.cli import main

    model = tmp_path / "esem.lav"
    text = "efa('e')*f1 + efa('e')*f2 =~ x1 + x2 + x3 + x4 + x5 + x6"
    model.write_text(text)
    csv = ROOT / "semwidget" / "datasets" / "hs1939.csv"
    assert main(["fit", str(model), str(csv), "--rotation", "oblimin",
                 "--rotation-orthogonal", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    api = semwidget.fit(text, pd.read_csv(csv), rotation="oblimin",
                        rotation_args={"orthogonal": True})
    assert [r["est"] for r in out["estimates"]] == pytest.approx(
        api.estimates["est"].tolist(), abs=1e-10)
    cov = api.estimates[(api.estimates.lhs == "f1") & (api.estimates.rhs == "f2")]
    assert cov["est"].iloc[0] == 0.0  # orthogonal: the factors stay uncorrelated
    assert main(["fit", str(model), str(csv), "--rotation", "varimax"]) == 0
    assert "rotation varimax, orthogonal" in capsys.readouterr().out


def test_emit_keeps_the_efa_blocks() -> None:
    text = "efa('b')*f1 + efa('b')*f2 =~ x1 + x2 + x3 + x4\nspeed =~ x7 + x8 + x9\nf1 ~ speed"
    table = semwidget.parse(text)
    again = semwidget.parse(semwidget.emit(table))
    assert again.equals(table)
    assert semwidget.emit(table).startswith('efa("b")*f1 =~ x1 + x2 + x3 + x4\n')
