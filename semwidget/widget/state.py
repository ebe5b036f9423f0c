"""The widget's synced state: conversions and validation at the Python ⇄ JS boundary.

Everything the front end sends arrives here first. Each validator either returns a normalised
value or raises :class:`WidgetStateError` naming the field and the value at fault, so the widget
can refuse the update, keep its current model and show the sentence in ``error``.

The functions are pure (no widget needed) so the CLI and the SVG export build the same state.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import traitlets

from semwidget.errors import SemWidgetError
from semwidget.model.grammar import COLUMNS, NAME, RESERVED

#: Columns of the user table, in the order of docs/architecture.md.
TABLE_COLUMNS = COLUMNS
_INT_COLUMNS = ("id", "user", "free", "freed")
_INTERNAL_LABEL = re.compile(r"^\.p\d+\.$")
_STR_COLUMNS = ("lhs", "op", "rhs", "label")

#: Operators whose sides are variable names (drawn as nodes); ``:=``, ``==``, ``<``, ``>`` are not.
NODE_OPS = ("=~", "<~", "~", "~~", "~1")
#: Operators whose left-hand side is a construct (drawn as an ellipse).
LATENT_OPS = ("=~", "<~")

DEFAULT_OPTIONS: dict[str, bool | int] = {
    "standardized": True,
    "stars": True,
    "r2": True,
    "se": False,
    "ci": False,
    "residuals": False,
    "defaults": True,
    "signs": False,
    "errors": False,
    "digits": 2,
}
_MAX_DIGITS = 6
#: The largest |x| or |y| of a node: far beyond any drawing, and small enough that every size
#: derived from positions stays finite (a PNG that large is refused by its own pixel limits).
MAX_COORDINATE = 1e6

EMPTY_COUNTS: dict[str, Any] = {
    "npar": 0,
    "moments": 0,
    "df": 0,
    "identified": False,
    "message": "",
}

ENGINES = ("sem", "pls")

class WidgetStateError(SemWidgetError, traitlets.TraitError):
    """A value for a widget trait that cannot be accepted (wrong type, unknown node, ...).

    It is both a :class:`~semwidget.errors.SemWidgetError` (for callers that catch the package's
    errors) and a :class:`traitlets.TraitError` (so traitlets refuses the assignment).
    """


def describe(value: object) -> str:
    """A short, safe description of a value for an error message (huge values summarised)."""
    return _describe(value)


def _describe(value: object) -> str:
    # repr of a huge int is itself slow and huge: describe those by size.
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    if isinstance(value, str) and len(value) > 60:
        value = value[:60]
    try:
        text = repr(value)
    except (ValueError, RecursionError):  # ints beyond Python's digit limit, deep nesting
        return f"a {type(value).__name__} too large to show"
    return text if len(text) <= 60 else text[:57] + "..."


def _is_number(value: object) -> bool:
    # bool is an int subclass, but True is not a coordinate.
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


# --------------------------------------------------------------------------- validation


def validate_name(name: object, what: str) -> str:
    """Return ``name`` if it is a valid variable name, else raise naming ``what`` it was for."""
    if not isinstance(name, str):
        raise WidgetStateError(f"{what}: expected a name (text), got {_describe(name)}")
    if not NAME.fullmatch(name) or name in RESERVED:
        raise WidgetStateError(
            f"{what}: {name!r} is not a valid variable name (start with a letter, then letters, "
            "digits, '_' or '.')"
        )
    return name


def validate_latents(value: object) -> list[str]:
    """Validate the ``latents`` trait: a list of distinct variable names."""
    if not isinstance(value, (list, tuple)):
        raise WidgetStateError(f"latents: expected a list of names, got {_describe(value)}")
    names = [validate_name(item, "latents") for item in value]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise WidgetStateError(f"latents: {name!r} is listed twice")
        seen.add(name)
    return names


def validate_position(name: str, value: object) -> dict[str, float]:
    """Validate one layout entry ``{"x": number, "y": number}``."""
    if not isinstance(value, Mapping):
        raise WidgetStateError(
            f"positions[{name!r}]: expected {{'x': number, 'y': number}}, got {_describe(value)}"
        )
    extra = sorted(set(value) - {"x", "y"}, key=str)
    if extra:
        raise WidgetStateError(
            f"positions[{name!r}]: unexpected key(s) {', '.join(map(repr, extra))}; "
            "only 'x' and 'y' are allowed"
        )
    position: dict[str, float] = {}
    for axis in ("x", "y"):
        if axis not in value:
            raise WidgetStateError(f"positions[{name!r}]: missing {axis!r}")
        coordinate = value[axis]
        if not _is_number(coordinate) or not math.isfinite(coordinate):
            raise WidgetStateError(
                f"positions[{name!r}][{axis!r}]: expected a finite number, "
                f"got {_describe(coordinate)}"
            )
        if abs(coordinate) > MAX_COORDINATE:
            raise WidgetStateError(
                f"layout[{name!r}][{axis!r}]: {float(coordinate):.6g} is off the drawing; "
                f"coordinates lie between -{MAX_COORDINATE:g} and {MAX_COORDINATE:g}"
            )
        position[axis] = float(coordinate)
    return position


def validate_layout(
    value: object, known: Iterable[str] | None = None
) -> dict[str, dict[str, float]]:
    """Validate the ``positions`` trait.

    Parameters
    ----------
    value : object
        The candidate mapping ``name -> {"x": float, "y": float}``.
    known : iterable of str, optional
        Names that may have a position (the model's nodes, drawn latents and data columns).
        ``None`` skips the check (used when no model exists yet, e.g. reading a file).

    Returns
    -------
    dict
        A new mapping with float coordinates.

    Raises
    ------
    WidgetStateError
        Naming the first entry at fault, or every unknown node name.
    """
    if not isinstance(value, Mapping):
        raise WidgetStateError(
            f"positions: expected a mapping of node name to {{'x', 'y'}}, got {_describe(value)}"
        )
    layout: dict[str, dict[str, float]] = {}
    for name, position in value.items():
        if not isinstance(name, str):
            raise WidgetStateError(f"positions: node names must be text, got {_describe(name)}")
        layout[name] = validate_position(name, position)
    if known is not None:
        known_set = set(known)
        unknown = [name for name in layout if name not in known_set]
        if unknown:
            listed = ", ".join(repr(name) for name in unknown)
            raise WidgetStateError(
                f"positions: unknown node name(s) {listed}; they are not in the model, "
                "the drawn latents or the data columns"
            )
    return layout


def validate_options(
    value: object, current: Mapping[str, bool | int] | None = None
) -> dict[str, bool | int]:
    """Validate the display ``options``; keys left out keep their ``current`` (or default) value."""
    if not isinstance(value, Mapping):
        raise WidgetStateError(f"options: expected a mapping, got {_describe(value)}")
    options = dict(DEFAULT_OPTIONS if current is None else current)
    for key, item in value.items():
        if key not in DEFAULT_OPTIONS:
            allowed = ", ".join(DEFAULT_OPTIONS)
            raise WidgetStateError(f"options: unknown option {key!r} (known: {allowed})")
        if key == "digits":
            if not isinstance(item, int) or isinstance(item, bool) or not 0 <= item <= _MAX_DIGITS:
                raise WidgetStateError(
                    f"options['digits']: expected an integer from 0 to {_MAX_DIGITS}, "
                    f"got {_describe(item)}"
                )
        elif not isinstance(item, bool):
            raise WidgetStateError(
                f"options[{key!r}]: expected true or false, got {_describe(item)}"
            )
        options[key] = item
    return options


def validate_engine(value: object) -> str:
    """Validate the ``engine`` trait (``"sem"`` or ``"pls"``)."""
    if value not in ENGINES:
        raise WidgetStateError(f"engine: expected 'sem' or 'pls', got {_describe(value)}")
    return str(value)


# --------------------------------------------------------------------------- trait types


class LayoutTrait(traitlets.TraitType[dict, dict]):
    """``name -> {"x", "y"}``; names must be known to the owning widget (``_known_nodes()``)."""

    default_value: dict = {}
    info_text = "a mapping of node name to {'x': number, 'y': number}"

    def validate(self, obj: Any, value: Any) -> dict[str, dict[str, float]]:
        known_nodes = getattr(obj, "_known_nodes", None)
        return validate_layout(value, known_nodes() if callable(known_nodes) else None)

    def get(self, obj: Any, cls: Any = None) -> Any:
        getattr(obj, "_place_missing", lambda: None)()  # new nodes are placed when read
        return super().get(obj, cls)


class OptionsTrait(traitlets.TraitType[dict, dict]):
    """Display options; partial mappings are merged into the current options."""

    default_value = DEFAULT_OPTIONS
    info_text = "display options"

    def validate(self, obj: Any, value: Any) -> dict[str, bool | int]:
        current = obj._trait_values.get(self.name) if obj is not None else None
        return validate_options(value, current)


class LatentsTrait(traitlets.TraitType[list, list]):
    """Names drawn as latent variables."""

    default_value: list = []
    info_text = "a list of distinct variable names"

    def validate(self, obj: Any, value: Any) -> list[str]:
        names = validate_latents(value)
        measured = getattr(obj, "_measured_latents", None)
        if callable(measured):
            dropped = [name for name in measured() if name not in names]
            if dropped:
                listed = ", ".join(repr(name) for name in dropped)
                raise WidgetStateError(
                    f"latents: {listed} must stay latent while the syntax defines indicators "
                    "for them ('=~' or '<~'); edit the syntax to remove them"
                )
        return names


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class SyntaxTrait(traitlets.Unicode):
    """lavaan syntax: text (anything else is refused with the package's error)."""

    def validate(self, obj: Any, value: Any) -> str:
        if not isinstance(value, str):
            raise WidgetStateError(f"syntax: expected text, got {_describe(value)}")
        bad = _LONE_SURROGATE.search(value)
        if bad:
            line = value.count("\n", 0, bad.start()) + 1
            raise WidgetStateError(f"syntax: line {line} holds a lone surrogate (text that is "
                                   "not Unicode); remove it")
        return str(super().validate(obj, value))


class EngineTrait(traitlets.TraitType[str, str]):
    """``"sem"`` or ``"pls"``."""

    default_value = "sem"
    info_text = "'sem' or 'pls'"

    def validate(self, obj: Any, value: Any) -> str:
        return validate_engine(value)


# --------------------------------------------------------------------------- table <-> JSON


def json_number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def table_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Convert a user table into JSON-ready rows (NaN written as ``None``)."""
    records = []
    for row in table.itertuples(index=False):
        values = row._asdict()
        record: dict[str, Any] = {}
        for column in TABLE_COLUMNS:
            item = values.get(column)
            if column in _INT_COLUMNS:
                record[column] = int(item) if item is not None else 0
            elif column in _STR_COLUMNS:
                record[column] = "" if item is None or item != item else str(item)
            else:
                record[column] = json_number(item)
        by_group = values.get("by_group")
        if isinstance(by_group, str) and by_group:
            record["by_group"] = by_group  # c(...) per-group modifiers: kept through the diagram
        records.append(record)
    return records


def table_from_records(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rebuild a user table (contract dtypes) from :func:`table_records` rows."""
    rows = list(records)
    frame = pd.DataFrame(
        {column: [row.get(column) for row in rows] for column in TABLE_COLUMNS},
        columns=list(TABLE_COLUMNS),
    )
    for column in _INT_COLUMNS:
        frame[column] = frame[column].fillna(0).astype(int)
    for column in _STR_COLUMNS:
        frame[column] = frame[column].fillna("").astype(str)
    frame["ustart"] = pd.to_numeric(frame["ustart"], errors="coerce").astype(float)
    if any(row.get("by_group") for row in rows):
        frame["by_group"] = [str(row.get("by_group") or "") for row in rows]
    return frame


def measured_latents(table: pd.DataFrame | Iterable[Mapping[str, Any]]) -> list[str]:
    """Left-hand sides of ``=~`` and ``<~`` rows, in order of first appearance."""
    rows = table.to_dict("records") if isinstance(table, pd.DataFrame) else table
    names: list[str] = []
    for row in rows:
        if row["op"] in LATENT_OPS and row["lhs"] not in names:
            names.append(row["lhs"])
    return names


def node_names(
    table: pd.DataFrame | Iterable[Mapping[str, Any]], latents: Iterable[str] = ()
) -> list[str]:
    """Every name drawn as a node: variables of the model's rows, then drawn-only latents.

    A PLS product term (``y ~ a:b``) is no node: the view draws it as a dot on ``a -> y``."""
    rows = table.to_dict("records") if isinstance(table, pd.DataFrame) else table
    names: dict[str, None] = {}
    for row in rows:
        if row["op"] not in NODE_OPS:
            continue
        names.setdefault(row["lhs"], None)
        if row["op"] != "~1" and ":" not in str(row["rhs"]):
            names.setdefault(row["rhs"], None)
    for name in latents:
        names.setdefault(name, None)
    return list(names)


def merge_latents(
    old_latents: Iterable[str], old_measured: Iterable[str], new_measured: Iterable[str]
) -> list[str]:
    """Latents after a syntax change.

    Latents with indicators come from the syntax; latents the user drew with no indicators yet
    exist only in the diagram and survive syntax edits until the diagram removes them.
    """
    merged = list(new_measured)
    measured_before = set(old_measured)
    for name in old_latents:
        if name not in measured_before and name not in merged:
            merged.append(name)
    return merged


# --------------------------------------------------------------------------- fit results


def _estimate_value(row: Mapping[str, Any], column: str) -> float | None:
    if column not in row:
        return None
    try:
        return json_number(row[column])
    except (TypeError, ValueError):
        return None


def edge_key(lhs: str, op: str, rhs: str) -> str:
    """The key of an edge in ``results["edges"]`` and of ``data-edge`` in the SVG."""
    return f"{lhs} {op} {rhs}".rstrip()


def results_payload(result: Any) -> dict[str, Any]:
    """What the diagram shows after a fit, from a ``FitResult`` (CB-SEM or PLS).

    Returns
    -------
    dict
        ``{"engine", "nobs", "edges": {"lhs op rhs": {"est", "std", "se", "pvalue", "ci_lower",
        "ci_upper", "label"}}, "r2": {name: value}, "fit": {measure: value}, "warnings": [...]}``
        with ``None`` wherever a number is not defined. A multigroup fit adds ``"groups"``
        (labels), ``"by_group"`` (``{label: {"edges", "r2", "nobs"}}``), ``"equal"`` (edge keys
        held equal across groups) and ``"group"`` (the group drawn, the first); the top-level
        ``edges``/``r2`` are that group's and ``fit`` is the whole model's; each edge has
        ``"equal"`` (held equal across groups).
    """
    if getattr(result, "multigroup", False):
        return _multigroup_payload(result)
    estimates: pd.DataFrame = result.estimates
    edges: dict[str, dict[str, Any]] = {}
    for row in estimates.to_dict("records"):
        op = str(row["op"])
        if op not in (*NODE_OPS, ":="):
            continue
        key = edge_key(str(row["lhs"]), op, "" if op == "~1" else str(row["rhs"]))
        label = row.get("label", "")
        # PLS estimates are standardized already; use them when no std_all column exists.
        std_column = "std_all" if "std_all" in row else "est"
        edges[key] = {
            "est": _estimate_value(row, "est"),
            "std": _estimate_value(row, std_column),
            "se": _estimate_value(row, "se"),
            "pvalue": _estimate_value(row, "pvalue"),
            "ci_lower": _estimate_value(row, "ci_lower"),
            "ci_upper": _estimate_value(row, "ci_upper"),
            "label": "" if label is None or label != label else str(label),
        }
    r2 = {str(name): json_number(value) for name, value in dict(result.r2).items()}
    measures = getattr(result, "fit_measures", None)
    if measures is None and _is_number(getattr(result, "srmr", None)):
        # A PLS result has no chi-square family; its fit bar shows the SRMR.
        measures = {"srmr": result.srmr}
    fit = {
        str(name): json_number(value)
        for name, value in dict(measures or {}).items()
        if _is_number(value) or value is None
    }
    # Ordinal indicators: the number of thresholds of each (drawn as a mark on its node).
    thresholds = {str(name): int(k) for name, k in
                  estimates.loc[estimates["op"] == "|", "lhs"].value_counts().items()}
    return {
        "engine": str(getattr(result, "engine", "sem")),
        "estimator": str(getattr(result, "estimator", "") or ""),
        "thresholds": thresholds,
        "nobs": int(getattr(result, "nobs", 0) or 0),
        "edges": edges,
        "r2": r2,
        "fit": fit,
        "warnings": [str(w) for w in getattr(result, "warnings", []) or []],
    }


# --------------------------------------------------------------------------- messages and results

#: Custom messages the front end may send, with the fields each may carry.
MESSAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "fit": (),
    "layout": (),
    "group": ("group",),
    "indirect": ("x", "y", "chain"),
    "modindices": ("k",),
    "add_ghost": ("edge",),
    "compare": ("i", "j"),
    "pls_predict": ("folds", "repetitions"),
    "local_fit": ("on",),
}
#: PLSpredict's settings a ``pls_predict`` message may send: (default, lowest, highest).
PREDICT_LIMITS = {"folds": (10, 2, 100), "repetitions": (10, 1, 1000)}
_MAX_MODINDICES = 1000
_EDGE_OPS = ("=~", "~", "~~")


def validate_message(content: object) -> dict[str, Any]:
    """Validate a custom message from the front end as a whole, before anything changes.

    Returns
    -------
    dict
        ``{"type": ..., <its fields, normalised>}``: ``indirect`` has ``x``, ``y`` (or None)
        and ``chain`` (a list of names, or None); ``modindices`` has ``k``; ``add_ghost`` has
        ``edge`` as ``(lhs, op, rhs)``; ``compare`` has the version numbers ``i`` and ``j``.

    Raises
    ------
    WidgetStateError
        Naming the field at fault, or the unknown message type.
    """
    if not isinstance(content, Mapping):
        raise WidgetStateError(f"message: expected an object, got {_describe(content)}")
    kind = content.get("type")
    if not isinstance(kind, str) or kind not in MESSAGE_FIELDS:
        known = ", ".join(MESSAGE_FIELDS)
        raise WidgetStateError(f"unknown message type {_describe(kind)} (known: {known})")
    extra = [key for key in content if key != "type" and key not in MESSAGE_FIELDS[kind]]
    if extra:
        listed = ", ".join(_describe(key) for key in extra[:5])
        raise WidgetStateError(f"{kind} message: unexpected field(s) {listed}")
    out: dict[str, Any] = {"type": kind}
    if kind == "local_fit":
        if not isinstance(content.get("on"), bool):
            raise WidgetStateError(f"local_fit message: 'on' must be true or false, got "
                                   f"{_describe(content.get('on'))}")
        out["on"] = content["on"]
    elif kind == "group":
        group = content.get("group")
        if not isinstance(group, str) or not group or len(group) > 200:
            raise WidgetStateError(f"group message: 'group' must be a group label, got "
                                   f"{_describe(group)}")
        out["group"] = group
    elif kind == "indirect":
        chain = content.get("chain")
        if chain is not None:
            if not isinstance(chain, (list, tuple)) or len(chain) < 2:
                raise WidgetStateError(
                    f"indirect message: 'chain' must be a list of at least two names, got "
                    f"{_describe(chain)}")
            chain = [validate_name(name, "indirect message: 'chain'") for name in chain]
        x = content.get("x", chain[0] if chain else None)
        out["x"] = validate_name(x, "indirect message: 'x'")
        y = content.get("y")
        out["y"] = None if y is None else validate_name(y, "indirect message: 'y'")
        out["chain"] = chain
    elif kind == "modindices":
        k = content.get("k", 5)
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= _MAX_MODINDICES:
            raise WidgetStateError(
                f"modindices message: 'k' must be an integer from 1 to {_MAX_MODINDICES}, got "
                f"{_describe(k)}")
        out["k"] = k
    elif kind == "pls_predict":
        for name, (default, low, high) in PREDICT_LIMITS.items():
            value = content.get(name, default)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise WidgetStateError(f"pls_predict message: '{name}' must be an integer from "
                                       f"{low} to {high}, got {_describe(value)}")
            out[name] = value
    elif kind == "add_ghost":
        edge = content.get("edge")
        parts = edge.split() if isinstance(edge, str) else []
        if len(parts) != 3 or parts[1] not in _EDGE_OPS:
            raise WidgetStateError(
                f"add_ghost message: cannot read the suggested parameter {_describe(edge)} "
                f"(expected 'lhs op rhs' with op one of {', '.join(_EDGE_OPS)})")
        out["edge"] = (validate_name(parts[0], "add_ghost message: 'edge'"), parts[1],
                       validate_name(parts[2], "add_ghost message: 'edge'"))
    elif kind == "compare":
        for key in ("i", "j"):
            number = content.get(key)
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                raise WidgetStateError(f"compare message: {key!r} must be a version number (an "
                                       f"integer from 1), got {_describe(number)}")
            out[key] = number
    return out


_PLAIN = (str, bool, int)


def finite_json(value: Any, where: str = "results", depth: int = 0) -> Any:
    """A copy of ``value`` that is finite JSON: NaN and ±inf become None, numpy scalars plain.

    Raises
    ------
    WidgetStateError
        For a value JSON cannot hold (an object, a key that is not text) or nesting deeper than
        20 levels.
    """
    if depth > 20:
        raise WidgetStateError(f"{where}: nested too deeply")
    kind = type(value)
    if kind is float:
        return value if math.isfinite(value) else None
    if value is None or kind in _PLAIN:
        return value
    if kind is dict:
        # The results of a 100-node model hold ~10^4 numbers, checked on every refit: plain
        # values are copied here without a call (or a path string) each.
        out: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise WidgetStateError(f"{where}: keys must be text, got {_describe(key)}")
            item_kind = type(item)
            if item_kind is float:
                out[key] = item if math.isfinite(item) else None
            elif item is None or item_kind in _PLAIN:
                out[key] = item
            else:
                out[key] = finite_json(item, f"{where}[{key!r}]", depth + 1)
        return out
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise WidgetStateError(f"{where}: keys must be text, got {_describe(key)}")
            out[key] = finite_json(item, f"{where}[{key!r}]", depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        return [finite_json(item, where, depth + 1) for item in value]
    raise WidgetStateError(f"{where}: {type(value).__name__} is not JSON")


class ResultsTrait(traitlets.TraitType[dict, dict]):
    """What the diagram shows after a fit, kept finite JSON whatever assigns it."""

    default_value: dict = {}
    info_text = "fit results as finite JSON"

    def validate(self, obj: Any, value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise WidgetStateError(f"results: expected a mapping, got {_describe(value)}")
        return finite_json(value)


def _multigroup_payload(result: Any) -> dict[str, Any]:
    """The payload of a multigroup fit: each group's edges and R², the first group drawn."""
    est = result.estimates
    free = result.table.set_index(["lhs", "op", "rhs", "group"])["free"]
    equal = []
    for (lhs, op, rhs), rows in est[est["group"] > 0].groupby(["lhs", "op", "rhs"], sort=False):
        idx = [free.get((lhs, op, rhs, g), 0) for g in rows["group"]]
        if len(idx) > 1 and idx[0] > 0 and len(set(idx)) == 1:
            equal.append(edge_key(str(lhs), str(op), "" if op == "~1" else str(rhs)))
    by_group: dict[str, dict[str, Any]] = {}
    for view in result.group_results:
        one = results_payload(view)
        for key, edge in one["edges"].items():
            edge["equal"] = key in equal
            if _INTERNAL_LABEL.match(edge["label"]):
                edge["label"] = ""  # lavaan's .pN. labels of group_equal: shown as (=) instead
        by_group[view.groups[0]] = {"edges": one["edges"], "r2": one["r2"],
                                    "nobs": one["nobs"]}
    first = result.groups[0]
    return {"engine": "sem", "nobs": int(result.nobs), "edges": by_group[first]["edges"],
            "r2": by_group[first]["r2"],
            "fit": {str(k): json_number(v) for k, v in result.fit_measures.items()},
            "warnings": [str(w) for w in result.warnings], "groups": list(result.groups),
            "group": first, "by_group": by_group, "equal": equal}


#: The group-selector value of the view that lists every group's value on each edge.
ALL_GROUPS = "all groups"


def select_group(results: dict[str, Any], label: str) -> dict[str, Any]:
    """``results`` with the top-level ``edges``/``r2`` of group ``label`` (a new dict).

    ``label`` ``"all groups"`` (:data:`ALL_GROUPS`) draws every group's value on each edge
    (``values_est``/``values_std`` in group order) and no R².

    Raises
    ------
    SemWidgetError
        If ``results`` has no groups or no group ``label``.
    """
    by_group = results.get("by_group") if isinstance(results, dict) else None
    if not by_group:
        raise SemWidgetError("the last fit has no groups: fit with group=<column> first")
    if label == ALL_GROUPS:
        groups = list(by_group)
        edges = {}
        for key, edge in by_group[groups[0]]["edges"].items():
            others = [by_group[g]["edges"].get(key, {}) for g in groups]
            edges[key] = {**edge, "values_est": [o.get("est") for o in others],
                          "values_std": [o.get("std") for o in others]}
        return {**results, "edges": edges, "r2": {}, "group": ALL_GROUPS}
    if label not in by_group:
        raise SemWidgetError(f"no group {label!r}: the groups are {list(by_group)}")
    # a PLS group's own fit (its SRMR); a CB-SEM multigroup fit has one for the whole model
    return {**results, "edges": by_group[label]["edges"], "r2": by_group[label]["r2"],
            "fit": by_group[label].get("fit", results.get("fit", {})), "group": label}
