# %% [markdown]
# # Multiple groups and measurement invariance
#
# `group="school"` fits the model in every group with a mean structure, as lavaan's
# `group = "school"`; `group_equal` and `group_partial` are lavaan's `group.equal` and
# `group.partial`. `semwidget.invariance()` runs the configural → metric → scalar → strict
# ladder and decides each step by Δχ², ΔCFI and ΔRMSEA.

# %%
import golden

import semwidget
from semwidget import datasets

hs = datasets.load("hs1939_school")
model = """
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"""
configural = semwidget.fit(model, hs, group="school")
configural.nobs_per_group

# %% [markdown]
# `tests/golden/multigroup/` holds lavaan 0.6.14's fits of this ladder, made by
# `tests/golden/make_multigroup_golden.R`. The fit measures of each step:

# %%
for name, fitted in [("configural", configural),
                     ("metric", semwidget.fit(model, hs, group="school",
                                              group_equal=["loadings"]))]:
    lavaan = golden.load(f"tests/golden/multigroup/hs_{name}.json")
    print(f"{name}: {golden.check_fit(fitted, lavaan)} fit measures match lavaan")

# %% [markdown]
# ## The ladder

# %%
ladder = semwidget.invariance(model, hs, group="school")
t = ladder.table
assert [int(d) for d in t["df"]] == [48, 54, 60, 69]          # lavTestLRT's df
assert round(t.loc["scalar", "chisq_diff"], 3) == 40.059       # lavaan 0.6.14
t[["chisq", "df", "cfi", "rmsea", "chisq_diff", "df_diff", "pvalue", "delta_cfi",
   "delta_rmsea", "decision"]].round(3)

# %% [markdown]
# Scalar invariance fails. lavaan's `lavTestScore` on the scalar model names the intercepts to
# release; `ladder.partial(2)` gives the two largest, and refitting with them free is partial
# scalar invariance.

# %%
release = ladder.partial(2)
assert release == ["x3 ~ 1", "x7 ~ 1"]
partial = semwidget.invariance(model, hs, group="school", group_partial=release)
assert partial.table.loc["scalar", "decision"] == "holds"
ladder.score_tests.head(4).round(3)

# %% [markdown]
# In the widget, `SEMWidget(data=hs, syntax=model, group="school")` shows a group selector; the
# diagram draws the chosen group's estimates.

# %%
w = semwidget.SEMWidget(data=hs, syntax=model, group="school")
w.wait_for_auto_fit()
w.show_group("Grant-White")
w
