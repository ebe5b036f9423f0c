"""semwidget: draw structural equation models in Jupyter and fit them.

The parameter table is the model; syntax, diagram, engines and reports are views of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from semwidget.errors import DataError, ModelSpecError, ModelSyntaxError, SemWidgetError

if TYPE_CHECKING:
    from semwidget import datasets
    from semwidget.cb.sample_stats import cov_frame as cov_matrix
    from semwidget.cb.simulate import simulate
    from semwidget.fitting import fit, growth
    from semwidget.model import emit, parse
    from semwidget.tables.compare import compare
    from semwidget.tables.explore import explore
    from semwidget.tables.fit_result import FitResult
    from semwidget.tables.invariance import invariance
    from semwidget.tables.nesting import compare_models, nesting
    from semwidget.tables.power import power
    from semwidget.widget.widget import SEMWidget

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


#: Every public name but the error types loads on first use (PEP 562): ``import semwidget``
#: then loads neither pandas nor scipy (issue 16), while ``semwidget.fit`` and
#: ``from semwidget import fit`` work as before. Name -> (module, attribute; None: the module).
_LAZY: dict[str, tuple[str, str | None]] = {
    "fit": ("semwidget.fitting", "fit"),
    "growth": ("semwidget.fitting", "growth"),
    "parse": ("semwidget.model", "parse"),
    "emit": ("semwidget.model", "emit"),
    "FitResult": ("semwidget.tables.fit_result", "FitResult"),
    "compare_models": ("semwidget.tables.nesting", "compare_models"),
    "nesting": ("semwidget.tables.nesting", "nesting"),
    "simulate": ("semwidget.cb.simulate", "simulate"),
    "cov_matrix": ("semwidget.cb.sample_stats", "cov_frame"),
    "compare": ("semwidget.tables.compare", "compare"),
    "invariance": ("semwidget.tables.invariance", "invariance"),
    # the Monte Carlo machinery (joblib) loads on first use
    "power": ("semwidget.tables.power", "power"),
    # factor_analyzer (scikit-learn) is slow to import
    "explore": ("semwidget.tables.explore", "explore"),
    # the widget (anywidget, mini-racer) and the data sets (pandas)
    "SEMWidget": ("semwidget.widget.widget", "SEMWidget"),
    "datasets": ("semwidget.datasets", None),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'semwidget' has no attribute {name!r}")
    import importlib

    module, attr = _LAZY[name]
    loaded = importlib.import_module(module)
    value = loaded if attr is None else getattr(loaded, attr)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
