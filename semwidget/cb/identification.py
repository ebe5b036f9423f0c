"""Which parameters of a model are not identified, and one sentence on why.

A parameter vector is locally identified when the implied moments (the non-duplicated
elements of ``Σ`` and, with a mean structure, ``μ``) change in every direction of the
parameters: the Jacobian ``J = ∂(vech Σ, μ)/∂θ`` has full column rank (Rothenberg, 1971;
Bekker, Merckens & Wansbeek, 1994). When it does not, the null space of ``J`` holds the
directions in which the parameters can move without changing anything the data show; the
parameters with a non-zero share in that null space are exactly the ones not identified.

The rank is judged at a random point near the start (so a structural problem is not confused
with a property of one data set) with columns scaled to unit length (so units do not matter);
if the model is identified there but not at the estimates, the problem is empirical. The null
space is brought to reduced row-echelon form so each direction names as few parameters as
possible, and common patterns get their own sentence: two variances identified only as their
sum, a latent variable whose scale is not set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from semwidget.cb.ram import RAMModel

__all__ = ["Unidentified", "find_unidentified"]

_RANK_TOL = 1e-8
_SHARE_TOL = 1e-6


@dataclass
class Unidentified:
    """The parameters that are not identified.

    Attributes
    ----------
    parameters : list of str
        Their rows, ``"lhs op rhs"`` (the keys of the widget's ``results["edges"]``), in
        table order.
    sentences : list of str
        One sentence per direction in which they can move (or per latent without a scale).
    empirical : bool
        True when the model is identified in general but not at these estimates.
    """

    parameters: list[str]
    sentences: list[str]
    empirical: bool

    def summary(self) -> str:
        """Which parameters and why, without the opening clause."""
        named = ", ".join(f"'{p}'" for p in self.parameters)
        return f"{named} cannot all be estimated. " + " ".join(self.sentences)

    def message(self) -> str:
        """The full message: what is wrong, which parameters, and why."""
        what = ("the model is empirically under-identified at these estimates"
                if self.empirical else "the model is not identified")
        return f"{what}: {self.summary()} Fix one of them or add constraints."


def _moment_jacobian(model: RAMModel, theta: np.ndarray) -> np.ndarray:
    dsig, dmu = model.jacobian(theta)
    p = model.n_obs
    r, c = np.tril_indices(p)
    blocks = [dsig[:, r, c].T]
    if model.meanstructure:
        blocks.append(dmu.T)
    return np.vstack(blocks)


def _null_space(J: np.ndarray) -> np.ndarray:
    """Null-space basis (q × k) of ``J``, judged with columns scaled to unit length."""
    norms = np.linalg.norm(J, axis=0)
    scale = np.where(norms > 0, norms, 1.0)
    _, s, vt = np.linalg.svd(J / scale, full_matrices=True)
    top = s[0] if s.size else 0.0
    rank = int(np.sum(s > _RANK_TOL * max(top, 1.0)))
    basis = vt[rank:].T / scale[:, None]  # back to the parameters' own units
    return basis


def _rref(basis: np.ndarray) -> np.ndarray:
    """Rows spanning the same space as the columns of ``basis``, each with few non-zeros."""
    M = basis.T.copy()  # k × q
    k, q = M.shape
    row = 0
    for col in range(q):
        if row == k:
            break
        piv = row + int(np.argmax(np.abs(M[row:, col])))
        if abs(M[piv, col]) < _SHARE_TOL * max(1.0, np.abs(M).max()):
            continue
        M[[row, piv]] = M[[piv, row]]
        M[row] /= M[row, col]
        for r in range(k):
            if r != row:
                M[r] -= M[r, col] * M[row]
        row += 1
    M[np.abs(M) < _SHARE_TOL] = 0.0
    return M


def _random_point(model: RAMModel, theta: np.ndarray, seed: int = 20240) -> np.ndarray:
    """A nearby generic point: each parameter moved by up to ±25% and ±0.1 (so a zero moves
    too), variances kept positive."""
    rng = np.random.default_rng(seed)
    out = theta * (1 + rng.uniform(-0.25, 0.25, size=theta.shape)) \
        + rng.uniform(-0.1, 0.1, size=theta.shape)
    free = model.pidx >= 0
    var = free & (model.kind == 1) & (model.row_i == model.row_j)
    idx = model.pidx[var]
    out[idx] = np.abs(out[idx]) + 0.05
    return out


def _keys(full: pd.DataFrame, model: RAMModel) -> list[str]:
    """The row ``"lhs op rhs"`` of each free parameter (its first row)."""
    out = [""] * model.n_par
    for pos, tix in enumerate(model.table_index):
        q = model.pidx[pos]
        if q >= 0 and not out[q]:
            lhs, op, rhs = full.at[tix, "lhs"], full.at[tix, "op"], full.at[tix, "rhs"]
            out[q] = f"{lhs} {op} {rhs}".rstrip() if op != "~1" else f"{lhs} ~1"
    return out


def _sentence(vec: np.ndarray, keys: list[str], full: pd.DataFrame, model: RAMModel) -> str:
    idx = [int(k) for k in np.flatnonzero(vec)]
    names = [keys[k] for k in idx]
    parts = [k.split() for k in names]
    variances = all(len(w) == 3 and w[1] == "~~" and w[0] == w[2] for w in parts)
    if len(idx) == 2 and variances:
        a, b = parts[0][0], parts[1][0]
        how = "sum" if vec[idx[0]] * vec[idx[1]] < 0 else "difference"
        return f"The variances of {a} and {b} are identified only as their {how}."
    lat = {w[0] for w in parts if len(w) == 3 and w[1] == "=~"}
    if len(lat) == 1:
        f = lat.pop()
        if all((w[1] == "=~" and w[0] == f) or (w[1] == "~~" and f in (w[0], w[2]))
               or (w[1] == "~" and f in (w[0], w[2])) for w in parts):
            return (f"The scale of {f} is not set: its loadings and its variance trade off; "
                    f"fix one loading to 1 or the variance of {f} to 1.")
    if len(idx) == 2:
        return f"Only a combination of '{names[0]}' and '{names[1]}' is identified."
    return ""


def find_unidentified(full: pd.DataFrame, model: RAMModel, theta: np.ndarray
                      ) -> Unidentified | None:
    """The parameters that are not identified, or ``None`` when all are.

    Parameters
    ----------
    full : DataFrame
        The full parameter table the model was built from.
    model : RAMModel
    theta : ndarray
        A parameter vector: the estimates or the start values.
    """
    theta = np.asarray(theta, dtype=float)
    keys = _keys(full, model)
    basis = _null_space(_moment_jacobian(model, _random_point(model, theta)))
    empirical = False
    if basis.shape[1] == 0:
        basis = _null_space(_moment_jacobian(model, theta))
        empirical = True
        if basis.shape[1] == 0:
            return None
    rows = _rref(basis)
    rows = rows[np.abs(rows).sum(axis=1) > 0]
    involved = np.flatnonzero(np.abs(rows).sum(axis=0) > 0)
    sentences = list(dict.fromkeys(_sentence(r, keys, full, model) for r in rows))
    generic = "" in sentences
    sentences = [t for t in sentences if t]
    if generic:
        k = len(rows)
        sentences.append(
            f"They can change together in {k} direction{'s' if k > 1 else ''} without changing "
            "the implied covariances" + (" and means" if model.meanstructure else "")
            + " (the data cannot tell them apart).")
    return Unidentified([keys[k] for k in involved], sentences, empirical)
