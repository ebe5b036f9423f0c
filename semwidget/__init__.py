"""semwidget: draw structural equation models in Jupyter and fit them.

The parameter table is the model; syntax, diagram, engines and reports are views of it.
"""

from __future__ import annotations

from typing import Any

from semwidget.errors import DataError, ModelSpecError, ModelSyntaxError, SemWidgetError
from semwidget.fitting import fit, growth
from semwidget.model import emit, parse
from semwidget.tables.fit_result import FitResult
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
    "cov_matrix",
    "datasets",
    "emit",
    "explore",
    "fit",
    "growth",
    "invariance",
    "nesting",
    "parse",
    "power",
    "simulate",
]


#: Public functions a first fit does not need: loaded on first use (PEP 562), so that
#: ``import semwidget`` stays quick while ``semwidget.simulate`` etc. work as before.
_LAZY = {
    "simulate": ("semwidget.cb.simulate", "simulate"),
    "cov_matrix": ("semwidget.cb.sample_stats", "cov_frame"),
    "compare": ("semwidget.tables.compare", "compare"),
    "invariance": ("semwidget.tables.invariance", "invariance"),
    # the Monte Carlo machinery (joblib) loads on first use
    "power": ("semwidget.tables.power", "power"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        func = getattr(importlib.import_module(module), attr)
        globals()[name] = func
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


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
