"""The PLSpredict table as PLS papers report it (Shmueli et al., 2019)."""

from __future__ import annotations

import pandas as pd

from semwidget.pls.predict import PLSPrediction
from semwidget.tables.report import Section, apa


def predict_table(result: PLSPrediction, digits: int = 3) -> Section:
    """Q²_predict and PLS vs LM RMSE and MAE per indicator, with the verdict per indicator."""
    items = result.items
    table = pd.DataFrame({
        "Construct": items.construct, "Indicator": items["item"],
        "Q²predict": [apa(v, digits) for v in items.q2_predict],
        "RMSE (PLS)": [apa(v, digits) for v in items.pls_rmse],
        "RMSE (LM)": [apa(v, digits) for v in items.lm_rmse],
        "MAE (PLS)": [apa(v, digits) for v in items.pls_mae],
        "MAE (LM)": [apa(v, digits) for v in items.lm_mae],
        "PLS < LM (RMSE)": ["yes" if a < b else "no"
                            for a, b in zip(items.pls_rmse, items.lm_rmse, strict=True)],
    })  # fmt: skip
    better = int((items.pls_rmse < items.lm_rmse).sum())
    share = better / len(items) if len(items) else 0.0
    power = ("high" if share == 1 else "medium" if share > 0.5 else "low" if share > 0
             else "none")  # fmt: skip
    note = (f"{result.folds}-fold cross-validation, {result.repetitions} repetitions, "
            f"{result.technique} predictions. PLS has the lower RMSE for {better} of "
            f"{len(items)} indicators: {power} predictive power (Shmueli et al., 2019).")
    return Section("PLSpredict", table, note)
