# %% [markdown]
# # Draw a model
#
# `SEMWidget` is the drawing: latent constructs are ellipses, observed indicators rectangles,
# paths and covariances are drawn with the mouse, and the syntax panel beside the diagram is
# the same model written in lavaan syntax. Editing either updates the other; every edit refits
# at once (`auto_fit=False` turns that off). On this static page each widget is shown as the
# SVG the widget's own renderer draws (`w.to_svg()`).
#
# In JupyterLab: drag columns from the palette onto the canvas, pick the *latent* tool to add
# an ellipse, and draw `=~` arrows from a latent to its indicators. Here the same model comes
# from syntax.

# %%
import golden

import semwidget
from semwidget import datasets

hs = datasets.load("hs1939")
w = semwidget.SEMWidget(data=hs, syntax="visual =~ x1 + x2 + x3")
w.counts   # the live parameter counter the toolbar shows

# %% [markdown]
# One factor with three indicators is just identified (df = 0). Add two more factors: the
# syntax is the model, so setting it redraws the diagram and refits.

# %%
w.syntax = """
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"""
w.wait_for_auto_fit()
assert w.counts["df"] == 24 and w.counts["identified"]
w

# %% [markdown]
# The diagram shows the standardized coefficients with significance stars and R². Hovering an
# edge in the notebook shows estimate, SE, z, p and CI; from code they are in `w.results`.
# They are lavaan's: this repository keeps lavaan 0.6.14's output for this model in
# `tests/golden/hs_cfa.json` (made by `tests/golden/make_lavaan_golden.R`).

# %%

lavaan = golden.load("tests/golden/hs_cfa.json")
for ref in lavaan["estimates"]:
    if ref["op"] == "=~":
        edge = w.results["edges"][f"{ref['lhs']} =~ {ref['rhs']}"]
        assert abs(edge["std"] - ref["std.all"]) < 0.003, (ref["rhs"], edge["std"])
edge = w.results["edges"]["visual =~ x2"]
x2 = next(r for r in lavaan["estimates"] if r["op"] == "=~" and r["rhs"] == "x2")
print(f"visual =~ x2: standardized {edge['std']:.3f} (lavaan {x2['std.all']:.3f})")

# %% [markdown]
# ## What the toolbar does, from code
#
# | toolbar | code |
# | --- | --- |
# | Fit | `w.fit()` (returns the [`FitResult`](../../api/results/#semwidget.FitResult)) |
# | Layout | `w.auto_layout()` |
# | Suggest | `w.show_modindices(k=5)`, then `w.add_ghost("visual =~ x9")` |
# | Indirect | `w.add_indirect("visual", "speed")` |
# | SVG, PNG | `w.save_svg(path)`, `w.save_png(path)` |
# | Save / Load | `w.save(path)`, `w.load(path)` |
#
# Edits the syntax cannot express (node positions) are kept in `w.positions` and in the
# diagram file `w.save()` writes.

# %%
mi = w.show_modindices(k=3)
assert (mi.iloc[0].lhs, mi.iloc[0].rhs) == ("visual", "x9")    # lavaan: mi 36.411
mi[["lhs", "op", "rhs", "mi", "epc"]].round(3)
