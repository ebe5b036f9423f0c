"""semwidget: draw structural equation models in Jupyter and fit them."""

from __future__ import annotations

from semwidget.errors import DataError, ModelSpecError, ModelSyntaxError, SemWidgetError

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "ModelSpecError",
    "ModelSyntaxError",
    "SemWidgetError",
    "__version__",
]
