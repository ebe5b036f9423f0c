# %% [markdown]
# # CFA and the fit table
#
# `semwidget.fit(model, data)` fits as lavaan's `cfa()`/`sem()` do: the first loading of each
# factor fixed to 1, residual variances and factor covariances free, ML with expected
# information. The result holds lavaan's tables under lavaan's names.

# %%
import golden

import semwidget
from semwidget import datasets

hs = datasets.load("hs1939")
model = """
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"""
result = semwidget.fit(model, hs)
print(result.summary())

# %% [markdown]
# ## Checked against lavaan
#
# `tests/golden/hs_cfa.json` is lavaan 0.6.14's `cfa(model, data)` for this model, written by
# `tests/golden/make_lavaan_golden.R`. Every fit measure lavaan reports for it is compared
# (lavaan's `.` is `_` in our names) by the pages' small helper
# [`docs/guide/golden.py`](../golden.py), with the tolerances of the test suite: 0.002, relative
# 0.2 % for χ², log-likelihoods and information criteria.

# %%
lavaan = golden.load("tests/golden/hs_cfa.json")
print(golden.check_fit(result, lavaan), "fit measures match lavaan")

# %%
print(golden.check_estimates(result, lavaan), "estimates, SEs and std.all match lavaan")
est = result.estimates
est[est.op == "=~"][["lhs", "op", "rhs", "est", "se", "z", "pvalue", "std_all"]].round(3)

# %% [markdown]
# ## The fit table of a paper
#
# `result.report()` gathers the tables a paper reports; its fit table has the usual cut-offs
# (Hu & Bentler, 1999) and a verdict per index.

# %%
rep = result.report()
rep["Model fit"]

# %% [markdown]
# The same numbers as a dict, for your own table:

# %%
fm = result.fit_measures
{k: round(fm[k], 3) for k in ("chisq", "df", "pvalue", "cfi", "tli", "rmsea",
                               "rmsea_ci_lower", "rmsea_ci_upper", "srmr", "aic", "bic")}
