# %% [markdown]
# # Bootstrap and scale-out with Dask
#
# `se="bootstrap"` refits the model on resamples of the rows (`bootstrap=1000` by default) and
# reports bootstrap SEs with percentile (`boot_ci="perc"`), bias-corrected (`"bc"`) or BCa
# (`"bca"`) intervals, as lavaan's `se = "bootstrap"` with
# `parameterEstimates(boot.ci.type = ...)`. `n_jobs` spreads the resamples over processes with
# joblib; inside a `joblib.parallel_backend("dask")` block they go to a Dask cluster instead.

# %%

import golden

import semwidget
from semwidget import datasets

hs = datasets.load("hs1939")
lavaan = golden.load("tests/golden/hs_mediation_boot.json")
print(lavaan["call"])
result = semwidget.fit(lavaan["model"], hs, se="bootstrap", bootstrap=1000, seed=1,
                       boot_ci="perc")

# %% [markdown]
# ## Checked against lavaan's bootstrap
#
# R and numpy draw different resamples, so the two bootstraps agree within Monte Carlo error,
# not to the digit. `tests/golden/hs_mediation_boot.json` (made by
# `tests/golden/make_bootstrap_golden.R`) holds lavaan's 1000-resample run; the test suite's
# tolerances are 0.02 for the SEs and 0.4 SE for the percentile limits.

# %%
est = result.estimates
worst_se = worst_ci = 0.0
for ref in lavaan["estimates"]:
    if ref["op"] not in ("~", ":=") or not ref["se"]:
        continue
    row = est[(est.lhs == ref["lhs"]) & (est.op == ref["op"]) & (est.rhs == ref["rhs"])].iloc[0]
    worst_se = max(worst_se, abs(row.se - ref["se"]))
    worst_ci = max(worst_ci, abs(row.ci_lower - ref["ci.perc.lower"]) / ref["se"],
                   abs(row.ci_upper - ref["ci.perc.upper"]) / ref["se"])
assert worst_se < 0.02 and worst_ci < 0.4
print(f"largest SE difference {worst_se:.4f}; largest CI-limit difference {worst_ci:.2f} SE")
est[est.op == ":="][["lhs", "est", "se", "ci_lower", "ci_upper"]].round(3)

# %% [markdown]
# The indirect effect's interval excludes zero; `result.indirect("visual", "speed")` now
# carries the bootstrap intervals for every route.

# %%
result.indirect("visual", "speed").round(3)

# %% [markdown]
# ## On a Dask cluster
#
# The resamples are independent, so they scale out: start (or connect to) a cluster and wrap
# the fit in joblib's Dask backend. With the same seed the draws are the same as on one core.
# (A small in-process cluster here; on a real one, `Client("scheduler-address:8786")`.)

# %%
import joblib
from dask.distributed import Client, LocalCluster

with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                  dashboard_address=None) as cluster, Client(cluster), \
        joblib.parallel_backend("dask"):
    on_dask = semwidget.fit(lavaan["model"], hs, se="bootstrap", bootstrap=200, seed=7,
                            n_jobs=2)
local = semwidget.fit(lavaan["model"], hs, se="bootstrap", bootstrap=200, seed=7)
assert (on_dask.estimates["se"] - local.estimates["se"]).abs().max() < 1e-10
print("the Dask run and the local run give the same bootstrap SEs")
