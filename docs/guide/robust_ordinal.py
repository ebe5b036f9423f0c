# %% [markdown]
# # Robust and ordinal estimation
#
# Non-normal continuous data: `estimator="MLR"` (Huber–White SEs and the Yuan–Bentler test),
# `"MLM"` (Satorra–Bentler) or `"MLMV"` (scaled and shifted). Ordinal items (Likert scales):
# `ordered=[...]` fits thresholds and polychoric correlations with WLSMV, lavaan's default for
# them. The scaled statistics and the `*_scaled` and `*_robust` fit indices join
# `fit_measures` under lavaan's names.

# %%
import golden  # the pages' check against the golden files: docs/guide/golden.py
import pandas as pd

import semwidget
from semwidget import datasets


def check(result, lavaan):
    """Estimates, SEs, std.all and every fit measure against lavaan's golden file."""
    return golden.check_estimates(result, lavaan), golden.check_fit(result, lavaan)


# %% [markdown]
# ## MLR
#
# `tests/golden/robust_hs_covariate_mlr.json`: lavaan 0.6.14's `sem(model, data,
# estimator = "MLR")` (made by `tests/golden/make_robust_golden.R`).

# %%
mlr_ref = golden.load("tests/golden/robust_hs_covariate_mlr.json")
mlr = semwidget.fit(mlr_ref["model"], datasets.load("hs1939"), estimator="MLR")
print("(estimates, fit measures) that match lavaan:", check(mlr, mlr_ref))
fm = mlr.fit_measures
{k: round(fm[k], 3) for k in ("chisq", "chisq_scaled", "chisq_scaling_factor", "cfi_scaled",
                               "cfi_robust", "rmsea_scaled", "rmsea_robust")}

# %% [markdown]
# ## WLSMV on ordinal items
#
# The Holzinger–Swineford items cut into four categories (`tests/golden/data/hs_ordinal.csv`);
# `tests/golden/ordinal_hs4_wlsmv.json` is lavaan's `cfa(model, data, ordered = ...)`
# (made by `tests/golden/make_ordinal_golden.R`).

# %%
ord_ref = golden.load("tests/golden/ordinal_hs4_wlsmv.json")
items = pd.read_csv(golden.ROOT / ord_ref["data"])
wlsmv = semwidget.fit(ord_ref["model"], items, ordered=ord_ref["ordered"])
print(wlsmv.estimator, "(estimates, fit measures) that match lavaan:", check(wlsmv, ord_ref))
thresholds = wlsmv.estimates[wlsmv.estimates.op == "|"]
for ref in ord_ref["estimates"]:
    if ref["op"] == "|":
        row = thresholds[(thresholds.lhs == ref["lhs"]) & (thresholds.rhs == ref["rhs"])]
        assert abs(row["est"].iloc[0] - ref["est"]) < 0.002
thresholds.head(6)[["lhs", "op", "rhs", "est", "se"]].round(3)

# %% [markdown]
# `parameterization="theta"` fixes the residual variances instead of the latent responses'
# variances; `estimator="ULSMV"`, `"DWLS"` and `"WLS"` are the other least-squares choices.
# For ordinal reliability, `result.reliability()` adds Green and Yang's ω (semTools'
# `compRelSEM` on a WLSMV fit).

# %%
wlsmv.reliability().round(3)
