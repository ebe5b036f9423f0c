"""Modification indices: lavaan's univariate score tests for parameters not in the model.

The candidates are the parameters lavaan's ``lav_partable_full`` lists (every loading of an
observed, non-covariate variable on every factor; every (co)variance among observed
variables and among factors; regressions among the variables already in regressions), plus the
model's own fixed parameters, minus the parameters already free. The model is extended by
all candidates at value 0 (fixed ones at their fixed value), and with the *unit* expected
information ``I`` of the extended model partitioned into candidates (1) and model parameters
(2) and ``g`` the gradient of the ML fit function ``F_ML / 2`` (Saris, Satorra & Sörbom, 1987):

    V   = I11 - I12 I22^-1 I21
    mi  = N g1² / diag(V)
    epc = -g1 / diag(V)

Candidates whose ``diag(V)`` is below ``eps^(1/3)`` (not identified if freed) get no index and
are dropped, as lavaan does. Unlike lavaan, candidates that would free a fixed covariate
(``fixed.x``: its (co)variances, or a regression of it on other variables) are left out: the
covariates are conditioned on at their sample moments, so freeing them is not a modification of
the fitted model (lavaan lists them, with numbers that depend on its internal representation).
``sepc.lv``/``sepc.all``/``sepc.nox`` rescale the EPC with the
model's implied standard deviations, and residual covariances by the residual variances.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from semwidget.cb.estimate import expected_information
from semwidget.cb.ram import RAMModel, row_indices
from semwidget.errors import ModelSpecError
from semwidget.model.partable import roles

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult

V_TOL = float(np.finfo(float).eps) ** (1.0 / 3.0)
COLUMNS = ["lhs", "op", "rhs", "mi", "epc", "sepc_lv", "sepc_all", "sepc_nox"]


def _key(lhs: str, op: str, rhs: str) -> tuple[str, str, str]:
    if op == "~~" and rhs < lhs:
        lhs, rhs = rhs, lhs
    return lhs, op, rhs


def _lower_pairs(names: list[str]) -> list[tuple[str, str]]:
    """(a, b) for b at or after a, column by column (R's ``lower.tri`` order)."""
    return [(names[j], names[i]) for j in range(len(names)) for i in range(j, len(names))]


def candidates(table: pd.DataFrame, meanstructure: bool = False) -> list[tuple[str, str, str]]:
    """Parameters lavaan's ``lav_partable_full`` would add, in its order (before removal)."""
    r = roles(table)
    lv = r.lv
    ov_x = r.ov_x
    ov_nox = [v for v in r.ov if v not in set(ov_x)]
    reg = table[table["op"] == "~"]
    eqs_y = list(dict.fromkeys(reg["lhs"]))
    eqs_x = list(dict.fromkeys(reg["rhs"]))
    eqs = list(dict.fromkeys(eqs_y + eqs_x))
    ov_ind = set(table.loc[(table["op"] == "=~") & ~table["rhs"].isin(lv), "rhs"])
    out: list[tuple[str, str, str]] = []
    for f in lv:
        for v in ov_nox:
            if v not in eqs:
                out.append((f, "=~", v))
    other = [v for v in r.ov if v not in ov_ind | set(ov_x) | set(eqs)]
    for a, b in _lower_pairs(ov_nox):
        if other and (b in other or a in other):
            continue
        out.append((a, "~~", b))
    for a, b in _lower_pairs(ov_x):
        out.append((a, "~~", b))
    for a, b in _lower_pairs(lv):
        out.append((a, "~~", b))
    for y in eqs:
        for x in eqs:
            if x == y or (y in ov_ind and x in lv):
                continue
            out.append((y, "~", x))
    if meanstructure:
        out.extend((v, "~1", "") for v in r.ov + lv)
    return out


def _extended(model: RAMModel, rows: list[tuple[str, str, str]], fixed_rows: list[int]
              ) -> RAMModel:
    """The model plus one free parameter per candidate (indices after the model's)."""
    pos = {v: k for k, v in enumerate(model.names)}
    kind = list(model.kind)
    ri = list(model.row_i)
    rj = list(model.row_j)
    pidx = list(model.pidx)
    fixed = list(model.fixed)
    nxt = model.n_par
    for r in fixed_rows:  # the model's fixed rows become free parameters
        pidx[r] = nxt
        nxt += 1
    for lhs, op, rhs in rows:
        k, i, j = row_indices(lhs, op, rhs, pos)
        kind.append(k)
        ri.append(i)
        rj.append(j)
        pidx.append(nxt)
        fixed.append(0.0)
        nxt += 1
    return RAMModel(model.names, model.n_obs, np.asarray(kind), np.asarray(ri), np.asarray(rj),
                    np.asarray(pidx), np.asarray(fixed), nxt,
                    np.full(len(kind), -1), model.meanstructure)


def modindices(result: CBResult, sort: bool = False, minimum: float = 0.0,
               top: int | None = None, op: str | list[str] | None = None) -> pd.DataFrame:
    """Modification indices with lavaan's ``mi``, ``epc``, ``sepc.lv``, ``sepc.all``.

    Parameters
    ----------
    result : CBResult
        A model fitted by ML on complete data.
    sort : bool
        Sort by ``mi``, largest first (lavaan's ``sort. = TRUE``).
    minimum : float
        Keep rows with ``mi >= minimum``.
    top : int, optional
        Keep the first ``top`` rows (after sorting).
    op : str or list of str, optional
        Keep only these operators (``"=~"``, ``"~"``, ``"~~"``).

    Returns
    -------
    DataFrame
        ``lhs op rhs mi epc sepc_lv sepc_all sepc_nox`` (lavaan's names with ``.`` as ``_``).
    """
    if result.estimator != "ML" or result.missing != "listwise":
        raise ModelSpecError(
            "modification indices are computed for ML fits on complete data (estimator='ML', "
            f"missing='listwise'); this model was fitted with estimator={result.estimator!r}, "
            f"missing={result.missing!r}")
    model = result.model
    table = result.table
    if model.meanstructure:
        raise ModelSpecError("modification indices with a mean structure are not supported")
    values = model.values(result.theta)
    existing: dict[tuple[str, str, str], int] = {}
    fixed_rows: list[int] = []
    fixed_keys: list[tuple[str, str, str]] = []
    for pos, tix in enumerate(model.table_index):
        key = _key(table.at[tix, "lhs"], table.at[tix, "op"], table.at[tix, "rhs"])
        existing[key] = pos
        if model.pidx[pos] < 0:
            fixed_rows.append(pos)
            fixed_keys.append((table.at[tix, "lhs"], table.at[tix, "op"], table.at[tix, "rhs"]))
    fixed_x = set(table.loc[table["exo"] == 1, "lhs"])

    def frees_covariate(lhs: str, op_: str, rhs: str) -> bool:
        return (op_ == "~" and lhs in fixed_x) or (op_ == "~~" and bool({lhs, rhs} & fixed_x))

    keep_fixed = [k for k, key in enumerate(fixed_keys) if not frees_covariate(*key)]
    fixed_rows = [fixed_rows[k] for k in keep_fixed]
    fixed_keys = [fixed_keys[k] for k in keep_fixed]
    new_rows = []
    seen = set(existing)
    for lhs, op_, rhs in candidates(table):
        key = _key(lhs, op_, rhs)
        if key not in seen and not frees_covariate(lhs, op_, rhs):
            seen.add(key)
            new_rows.append((lhs, op_, rhs))
    ext = _extended(model, new_rows, fixed_rows)
    theta_ext = np.concatenate([result.theta, values[fixed_rows], np.zeros(len(new_rows))])
    imp = ext.implied(theta_ext)
    inv = np.linalg.inv(imp.sigma)
    dsig, _ = ext.jacobian(theta_ext, imp)
    S = result.sample_cov.to_numpy()
    q = ext.n_par
    # gradient of F_ML / 2 and the unit expected information (lavaan's scaling)
    R = inv @ (imp.sigma - S) @ inv
    grad = 0.5 * (dsig.reshape(q, -1) @ R.ravel())
    info = 0.5 * expected_information(dsig, inv)
    m = model.n_par
    i22 = info[:m, :m]
    i21 = info[:m, m:]
    try:
        i22_inv = np.linalg.inv(i22)
    except np.linalg.LinAlgError as err:
        raise ModelSpecError("cannot compute modification indices: the information matrix of "
                             "the model is singular") from err
    vdiag = np.diag(info[m:, m:]) - np.einsum("ij,ik,kj->j", i21, i22_inv, i21)
    g1 = grad[m:]
    ok = vdiag >= V_TOL
    n = result.nobs
    with np.errstate(divide="ignore", invalid="ignore"):
        mi = np.where(ok, n * g1 ** 2 / vdiag, np.nan)
        epc = np.where(ok, -g1 / vdiag, np.nan)
    keys = fixed_keys + new_rows
    out = pd.DataFrame(keys, columns=["lhs", "op", "rhs"])
    out["mi"] = mi
    out["epc"] = epc
    est_fixed = np.concatenate([values[fixed_rows], np.zeros(len(new_rows))])
    lv_s, all_s, nox_s = _standardize_epc(result, out, epc, est_fixed)
    out["sepc_lv"] = lv_s
    out["sepc_all"] = all_s
    out["sepc_nox"] = nox_s
    out = out[ok].reset_index(drop=True)
    return select_rows(out, op, minimum, sort, top)[COLUMNS]


def select_rows(out: pd.DataFrame, op: str | Sequence[str] | None, minimum: float,
                sort: bool, top: int | None) -> pd.DataFrame:
    """The modification-index rows the caller asked for: by operator, at least ``minimum``,
    sorted by MI (stable), the first ``top``; shared by the single- and multigroup tables."""
    if op is not None:
        ops = [op] if isinstance(op, str) else list(op)
        out = out[out["op"].isin(ops)]
    if minimum > 0:
        out = out[out["mi"] >= minimum]
    if sort:
        out = out.sort_values("mi", ascending=False, kind="stable")
    if top is not None:
        out = out.head(top)
    return out.reset_index(drop=True)


def _standardize_epc(result: CBResult, rows: pd.DataFrame, epc: np.ndarray,
                     est_candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """lavaan's ``sepc.lv``, ``sepc.all``, ``sepc.nox`` for the candidate rows.

    As lavaan does, the EPC of a variance is replaced by the variance's current value before
    standardizing, and covariances are scaled by the (residual) variances of the model.
    """
    model = result.model
    imp = model.implied(result.theta)
    p = model.n_obs
    names = model.names
    pos = {v: k for k, v in enumerate(names)}
    sd = np.sqrt(np.clip(np.diag(imp.C), 0.0, None))
    resid = np.abs(np.diag(imp.S))
    lv = set(names[p:])
    fixed_x = set(result.table.loc[result.table["exo"] == 1, "lhs"])
    lhs = rows["lhs"].to_numpy()
    ops = rows["op"].to_numpy()
    rhs = rows["rhs"].to_numpy()
    is_var = (ops == "~~") & (lhs == rhs)
    val = np.where(is_var, est_candidates, epc)
    sign = np.sign(epc)
    small = is_var & (np.abs(val) < np.sqrt(np.finfo(float).eps))
    a = np.abs(val)
    out_lv = np.full(len(rows), np.nan)
    out_all = np.full(len(rows), np.nan)
    out_nox = np.full(len(rows), np.nan)
    for k in range(len(rows)):
        x, o, y = lhs[k], ops[k], rhs[k]
        v = a[k]
        if o == "=~":
            s_lv = v * sd[pos[x]]
            s_all = s_lv / sd[pos[y]]
            s_nox = s_all if y not in fixed_x else s_lv
        elif o == "~":
            s_lv = v / (sd[pos[x]] if x in lv else 1.0) * (sd[pos[y]] if y in lv else 1.0)
            s_all = s_lv / (sd[pos[x]] if x not in lv else 1.0) * \
                (sd[pos[y]] if y not in lv else 1.0)
            s_nox = s_lv / (sd[pos[x]] if x not in lv and x not in fixed_x else 1.0) * \
                (sd[pos[y]] if y not in lv and y not in fixed_x else 1.0)
        elif o == "~~" and x == y:
            scale = sd[pos[x]] ** 2
            s_lv = v / scale if x in lv else v
            s_all = v / scale
            s_nox = s_all if x not in fixed_x else s_lv
        elif o == "~~":
            both = np.sqrt(resid[pos[x]] * resid[pos[y]])
            s_lv = v / both if (x in lv and y in lv) else v
            s_all = v / both
            s_nox = v if (x in fixed_x or y in fixed_x) else s_all
        else:
            s_lv = v / sd[pos[x]] if x in lv else v
            s_all = v / sd[pos[x]]
            s_nox = s_all if x not in fixed_x else s_lv
        out_lv[k], out_all[k], out_nox[k] = s_lv, s_all, s_nox
    out_lv, out_all, out_nox = sign * out_lv, sign * out_all, sign * out_nox
    out_lv[small] = out_all[small] = out_nox[small] = 0.0
    # A zero (residual) variance leaves the standardized change undefined: NaN, not ±inf.
    for out in (out_lv, out_all, out_nox):
        out[~np.isfinite(out)] = np.nan
    return out_lv, out_all, out_nox
