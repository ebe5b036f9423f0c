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


#: Column-label indexes by their names: an Index is immutable, and making one from a list of
#: str (type inference) cost as much as the rest of a small frame.
_COLUMN_INDEX: dict[tuple[str, ...], Any] = {}
_TEXT_DTYPE: list[Any] = []


def _text_dtype() -> Any:
    """The dtype pandas gives a column of Python str (its string dtype, or object)."""
    if not _TEXT_DTYPE:
        import pandas as pd

        _TEXT_DTYPE.append(pd.DataFrame({"a": np.array(["a"], dtype=object)})["a"].dtype)
    return _TEXT_DTYPE[0]


def names_index(names: tuple[str, ...]) -> Any:
    """``pd.Index(list(names))``, made once per set of names (an Index is immutable)."""
    got = _COLUMN_INDEX.get(names)
    if got is None:
        import pandas as pd

        got = pd.Index(list(names))
        if len(_COLUMN_INDEX) < 256:  # the column sets of a session's tables are few
            _COLUMN_INDEX[names] = got
    return got


def frame_of(columns: dict[str, Any]) -> pd.DataFrame:
    """``pd.DataFrame(columns)`` (on a RangeIndex) made straight from storage blocks.

    ``columns`` holds 1-d NumPy arrays, pandas extension arrays (copied) or object arrays of
    Python str, all of one length. An object array of str is stored as the constructor would
    store it (pandas' string dtype) and becomes the new column's storage: pass a fresh one.
    Numeric columns of one dtype share one block. The constructor's per-column inference was
    most of a small table's cost. Anything else (an object array not all str, a pandas
    without the block API, repeated names) goes through the ordinary constructor.
    """
    import pandas as pd

    try:
        from pandas.api.internals import create_dataframe_from_blocks
    except ImportError:  # pandas < 3: the ordinary constructor
        return pd.DataFrame(columns)
    names = tuple(columns)
    values = list(columns.values())
    text = _text_dtype()
    if not names or len(set(names)) != len(names) or text == np.dtype(object):
        return pd.DataFrame(columns)
    n = len(values[0])
    by_dtype: dict[Any, list[int]] = {}
    blocks: list[tuple[Any, np.ndarray]] = []
    for k, v in enumerate(values):
        if len(v) != n or getattr(v, "ndim", 0) != 1:
            return pd.DataFrame(columns)
        if not isinstance(v, np.ndarray):  # an extension array (text, categories)
            v = v.copy()
        elif v.dtype != object:
            by_dtype.setdefault(v.dtype, []).append(k)
            continue
        elif all(type(x) is str for x in v.tolist()):
            v = text.construct_array_type()._from_sequence(v, dtype=text)
        else:
            return pd.DataFrame(columns)
        blocks.append((v, np.array([k], dtype=np.intp)))
    for ks in by_dtype.values():
        blocks.append((np.array([values[k] for k in ks]), np.asarray(ks, dtype=np.intp)))
    return create_dataframe_from_blocks(blocks, index=pd.RangeIndex(n),
                                        columns=names_index(names))


def stored_dtypes(frame: pd.DataFrame) -> list[Any]:
    """The dtypes of ``frame``'s columns, in no particular order and each at least once.

    Read from the storage blocks (``frame.dtypes`` builds a Series, which cost more than the
    check it serves on a small data set); a frame whose storage this does not know gives its
    ``dtypes``.
    """
    blocks = getattr(getattr(frame, "_mgr", None), "blocks", None)
    if blocks is None:
        return list(frame.dtypes)
    out = []
    for block in blocks:
        dtype = getattr(block, "dtype", None)
        if dtype is None:
            return list(frame.dtypes)
        out.append(dtype)
    return out


def column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """``frame[name].to_numpy()`` (text as an object array), read-only, without the Series.

    Made from the stored column (pandas' ``_get_column_array``; ``frame[name]`` builds a
    Series, and on a new frame its block map first, which cost ten times the read). Any
    frame this does not know, or a repeated name, takes ``frame[name]``.
    """
    get = getattr(frame, "_get_column_array", None)
    if get is None or not frame.columns.is_unique or name not in frame.columns:
        values = frame[name].to_numpy()
    else:
        stored = get(frame.columns.get_loc(name))
        values = stored.view() if isinstance(stored, np.ndarray) else np.asarray(stored,
                                                                                    dtype=object)
    if isinstance(values, np.ndarray) and values.base is not None:
        values.flags.writeable = False
    return values
