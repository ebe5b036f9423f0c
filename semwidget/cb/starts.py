"""Warm starts: lavaan's ``start=`` given a fitted model or a table of estimates.

``fit(model, data, start=previous)`` starts every free parameter that ``previous`` also has (the
same ``lhs op rhs``) at its estimate there; the others get the usual starting values, and a
``start()`` written in the syntax wins, as in lavaan. Starting values change where the optimizer
begins, not the optimum: a refit of an edited model from the last fit's estimates reaches the
same solution in fewer iterations (the drawing widget refits this way after every edit).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError

__all__ = ["forget_starts", "read_starts", "with_starts"]

_KEY_COLUMNS = ("lhs", "op", "rhs")


def _key(lhs: object, op: object, rhs: object) -> str:
    return f"{lhs} {op} {rhs}"


def shorten_value(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def read_starts(start: Any) -> dict[str, float]:
    """``start=`` as values keyed by ``"lhs op rhs"`` (the first of duplicated keys wins).

    Parameters
    ----------
    start : FitResult, DataFrame or dict
        A single-group CB-SEM fit (its estimates), a parameter table with ``lhs``, ``op``,
        ``rhs`` and ``est`` (or ``start``) columns, or a dict from ``"lhs op rhs"`` to a number.

    Raises
    ------
    ModelSpecError
        For anything else, a multigroup fit or table, a missing column, or a value that is
        not a finite number (naming the row).
    """
    if getattr(start, "engine", "sem") != "sem" or getattr(start, "groups", None):
        raise ModelSpecError("start= takes a single-group CB-SEM fit (this one is "
                             f"{'multigroup' if getattr(start, 'groups', None) else 'PLS'})",
                             name="start")
    table = getattr(start, "table", start)
    if isinstance(table, Mapping):
        keys = [" ".join(str(k).split()) for k in table]
        values = list(table.values())
    elif isinstance(table, pd.DataFrame):
        column = "est" if "est" in table.columns else "start"
        missing = [c for c in (*_KEY_COLUMNS, column) if c not in table.columns]
        if missing:
            raise ModelSpecError(f"start=: the table has no column {missing[0]!r} (it needs "
                                 "lhs, op, rhs and est or start)", name="start")
        if "group" in table.columns and (pd.to_numeric(table["group"], errors="coerce")
                                         > 1).any():
            raise ModelSpecError("start= with several groups is not supported", name="start")
        keys = _keys(table)
        values = table[column].tolist()
    else:
        raise ModelSpecError(f"start= takes a fit, a parameter table or a dict of values, not "
                             f"{shorten_value(start)}", name="start")
    out: dict[str, float] = {}
    for key, value in zip(keys, values, strict=True):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or \
                not math.isfinite(value):
            raise ModelSpecError(f"start=: the value of '{key}' must be a finite number, not "
                                 f"{shorten_value(value)}", name=key)
        out.setdefault(key, float(value))
    return out


def _keys(table: pd.DataFrame, reverse: bool = False) -> list[str]:
    # Plain lists: on a 200-row table, pandas' string concatenation costs milliseconds.
    lhs, op, rhs = (table[c].tolist() for c in _KEY_COLUMNS)
    if reverse:
        lhs, rhs = rhs, lhs
    return [f"{a} {o} {b}" for a, o, b in zip(lhs, op, rhs, strict=True)]


def with_starts(full: pd.DataFrame, start: Any) -> tuple[pd.DataFrame, frozenset[int]]:
    """``full`` (a built parameter table) with ``ustart`` filled from ``start=`` for the free
    parameters that have no start of their own (:func:`read_starts` reads ``start``), and the
    ids of the rows filled (for :func:`forget_starts`)."""
    values = read_starts(start)
    nan = math.nan
    ops = full["op"].tolist()
    # a covariance matches either way round (``a ~~ b`` is ``b ~~ a``)
    given = np.array([
        values.get(key, values.get(turned, nan) if op == "~~" else nan)
        for key, turned, op in zip(_keys(full), _keys(full, reverse=True), ops, strict=True)],
        dtype=float)
    fill = (full["free"].to_numpy() > 0) & full["ustart"].isna().to_numpy() & ~np.isnan(given)
    if not fill.any():
        return full, frozenset()
    out = full.copy()
    out.loc[fill, "ustart"] = given[fill]
    return out, frozenset(int(i) for i in out.loc[fill, "id"])


def forget_starts(result: Any, ids: frozenset[int]) -> Any:
    """``result`` with its table's ``ustart`` back to the user's own starts (the warm starts
    of :func:`with_starts` are not the model's: ``emit(fit.table)`` must not write them)."""
    if not ids:
        return result
    table = result.table.copy()
    table.loc[table["id"].isin(ids), "ustart"] = np.nan
    return dataclasses.replace(result, table=table)
