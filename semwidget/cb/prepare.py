"""What a CB-SEM fit needs from the full table before and around estimation.

Fixed-x covariates take their sample moments, user start values are collected, simple
inequality bounds are read, and the identification checks name what is wrong.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from semwidget.cb.identification import find_unidentified
from semwidget.cb.ram import RAMModel
from semwidget.errors import IdentificationError
from semwidget.model.frame_arrays import column
from semwidget.model.partable import MODEL_OPS


def fill_exogenous(full: pd.DataFrame, ov: list[str], cov: np.ndarray,
                   mean: np.ndarray | None = None) -> pd.DataFrame:
    """Put the sample (co)variances and means of fixed exogenous covariates into ``ustart``."""
    fixed = column(full, "exo") == 1
    if not fixed.any():
        return full
    exo = full.index[fixed]
    full = full.copy()
    pos = {v: k for k, v in enumerate(ov)}
    for i in exo:
        a, op, b = full.at[i, "lhs"], full.at[i, "op"], full.at[i, "rhs"]
        if op == "~~":
            full.at[i, "ustart"] = cov[pos[a], pos[b]]
        elif op == "~1" and mean is not None:
            full.at[i, "ustart"] = mean[pos[a]]
    return full


def user_starts(full: pd.DataFrame, model: RAMModel) -> np.ndarray:
    """Start values the user gave with ``start()`` or ``?``, by free parameter (NaN if none)."""
    out = np.full(model.n_par, np.nan)
    ustart = column(full, "ustart")[model.table_index]
    given = np.flatnonzero((model.pidx >= 0) & ~np.isnan(ustart))
    # row by row (few rows have starts): the last row of a shared parameter wins
    for f, value in zip(model.pidx[given].tolist(), ustart[given].tolist(), strict=True):
        out[f] = value
    return out


def exo_names(full: pd.DataFrame) -> set[str]:
    """Observed covariates whose (co)variances are fixed at their sample values (fixed.x)."""
    exo = column(full, "exo") == 1
    return set(column(full, "lhs")[exo]) if exo.any() else set()


def inequality_bounds(full: pd.DataFrame) -> dict[str, tuple[str, float]]:
    """Simple inequality constraints ``label > number`` / ``label < number`` by label.

    Other ``<`` / ``>`` rows are general constraints, estimated under by ``cb.constraints``.
    """
    out: dict[str, tuple[str, float]] = {}
    if not {"<", ">"}.intersection(column(full, "op").tolist()):
        return out
    labels = set(full.loc[full["op"].isin(MODEL_OPS), "label"]) - {""}
    for lhs, op, rhs in full.loc[full["op"].isin(["<", ">"]), ["lhs", "op", "rhs"]].itertuples(
            index=False):
        a, b = str(lhs).strip(), str(rhs).strip()
        try:
            if a in labels:
                out[a] = (op, float(b))
                continue
            if b in labels:
                out[b] = ("<" if op == ">" else ">", float(a))
                continue
        except ValueError:
            pass
        # anything else is a general constraint (cb.constraints)
    return out


def violated_bounds(full: pd.DataFrame, model: RAMModel, theta: np.ndarray,
              bounds: dict[str, tuple[str, float]]) -> dict[str, float]:
    out = {}
    if not bounds:
        return out
    vals = model.values(theta)
    for pos, tix in enumerate(model.table_index):
        lab = full.at[tix, "label"]
        if lab in bounds and lab not in out:
            op, v = bounds[lab]
            if (op == ">" and vals[pos] < v) or (op == "<" and vals[pos] > v):
                out[lab] = v
    return out


def renumber_free(free: np.ndarray) -> np.ndarray:
    """Dense free indices 1..k in first-appearance order (0 stays fixed)."""
    mapping: dict[int, int] = {}
    out = np.zeros(len(free), dtype=np.int64)
    for i, f in enumerate(free):
        if f > 0:
            out[i] = mapping.setdefault(int(f), len(mapping) + 1)
    return out


def check_identified(full: pd.DataFrame, n_par: int, n_moments: int,
                     model: RAMModel | None = None, theta: np.ndarray | None = None) -> None:
    """Raise if there are more free parameters than sample moments.

    With ``model`` and a start ``theta`` the error names the parameters not identified
    (:func:`semwidget.cb.identification.find_unidentified`).
    """
    if n_par > n_moments:
        message = (f"the model is not identified: {n_par} free parameters, {n_moments} "
                   f"moments (df = {n_moments - n_par}); fix or remove {n_par - n_moments} "
                   "parameter(s)")
        found = None if model is None or theta is None else find_unidentified(full, model, theta)
        if found is None:
            raise IdentificationError(message)
        raise IdentificationError(f"{message}. {found.summary()}", found.parameters)


def unidentified_error(full: pd.DataFrame, model: RAMModel, theta: np.ndarray,
                       S: np.ndarray, est: str, W: np.ndarray | None) -> IdentificationError:
    """The error for a singular information matrix, naming the parameters not identified."""
    found = find_unidentified(full, model, theta)
    if found is not None:
        return IdentificationError(found.message(), found.parameters)
    return IdentificationError(
        "the information matrix is singular, so standard errors cannot be computed, although "
        "the implied moments change with every parameter; the data may be too collinear or the "
        "estimates on a boundary")


def unidentified_message(full: pd.DataFrame, model: RAMModel, theta: np.ndarray,
                         S: np.ndarray, est: str, W: np.ndarray | None) -> str:
    """The sentence of :func:`unidentified_error`."""
    return str(unidentified_error(full, model, theta, S, est, W))
