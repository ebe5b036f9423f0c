# %% [markdown]
# # SEM and mediation
#
# Regressions among latent variables use `~`; labels (`a*visual`) name a parameter, and `:=`
# defines a new one from labels, with a delta-method standard error, exactly as in lavaan.

# %%
import json
from pathlib import Path

import semwidget
from semwidget import datasets

GOLDEN = Path("../../tests/golden")
hs = datasets.load("hs1939")
lavaan = json.loads((GOLDEN / "hs_mediation.json").read_text())
print(lavaan["model"])
result = semwidget.fit(lavaan["model"], hs)

# %% [markdown]
# `tests/golden/hs_mediation.json` holds lavaan 0.6.14's `sem(model, data)`; the `:=` rows
# (the indirect effect `a*b` and the total effect) are checked with their SEs:

# %%
est = result.estimates
for ref in lavaan["estimates"]:
    if ref["op"] in ("~", ":="):
        row = est[(est.lhs == ref["lhs"]) & (est.op == ref["op"]) & (est.rhs == ref["rhs"])]
        assert abs(row["est"].iloc[0] - ref["est"]) < 0.002, ref
        assert abs(row["se"].iloc[0] - ref["se"]) <= 0.03 * ref["se"], ref
est[est.op.isin(["~", ":="])][["lhs", "op", "rhs", "label", "est", "se", "pvalue",
                               "ci_lower", "ci_upper", "std_all"]].round(3)

# %% [markdown]
# ## Every route at once
#
# Without writing labels, `result.indirect(x, y)` lists each specific indirect effect, the
# total indirect, the direct and the total effect (bootstrap CIs once the fit has
# `se="bootstrap"`, see [Bootstrap and Dask](../bootstrap_dask/)).

# %%
effects = result.indirect("visual", "speed")
total_lavaan = next(r["est"] for r in lavaan["estimates"] if r["lhs"] == "total")
assert abs(effects.loc[effects.effect == "total", "est"].iloc[0] - total_lavaan) < 0.002
effects.round(3)

# %% [markdown]
# ## Political democracy (Bollen, 1989)
#
# lavaan's tutorial SEM: three latents, residual covariances over time.

# %%
poldem = datasets.load("poldem")
ref = json.loads((GOLDEN / "poldem_sem.json").read_text())
pd_fit = semwidget.fit(ref["model"], poldem)
fm = pd_fit.fit_measures
assert abs(fm["chisq"] - ref["fit"]["chisq"]) < 0.002 * ref["fit"]["chisq"]
assert abs(fm["cfi"] - ref["fit"]["cfi"]) < 0.002 and abs(fm["rmsea"] - ref["fit"]["rmsea"]) < 0.002
for name, r2 in ref["r2"].items():
    assert abs(pd_fit.r2[name] - r2) < 0.003, name
print(f"chi2({fm['df']:.0f}) = {fm['chisq']:.3f} (lavaan {ref['fit']['chisq']:.3f}), "
      f"R²(dem65) = {pd_fit.r2['dem65']:.3f} (lavaan {ref['r2']['dem65']:.3f})")
w = semwidget.SEMWidget(data=poldem, syntax=ref["model"])
w
