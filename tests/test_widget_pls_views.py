"""SEMWidget with engine="pls" (issue 15): group selector and MGA table payload, product terms
(``y ~ a:b``) kept in the syntax and named for the view, PLSpredict by a custom message.

Numbers are checked against seminr (tests/golden_pls/: mga/ from estimate_pls_mga,
moderation/ from the two-stage interaction, predict/ from predict_pls; the scripts that wrote
them are beside them).
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
from pls_cases import GOLDEN, data

from semwidget.errors import SemWidgetError
from semwidget.widget import SEMWidget
from semwidget.widget.pls_views import MGA_VIEW_COLUMNS, interactions, parse_syntax


@cache
def golden(kind: str, name: str) -> dict:
    return json.loads((GOLDEN / kind / f"{name}.json").read_text())


def _mga_widget(name: str, permutations: int = 0) -> SEMWidget:
    g = golden("mga", name)
    w = SEMWidget(data(g["data"]), g["syntax"], engine="pls", auto_fit=False, group=g["group"],
                  bootstrap=g["options"]["bootstrap"], seed=g["options"]["seed"],
                  permutations=permutations)
    w.fit()
    return w


@pytest.mark.parametrize("name", ["genre", "mobi_cusco"])
def test_group_payload_matches_seminr_mga(name: str) -> None:
    g, w = golden("mga", name), _mga_widget(name)
    res = w.results
    assert res["engine"] == "pls" and res["groups"] == g["groups"]
    assert res["group"] == g["groups"][0]
    a, b = g["groups"]
    rows = {(r["rhs"], r["lhs"]): r for r in res["mga"]}
    assert len(rows) == len(g["paths"])
    for ref in g["paths"]:
        key = f"{ref['target']} ~ {ref['source']}"
        assert res["by_group"][a]["edges"][key]["est"] == pytest.approx(ref["est_a"], abs=1e-6)
        assert res["by_group"][b]["edges"][key]["est"] == pytest.approx(ref["est_b"], abs=1e-6)
        assert res["edges"][key]["est"] == pytest.approx(ref["est_a"], abs=1e-6)  # drawn: a
        row = rows[(ref["source"], ref["target"])]
        assert set(row) == set(MGA_VIEW_COLUMNS)
        assert (row["group_a"], row["group_b"]) == (a, b)
        assert row["diff"] == pytest.approx(ref["diff"], abs=1e-6)
        two_sided = 2 * min(ref["p_henseler"], 1 - ref["p_henseler"])
        assert row["p_henseler_two_sided"] == pytest.approx(two_sided, abs=1e-9)
        assert row["p_permutation"] is None  # no permutations asked for
        assert 0 <= row["p_parametric"] <= 1 and 0 <= row["p_welch"] <= 1
    assert res["nobs"] == sum(res["by_group"][k]["nobs"] for k in g["groups"])


def test_group_selector_message_drives_pls() -> None:
    g, w = golden("mga", "genre"), _mga_widget("genre")
    b = g["groups"][1]
    w._on_custom_msg(w, {"type": "group", "group": b}, [])
    assert w.error == "" and w.results["group"] == b
    assert w.results["fit"]["srmr"] == pytest.approx(w.result.groups[b].srmr)  # b's own SRMR
    ref = next(p for p in g["paths"] if (p["source"], p["target"]) == ("INT", "CLE"))
    assert w.results["edges"]["CLE ~ INT"]["est"] == pytest.approx(ref["est_b"], abs=1e-6)
    w._on_custom_msg(w, {"type": "group", "group": "all groups"}, [])
    both = w.results["edges"]["CLE ~ INT"]["values_est"]
    assert both == pytest.approx([ref["est_a"], ref["est_b"]], abs=1e-6)
    assert w.results["mga"]  # the MGA table stays with every group shown


def test_permutation_p_values_reach_the_table() -> None:
    w = _mga_widget("genre", permutations=50)
    ps = [r["p_permutation"] for r in w.results["mga"]]
    assert all(p is not None and 0 <= p <= 1 for p in ps)
    assert w.results["permutations"] == 50
    direct = w.result.mga.set_index(["lhs", "rhs"])["p_permutation"]
    for r in w.results["mga"]:
        assert r["p_permutation"] == pytest.approx(direct[(r["lhs"], r["rhs"])])


def test_interaction_term_kept_and_named_for_the_view() -> None:
    g = golden("moderation", "corp_rep_switching")
    frame = data(g["data"]).replace(g["options"]["missing_value"], np.nan)
    w = SEMWidget(frame, g["syntax"], engine="pls", auto_fit=False)
    assert w.error == ""
    assert "CUSA:SC" in w.syntax
    assert any(r["rhs"] == "CUSA:SC" and r["op"] == "~" for r in w.table)
    assert "CUSA:SC" not in w.positions and not w.warnings  # no node, no missing column
    w.fit()
    assert w.results["interactions"] == [
        {"key": "CUSL ~ CUSA:SC", "dv": "CUSL", "iv": "CUSA", "moderator": "SC"}]
    ref = {(s, t): v for s, t, v in g["paths"]}
    assert w.results["edges"]["CUSL ~ CUSA:SC"]["est"] == pytest.approx(
        ref[("CUSA:SC", "CUSL")], abs=1e-6)
    assert "CUSA:SC" not in w.results["r2"]
    svg = w.to_svg()  # the headless renderer draws the product term as a dot
    assert 'data-moderation="CUSL ~ CUSA:SC"' in svg and 'data-node="CUSA:SC"' not in svg


@pytest.mark.parametrize("method", ["product_indicator", "orthogonal"])
def test_widget_fits_and_predicts_by_the_interaction_approach_chosen(method: str) -> None:
    from semwidget.pls.predict import predict_pls

    g = golden(f"moderation/{method}", "corp_rep_switching")
    frame = data(g["data"]).replace(g["options"]["missing_value"], np.nan)
    w = SEMWidget(frame, g["syntax"], engine="pls", auto_fit=False, interaction=method, seed=3)
    w.fit()
    assert w.error == ""
    ref = {(s, t): v for s, t, v in g["paths"]}  # seminr's port, this approach
    for (source, target), value in ref.items():
        assert w.results["edges"][f"{target} ~ {source}"]["est"] == pytest.approx(value, abs=1e-6)
    w._on_custom_msg(w, {"type": "pls_predict", "folds": 5, "repetitions": 2}, [])
    assert w.error == ""
    direct = predict_pls(g["syntax"], frame, folds=5, repetitions=2, seed=3,
                         interaction=method).items
    got = {r["item"]: r["q2_predict"] for r in w.results["prediction"]["items"]}
    assert got == pytest.approx(dict(zip(direct["item"], direct["q2_predict"], strict=True)))


def test_pls_counts_constructs_indicators_and_paths_not_df() -> None:
    syntax = "X =~ x1 + x2\nM =~ m1\nY =~ y1 + y2 + y3\nY ~ X + M + X:M"
    w = SEMWidget(None, syntax, engine="pls", auto_fit=False)
    assert w.counts["engine"] == "pls" and w.counts["df"] is None
    assert (w.counts["constructs"], w.counts["indicators"], w.counts["paths"]) == (3, 6, 3)
    assert w.counts["identified"] and w.counts["message"] == ""  # one indicator is fine in PLS
    w.syntax = "X =~ x1 + x2\nY =~ y1 + y2\nY ~ X"
    assert w.counts["paths"] == 1 and w.counts["indicators"] == 4
    w.engine = "sem"  # back to CB-SEM: free parameters, moments, df
    assert "engine" not in w.counts and w.counts["df"] == w.counts["moments"] - w.counts["npar"]


def test_engine_switch_reparses_product_terms() -> None:
    syntax = "X =~ x1 + x2\nM =~ m1 + m2\nY =~ y1 + y2\nY ~ X + M + X:M"
    w = SEMWidget(None, syntax, engine="sem", auto_fit=False)
    assert "':'" in w.error or "unknown operator" in w.error  # lavaan's parser refuses a:b
    w.engine = "pls"
    assert w.error == ""
    assert interactions(w.table) == [{"key": "Y ~ X:M", "dv": "Y", "iv": "X", "moderator": "M"}]
    assert list(parse_syntax(syntax, "pls")["rhs"]).count("X:M") == 1


@pytest.mark.parametrize("name", ["mobi_da", "ecsi_modeb"])
def test_predict_message_matches_seminr(name: str) -> None:
    g = golden("predict", name)
    o = g["options"]
    w = SEMWidget(data(g["data"]), g["syntax"], engine="pls", auto_fit=False, seed=o["seed"])
    w._on_custom_msg(w, {"type": "pls_predict", "folds": o["folds"],
                         "repetitions": o["repetitions"]}, [])
    assert w.error == ""
    pred = w.results["prediction"]
    assert (pred["folds"], pred["repetitions"]) == (o["folds"], o["repetitions"])
    items = {r["item"]: r for r in pred["items"]}
    assert set(items) == set(g["items"])
    for item, ref in g["items"].items():
        for key, value in ref.items():
            assert items[item][key] == pytest.approx(value, abs=1e-9), (item, key)


def test_predict_refusals_are_one_sentence() -> None:
    g = golden("predict", "mobi_da")
    w = SEMWidget(data(g["data"]), g["syntax"], engine="pls", auto_fit=False)
    w._on_custom_msg(w, {"type": "pls_predict", "folds": 1}, [])
    assert "'folds' must be an integer from 2 to 100, got 1" in w.error
    w._on_custom_msg(w, {"type": "pls_predict", "repetitions": True}, [])
    assert "'repetitions' must be an integer" in w.error
    assert "prediction" not in w.results
    sem = SEMWidget(data(g["data"]), "f =~ CUEX1 + CUEX2 + CUEX3", auto_fit=False)
    sem._on_custom_msg(sem, {"type": "pls_predict"}, [])
    assert "PLSpredict needs engine='pls'" in sem.error
    empty = SEMWidget(None, g["syntax"], engine="pls", auto_fit=False)
    with pytest.raises(SemWidgetError, match="no data to predict"):
        empty.predict_pls()
