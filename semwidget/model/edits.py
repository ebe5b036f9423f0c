"""Edits of a user table that the widget offers as one click: indirect effects and new paths.

Pure functions on the user table (:func:`semwidget.model.parse` output); the widget emits the
result back to syntax, so the drawing, the syntax and the table stay one model.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.model import COLUMNS

EDITABLE_OPS = ("=~", "~", "~~")


def directed_paths(table: pd.DataFrame, x: str, y: str) -> list[list[str]]:
    """Every chain of regressions ``x -> ... -> y`` with at least one mediator.

    Parameters
    ----------
    table : DataFrame
        A user table.
    x, y : str
        Start and end variables.

    Returns
    -------
    list of list of str
        Each path as the variables it passes through, ``x`` first.
    """
    succ: dict[str, list[str]] = {}
    for lhs, op, rhs in zip(table["lhs"], table["op"], table["rhs"], strict=True):
        if op == "~":
            succ.setdefault(rhs, []).append(lhs)
    out: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        for nxt in succ.get(node, []):
            if nxt in path:
                continue  # a feedback loop: no finite chain through it
            if nxt == y:
                if len(path) >= 2:
                    out.append([*path, y])
                continue
            walk(nxt, [*path, nxt])

    walk(x, [x])
    return out


def _fresh_labels(table: pd.DataFrame, count: int) -> list[str]:
    taken = set(table["label"]) | set(table["lhs"]) | set(table["rhs"])
    out: list[str] = []
    k = 1
    while len(out) < count:
        for stem in "abcdefghijklmnopqrstuvwxyz":
            name = f"{stem}{k}" if k > 1 else stem
            if name not in taken and name not in out:
                out.append(name)
                if len(out) == count:
                    break
        k += 1
    return out


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def add_indirect(table: pd.DataFrame, x: str, y: str | None = None,
                 chain: list[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Label the regressions on the paths from ``x`` to ``y`` and define their products.

    With ``chain`` (e.g. ``["x", "m", "y"]``) only that path is used. Existing labels are kept;
    unlabelled paths get fresh labels (``a``, ``b``, ...). One ``:=`` row per specific indirect
    effect is added, and a total when there are several.

    Returns
    -------
    table : DataFrame
        The new user table.
    names : list of str
        The names of the defined parameters added.

    Raises
    ------
    ModelSpecError
        If there is no indirect path, or a step of ``chain`` is not a regression in the model.
    """
    if chain is not None:
        if len(chain) < 3:
            raise ModelSpecError("an indirect effect needs a chain of at least three variables "
                                 "(x -> mediator -> y)")
        x, y = chain[0], chain[-1]
        paths = [list(chain)]
    else:
        if y is None:
            raise ModelSpecError("name the outcome y of the indirect effect")
        paths = directed_paths(table, x, y)
        if not paths:
            raise ModelSpecError(f"there is no indirect path from '{x}' to '{y}' in the model "
                                 "(draw the regressions through a mediator first)", name=x)
    out = table.copy()
    key = {(lhs, rhs): i for i, (lhs, op, rhs) in
           enumerate(zip(out["lhs"], out["op"], out["rhs"], strict=True)) if op == "~"}
    steps = []
    for path in paths:
        idx = []
        for a, b in zip(path[:-1], path[1:], strict=True):
            if (b, a) not in key:
                raise ModelSpecError(f"'{b} ~ {a}' is not in the model, so '{a} -> {b}' cannot "
                                     "be part of an indirect effect", name=b)
            idx.append(key[(b, a)])
        steps.append(idx)
    unlabelled = sorted({i for idx in steps for i in idx if not out.at[i, "label"]})
    for i, lab in zip(unlabelled, _fresh_labels(out, len(unlabelled)), strict=True):
        out.at[i, "label"] = lab
    base = f"ind_{_safe(x)}_{_safe(y)}"
    existing = set(out.loc[out["op"] == ":=", "lhs"])
    names: list[str] = []
    exprs: list[str] = []
    for k, idx in enumerate(steps, start=1):
        name = base if len(steps) == 1 else f"{base}_{k}"
        while name in existing:
            name += "_"
        names.append(name)
        exprs.append("*".join(str(out.at[i, "label"]) for i in idx))
    rows = [(n, e) for n, e in zip(names, exprs, strict=True)]
    if len(steps) > 1:
        total = base
        while total in existing:
            total += "_"
        rows.append((total, "+".join(names)))
        names.append(total)
    out = _append(out, [{"lhs": n, "op": ":=", "rhs": e, "free": 0, "ustart": np.nan,
                         "label": "", "freed": 0} for n, e in rows])
    return out, names


def add_parameter(table: pd.DataFrame, lhs: str, op: str, rhs: str) -> pd.DataFrame:
    """Append one free parameter (a loading, regression or covariance) to a user table.

    Raises
    ------
    ModelSpecError
        If the operator is not one of ``=~ ~ ~~`` or the parameter is already in the model.
    """
    if op not in EDITABLE_OPS:
        raise ModelSpecError(f"cannot add a parameter with operator '{op}'")
    for a, o, b in zip(table["lhs"], table["op"], table["rhs"], strict=True):
        if o == op and ((a, b) == (lhs, rhs) or (op == "~~" and (a, b) == (rhs, lhs))):
            raise ModelSpecError(f"'{lhs} {op} {rhs}' is already in the model", name=lhs)
    free_max = int(table["free"].max()) if len(table) else 0
    return _append(table, [{"lhs": lhs, "op": op, "rhs": rhs, "free": free_max + 1,
                            "ustart": np.nan, "label": "", "freed": 0}])


def _append(table: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    """Append rows, keeping the user-table dtypes and a dense ``id``/``free`` numbering."""
    extra = pd.DataFrame(rows)
    extra["user"] = 1
    out = pd.concat([table, extra], ignore_index=True)
    out["id"] = np.arange(1, len(out) + 1, dtype=np.int64)
    free = out["free"].to_numpy(dtype=np.int64)
    order = np.cumsum(free > 0)
    out["free"] = np.where(free > 0, order, 0).astype(np.int64)
    for col in ("user", "freed"):
        out[col] = out[col].astype(np.int64)
    out["ustart"] = out["ustart"].astype(np.float64)
    return out[list(COLUMNS)]
