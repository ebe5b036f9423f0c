"""Fitting from summary statistics: lavaan's ``sample.cov``, ``sample.mean``, ``sample.nobs``.

A covariance matrix arrives as a DataFrame (names on both axes), as an ndarray with the names
given separately, or as text the way textbooks print it: a lower triangle (or a full matrix),
the names as a header line or as row labels. lavaan's ``sample.cov.rescale`` default is kept:
the matrix is taken as the unbiased one (divisor N - 1) and rescaled to divisor N for ML.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb.conditioning import check_conditioning
from semwidget.cb.data import Moments
from semwidget.errors import DataError

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _is_number(token: str) -> bool:
    return bool(_NUMBER.match(token))


def _from_values(values: list[float], names: list[str], what: str) -> np.ndarray:
    """A symmetric matrix from a lower triangle (row by row) or a full matrix of values."""
    p = len(names)
    lower = p * (p + 1) // 2
    if len(values) == lower:
        M = np.zeros((p, p))
        rows, cols = np.tril_indices(p)
        M[rows, cols] = values
        return M + np.tril(M, -1).T
    if len(values) == p * p:
        return np.array(values, dtype=float).reshape(p, p)
    raise DataError(f"{what}: {len(values)} numbers for {p} variables "
                    f"({', '.join(names)}); a lower triangle needs {lower}, a full matrix "
                    f"{p * p}")


def parse_cov_text(text: str, names: Sequence[str] | None = None, what: str = "sample_cov"
                   ) -> pd.DataFrame:
    """A covariance (or correlation) matrix printed as text, as a named DataFrame.

    The names come from ``names``, from a header line of names, or from a label at the start
    of each row; the numbers are a lower triangle (row ``k`` holds ``k`` numbers) or a full
    matrix, separated by blanks, commas or semicolons.

    Raises
    ------
    DataError
        Naming the line and the token that is neither a number nor a name, or the count of
        numbers that fits no matrix.
    """
    # blanks, commas or semicolons separate; quotes (a CSV's names) are not part of a name
    lines = [ln for ln in ([t.strip("\"'") for t in re.split(r"[\s,;]+", raw) if t.strip("\"'")]
                           for raw in text.splitlines()) if ln]
    if not lines:
        raise DataError(f"{what}: the text holds no numbers")
    header: list[str] | None = None
    if not any(_is_number(t) for t in lines[0]):
        header, lines = lines[0], lines[1:]
    labels: list[str] = []
    values: list[float] = []
    for k, tokens in enumerate(lines, start=1 + (header is not None)):
        if tokens and not _is_number(tokens[0]):
            labels.append(tokens[0])
            tokens = tokens[1:]
        for t in tokens:
            if not _is_number(t):
                raise DataError(f"{what}, line {k}: {t!r} is not a number")
            values.append(float(t))
    given = list(names) if names is not None else header or labels or None
    if given is None:
        raise DataError(f"{what}: name the variables (a header line of names, a name at the "
                        "start of each row, or names=)")
    if labels and header and labels != header[: len(labels)]:
        raise DataError(f"{what}: the row labels ({', '.join(labels)}) do not match the "
                        f"header ({', '.join(header)})")
    M = _from_values(values, [str(n) for n in given], what)
    return pd.DataFrame(M, index=list(given), columns=list(given))


def cov_frame(value: Any, names: Sequence[str] | None = None, what: str = "sample_cov"
              ) -> pd.DataFrame:
    """``sample_cov`` in any accepted form as a named, symmetric DataFrame."""
    if isinstance(value, str):
        frame = parse_cov_text(value, names, what)
    elif isinstance(value, pd.DataFrame):
        frame = value.astype(float)
        if names is not None:
            frame.index = frame.columns = list(names)
        if list(map(str, frame.index)) != list(map(str, frame.columns)):
            raise DataError(f"{what}: the row names ({', '.join(map(str, frame.index))}) "
                            f"differ from the column names ({', '.join(map(str, frame.columns))})")
    elif isinstance(value, np.ndarray):
        if names is None:
            raise DataError(f"{what}: an array carries no variable names; pass a DataFrame, "
                            "or the names with semwidget.cov_matrix(array, names=...)")
        arr = np.asarray(value, dtype=float)
        M = arr if arr.ndim == 2 else _from_values(list(arr.ravel()), list(names), what)
        frame = pd.DataFrame(M, index=list(names), columns=list(names))
    else:
        raise DataError(f"{what} must be a DataFrame, text or an array with names, not "
                        f"{type(value).__name__}")
    frame.index = frame.columns = [str(c) for c in frame.columns]
    M = frame.to_numpy(dtype=float)
    if M.shape[0] != M.shape[1]:
        raise DataError(f"{what}: the matrix is {M.shape[0]} x {M.shape[1]}, not square")
    if not np.isfinite(M).all():
        raise DataError(f"{what}: the matrix holds missing or infinite values")
    bad = np.argwhere(np.abs(M - M.T) > 1e-8 * max(1.0, np.abs(M).max()))
    if len(bad):
        i, j = bad[0]
        raise DataError(f"{what}: the matrix is not symmetric ({frame.index[i]}, "
                        f"{frame.columns[j]}: {M[i, j]} vs {M[j, i]})")
    dup = frame.index[frame.index.duplicated()]
    if len(dup):
        raise DataError(f"{what}: variable '{dup[0]}' is named twice", column=str(dup[0]))
    return frame


def mean_series(value: Any, names: list[str], what: str = "sample_mean") -> pd.Series:
    """``sample_mean`` (a Series, dict, sequence in the covariance's order, or text)."""
    if isinstance(value, str):
        tokens = [t for t in re.split(r"[\s,;]+", value.strip()) if t]
        labels = [t for t in tokens if not _is_number(t)]
        numbers = [float(t) for t in tokens if _is_number(t)]
        value = dict(zip(labels, numbers, strict=False)) if labels else numbers
        if labels and len(labels) != len(numbers):
            raise DataError(f"{what}: {len(labels)} names but {len(numbers)} numbers")
    if isinstance(value, (pd.Series, Mapping)):
        series = pd.Series(value, dtype=float)
        series.index = [str(i) for i in series.index]
    else:
        arr = np.asarray(value, dtype=float).ravel()
        if len(arr) != len(names):
            raise DataError(f"{what}: {len(arr)} means for {len(names)} variables "
                            f"({', '.join(names)})")
        series = pd.Series(arr, index=names)
    missing = [n for n in names if n not in series.index]
    if missing:
        raise DataError(f"{what}: no mean for '{missing[0]}'", column=missing[0])
    if not np.isfinite(series[names].to_numpy()).all():
        raise DataError(f"{what}: the means hold missing or infinite values")
    return series[names]


def check_nobs(value: Any, what: str = "sample_nobs") -> int:
    """The number of observations behind the summary statistics (a whole number > 1)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float)) \
            or not math.isfinite(float(value)) or float(value) != int(value) or value < 2:
        raise DataError(f"{what} must be a whole number of observations (2 or more), got "
                        f"{value!r}")
    return int(value)


def sample_moments(cov: pd.DataFrame, mean: pd.Series | None, nobs: int, ov: list[str],
                   rescale: bool = True) -> Moments:
    """The model's moments from summary statistics, with divisor N as from data.

    lavaan's ``sample.cov.rescale`` (the default): the matrix is read as unbiased and scaled
    by (N - 1) / N; the least-squares estimators scale it back, as they do for data.

    Raises
    ------
    DataError
        If a model variable has no row in the matrix, the matrix is not positive definite, or
        there are no more observations than variables.
    """
    absent = [v for v in ov if v not in cov.index]
    if absent:
        raise DataError(f"variable '{absent[0]}' of the model is not in sample_cov (it has "
                        f"{', '.join(cov.index)})", column=absent[0])
    if nobs <= len(ov):
        raise DataError(f"sample_nobs={nobs} for {len(ov)} variables; a covariance-based fit "
                        "needs more observations than variables")
    S = cov.loc[ov, ov].to_numpy(dtype=float)
    try:
        np.linalg.cholesky(S)
    except np.linalg.LinAlgError:
        raise DataError("sample_cov is not positive definite over the model's variables "
                        f"({', '.join(ov)}): no normal-theory fit exists") from None
    if rescale:
        S = S * (nobs - 1) / nobs
    m = np.zeros(len(ov)) if mean is None else mean[ov].to_numpy(dtype=float)
    check_conditioning(ov, S, m)
    return Moments(list(ov), nobs, S, m, np.empty((0, len(ov))))


@dataclass
class SummaryData:
    """Summary statistics of one group or several (lavaan's sample.cov / .mean / .nobs)."""

    covs: list[pd.DataFrame]
    means: list[pd.Series | None]
    nobs: list[int]
    labels: list[str]

    @property
    def names(self) -> list[str]:
        """The variables the matrices hold (those of the first group)."""
        return list(self.covs[0].index)

    @property
    def has_means(self) -> bool:
        return all(m is not None for m in self.means)

    def moments(self, ov: list[str]) -> list[Moments]:
        """Each group's moments over the model's observed variables ``ov``."""
        return [sample_moments(c, m, n, ov) for c, m, n in
                zip(self.covs, self.means, self.nobs, strict=True)]


def _per_group(value: Any, count: int, what: str) -> list[Any]:
    if isinstance(value, Mapping) and not isinstance(value, pd.Series):
        value = list(value.values())
    if not isinstance(value, (list, tuple)):
        raise DataError(f"{what}: with {count} groups of sample_cov, give one per group (a "
                        "list)")
    if len(value) != count:
        raise DataError(f"{what}: {len(value)} entries for {count} groups of sample_cov")
    return list(value)


def summary_data(sample_cov: Any, sample_mean: Any = None, sample_nobs: Any = None
                 ) -> SummaryData:
    """Check and gather ``sample_cov``, ``sample_mean`` and ``sample_nobs``.

    A list (or a dict: its keys label the groups) of matrices is a multigroup input; then
    ``sample_nobs`` and ``sample_mean`` are lists with one entry per group.

    Raises
    ------
    DataError
        Naming the argument (and group) that is missing, malformed or inconsistent.
    """
    if sample_nobs is None:
        raise DataError("sample_cov needs sample_nobs= (the number of observations behind it)")
    grouped = isinstance(sample_cov, (list, tuple)) or (
        isinstance(sample_cov, Mapping) and not isinstance(sample_cov, pd.Series))
    if not grouped:
        cov = cov_frame(sample_cov)
        mean = None if sample_mean is None else mean_series(sample_mean, list(cov.index))
        return SummaryData([cov], [mean], [check_nobs(sample_nobs)], ["1"])
    labels = [str(k) for k in sample_cov] if isinstance(sample_cov, Mapping) else \
        [str(g + 1) for g in range(len(sample_cov))]
    raw = list(sample_cov.values()) if isinstance(sample_cov, Mapping) else list(sample_cov)
    if len(raw) < 2:
        raise DataError("sample_cov: a list of matrices is a multigroup input; give two or "
                        "more, or a single matrix")
    covs = [cov_frame(c, what=f"sample_cov (group {lab})") for c, lab in
            zip(raw, labels, strict=True)]
    first = list(covs[0].index)
    for c, lab in zip(covs[1:], labels[1:], strict=True):
        if set(c.index) != set(first):
            raise DataError(f"sample_cov (group {lab}) has the variables "
                            f"{', '.join(c.index)}, group {labels[0]} has {', '.join(first)}")
    covs = [c.loc[first, first] for c in covs]
    nobs = [check_nobs(n, f"sample_nobs (group {lab})") for n, lab in
            zip(_per_group(sample_nobs, len(covs), "sample_nobs"), labels, strict=True)]
    means: list[pd.Series | None] = [None] * len(covs)
    if sample_mean is not None:
        means = [mean_series(m, first, f"sample_mean (group {lab})") for m, lab in
                 zip(_per_group(sample_mean, len(covs), "sample_mean"), labels, strict=True)]
    return SummaryData(covs, means, nobs, labels)
