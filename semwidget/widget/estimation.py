"""The widget's fit options: which keyword arguments it passes to :func:`semwidget.fit`, and the
two of them the view can change, ``estimator`` and ``ordered`` (synced traits).

``estimator`` is ``""`` for lavaan's default (ML, or WLSMV when the model has ordinal
indicators) or one of the estimator names; ``ordered`` lists the observed variables treated as
ordinal (pandas ordered-categorical columns are ordinal without being listed).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import traitlets

from semwidget.cb.estimate import CATEGORICAL_ESTIMATORS, ESTIMATORS
from semwidget.cb.sample_stats import summary_data
from semwidget.model.partable import model_counts
from semwidget.widget.state import EMPTY_COUNTS, WidgetStateError, describe

SEM_OPTIONS = ("estimator", "missing", "std_lv", "orthogonal", "fixed_x", "se", "n_jobs",
               "boot_ci", "group", "group_equal", "group_partial", "test", "ordered",
               "parameterization",
               # issue 14a: summary statistics instead of data, information, means, growth
               "sample_cov", "sample_mean", "sample_nobs", "information", "meanstructure",
               "kind")
SHARED_OPTIONS = ("bootstrap", "seed")  # CB-SEM with se="bootstrap", and PLS
PLS_OPTIONS = ("scheme", "consistent", "permutations", "interaction", "hoc")
FIT_OPTIONS = SEM_OPTIONS + SHARED_OPTIONS + PLS_OPTIONS

#: The estimator choices, in the order the toolbar lists them ("" = lavaan's default): every
#: estimator :func:`semwidget.fit` takes (a unit test holds the two lists equal).
ESTIMATOR_CHOICES = ("", "ML", "MLR", "MLM", "MLMV", "GLS", "ULS", "WLSMV", "DWLS", "ULSMV", "WLS")


def __getattr__(name: str) -> Any:
    # KNOWN_ESTIMATORS: cb.robust loads scipy.special, which the widget's import can leave to
    # the fit.
    if name == "KNOWN_ESTIMATORS":
        from semwidget.cb.robust import ROBUST_ESTIMATORS

        return frozenset((*ESTIMATORS, *ROBUST_ESTIMATORS, *CATEGORICAL_ESTIMATORS))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_fit_options(engine: str, options: dict[str, Any]) -> dict[str, Any]:
    """The widget's keyword arguments, refusing names :func:`semwidget.fit` does not take.

    Raises
    ------
    TypeError
        Naming the unknown (or PLS-only, with ``engine="sem"``) arguments.
    """
    unknown = [name for name in options if name not in FIT_OPTIONS]
    if unknown:
        raise TypeError(
            f"SEMWidget() got unexpected keyword argument(s) {', '.join(map(repr, unknown))}; "
            f"fit options are {', '.join(FIT_OPTIONS)}"
        )
    if engine == "sem":
        pls_only = [name for name in options if name in PLS_OPTIONS]
        if pls_only:
            raise TypeError(
                f"SEMWidget(): {', '.join(map(repr, pls_only))} only apply to engine='pls'"
            )
    return dict(options)


def split_words(value: Any) -> list[str]:
    """``"loadings, intercepts"`` or a list → a list (as :func:`semwidget.fit` reads them)."""
    if isinstance(value, str):
        return [w.strip() for w in value.split(",") if w.strip()]
    return [str(w) for w in value]


def validate_estimator(value: object) -> str:
    """``""`` (the default) or an estimator name, upper-cased.

    Raises
    ------
    WidgetStateError
        For anything else, listing the choices.
    """
    if value is None:
        return ""
    if not isinstance(value, str) or value.strip().upper() not in ESTIMATOR_CHOICES:
        listed = ", ".join(c for c in ESTIMATOR_CHOICES if c)
        raise WidgetStateError(f"estimator: expected one of {listed} (or '' for the default), "
                               f"got {describe(value)}")
    return value.strip().upper()


def validate_ordered(value: object, latents: list[str] | None = None) -> list[str]:
    """Distinct observed-variable names; a latent variable cannot be ordinal.

    Raises
    ------
    WidgetStateError
        Naming the value at fault.
    """
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise WidgetStateError(f"ordered: expected a list of variable names, got "
                               f"{describe(value)}")
    out: list[str] = []
    for name in value:
        if not isinstance(name, str) or not name:
            raise WidgetStateError(f"ordered: variable names are text, got {describe(name)}")
        if latents is not None and name in latents:
            raise WidgetStateError(f"ordered: '{name}' is a latent variable; only observed "
                                   "variables can be ordinal")
        if name not in out:
            out.append(name)
    return out


class EstimatorTrait(traitlets.TraitType[str, str]):
    """``""`` (lavaan's default) or an estimator name."""

    default_value = ""
    info_text = "an estimator name"

    def validate(self, obj: Any, value: Any) -> str:
        return validate_estimator(value)


class OrderedTrait(traitlets.TraitType[list, list]):
    """Observed variables treated as ordinal."""

    default_value: list = []
    info_text = "a list of observed variable names"

    def validate(self, obj: Any, value: Any) -> list[str]:
        latents = getattr(obj, "_latent_names", None)
        return validate_ordered(value, latents() if callable(latents) else None)


def summary_columns(fit_options: dict[str, Any]) -> list[str]:
    """The variables of ``sample_cov=`` (they stand in for the data's columns), or []."""
    if fit_options.get("sample_cov") is None:
        return []
    return summary_data(fit_options["sample_cov"], fit_options.get("sample_mean"),
                        fit_options.get("sample_nobs")).names


def has_means(fit_options: dict[str, Any]) -> bool:
    """Whether the fit options give the model a mean structure (FIML, meanstructure=True)."""
    return fit_options.get("missing") in ("fiml", "fiml.x", "ml", "ml.x") or \
        bool(fit_options.get("meanstructure")) or fit_options.get("kind") == "growth"


def pls_counts(table: pd.DataFrame) -> dict[str, Any]:
    """What the toolbar counts for a PLS-SEM model: constructs, indicators and paths.

    Free parameters, moments and df are CB-SEM notions (PLS-SEM fits composites, with no
    implied covariance matrix), so they are not shown, and neither is CB-SEM's
    identification check: a construct with one or two indicators is fine in PLS.
    """
    ops, lhs, rhs = (table[c].astype(str) for c in ("op", "lhs", "rhs"))
    measured = ops.isin(["=~", "<~"])
    constructs = set(lhs[measured])
    return {**EMPTY_COUNTS, "npar": None, "moments": None, "df": None, "identified": True,
            "engine": "pls",
            "constructs": len(constructs),
            "indicators": len(set(rhs[measured]) - constructs),
            "paths": int((ops == "~").sum())}


def counts(table: pd.DataFrame, latents: list[str], fit_options: dict[str, Any],
           data: pd.DataFrame | None, engine: str = "sem") -> dict[str, Any]:
    """The model's counts the toolbar shows (free parameters, df, ...) under ``fit_options``;
    with ``group=``, for the number of groups in ``data`` and the equality options; with
    ``engine="pls"``, :func:`pls_counts`."""
    if table.empty:
        return dict(EMPTY_COUNTS)
    if engine == "pls":
        return pls_counts(table)
    column = fit_options.get("group")
    groups: dict[str, Any] = {}
    if column is not None and data is not None and column in data.columns:
        groups = {"groups": int(data[column].nunique()),
                  "group_equal": split_words(fit_options.get("group_equal", ())),
                  "group_partial": split_words(fit_options.get("group_partial", ()))}
    out = model_counts(table, std_lv=bool(fit_options.get("std_lv", False)),
                       orthogonal=bool(fit_options.get("orthogonal", False)),
                       meanstructure=has_means(fit_options), latents=latents, **groups)
    return {key: out[key] for key in EMPTY_COUNTS}
