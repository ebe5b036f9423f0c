"""Every fit of a widget kept as a version: syntax, options, fit measures and the layout beside it.

:class:`History` records a :class:`Version` per fit (a refit of an unchanged model and options
updates the last version instead of adding one), lists them as a DataFrame, compares two of
them — the comparison table with nesting checked (:func:`semwidget.tables.nesting.compare_models`)
and the diagram diff (edges added, removed, freed, fixed) — and writes itself into and reads
itself from diagram files.

The diff is over the full parameter tables (defaults included), so ``orthogonal=True`` or
``visual ~~ 0*speed`` show as the covariances they fix. Edge keys are those of
``results["edges"]`` (``"lhs op rhs"``), so the front end can highlight them directly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import pandas as pd

from semwidget.errors import DataError, ModelSpecError, SemWidgetError
from semwidget.widget import state as widget_state

if TYPE_CHECKING:
    from semwidget.tables.compare import Comparison

__all__ = ["DiagramDiff", "History", "HistoryComparison", "Version", "versions_from_json"]

#: The fit measures kept with each version (and listed by ``w.history``).
MEASURES = ("npar", "df", "chisq", "pvalue", "cfi", "tli", "rmsea", "srmr", "aic", "bic")
#: Versions kept; the oldest go first (a session of edits does not grow without bound).
MAX_VERSIONS = 500
_MODEL_OPS = ("=~", "~", "~~", "~1", "<~")

@dataclass
class Version:
    """One fit of the widget.

    Attributes
    ----------
    number : int
        1, 2, ... in the order fitted (kept when old versions are dropped).
    syntax : str
        The model fitted.
    options : dict
        The engine and fit options (``{"engine": "sem", "estimator": "MLR", ...}``).
    fit : dict
        The fit measures of :data:`MEASURES` (NaN where the engine has none).
    positions : dict
        The node centres when it was fitted.
    edges : dict
        ``"lhs op rhs"`` → ``{"free": bool, "value": float | None, "label": str}`` for every
        row of the full parameter table (defaults included).
    time : str
        When it was fitted (ISO 8601, UTC).
    result : FitResult or None
        The fit itself (not saved in files; refitted when a comparison needs it).
    """

    number: int
    syntax: str
    options: dict[str, Any]
    fit: dict[str, float]
    positions: dict[str, dict[str, float]] = field(default_factory=dict)
    edges: dict[str, dict[str, Any]] = field(default_factory=dict)
    time: str = ""
    result: Any = field(default=None, repr=False, compare=False)

    def to_json(self, panel: bool = False) -> dict[str, Any]:
        """The JSON object kept in diagram files; with ``panel``, the History panel's row (no
        positions or edges, see :meth:`History.payload`)."""
        out = {"number": self.number, "time": self.time, "syntax": self.syntax,
               "options": widget_state.finite_json(self.options, "options"),
               "fit": {k: widget_state.json_number(v) for k, v in self.fit.items()}}
        if panel:
            return out
        return {**out, "positions": self.positions,
                "edges": widget_state.finite_json(self.edges)}


def _number(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out if math.isfinite(out) else math.nan


def _edges(result: Any, syntax: str) -> dict[str, dict[str, Any]]:
    """Every parameter row of a fit as ``key → {free, value, label}`` (first group only)."""
    table = getattr(result, "table", None)
    if not isinstance(table, pd.DataFrame) or "free" not in table.columns:
        from semwidget.pls.model import parse_model  # PLS: the model as written (a:b too)

        table = parse_model(syntax)
    if "group" in table.columns:
        table = table[table["group"] <= 1]
    value_col = "est" if "est" in table.columns else "ustart"
    out: dict[str, dict[str, Any]] = {}
    for row in table.to_dict("records"):
        if row["op"] not in _MODEL_OPS:
            continue
        key = widget_state.edge_key(str(row["lhs"]), str(row["op"]),
                                    "" if row["op"] == "~1" else str(row["rhs"]))
        value = _number(row.get(value_col))
        out.setdefault(key, {"free": int(row["free"]) > 0,
                             "value": None if math.isnan(value) else value,
                             "label": str(row.get("label") or "")})
    return out


@dataclass
class DiagramDiff:
    """What changed from one version's diagram to another's (edge keys as in ``results``)."""

    added: list[str]
    removed: list[str]
    freed: list[str]
    fixed: list[str]
    relabelled: list[str]

    def payload(self) -> dict[str, list[str]]:
        """The edge keys by change: ``added removed freed fixed relabelled``."""
        return {"added": self.added, "removed": self.removed, "freed": self.freed,
                "fixed": self.fixed, "relabelled": self.relabelled}

    def frame(self) -> pd.DataFrame:
        """One row per changed edge: ``edge change``."""
        rows = [(edge, change) for change, edges in self.payload().items() for edge in edges]
        return pd.DataFrame(rows, columns=["edge", "change"])


def diagram_diff(a: Version, b: Version) -> DiagramDiff:
    """Edges of ``b`` against ``a``: added, removed, freed (fixed in ``a``), fixed, relabelled."""
    ea, eb = a.edges, b.edges
    both = [k for k in eb if k in ea]
    return DiagramDiff(
        added=[k for k in eb if k not in ea],
        removed=[k for k in ea if k not in eb],
        freed=[k for k in both if eb[k]["free"] and not ea[k]["free"]],
        fixed=[k for k in both if ea[k]["free"] and not eb[k]["free"]],
        relabelled=[k for k in both if ea[k]["label"] != eb[k]["label"]])


@dataclass
class HistoryComparison:
    """Two versions compared: the table (``None`` for PLS fits) and the diagram diff."""

    first: int
    second: int
    comparison: Comparison | None
    diff: DiagramDiff

    @property
    def table(self) -> pd.DataFrame:
        """The comparison numbers (``compare_models``), or the fit measures side by side."""
        if self.comparison is None:
            raise ModelSpecError("PLS fits have no likelihood-ratio comparison; see .diff")
        return self.comparison.table

    def payload(self) -> dict[str, Any]:
        """What the front end draws: the two versions, the diff and the table rows."""
        rows = [] if self.comparison is None else [
            {"model": str(name), **{k: (v if isinstance(v, str) else widget_state.json_number(v))
                                    for k, v in row.items()}}
            for name, row in self.comparison.table.iterrows()]
        sentence = "" if self.comparison is None else self.comparison.apa()
        return {"versions": [self.first, self.second], **self.diff.payload(),
                "table": rows, "sentence": sentence}

    def _repr_html_(self) -> str:
        parts = [] if self.comparison is None else [self.comparison.to_html()]
        return "".join(parts) + self.diff.frame().to_html(index=False)


class History:
    """The versions of one widget, oldest first."""

    def __init__(self) -> None:
        self.versions: list[Version] = []

    def record(self, result: Any, syntax: str, options: Mapping[str, Any],
               positions: Mapping[str, Mapping[str, float]]) -> Version:
        """Keep a fit as a new version, or update the last one when nothing changed.

        ``options`` are :func:`semwidget.fit`'s keywords; the engine is read from ``result``.
        """
        options = {"engine": getattr(result, "engine", "sem"), **options}
        fm = getattr(result, "fit_measures", None) or {}
        fit = {k: _number(fm.get(k)) for k in MEASURES}
        if getattr(result, "engine", "sem") == "pls" and "srmr" in dir(result):
            fit["srmr"] = _number(getattr(result, "srmr", math.nan))
        version = Version(
            number=self.versions[-1].number + 1 if self.versions else 1, syntax=syntax,
            options=dict(options), fit=fit,
            positions={k: dict(v) for k, v in positions.items()},
            edges=_edges(result, syntax),
            time=datetime.now(timezone.utc).isoformat(timespec="seconds"), result=result)
        last = self.versions[-1] if self.versions else None
        if last is not None and last.syntax == syntax and last.options == version.options:
            version.number = last.number
            self.versions[-1] = version
        else:
            self.versions.append(version)
            del self.versions[:-MAX_VERSIONS]
        return version

    def get(self, number: int) -> Version:
        """The version with this number.

        Raises
        ------
        ModelSpecError
            If there is none (naming the numbers there are).
        """
        for v in self.versions:
            if v.number == number:
                return v
        have = (f"{self.versions[0].number} to {self.versions[-1].number}" if self.versions
                else "none yet: fit the model first")
        raise ModelSpecError(f"there is no version {number!r} in the history (versions: "
                             f"{have})")

    def frame(self) -> pd.DataFrame:
        """One row per version: ``time engine syntax`` and the fit measures; index ``version``."""
        rows = [{"time": v.time, "engine": v.options.get("engine", "sem"),
                 "syntax": v.syntax, **v.fit} for v in self.versions]
        out = pd.DataFrame(rows, columns=["time", "engine", "syntax", *MEASURES],
                           index=pd.Index([v.number for v in self.versions], name="version"))
        return out

    def compare(self, i: int, j: int, data: pd.DataFrame | None) -> HistoryComparison:
        """Versions ``i`` and ``j`` compared.

        Parameters
        ----------
        i, j : int
            Version numbers (the index of :meth:`frame`).
        data : DataFrame or None
            The data, to refit versions read from a file (their fits are not saved).

        Returns
        -------
        HistoryComparison
            ``.table`` (:func:`~semwidget.tables.nesting.compare_models`: nesting checked,
            Δχ² — scaled for robust estimators —, Δdf, p, ΔCFI, ΔRMSEA, AIC, BIC) and
            ``.diff`` (edges added, removed, freed, fixed, relabelled from ``i`` to ``j``).
        """
        from semwidget.fitting import fit
        from semwidget.tables.nesting import compare_models

        a, b = self.get(i), self.get(j)
        for v in (a, b):
            if v.result is None:
                if data is None:
                    raise DataError(f"version {v.number} was read from a file and is refitted "
                                    "to be compared: set the widget's data first")
                v.result = fit(v.syntax, data, **v.options)
        diff = diagram_diff(a, b)
        engines = {a.options.get("engine", "sem"), b.options.get("engine", "sem")}
        if engines != {"sem"}:
            return HistoryComparison(i, j, None, diff)
        table = compare_models(a.result, b.result, names=[f"version {i}", f"version {j}"])
        return HistoryComparison(i, j, table, diff)

    def compare_into(self, results: dict[str, Any], i: int, j: int, data: pd.DataFrame | None
                     ) -> tuple[dict[str, Any], HistoryComparison]:
        """:meth:`compare`, and ``results`` with the comparison's payload as ``"diff"``."""
        out = self.compare(i, j, data)
        return {**results, "diff": out.payload()}, out

    def payload(self) -> list[dict[str, Any]]:
        """The versions for the front end's history panel: number, time, syntax, options and
        fit measures. Positions and edges stay in the kernel (and in saved files): the whole
        list is sent after every fit, and with them a 100-node model's 20 versions were
        400 kB a refit instead of 25 kB."""
        return [version.to_json(panel=True) for version in self.versions]

    def load(self, versions: list[Version]) -> list[dict[str, Any]]:
        """Replace the versions by those read from a file; returns the new :meth:`payload`."""
        self.versions = list(versions)
        return self.payload()


