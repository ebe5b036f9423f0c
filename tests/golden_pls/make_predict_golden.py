"""Write the PLSpredict golden files from seminr's Python port (``predict_pls``).

Run from the repository root with seminr installed (``pip install "seminr==0.2.*"``)::

    python tests/golden_pls/make_predict_golden.py

seminr (GPL-3.0) is used only here. For ``repetitions`` shuffles drawn one after another
from ``Generator(PCG64(seed))`` (rows shuffled by ``permutation(n)``, as seminr's default),
seminr's ``predict_pls(model, technique, no_folds, ordering=...)`` is run once per shuffle; the
out-of-sample PLS and LM predictions are averaged over the repetitions and the RMSE and MAE
per indicator computed from them. seminr has no Q²_predict: it is computed here from seminr's
predictions and the training-fold means of the same folds
(``1 - SSE_PLS / SSE_naive``, Shmueli et al. 2019). JSON goes to ``tests/golden_pls/predict/``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from seminr import estimate_pls
from seminr.predict import predict_DA, predict_EA, predict_pls
from seminr.predict.predict_pls import cut_folds

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_pls_golden import (  # noqa: E402
    CORP_BLOCKS,
    CORP_PATHS,
    ECSI_BLOCKS,
    ECSI_PATHS,
    MOBI_BLOCKS,
    MOBI_PATHS,
    _clean,
    case_model,
)

TECHNIQUES = {"DA": predict_DA, "EA": predict_EA}


def write_case(name, data_file, blocks, paths, *, mode_b=(), technique="DA", folds=10,
               repetitions=1, seed=1, missing_value=None):  # fmt: skip
    frame = pd.read_csv(HERE / "data" / data_file)
    mm, sm, _, syntax = case_model(blocks, paths, mode_b)
    model = estimate_pls(frame, mm, sm, missing_value=missing_value)
    n = model.data.n_obs
    rng = np.random.Generator(np.random.PCG64(seed))
    fold_pos = np.array(cut_folds(n, folds)) - 1
    pls_sum = lm_sum = naive_sum = None
    for _ in range(repetitions):
        order = rng.permutation(n)
        pred = predict_pls(model, technique=TECHNIQUES[technique], no_folds=folds,
                           ordering=[int(i) for i in order])  # fmt: skip
        items = list(pred.items.pls_out_of_sample.cols)
        data = model.data.values[:, [model.data.columns.index(i) for i in items]]
        fold_of = np.empty(n, dtype=int)
        fold_of[order] = fold_pos
        naive = np.empty_like(data)
        for k in range(folds):
            naive[fold_of == k] = data[fold_of != k].mean(axis=0)
        parts = (pred.items.pls_out_of_sample.values, pred.items.lm_out_of_sample.values, naive)
        if pls_sum is None:
            pls_sum, lm_sum, naive_sum = (p.copy() for p in parts)
        else:
            pls_sum, lm_sum, naive_sum = (a + p for a, p in zip((pls_sum, lm_sum, naive_sum),
                                                                  parts, strict=True))  # fmt: skip
    pls, lm, naive = (a / repetitions for a in (pls_sum, lm_sum, naive_sum))
    out = {
        "reference": "seminr (Python port) 0.2.1, predict_pls (averaged over repetitions)",
        "data": data_file,
        "syntax": syntax,
        "options": {"technique": technique, "folds": folds, "repetitions": repetitions,
                    "seed": seed, "missing_value": missing_value},
        "items": {
            item: {
                "pls_rmse": float(np.sqrt(np.mean((data[:, j] - pls[:, j]) ** 2))),
                "pls_mae": float(np.mean(np.abs(data[:, j] - pls[:, j]))),
                "lm_rmse": float(np.sqrt(np.mean((data[:, j] - lm[:, j]) ** 2))),
                "lm_mae": float(np.mean(np.abs(data[:, j] - lm[:, j]))),
                "q2_predict": float(1 - np.sum((data[:, j] - pls[:, j]) ** 2)
                                    / np.sum((data[:, j] - naive[:, j]) ** 2)),
            }
            for j, item in enumerate(items)
        },
        "first_rows": {"pls": pls[:5].tolist(), "lm": lm[:5].tolist()},
    }  # fmt: skip
    (HERE / "predict").mkdir(exist_ok=True)
    (HERE / "predict" / f"{name}.json").write_text(json.dumps(_clean(out), indent=1) + "\n")
    print("wrote", name)


def main() -> None:
    write_case("mobi_da", "mobi.csv", MOBI_BLOCKS, MOBI_PATHS, seed=4)
    write_case("mobi_ea_reps", "mobi.csv", MOBI_BLOCKS, MOBI_PATHS, technique="EA",
               repetitions=3, seed=9)  # fmt: skip
    write_case("ecsi_modeb", "mobi.csv", ECSI_BLOCKS, ECSI_PATHS, mode_b=("Image",), folds=7,
               seed=2)  # fmt: skip
    write_case("corp_rep_reps", "corp_rep.csv", CORP_BLOCKS, CORP_PATHS,
               mode_b=("QUAL", "PERF", "CSOR", "ATTR"), folds=5, repetitions=2, seed=3,
               missing_value=-99)  # fmt: skip


if __name__ == "__main__":
    main()
