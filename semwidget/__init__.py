"""semwidget: draw structural equation models in Jupyter and fit them.

The parameter table is the model; syntax, diagram, engines and reports are views of it.
"""

from __future__ import annotations

from typing import Any

from semwidget.cb.simulate import simulate
from semwidget.errors import DataError, ModelSpecError, ModelSyntaxError, SemWidgetError
from semwidget.fitting import fit
from semwidget.model import emit, parse
from semwidget.tables.compare import compare
from semwidget.tables.fit_result import FitResult
from semwidget.tables.invariance import invariance
from semwidget.tables.nesting import compare_models, nesting

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "FitResult",
    "ModelSpecError",
    "ModelSyntaxError",
    "SEMWidget",
    "SemWidgetError",
    "__version__",
    "compare",
    "compare_models",
    "datasets",
    "emit",
    "explore",
    "fit",
    "invariance",
    "nesting",
    "parse",
    "power",
    "simulate",
]


def __getattr__(name: str) -> Any:
    if name == "power":
        # the Monte Carlo machinery (joblib) loads on first use
        from semwidget.tables.power import power as func

        globals()["power"] = func
        return func
    if name == "explore":
        # factor_analyzer (scikit-learn) is slow to import: load on first use.
        from semwidget.tables.explore import explore as func

        globals()["explore"] = func
        return func
    # The widget (anywidget, mini-racer) and the data sets load on first use.
    if name == "SEMWidget":
        from semwidget.widget.widget import SEMWidget

        return SEMWidget
    if name == "datasets":
        import semwidget.datasets as datasets

        return datasets
    raise AttributeError(f"module 'semwidget' has no attribute {name!r}")