def _field(entry: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str
           ) -> Any:
    value = entry.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise SemWidgetError(f"{where}: '{key}' must be {getattr(kind, '__name__', kind)}, "
                             f"found {widget_state.describe(value)}")
    return value


def versions_from_json(data: object) -> list[Version]:
    """Validate the ``history`` field of a diagram file.

    Raises
    ------
    SemWidgetError
        Naming the version and the field at fault.
    """
    if not isinstance(data, list):
        raise SemWidgetError(f"'history' must be a list of versions, found "
                             f"{widget_state.describe(data)}")
    out: list[Version] = []
    for k, entry in enumerate(data):
        where = f"history[{k}]"
        if not isinstance(entry, Mapping):
            raise SemWidgetError(f"{where}: expected an object, found "
                                 f"{widget_state.describe(entry)}")
        number = _field(entry, "number", int, where)
        if out and number <= out[-1].number:
            raise SemWidgetError(f"{where}: version numbers must increase, found {number} "
                                 f"after {out[-1].number}")
        fit = _field(entry, "fit", dict, where)
        edges = _field(entry, "edges", dict, where)
        for key, edge in edges.items():
            if not isinstance(edge, Mapping) or not isinstance(edge.get("free"), bool):
                raise SemWidgetError(f"{where}: edge {key!r} must be an object with 'free' "
                                     "true or false")
        out.append(Version(
            number=number, syntax=_field(entry, "syntax", str, where),
            options=dict(_field(entry, "options", dict, where)),
            fit={str(m): _number(fit.get(m)) for m in MEASURES},
            positions=widget_state.validate_layout(entry.get("positions", {})),
            edges={str(k): {"free": e["free"], "value": e.get("value"),
                            "label": str(e.get("label") or "")} for k, e in edges.items()},
            time=str(entry.get("time", ""))))
    return out
