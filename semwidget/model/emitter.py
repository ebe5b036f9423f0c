"""The user parameter table → lavaan model syntax, and the names a table uses.

:func:`emit` writes a table back as syntax, one line per run of rows sharing left-hand side and
operator, so that ``parse(emit(t))`` equals ``t``. :func:`variables` sorts the names a table
uses into latent, composite, observed, labels and defined parameters.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.model.grammar import ALL_OPS, EXPR_OPS, NAME, PARAM_OPS, RESERVED

__all__ = ["emit", "variables"]

def _format_number(value: float) -> str:
    """Shortest text that reads back as exactly ``value`` (``1``, ``0.5``, ``1e-05``)."""
    if not math.isfinite(value):
        raise ValueError(value)
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _is_nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _records(table: pd.DataFrame | Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(table, pd.DataFrame):
        missing = {"lhs", "op", "rhs"} - set(table.columns)
        if missing:
            raise ModelSpecError(f"the table has no column(s) {', '.join(sorted(missing))}")
        # column lists zipped into dicts: much faster than DataFrame.to_dict("records")
        keys = [str(c) for c in table.columns]
        columns = [table[c].tolist() for c in table.columns]
        return [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]
    records = [dict(r) for r in table]
    for n, r in enumerate(records, start=1):
        missing = {"lhs", "op", "rhs"} - set(r)
        if missing:
            raise ModelSpecError(f"table row {n} has no {', '.join(sorted(missing))}")
    return records


def _row_name(n: int, row: Mapping[str, Any]) -> str:
    return f"table row {n} ({row['lhs']} {row['op']} {row['rhs']})".replace(" )", ")")


def _term_text(n: int, row: Mapping[str, Any]) -> str:
    op, rhs = row["op"], row["rhs"]
    label = row.get("label")
    label = "" if _is_nan(label) else label
    ustart = row.get("ustart")
    ustart = math.nan if _is_nan(ustart) else float(ustart)
    free = row.get("free", 1)
    fixed = not _is_nan(free) and int(free) == 0
    freed = row.get("freed", 0)
    freed = not _is_nan(freed) and int(freed) == 1
    if op == "~1":
        if rhs not in ("", None) and not _is_nan(rhs):
            raise ModelSpecError(f"{_row_name(n, row)}: an intercept row must have an empty rhs")
        target = "1"
    else:
        if not isinstance(rhs, str) or NAME.fullmatch(rhs) is None or rhs in RESERVED:
            raise ModelSpecError(f"{_row_name(n, row)}: '{rhs}' is not a valid variable name")
        target = rhs
    if label and (NAME.fullmatch(label) is None or label in RESERVED):
        raise ModelSpecError(f"{_row_name(n, row)}: '{label}' is not a valid label")
    if not math.isnan(ustart) and not math.isfinite(ustart):
        raise ModelSpecError(f"{_row_name(n, row)}: the value {ustart} is not finite")
    parts: list[str] = []
    if fixed:
        if math.isnan(ustart):
            raise ModelSpecError(f"{_row_name(n, row)}: the parameter is fixed but has no value")
        parts.append(_format_number(ustart))
    else:
        if freed:
            parts.append("NA")
        if not math.isnan(ustart):
            parts.append(f"start({_format_number(ustart)})")
    if label:
        parts.append(label)
    by_group = row.get("by_group")
    if isinstance(by_group, str) and by_group:
        parts.append(by_group)  # c(...) per-group modifiers, kept as the parser wrote them
    parts.append(target)
    return "*".join(parts)


def emit(table: pd.DataFrame | Iterable[Mapping[str, Any]]) -> str:
    """Write a parameter table back as lavaan model syntax.

    Parameters
    ----------
    table : pandas.DataFrame or iterable of dict
        The user table (or a full table: rows with ``user == 0`` are skipped). Rows need
        ``lhs op rhs``; ``free`` (default 1), ``ustart`` (default NaN; ``None`` is NaN),
        ``label`` (default ``""``), ``freed`` (default 0) and ``user`` (default 1) are optional.

    Returns
    -------
    str
        One line per run of consecutive rows with the same left-hand side and operator
        (``visual =~ x1 + x2 + x3``); ``:=``, ``==``, ``<`` and ``>`` rows one per line. Ends
        with a newline unless the table is empty.

    Raises
    ------
    ModelSpecError
        If a row could not be written as valid syntax (unknown operator, invalid name or label,
        a fixed row without a value).
    """
    lines: list[str] = []
    key: tuple[str, str, str] | None = None
    terms: list[str] = []

    def flush() -> None:
        if key is not None:
            op = "~" if key[1] == "~1" else key[1]
            # a factor of an exploratory block keeps its efa("...")* prefix
            lhs = f'efa("{key[2]}")*{key[0]}' if key[2] else key[0]
            lines.append(f"{lhs} {op} {' + '.join(terms)}")

    for n, row in enumerate(_records(table), start=1):
        user = row.get("user", 1)
        if not _is_nan(user) and int(user) != 1:
            continue
        lhs, op = row["lhs"], row["op"]
        if op not in ALL_OPS:
            raise ModelSpecError(f"{_row_name(n, row)}: unknown operator '{op}'")
        if op in EXPR_OPS:
            flush()
            key, terms = None, []
            rhs = row["rhs"]
            if not isinstance(lhs, str) or not lhs or not isinstance(rhs, str) or not rhs:
                raise ModelSpecError(f"{_row_name(n, row)}: both sides must be given")
            lines.append(f"{lhs} {op} {rhs}")
            continue
        if not isinstance(lhs, str) or NAME.fullmatch(lhs) is None or lhs in RESERVED:
            raise ModelSpecError(f"{_row_name(n, row)}: '{lhs}' is not a valid variable name")
        term = _term_text(n, row)
        efa = row.get("efa")
        efa = efa if isinstance(efa, str) and op == "=~" else ""
        if efa and any(ch in efa for ch in '"\\\n'):
            raise ModelSpecError(f"{_row_name(n, row)}: '{efa}' is not a valid efa block name")
        if key == (lhs, op, efa):
            terms.append(term)
        else:
            flush()
            key, terms = (lhs, op, efa), [term]
    flush()
    return "\n".join(lines) + "\n" if lines else ""


# --------------------------------------------------------------------------------------------
# names


def variables(table: pd.DataFrame | Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Sort the names used in a table by role.

    Parameters
    ----------
    table : pandas.DataFrame or iterable of dict
        A user (or full) parameter table.

    Returns
    -------
    dict
        ``latent``: left-hand sides of ``=~`` and ``<~`` in first-seen order (list);
        ``composite``: left-hand sides of ``<~`` (list); ``observed``: every other variable of an
        ``=~ ~ ~~ ~1 <~`` row, first-seen order, left before right (list); ``labels``: the
        parameter labels (set); ``defined``: the names defined with ``:=`` (list).
    """
    records = _records(table)
    latent: dict[str, None] = {}
    composite: dict[str, None] = {}
    for r in records:
        if r["op"] in ("=~", "<~"):
            latent.setdefault(r["lhs"], None)
            if r["op"] == "<~":
                composite.setdefault(r["lhs"], None)
    observed: dict[str, None] = {}
    labels: set[str] = set()
    defined: dict[str, None] = {}
    for r in records:
        op = r["op"]
        if op == ":=":
            defined.setdefault(r["lhs"], None)
            continue
        if op in PARAM_OPS or op == "~1":
            # a threshold's right-hand side (t1, t2, ...) names the threshold, not a variable
            for name in (r["lhs"],) if op == "|" else (r["lhs"], r["rhs"]):
                if isinstance(name, str) and name and name not in latent:
                    observed.setdefault(name, None)
            label = r.get("label")
            if isinstance(label, str) and label:
                labels.add(label)
    return {
        "latent": list(latent),
        "composite": list(composite),
        "observed": list(observed),
        "labels": labels,
        "defined": list(defined),
    }
