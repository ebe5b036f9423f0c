# %% [markdown]
# # Reliability and validity for a paper
#
# The measurement-model tables reviewers ask for: Cronbach's α, composite reliability (CR),
# average variance extracted (AVE) and McDonald's ω per construct; discriminant validity by
# the Fornell–Larcker criterion, HTMT and cross-loadings.

# %%

import golden
import numpy as np

import semwidget
from semwidget import datasets

hs = datasets.load("hs1939")
semtools = golden.load("tests/golden/semtools_hs_cfa.json")
result = semwidget.fit(semtools["model"], hs)
rel = result.reliability()
rel.round(3)

# %% [markdown]
# ## Checked against semTools
#
# `tests/golden/semtools_hs_cfa.json` was written by `tests/golden/make_semtools_golden.R` with
# semTools 0.5.6 on lavaan 0.6.14: `compRelSEM(fit)` (ω from the observed total variance),
# `compRelSEM(fit, obs.var = FALSE)`, `compRelSEM(fit, tau.eq = TRUE)` (α), `AVE(fit)`, and
# the textbook CR and AVE from the standardized loadings.

# %%
pairs = {"alpha": semtools["alpha_textbook"], "cr": semtools["cr_textbook"],
         "ave": semtools["ave_textbook"], "omega": semtools["compRelSEM"]["omega"],
         "omega_implied": semtools["compRelSEM"]["omega_implied_var"],
         "ave_semtools": semtools["AVE"]}
for column, reference in pairs.items():
    for construct, value in reference.items():
        assert abs(rel.loc[construct, column] - value) < 1e-3, (column, construct)
print("α, CR, AVE and ω match semTools for", ", ".join(semtools["constructs"]))

# %% [markdown]
# ## Discriminant validity
#
# `result.validity()` returns the three criteria with pass/fail flags (HTMT below .85 by
# default; `thresholds=` changes it).

# %%
val = result.validity()
names = semtools["htmt"]["names"]
reference = np.array(semtools["htmt"]["matrix"])   # semTools::htmt(model, data)
htmt = val.htmt
print(htmt.round(3))

# %%
ours = htmt.loc[names, names].to_numpy(dtype=float)
lower = np.tril_indices(len(names), -1)
assert np.abs(ours[lower] - reference[lower]).max() < 1e-3
val.fornell_larcker.round(3)

# %% [markdown]
# ## One table for the paper
#
# `result.report()` puts the measurement model (loadings, α, CR, AVE), fit, paths and the
# validity criteria into one object that renders here and saves as Markdown, LaTeX or HTML
# (see [Exporting figures and APA tables](../export/)).

# %%
result.report()["Measurement model"]
