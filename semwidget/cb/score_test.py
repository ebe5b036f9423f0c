"""Score (Lagrange multiplier) tests of the equality constraints of a multigroup fit.

What lavaan's ``lavTestScore`` reports for ``group.equal`` constraints: at the constrained
estimate, the gradient ``g`` of the ML discrepancy in the *unconstrained* parameter space
(each group's parameter separate) and its expected information ``I``. With ``R`` the rows of
the constraints ``theta_1 - theta_k = 0``, the test of every constraint is
``(N / 2) g' I^+ g``; the univariate test of constraint ``r`` keeps the other constraints:
``(N / 2) g' P g`` with ``P`` the upper-left block of the pseudo-inverse of
``[[I, R1'], [R1, 0]]`` and ``R1`` all rows but ``r`` (Bentler & Chou, 1992; Rosseel, 2012).
Each has one degree of freedom; a large value means releasing that constraint improves fit.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from semwidget.cb.multigroup import GroupData, derivatives, objective
from semwidget.cb.ram import RAMModel
from semwidget.distributions import chi2_sf
from semwidget.errors import ModelSpecError
from semwidget.model.partable import MODEL_OPS

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult

_PLABEL = re.compile(r"^\.p\d+\.$")
SCORE_COLUMNS = ["lhs", "op", "rhs", "parameter", "group", "group_label", "X2", "df", "pvalue"]


def _statement(lhs: str, op: str, rhs: str) -> str:
    return f"{lhs} ~ 1" if op == "~1" else f"{lhs} {op} {rhs}"


def score_tests(result: CBResult) -> tuple[dict[str, float], pd.DataFrame]:
    """lavaan's ``lavTestScore`` for the ``group_equal`` constraints of a multigroup fit.

    Parameters
    ----------
    result : CBResult
        A fit with ``group=`` and ``group_equal``.

    Returns
    -------
    total : dict
        ``X2``, ``df`` and ``pvalue`` of releasing every constraint at once.
    univariate : DataFrame
        One row per constraint ``.pA. == .pB.`` (``lhs op rhs`` as lavaan names them), with
        the parameter (``visual =~ x2``), the group whose copy is tied to group 1, ``X2``,
        ``df`` (1) and ``pvalue``; sorted as lavaan lists them.

    Raises
    ------
    ModelSpecError
        If the fit has no groups, no ``group_equal`` constraints, or was fitted by FIML.
    """
    if not result.multigroup or not result.group_results:
        raise ModelSpecError("score tests of equality constraints need a fit with group=")
    if result.missing != "listwise" or result.estimator != "ML":
        raise ModelSpecError("score tests of equality constraints are computed for ML fits on "
                             "complete data (missing='listwise'), not for FIML, GLS or ULS")
    table = result.table
    ops = table["op"].to_numpy()
    free = table["free"].to_numpy()
    labels = table["label"].to_numpy()
    groups = table["group"].to_numpy()
    is_model = np.isin(ops, list(MODEL_OPS)) & (groups > 0)
    tied = is_model & (free > 0) & np.array([bool(_PLABEL.match(str(lab))) for lab in labels])
    if not tied.any():
        raise ModelSpecError("the fit has no group_equal constraints to test")
    # unconstrained numbering: every tied row its own parameter, the rest as they were
    new = np.zeros(len(table), dtype=np.int64)
    mapping: dict[tuple[str, int], int] = {}
    for i in np.flatnonzero(is_model & (free > 0)):
        key = ("row", int(i)) if tied[i] else ("free", int(free[i]))
        new[i] = mapping.setdefault(key, len(mapping) + 1)
    q = len(mapping)
    theta_u = np.zeros(q)
    theta_u[new[new > 0] - 1] = result.theta[free[new > 0] - 1]
    sets: dict[str, list[int]] = {}
    for i in np.flatnonzero(tied):
        sets.setdefault(str(labels[i]), []).append(int(i))
    rows, names = [], []
    ids = table["id"].to_numpy()
    for lab, members in sets.items():
        for k in members[1:]:
            r = np.zeros(q)
            r[new[members[0]] - 1] = 1.0
            r[new[k] - 1] = -1.0
            rows.append(r)
            names.append((lab, f".p{int(ids[k])}.", k))
    R = np.vstack(rows)
    utable = table.copy()
    utable["free"] = new
    ov = result.group_results[0].model.names[: result.group_results[0].model.n_obs]
    models, data = [], []
    for g, view in enumerate(result.group_results, start=1):
        sub = utable[utable["group"] == g].reset_index(drop=True)
        m = RAMModel.from_table(sub, ov, meanstructure=True)
        models.append(dataclasses.replace(m, n_par=q))
        data.append(GroupData(view.sample_cov.to_numpy(), view.sample_mean.to_numpy(),
                              int(view.nobs)))
    n = np.array([d.n for d in data], dtype=float)
    w = n / n.sum()
    _, imps, invs = objective(models, data, w, theta_u)
    grad, info = derivatives(models, data, w, theta_u, imps, invs)
    half_n = n.sum() / 2.0
    x2_total = float(half_n * grad @ np.linalg.pinv(info) @ grad)
    total = {"X2": x2_total, "df": float(len(R)),
             "pvalue": float(chi2_sf(x2_total, len(R)))}
    out = []
    for r in range(len(R)):
        R1 = np.delete(R, r, axis=0)
        k = len(R1)
        Z = np.block([[info, R1.T], [R1, np.zeros((k, k))]])
        P = np.linalg.pinv(Z)[:q, :q]
        x2 = float(half_n * grad @ P @ grad)
        lhs, rhs, i = names[r]
        g = int(groups[i])
        out.append({"lhs": lhs, "op": "==", "rhs": rhs,
                    "parameter": _statement(str(table["lhs"].iloc[i]), str(ops[i]),
                                            str(table["rhs"].iloc[i])),
                    "group": g, "group_label": result.groups[g - 1], "X2": x2, "df": 1.0,
                    "pvalue": float(chi2_sf(x2, 1))})
    return total, pd.DataFrame(out, columns=SCORE_COLUMNS)
