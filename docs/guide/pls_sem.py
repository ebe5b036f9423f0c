# %% [markdown]
# # PLS-SEM the SmartPLS way
#
# `engine="pls"` estimates a PLS path model as SmartPLS and seminr do: Mode A blocks written
# `=~` (reflective), Mode B blocks written `<~` (formative), the path weighting scheme,
# standardized indicators, mean replacement of missing values, 300 iterations at most and a
# stop criterion of 1e-7. `consistent=True` is PLSc. The quality criteria SmartPLS reports are
# attributes of the result.

# %%

import golden
import pandas as pd

import semwidget

seminr = golden.load("tests/golden_pls/mobi_path.json")
mobi = pd.read_csv(golden.ROOT / "tests/golden_pls/data/mobi.csv")
print(seminr["syntax"])
pls = semwidget.fit(seminr["syntax"], mobi, engine="pls")
pls.estimates[pls.estimates.op == "~"][["lhs", "op", "rhs", "est"]].round(3)

# %% [markdown]
# ## Checked against seminr
#
# `tests/golden_pls/mobi_path.json` is seminr's `estimate_pls` on the ECSI mobile-phone data
# (made by `tests/golden_pls/make_pls_golden.py`); the test suite holds the two programs to
# 1e-6.

# %%
paths = pls.estimates[pls.estimates.op == "~"].set_index(["rhs", "lhs"])["est"]
for source, target, value in seminr["estimates"]["paths"]:
    assert abs(paths[(source, target)] - value) < 1e-6, (source, target)
for construct, values in seminr["estimates"]["reliability"].items():
    for key, value in values.items():
        assert abs(pls.reliability.loc[construct, key] - value) < 1e-6, (construct, key)
for construct, value in seminr["estimates"]["r2"].items():
    assert abs(pls.r2[construct] - value) < 1e-6
print("paths, α, ρ_A, ρ_C, AVE and R² match seminr")
pls.reliability.round(3)

# %% [markdown]
# | SmartPLS report | semwidget |
# | --- | --- |
# | Path coefficients | `pls.estimates` (`op == "~"`) |
# | Outer loadings, outer weights | `pls.loadings`, `pls.weights` |
# | R², R² adjusted | `pls.r2`, `pls.r2_adj` |
# | f² | `pls.f2` |
# | Construct reliability and validity | `pls.reliability` (`alpha rho_a rho_c ave`) |
# | Discriminant validity: HTMT, Fornell–Larcker, cross loadings | `pls.htmt`, `pls.fornell_larcker`, `pls.cross_loadings` |
# | Collinearity statistics (VIF) | `pls.vif` |
# | Model fit: SRMR (saturated) | `pls.srmr` |
# | Specific indirect, total indirect, total effects | `pls.indirect` |
# | Bootstrapping (t values, p values, CIs) | `bootstrap=5000, seed=...`: the `se t pvalue ci_lower ci_upper` columns |

# %%
htmt = pls.htmt.set_index(["a", "b"])["est"]
for a, b, value in seminr["estimates"]["htmt"]:
    got = htmt.get((a, b), htmt.get((b, a)))
    assert abs(got - value) < 1e-6, (a, b)
pls.htmt.round(3)

# %% [markdown]
# ## Bootstrap
#
# SmartPLS's default bootstrap draws 5000 resamples without sign changes; the batched
# bootstrap does that in about a second. seminr draws its resamples from the same random
# stream, so with the same seed the two fit the same resamples.

# %%
boot = semwidget.fit(seminr["syntax"], mobi, engine="pls", bootstrap=1000, seed=20240611)
ref = next(b for b in seminr["bootstrap"] if b["nboot"] == 1000)
paths_boot = boot.estimates[boot.estimates.op == "~"].set_index(["rhs", "lhs"])
for source, target, stats in ref["paths"]:
    assert abs(paths_boot.loc[(source, target), "se"] - stats["se"]) < 1e-6, (source, target)
paths_boot[["est", "se", "t", "pvalue", "ci_lower", "ci_upper"]].round(3)

# %%
w = semwidget.SEMWidget(data=mobi, syntax=seminr["syntax"], engine="pls")
w
