"""The reticular action model (RAM) built from a full parameter table.

All variables (observed first, then latent) share one index space. ``A`` holds directed effects
(``A[i, j]`` is the effect of ``j`` on ``i``: loadings and regressions), ``S`` the (residual)
variances and covariances and ``m`` the intercepts. The model-implied moments of the observed
variables are ``Sigma = F B S B' F'`` and ``mu = F B m`` with ``B = (I - A)^-1``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.model.frame_arrays import column_arrays

ROW_OPS = ("=~", "~", "~~", "~1")


def row_indices(lhs: str, op: str, rhs: str, pos: dict[str, int]) -> tuple[int, int, int]:
    """Kind (0 directed, 1 symmetric, 2 intercept) and matrix indices of one parameter row."""
    if op == "=~":
        return 0, pos[rhs], pos[lhs]
    if op == "~":
        return 0, pos[lhs], pos[rhs]
    if op == "~~":
        return 1, pos[lhs], pos[rhs]
    return 2, pos[lhs], pos[lhs]


@dataclass
class RAMModel:
    """Index arrays that map a parameter vector onto the RAM matrices.

    Build with :meth:`from_table`. Each model row (``=~ ~ ~~ ~1``) has a kind (0 directed,
    1 symmetric, 2 intercept), two variable indices and either a free-parameter index
    (``pidx >= 0``) or a fixed value.
    """

    names: list[str]
    n_obs: int
    kind: np.ndarray
    row_i: np.ndarray
    row_j: np.ndarray
    pidx: np.ndarray
    fixed: np.ndarray
    n_par: int
    table_index: np.ndarray
    meanstructure: bool

    @classmethod
    def from_table(cls, table: pd.DataFrame, observed: list[str],
                   meanstructure: bool = False) -> RAMModel:
        """Index a full parameter table.

        Parameters
        ----------
        table : DataFrame
            Full table from :func:`semwidget.model.partable.build`; fixed values in ``ustart``
            (exogenous covariate rows must already hold their sample values).
        observed : list of str
            Observed variables in the order of the data moments.
        meanstructure : bool
            Whether intercept rows are part of the model.
        """
        # plain lists: a Series per column and a boolean .loc were most of this function
        cols = column_arrays(table)
        lhs_, ops = cols["lhs"].tolist(), cols["op"].tolist()
        obs = set(observed)
        lat = [v for v in dict.fromkeys(v for v, o in zip(lhs_, ops, strict=True) if o == "=~")
               if v not in obs]
        names = list(observed) + lat
        pos = {v: k for k, v in enumerate(names)}
        kinds, ii, jj, pid, fx, tix = [], [], [], [], [], []
        for idx, (lhs, op, rhs, free, ustart) in enumerate(
            zip(lhs_, ops, cols["rhs"].tolist(), cols["free"].tolist(),
                cols["ustart"].tolist(), strict=True)
        ):
            if op not in ROW_OPS or (op == "~1" and not meanstructure):
                continue
            k, i, j = row_indices(lhs, op, rhs, pos)
            kinds.append(k)
            ii.append(i)
            jj.append(j)
            pid.append(int(free) - 1)
            fx.append(0.0 if free > 0 or np.isnan(ustart) else float(ustart))
            tix.append(idx)
        pidx = np.asarray(pid, dtype=np.int64)
        n_par = int(pidx.max()) + 1 if len(pidx) and pidx.max() >= 0 else 0
        return cls(names, len(observed), np.asarray(kinds), np.asarray(ii), np.asarray(jj),
                   pidx, np.asarray(fx), n_par, np.asarray(tix), meanstructure)

    @property
    def n_var(self) -> int:
        """Number of variables, observed and latent."""
        return len(self.names)

    def plan(self) -> RowPlan:
        """The index arrays every evaluation reuses, made on first use (see :class:`RowPlan`)."""
        got = self.__dict__.get("_plan")
        if got is None:
            got = RowPlan.of(self)
            self.__dict__["_plan"] = got
        return got

    def values(self, theta: np.ndarray) -> np.ndarray:
        """Value of every model row for a parameter vector."""
        pl = self.plan()
        v = self.fixed.copy()
        v[pl.free] = theta[pl.free_par]
        return v

    def matrices(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The RAM matrices ``A``, ``S`` and the intercept vector ``m``."""
        n = self.n_var
        pl = self.plan()
        v = self.values(theta)
        A = np.zeros(n * n)
        S = np.zeros(n * n)
        m = np.zeros(n)
        A[pl.a_flat] = v[pl.d]
        vs = v[pl.s]
        S[pl.s_flat] = vs
        S[pl.s_flat_t] = vs
        m[pl.m_var] = v[pl.c]
        return A.reshape(n, n), S.reshape(n, n), m

    def implied(self, theta: np.ndarray) -> Implied:
        """Model-implied moments and the pieces their derivatives need."""
        A, S, m = self.matrices(theta)
        try:
            # paths that never chain (a CFA): A @ A = 0, so the inverse is I + A exactly
            pl = self.plan()
            B = A + pl.eye if pl.one_deep else np.linalg.inv(pl.eye - A)
        except np.linalg.LinAlgError as err:
            raise ModelSpecError("the regressions form a loop with no solution "
                                 "((I - B) is singular)") from err
        C = B @ S @ B.T
        p = self.n_obs
        G = B[:p]
        sigma = C[:p, :p]
        eta = B @ m
        return Implied(A, S, m, B, C, G, sigma, eta[:p].copy(), eta)

    def jacobian(self, theta: np.ndarray, imp: Implied | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
        """Derivatives of ``Sigma`` and ``mu`` with respect to each free parameter.

        Returns
        -------
        dsigma : ndarray, shape (n_par, p, p)
        dmu : ndarray, shape (n_par, p)
        """
        if imp is None:
            imp = self.implied(theta)
        p = self.n_obs
        G = imp.G
        H = imp.C[:, :p]  # cov(all variables, observed) = B S G'
        free = self.pidx >= 0
        k = self.kind[free]
        i = self.row_i[free]
        j = self.row_j[free]
        # Each free row's derivative goes straight to its parameter's slot; only with equality
        # labels (rows sharing a parameter) are rows summed, by an index-add. The dense 0/1
        # aggregator product this replaces cost 60 of 103 ms per call at p = 100.
        par = self.pidx[free]
        shared = self._shares_parameters()
        slot = np.arange(len(k)) if shared else par
        rows = np.zeros((len(k) if shared else self.n_par, p, p))
        mrows = np.zeros((rows.shape[0], p)) if self.meanstructure else None
        d = np.flatnonzero(k == 0)
        if len(d):
            gi = G[:, i[d]].T  # (r, p)
            hj = H[j[d], :]    # (r, p)
            t = gi[:, :, None] * hj[:, None, :]
            t += t.transpose(0, 2, 1)
            rows[slot[d]] = t
            if mrows is not None:
                mrows[slot[d]] = gi * imp.eta[j[d]][:, None]
        s = np.flatnonzero(k == 1)
        if len(s):
            ga = G[:, i[s]].T
            gb = G[:, j[s]].T
            t = ga[:, :, None] * gb[:, None, :]
            t += t.transpose(0, 2, 1)
            t[i[s] == j[s]] *= 0.5
            rows[slot[s]] = t
        c = np.flatnonzero(k == 2)
        if len(c) and mrows is not None:
            mrows[slot[c]] = G[:, i[c]].T
        if mrows is None:
            mrows = np.zeros((self.n_par, p))
        if not shared:
            return rows, mrows
        dsig = np.zeros((self.n_par, p, p))
        np.add.at(dsig, par, rows)
        dmu = np.zeros((self.n_par, p))
        if self.meanstructure:
            np.add.at(dmu, par, mrows)
        return dsig, dmu

    def _shares_parameters(self) -> bool:
        """Whether some free parameter stands in more than one row (equality labels)."""
        shared = self.__dict__.get("_shared")
        if shared is None:
            par = self.pidx[self.pidx >= 0]
            # not shared only when each parameter has exactly one row (a permutation)
            shared = not (len(par) == self.n_par and len(np.unique(par)) == len(par))
            self.__dict__["_shared"] = shared
        return bool(shared)


@dataclass(frozen=True)
class RowPlan:
    """Where each row of a RAM model goes, as integer index arrays made once per model.

    A fit evaluates the model a few dozen times at tens of microseconds each; the kind masks
    and free rows are the same every time, so they are made once.
    """

    free: np.ndarray      # model rows with a free parameter
    free_par: np.ndarray  # their parameter indices
    d: np.ndarray         # directed rows (kind 0) and their flat index into A
    a_flat: np.ndarray
    s: np.ndarray         # symmetric rows (kind 1), flat index into S and its transpose
    s_flat: np.ndarray
    s_flat_t: np.ndarray
    c: np.ndarray         # intercept rows (kind 2) and their variable
    m_var: np.ndarray
    # the free rows' kind and variable indices, and where each kind sits among them
    fi: np.ndarray
    fj: np.ndarray
    fd: np.ndarray
    fs: np.ndarray
    fc: np.ndarray
    half: np.ndarray      # 0.5 for the variances among the free symmetric rows, else 1
    one_deep: bool        # no variable both receives and sends a directed path
    in_order: bool        # the free rows are the parameters 0, 1, ..., each once
    # the free rows' second derivative factor as one take from [C[:p] | G] and a scale:
    # column j of C[:p] for a path, n + j (of G) halved for a variance, 0 for an intercept
    v_take: np.ndarray
    v_scale: np.ndarray
    eye: np.ndarray       # the identity of the model's size (read only)

    @classmethod
    def of(cls, model: RAMModel) -> RowPlan:
        """The plan of ``model``."""
        n = model.n_var
        k, i, j = model.kind, model.row_i, model.row_j
        free = np.flatnonzero(model.pidx >= 0)
        d, s, c = (np.flatnonzero(k == kind) for kind in (0, 1, 2))
        fk, fi, fj = k[free], i[free], j[free]
        fs = np.flatnonzero(fk == 1)
        one_deep = not set(i[d].tolist()) & set(j[d].tolist())
        par = model.pidx[free]
        in_order = bool(np.array_equal(par, np.arange(model.n_par)))
        half = np.where(fi[fs] == fj[fs], 0.5, 1.0)
        v_take = np.where(fk == 1, n + fj, np.where(fk == 0, fj, 0)).astype(np.intp)
        v_scale = np.where(fk == 0, 1.0, 0.0)
        v_scale[fs] = half
        return cls(free, par, d, i[d] * n + j[d], s, i[s] * n + j[s],
                   j[s] * n + i[s], c, i[c], fi, fj, np.flatnonzero(fk == 0), fs,
                   np.flatnonzero(fk == 2), half, one_deep, in_order, v_take, v_scale,
                   _read_only(np.eye(n)))


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


@dataclass
class Implied:
    """Implied moments of a RAM model at one parameter vector."""

    A: np.ndarray
    S: np.ndarray
    m: np.ndarray
    B: np.ndarray
    C: np.ndarray  # implied covariance of all variables
    G: np.ndarray  # rows of B for the observed variables
    sigma: np.ndarray
    mu: np.ndarray
    eta: np.ndarray  # implied means of all variables
