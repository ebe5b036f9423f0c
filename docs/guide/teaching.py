# %% [markdown]
# # Teaching with the widget
#
# The widget counts parameters and degrees of freedom as students draw, shows what `cfa()`
# adds by default (lighter, before the fit), flags Heywood cases, and `semwidget.simulate()`
# draws samples from a model with known values for coverage studies. The classroom notebooks
# ([classroom CFA](../../examples/02_classroom_cfa/), [teaching by
# simulation](../../examples/06_teaching_simulation/)) go further; this page is the short tour.

# %%

import golden
import numpy as np
from scipy import stats

import semwidget
from semwidget import datasets

hs = datasets.load("hs1939")
w = semwidget.SEMWidget(data=hs, syntax="visual =~ x1 + x2", auto_fit=False)
print(w.counts)          # 3 moments, 4 parameters: df = -1, not identified
assert w.counts["df"] == -1 and not w.counts["identified"]
w.syntax = "visual =~ x1 + x2 + x3"
assert w.counts["df"] == 0
w

# %% [markdown]
# ## Marker or standardized latent: the same model
#
# Fixing the first loading (lavaan's default) or the latent variance (`std_lv=True`, lavaan's
# `std.lv = TRUE`) gives the same fit and the same standardized solution.

# %%
model = """
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"""
marker = semwidget.fit(model, hs)
stdlv = semwidget.fit(model, hs, std_lv=True)
assert abs(marker.fit_measures["chisq"] - stdlv.fit_measures["chisq"]) < 1e-6
assert (marker.estimates["std_all"] - stdlv.estimates["std_all"]).abs().max() < 1e-4

# %% [markdown]
# ## A χ² difference test, against lavaan
#
# One factor against three: lavaan's `lavTestLRT(one, three)`, here `semwidget.compare`.
# `tests/golden/hs_cfa.json` is lavaan's three-factor fit.

# %%
one = semwidget.fit("g =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9", hs)
lrt = semwidget.compare(one, marker, names=["1 factor", "3 factors"])
lavaan = golden.load("tests/golden/hs_cfa.json")
assert abs(marker.fit_measures["chisq"] - lavaan["fit"]["chisq"]) < 0.002 * lavaan["fit"]["chisq"]
d = lrt.table.loc["1 factor", "chisq"] - lrt.table.loc["3 factors", "chisq"]
assert abs(lrt.table["chisq_diff"].dropna().iloc[0] - d) < 1e-9
assert abs(lrt.table["pvalue"].dropna().iloc[0] - stats.chi2.sf(d, 3)) < 1e-12
print(lrt.apa())
lrt.table[["npar", "df", "chisq", "cfi", "rmsea", "chisq_diff", "df_diff", "pvalue"]].round(3)

# %% [markdown]
# ## Simulation: do 95 % intervals cover 95 % of the time?

# %%
population = """
X =~ .8*x1 + .7*x2 + .6*x3
Y =~ .8*y1 + .7*y2 + .6*y3
Y ~ .4*X
"""
# with std_lv=True the residual variance of Y is 1, so the path is .4 / sqrt(1 - .4²)
truth = 0.4 / np.sqrt(1 - 0.4**2)
hits = []
for seed in range(60):
    sample = semwidget.simulate(population, 200, seed=seed)
    fit = semwidget.fit("X =~ x1 + x2 + x3\nY =~ y1 + y2 + y3\nY ~ X", sample, std_lv=True)
    row = fit.estimates.query("lhs == 'Y' and op == '~'").iloc[0]
    hits.append(row.ci_lower <= truth <= row.ci_upper)
coverage = float(np.mean(hits))
print(f"coverage of the 95% CI for the Y ~ X path over {len(hits)} samples: {coverage:.2f}")
assert 0.8 <= coverage <= 1.0   # 60 samples: Monte Carlo error about ±.06
