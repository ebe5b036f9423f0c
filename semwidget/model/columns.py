"""The data columns a model names, checked once for both engines.

Every column an engine fits passes through :func:`numeric_columns`: one place that says what is
wrong with a column in words the user can act on (true/false values, categories, numbers stored
as text, dates, complex numbers, infinities, values too large to square, a column that is never
observed, a name that appears twice), instead of each engine failing later in numpy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from semwidget.errors import DataError
from semwidget.model.frame_arrays import stored_dtypes

#: Smallest eigenvalue of the correlation matrix below which columns count as collinear.
COLLINEAR = 1e-10
#: The largest |value| accepted: its square (every covariance needs one) stays far from overflow.
MAX_ABS_VALUE = 1e100


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _row(series: pd.Series, mask: np.ndarray) -> str:
    return f"row {series.index[int(np.flatnonzero(mask)[0])]!r}"


def _refuse(name: str, what: str, fix: str) -> DataError:
    return DataError(f"column '{name}' {what}; {fix}", column=name)


def _as_float(name: str, col: pd.Series) -> np.ndarray:
    """The column as float64 (NaN for missing cells), or a DataError saying what it holds."""
    dtype = col.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return _raise(_refuse(name, "holds true/false values",
                              "recode it as numbers, e.g. data[col].astype(int)"))
    if isinstance(dtype, pd.CategoricalDtype):
        levels = ", ".join(_short(v) for v in list(dtype.categories)[:3])
        return _raise(_refuse(name, f"is categorical (levels {levels}, ...)",
                              "recode it as numbers (e.g. .cat.codes, if its order means "
                              "something) or leave it out of the model"))
    if pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
        return _raise(_refuse(name, "holds dates/times",
                              "convert them to numbers (e.g. years or days since a start)"))
    if pd.api.types.is_timedelta64_dtype(dtype):
        return _raise(_refuse(name, "holds durations",
                              "convert them to numbers, e.g. .dt.total_seconds()"))
    if pd.api.types.is_complex_dtype(dtype):
        return _raise(_refuse(name, "holds complex numbers",
                              "fit the real part or the modulus as a column of its own"))
    if pd.api.types.is_numeric_dtype(dtype):
        return col.to_numpy(dtype=float, na_value=np.nan)
    # object / string columns: name the first value that is not a number
    values = col.to_numpy(dtype=object)
    observed = pd.notna(values)
    if observed.any():
        first = values[observed][0]
        kinds = {type(v) for v in values[observed]}
        if kinds <= {bool, np.bool_}:
            return _raise(_refuse(name, "holds true/false values",
                                  "recode it as numbers, e.g. data[col].astype(int)"))
        if any(isinstance(v, (str, bytes)) for v in values[observed]):
            numeric = pd.to_numeric(col, errors="coerce")
            bad = observed & numeric.isna().to_numpy()
            if not bad.any():
                return _raise(_refuse(name, f"holds numbers stored as text (such as "
                                      f"{_short(first)})",
                                      "convert it with pandas.to_numeric(data[col])"))
            return _raise(_refuse(name, f"holds text such as {_short(values[bad][0])} "
                                  f"({_row(col, bad)})", "recode it as numbers"))
        try:
            return np.array([float(v) if o else np.nan for v, o in zip(values, observed,
                                                                        strict=True)])
        except (TypeError, ValueError, OverflowError):
            bad_value = next(v for v in values[observed] if not _is_real(v))
            return _raise(_refuse(name, f"holds {type(bad_value).__name__} values such as "
                                  f"{_short(bad_value)}", "recode it as numbers"))
    return np.full(len(col), np.nan)


def _is_real(value: object) -> bool:
    if isinstance(value, complex):
        return False
    try:
        float(value)  # type: ignore[arg-type]
        return True
    except (TypeError, ValueError, OverflowError):
        return False


def _raise(err: DataError) -> np.ndarray:
    raise err


def numeric_columns(data: object, names: Sequence[str]) -> pd.DataFrame:
    """The columns ``names`` of ``data`` as float64 (NaN marks a missing cell), all checked.

    Parameters
    ----------
    data : DataFrame
        The user's data.
    names : sequence of str
        The observed variables of the model, in model order (all must be columns).

    Returns
    -------
    DataFrame
        A new frame with exactly ``names`` as float64 columns, on the same index.

    Raises
    ------
    DataError
        If ``data`` is not a DataFrame; a name is not a column or is the name of two columns; a
        column is not numbers (saying what it holds), holds ±inf or a value beyond
        ±:data:`MAX_ABS_VALUE`, or is missing in every row.
    """
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    labels = [str(c) for c in data.columns]
    position: dict[str, list[int]] = {}
    for k, label in enumerate(labels):
        position.setdefault(label, []).append(k)
    fast = _plain_block(data, names, position)
    if fast is not None:
        return fast
    out: dict[str, np.ndarray] = {}
    for name in names:
        where = position.get(name)
        if not where:
            raise DataError(f"variable '{name}' is not a column of the data", column=name)
        if len(where) > 1:
            raise DataError(f"column '{name}' appears {len(where)} times in the data; rename or "
                            "drop the duplicates", column=name)
        col = data.iloc[:, where[0]]
        x = _as_float(name, col)
        with np.errstate(invalid="ignore"):
            infinite = np.isinf(x)
            huge = np.abs(x) > MAX_ABS_VALUE
        if infinite.any():
            raise _refuse(name, f"holds an infinite value ({_row(col, infinite)})",
                          "replace it with a number, or with NaN to mark it missing")
        if huge.any():
            value = x[huge][0]
            raise _refuse(name, f"holds {value:.3g} ({_row(col, huge)}), beyond "
                          f"±{MAX_ABS_VALUE:g}", "rescale the column (its squares overflow)")
        if np.isnan(x).all():
            raise _refuse(name, "has no observed values (every cell is missing)",
                          "leave it out of the model or supply its values")
        out[name] = x
    return pd.DataFrame(out, index=data.index, columns=list(names))


def _plain_block(data: pd.DataFrame, names: Sequence[str], position: dict[str, list[int]]
                 ) -> pd.DataFrame | None:
    """All of ``names`` at once when they are unique plain float/int columns with no problem.

    The common case in one array operation; anything unusual (a missing or repeated name,
    another dtype, an infinite, huge or all-missing column) returns None so that the
    column-by-column checks below find it and say what is wrong.
    """
    where = [position.get(name, []) for name in names]
    if any(len(w) != 1 for w in where):
        return None
    pos = [w[0] for w in where]
    # every column plain numbers: one to_numpy of the frame (a column take costs 10x more)
    if not all(isinstance(dt, np.dtype) and dt.kind in "fiu" for dt in stored_dtypes(data)):
        return None
    x = data.to_numpy(dtype=float)
    in_order = pos == list(range(x.shape[1]))
    if not in_order:
        x = x[:, pos]
    with np.errstate(invalid="ignore"):
        if (np.abs(x) > MAX_ABS_VALUE).any() or np.isinf(x).any() or \
                np.isnan(x).all(axis=0).any():
            return None
    # the data's own column labels when they are the names: no new Index to infer
    same = in_order and all(isinstance(c, str) for c in data.columns)
    return pd.DataFrame(x, index=data.index, columns=data.columns if same else list(names))


def check_collinear(names: Sequence[str], cov: np.ndarray) -> None:
    """Raise a DataError naming the columns if their correlation matrix is singular.

    Parameters
    ----------
    names : sequence of str
        The columns, in the order of ``cov`` (none constant).
    cov : ndarray
        Their covariance matrix.
    """
    sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    if len(names) < 2 or not np.all(sd > 0):
        return
    vals, vecs = np.linalg.eigh(cov / np.outer(sd, sd))
    if vals[0] < COLLINEAR:
        weights = np.abs(vecs[:, 0])
        involved = np.flatnonzero(weights > 0.1 * weights.max())
        involved = involved[np.argsort(-weights[involved])]
        listed = ", ".join(f"'{names[k]}'" for k in involved[:6])
        raise DataError(
            f"columns {listed} are collinear (one is a linear combination of the others, so "
            "their covariance matrix is singular); drop one of them or combine them",
            column=names[int(involved[0])])
