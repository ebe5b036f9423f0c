"""semwidget: draw structural equation models in Jupyter and fit them.

The parameter table is the model; syntax, diagram, engines and reports are views of it.
"""

from __future__ import annotations

from typing import Any

from semwidget.errors import DataError, ModelSpecError, ModelSyntaxError, SemWidgetError
from semwidget.fitting import fit
from semwidget.results import FitResult
from semwidget.syntax import emit, parse

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "FitResult",
    "ModelSpecError",
    "ModelSyntaxError",
    "SEMWidget",
    "SemWidgetError",
    "__version__",
    "datasets",
    "emit",
    "explore",
    "fit",
    "parse",
    "simulate",
]


def __getattr__(name: str) -> Any:
    # Heavier pieces (widget, data sets, exploration) load on first use.
    if name == "SEMWidget":
        from semwidget.widget import SEMWidget

        return SEMWidget
    if name == "datasets":
        import semwidget.datasets as datasets

        return datasets
    if name == "simulate":
        from semwidget.simulate import simulate

        return simulate
    if name == "explore":
        from semwidget.explore import explore

        return explore
    raise AttributeError(f"module 'semwidget' has no attribute {name!r}")
