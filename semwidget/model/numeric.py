"""The numeric promises every fit keeps, whichever engine ran it.

- :func:`numeric_guard`: a floating-point breakdown inside an engine (a singular matrix, an
  overflow) reaches the user as the package's :class:`~semwidget.errors.ModelSpecError` with a
  sentence, never as numpy's ``LinAlgError``. The data and model checks run first and name the
  usual causes; this is the net under them.
- :func:`finite_result`: every number a result holds is finite or NaN, and each NaN or
  infinity an estimate table held is named in the result's warnings.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.model.frame_arrays import column_arrays

#: numpy/Python exceptions that mean "the arithmetic broke down", not "the code is wrong".
NUMERIC_FAILURES: tuple[type[BaseException], ...] = (
    np.linalg.LinAlgError, FloatingPointError, OverflowError, ZeroDivisionError,
)
_LISTED = 5


@contextmanager
def numeric_guard(what: str, diagnose: Callable[[], None] | None = None) -> Iterator[None]:
    """Turn a numeric breakdown in the block into a :class:`ModelSpecError` about ``what``.

    ``diagnose``, if given, runs first on a breakdown and may raise a more specific error of the
    package (e.g. naming collinear columns).
    """
    try:
        # numpy's overflow/invalid warnings inside an engine are noise: the result is checked
        # by finite_result, and a breakdown becomes the error below.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            yield
    except NUMERIC_FAILURES as err:
        if diagnose is not None:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                diagnose()
        raise ModelSpecError(
            f"{what} broke down numerically ({type(err).__name__}: {str(err)[:120]}); the "
            "data or the model's fixed or start values are beyond what double precision can "
            "estimate: look for extreme values, rescale the data, or simplify the model"
        ) from None


def _row_names(frame: pd.DataFrame, rows: np.ndarray) -> list[str]:
    if {"lhs", "op", "rhs"} <= set(frame.columns):
        parts = frame.loc[frame.index[rows], ["lhs", "op", "rhs"]].astype(str)
        return [" ".join(r).strip() for r in parts.itertuples(index=False)]
    return [str(frame.index[r]) for r in rows]


def _listed(names: list[str]) -> str:
    shown = ", ".join(f"'{n}'" for n in names[:_LISTED])
    return shown + (f" and {len(names) - _LISTED} more" if len(names) > _LISTED else "")


def _no_infinity(frame: pd.DataFrame) -> bool:
    """True when no float column of ``frame`` holds ±inf (False: look closer).

    One check per storage block of the frame: a Series per column (or ``frame.dtypes``) cost
    more than the rest of the check on a small fit's five frames. Any storage this does not
    know (float extension arrays, another pandas layout) answers False, and the column path
    decides.
    """
    blocks = getattr(getattr(frame, "_mgr", None), "blocks", None)
    if blocks is None:
        return False
    for block in blocks:
        if getattr(getattr(block, "dtype", None), "kind", "f") != "f":
            continue  # text, integers, booleans: never infinite
        values = getattr(block, "values", None)
        if not isinstance(values, np.ndarray) or np.isinf(values).any():
            return False
    return True


def _clean_frame(name: str, frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    if _no_infinity(frame):
        return frame
    # dtypes, not frame[c]: building a Series per column was a quarter of an HS fit
    pos = [k for k, dt in enumerate(frame.dtypes) if pd.api.types.is_float_dtype(dt)]
    if not pos:
        return frame
    numeric = [frame.columns[k] for k in pos]
    if len(pos) == frame.shape[1]:
        values = frame.to_numpy(dtype=float)
    elif frame.columns.is_unique:  # a column at a time is 5x quicker than a column take
        values = np.column_stack([frame[c].to_numpy(dtype=float) for c in numeric])
    else:
        values = frame.iloc[:, pos].to_numpy(dtype=float)
    infinite = np.isinf(values)
    if not infinite.any():
        return frame
    rows = np.flatnonzero(infinite.any(axis=1))
    columns = [numeric[k] for k in np.flatnonzero(infinite.any(axis=0))]
    notes.append(f"{name}: {', '.join(columns)} of {_listed(_row_names(frame, rows))} "
                 "could not be computed (not finite) and are NaN")
    out = frame.copy()
    out[numeric] = np.where(infinite, np.nan, values)
    return out


def _clean_mapping(name: str, mapping: dict[Any, Any], notes: list[str]) -> dict[Any, Any]:
    bad = [k for k, v in mapping.items()
           if isinstance(v, (float, np.floating)) and math.isinf(float(v))]
    if not bad:
        return mapping
    notes.append(f"{name}: {_listed([str(k) for k in bad])} could not be computed (not "
                 "finite) and are NaN")
    return {k: (math.nan if k in bad else v) for k, v in mapping.items()}


def finite_result(result: Any) -> Any:
    """Replace ±inf by NaN in ``result`` (a dataclass of results) and warn about each.

    Tables, mappings and numbers among the fields are checked; so are undefined ``:=`` rows
    (NaN estimates) of ``result.estimates``. Notes are appended to ``result.warnings``.

    Returns
    -------
    The same object, changed in place.
    """
    notes: list[str] = []
    estimates = getattr(result, "estimates", None)
    cols = column_arrays(estimates) if isinstance(estimates, pd.DataFrame) else {}
    # only a table with := rows can hold an undefined one
    if "est" in cols and "op" in cols and ":=" in cols["op"].tolist():
        undefined = (estimates["op"].to_numpy() == ":=") & ~np.isfinite(
            estimates["est"].to_numpy(dtype=float))
        if undefined.any():
            names = [f"{r.lhs} := {r.rhs}" for r in estimates[undefined].itertuples()]
            notes.append(f"defined parameter(s) {_listed(names)} are not defined at the "
                         "estimates (a division by zero, the log or square root of a negative "
                         "number, or an overflow) and are NaN")
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if isinstance(value, pd.DataFrame):
            cleaned: Any = _clean_frame(field.name, value, notes)
        elif isinstance(value, dict):
            cleaned = _clean_mapping(field.name, value, notes)
        elif isinstance(value, float) and math.isinf(value):
            notes.append(f"{field.name} could not be computed (not finite) and is NaN")
            cleaned = math.nan
        else:
            continue
        if cleaned is not value:
            setattr(result, field.name, cleaned)
    if notes:
        result.warnings = [*result.warnings, *notes]
    return result
