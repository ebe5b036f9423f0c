# %% [markdown]
# # Exporting figures and APA tables
#
# The diagram exports as SVG (vector, for the paper) or PNG (for slides), from the same
# renderer the widget draws with, without a browser. The tables export as Markdown, LaTeX
# (booktabs) or HTML, formatted by APA rules (no leading zero for bounded numbers, *p* < .001).

# %%
import tempfile
from pathlib import Path

import golden
from IPython.display import SVG, Image

import semwidget
from semwidget import datasets

poldem = datasets.load("poldem")
lavaan = golden.load("tests/golden/poldem_sem.json")
w = semwidget.SEMWidget(data=poldem, syntax=lavaan["model"])
result = w.fit()
out = Path(tempfile.mkdtemp())
w.save_svg(out / "poldem.svg")
w.save_png(out / "poldem.png", scale=1.5)
print(sorted(p.name for p in out.iterdir()))
SVG(filename=str(out / "poldem.svg"))

# %% [markdown]
# The coefficients on the figure are the standardized estimates, lavaan's `std.all`:

# %%
svg = (out / "poldem.svg").read_text()
ref = {(r["lhs"], r["op"], r["rhs"]): r["std.all"] for r in lavaan["estimates"]}
coef = f"{ref[('dem65', '~', 'dem60')]:.2f}".lstrip("0")
assert 'data-role="coef"' in svg and coef in svg
print("dem65 ~ dem60 is drawn as", coef)

# %%
Image(filename=str(out / "poldem.png"), width=480)

# %% [markdown]
# From the command line the same figure is one flag:
# `semwidget fit model.lav data.csv --svg model.svg --png model.png`.
#
# ## APA tables

# %%
rep = result.report(hypotheses={"dem60 ~ ind60": "H1", "dem65 ~ dem60": "H2"})
print(rep.to_markdown()[:1200])

# %%
latex = rep.to_latex()
assert "\\toprule" in latex and "RMSEA" in latex
rep.save(out / "tables.tex")
rep.save(out / "tables.html")
print(latex[:600])

# %% [markdown]
# `rep` renders as HTML in the notebook; `rep["Model fit"]` is one table as a DataFrame.

# %%
rep["Structural paths"]
