"""A table's columns as arrays, read straight from pandas' storage blocks.

Asking a frame for each column (``frame[c].to_numpy()``) builds a Series per column, and a
text column turned into a NumPy object array makes the next ``DataFrame`` infer its string
type again, value by value; for a small model's parameter table those two were most of
assembling the result. The storage blocks already hold every column in its final form, so one
pass over them gives arrays a new frame takes as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # annotations only: callers already hold a frame, so pandas is loaded
    import pandas as pd


def _stored(column: pd.Series) -> Any:
    return column.to_numpy() if isinstance(column.dtype, np.dtype) else column.array


def _by_column(frame: pd.DataFrame) -> dict[str, Any]:
    return {c: _stored(column) for c, column in frame.items()}


def column_arrays(frame: pd.DataFrame) -> dict[str, Any]:
    """Every column of ``frame`` as the array it is stored in, in order.

    NumPy-stored columns come back as read-only views (as ``to_numpy`` gives them under
    copy-on-write); extension columns (text, categories) as their pandas array, shared with
    ``frame``: read them or pass them to a new ``DataFrame`` (which copies), never change them.
    A frame whose storage this does not know, or whose column names repeat, takes the
    column-by-column path (a repeated name keeps its last column).
    """
    blocks = getattr(getattr(frame, "_mgr", None), "blocks", None)
    if blocks is None or not frame.columns.is_unique:
        return _by_column(frame)
    out: list[Any] = [None] * frame.shape[1]
    for block in blocks:
        values = getattr(block, "values", None)
        locs = getattr(getattr(block, "mgr_locs", None), "as_array", None)
        if values is None or locs is None:
            return _by_column(frame)
        if isinstance(values, np.ndarray) and values.ndim == 2:
            for row, k in enumerate(locs.tolist()):
                view = values[row]
                view.flags.writeable = False
                out[k] = view
        elif len(locs) == 1 and getattr(values, "ndim", 0) == 1:
            out[int(locs[0])] = values
        else:
            return _by_column(frame)
    if any(v is None for v in out):
        return _by_column(frame)
    return dict(zip(frame.columns, out, strict=True))
