"""Modification indices of a multigroup ML fit, one row per candidate and group.

The candidates of each group are those of :func:`semwidget.cb.modindices.candidates` (and the
group's fixed loadings, regressions and (co)variances), each a new parameter of its own group
only. The score test keeps every equality of the fitted model: with ``g`` the gradient of the
multigroup ``F / 2 = sum_g (n_g / N) F_g / 2`` and ``I`` its unit expected information over the
model's parameters (2) and all candidates (1), ``V = I11 - I12 I22^-1 I21``,
``mi = N g1² / diag(V)`` and ``epc = -g1 / diag(V)`` (as lavaan's ``modindices`` for groups).
Intercepts and means are not candidates (lavaan lists none).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from semwidget.cb.modindices import (
    COLUMNS,
    V_TOL,
    _extended,
    _key,
    _standardize_epc,
    candidates,
    select_rows,
)
from semwidget.cb.multigroup import GroupData, derivatives, objective
from semwidget.errors import ModelSpecError

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult

GROUP_COLUMNS = ["lhs", "op", "rhs", "group", "group_label", *COLUMNS[3:]]


def group_modindices(result: CBResult, sort: bool = False, minimum: float = 0.0,
                     top: int | None = None, op: str | list[str] | None = None
                     ) -> pd.DataFrame:
    """Modification indices of a multigroup fit (see :func:`semwidget.cb.modindices.modindices`).

    Returns
    -------
    DataFrame
        ``lhs op rhs group group_label mi epc sepc_lv sepc_all sepc_nox``, group by group.
    """
    if result.missing != "listwise" or result.estimator != "ML":
        raise ModelSpecError("modification indices are computed for ML fits on complete data "
                             f"(this fit: estimator={result.estimator!r}, "
                             f"missing={result.missing!r})")
    views = result.group_results or []
    npar = len(result.theta)
    offset = npar
    models, keys, starts, per_group = [], [], [], []
    for g, view in enumerate(views, start=1):
        model, table = view.model, view.table
        values = model.values(result.theta)
        fixed_x = set(table.loc[table["exo"] == 1, "lhs"])

        def frees_covariate(lhs: str, op_: str, rhs: str, fx: set[str] = fixed_x) -> bool:
            return (op_ == "~" and lhs in fx) or (op_ == "~~" and bool({lhs, rhs} & fx))

        seen: set[tuple[str, str, str]] = set()
        fixed_rows, fixed_keys = [], []
        for pos, tix in enumerate(model.table_index):
            lhs, o, rhs = table.at[tix, "lhs"], table.at[tix, "op"], table.at[tix, "rhs"]
            seen.add(_key(lhs, o, rhs))
            if model.pidx[pos] < 0 and o != "~1" and not frees_covariate(lhs, o, rhs):
                fixed_rows.append(pos)
                fixed_keys.append((lhs, o, rhs))
        new_rows = []
        for lhs, o, rhs in candidates(table):
            k = _key(lhs, o, rhs)
            if k not in seen and not frees_covariate(lhs, o, rhs):
                seen.add(k)
                new_rows.append((lhs, o, rhs))
        ext = _extended(model, new_rows, fixed_rows)
        # the candidates of this group get indices of their own, after the other groups'
        n_new = ext.n_par - npar
        pidx = np.where(ext.pidx >= npar, ext.pidx + (offset - npar), ext.pidx)
        models.append((ext, pidx))
        keys.append(fixed_keys + new_rows)
        starts.append(np.concatenate([values[fixed_rows], np.zeros(len(new_rows))]))
        per_group.append((view, g, offset, n_new))
        offset += n_new
    total = offset
    theta = np.concatenate([result.theta, *starts])
    exts = [dataclasses.replace(ext, pidx=pidx, n_par=total) for ext, pidx in models]
    data = [GroupData(v.sample_cov.to_numpy(), v.sample_mean.to_numpy(), int(v.nobs))
            for v in views]
    n = np.array([d.n for d in data], dtype=float)
    w = n / n.sum()
    _, imps, invs = objective(exts, data, w, theta)
    grad, info = derivatives(exts, data, w, theta, imps, invs)
    grad, info = 0.5 * grad, 0.5 * info  # of F / 2, lavaan's scaling
    m = npar
    try:
        i22_inv = np.linalg.inv(info[:m, :m])
    except np.linalg.LinAlgError as err:
        raise ModelSpecError("cannot compute modification indices: the information matrix of "
                             "the model is singular") from err
    i21 = info[:m, m:]
    vdiag = np.diag(info[m:, m:]) - np.einsum("ij,ik,kj->j", i21, i22_inv, i21)
    g1 = grad[m:]
    ok = vdiag >= V_TOL
    with np.errstate(divide="ignore", invalid="ignore"):
        mi = np.where(ok, n.sum() * g1 ** 2 / vdiag, np.nan)
        epc = np.where(ok, -g1 / vdiag, np.nan)
    parts = []
    for (view, g, start, count), rows, est0 in zip(per_group, keys, starts, strict=True):
        sl = slice(start - m, start - m + count)
        frame = pd.DataFrame(rows, columns=["lhs", "op", "rhs"])
        frame["mi"] = mi[sl]
        frame["epc"] = epc[sl]
        lv_s, all_s, nox_s = _standardize_epc(view, frame, epc[sl], est0)
        frame["sepc_lv"], frame["sepc_all"], frame["sepc_nox"] = lv_s, all_s, nox_s
        frame.insert(3, "group", g)
        frame.insert(4, "group_label", view.groups[0])
        parts.append(frame[ok[sl]])
    out = pd.concat(parts, ignore_index=True)
    return select_rows(out, op, minimum, sort, top)[GROUP_COLUMNS]
