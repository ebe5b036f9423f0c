# %% [markdown]
# # SEM and mediation
#
# Regressions among latent variables use `~`; labels (`a*visual`) name a parameter, and `:=`
# defines a new one from labels, with a delta-method standard error, exactly as in lavaan.

# %%
import golden

import semwidget
from semwidget import datasets

hs = datasets.load("hs1939")
lavaan = golden.load("tests/golden/hs_mediation.json")
print(lavaan["model"])
result = semwidget.fit(lavaan["model"], hs)

# %% [markdown]
# `tests/golden/hs_mediation.json` holds lavaan 0.6.14's `sem(model, data)`; the `:=` rows
# (the indirect effect `a*b` and the total effect) are checked with their SEs:

# %%
print(golden.check_estimates(result, lavaan, ops=("~", ":=")), "paths and effects match lavaan")
est = result.estimates
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
ref = golden.load("tests/golden/poldem_sem.json")
pd_fit = semwidget.fit(ref["model"], poldem)
golden.check_fit(pd_fit, ref) and golden.check_estimates(pd_fit, ref)
fm = pd_fit.fit_measures
for name, r2 in ref["r2"].items():
    assert abs(pd_fit.r2[name] - r2) < 0.003, name
print(f"chi2({fm['df']:.0f}) = {fm['chisq']:.3f} (lavaan {ref['fit']['chisq']:.3f}), "
      f"R²(dem65) = {pd_fit.r2['dem65']:.3f} (lavaan {ref['r2']['dem65']:.3f})")
w = semwidget.SEMWidget(data=poldem, syntax=ref["model"])
w
