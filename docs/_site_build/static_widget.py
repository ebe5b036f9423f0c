"""IPython start-up file of the kernels that execute the docs' notebooks.

A static page cannot run the widget's JavaScript, so every ``SEMWidget`` a notebook displays is
shown as the SVG of the same renderer the browser uses (``SEMWidget.to_svg``), after any
pending automatic refit has finished, so the picture has the fitted coefficients.
"""

from IPython import get_ipython


def _static_svg(widget):
    widget.wait_for_auto_fit(timeout=120)
    return {"image/svg+xml": widget.to_svg(), "text/plain": "SEMWidget (static picture)"}


get_ipython().display_formatter.mimebundle_formatter.for_type_by_name(
    "semwidget.widget.widget", "SEMWidget", _static_svg)
