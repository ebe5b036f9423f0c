"""Exploratory SEM: rotate the efa blocks of a fitted unrotated model, and their SEs.

The unrotated model (``model.efa``) has been estimated; its fit measures are the rotated
model's too. Each block's loadings are rotated (``cb.rotation``) and the whole RAM model is
transformed with them: the block's factors become ``eta_rot = R^-1 eta``, so ``A`` becomes
``M A M^-1``, ``S`` becomes ``M S M'`` and the intercepts ``M m``, with ``M`` the identity but
``R^-1`` on the block. That moves the rotation into the block's factor correlations, their
regressions and their covariances with other variables, as lavaan reports them.

Standard errors, as lavaan's default ``rotation.se = "bordered"``: the information of the
rotated parameters (and the sandwich built on it for robust SEs), bordered by the Jacobian
of the rotation's stationarity conditions written as lavaan writes them
(:func:`rotation_conditions`; its std.ov variances are ``diag(A A' + Theta)`` of the rotated
block), inverted on the constraints' null space (``cb.constraints.constrained_vcov``).
Under FIML the unrotated covariance matrix is carried through the Jacobian of (unrotated
estimates -> rotated parameters) instead, by central differences with the rotation continued
from its optimum (lavaan's ``rotation.se = "delta"``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from semwidget.cb import estimate as cbsem
from semwidget.cb import robust, robust_fiml
from semwidget.cb.assemble import assemble
from semwidget.cb.constraints import _jacobian, constrained_vcov, information_matrix
from semwidget.cb.data import Moments
from semwidget.cb.estimate import Estimate, numeric_hessian
from semwidget.cb.fiml import _objective as fiml_objective
from semwidget.cb.fiml import patterns as fiml_patterns
from semwidget.cb.prepare import renumber_free
from semwidget.cb.ram import RAMModel
from semwidget.cb.result import CBResult
from semwidget.cb.rotation import ROTATIONS, Rotation, RotationSpec, criterion, rotate
from semwidget.errors import ModelSpecError
from semwidget.model.efa import EfaBlock

#: rotation_args keys (lavaan's rotation.args, "." written "_") and their types
ROTATION_ARGS = {"orthogonal": bool, "geomin_epsilon": float, "oblimin_gamma": float,
                 "orthomax_gamma": float, "rstarts": int, "std_ov": bool}
FULL_COLUMNS = ("id", "lhs", "op", "rhs", "user", "free", "ustart", "label", "freed", "exo")


def efa_starts(full: pd.DataFrame, blocks: list[EfaBlock], ov: list[str], S: np.ndarray
               ) -> pd.DataFrame:
    """Start values for the unrotated loadings: principal components in echelon form.

    Equal starts for all of a block's factors sit on a saddle of the likelihood; the first
    ``m`` components of the block's indicators, turned so the echelon zeros hold (a QR step),
    start the fit near its optimum. Starts the user gave are kept.
    """
    full = full.copy()
    pos = {v: k for k, v in enumerate(ov)}
    for b in blocks:
        ii = [pos[x] for x in b.indicators]
        m = len(b.factors)
        vals, vecs = np.linalg.eigh(S[np.ix_(ii, ii)])
        top = np.argsort(vals)[::-1][:m]
        L = vecs[:, top] * np.sqrt(np.maximum(vals[top] * 0.8, 1e-6))
        q, _ = np.linalg.qr(L[:m].T)
        L = L @ q
        L = L * np.where(np.diag(L[:m]) < 0, -1.0, 1.0)
        for k, f in enumerate(b.factors):
            for j, x in enumerate(b.indicators):
                hit = (full["lhs"] == f) & (full["op"] == "=~") & (full["rhs"] == x) & \
                    (full["free"] > 0) & full["ustart"].isna()
                full.loc[hit, "ustart"] = L[j, k]
    return full


def rotation_spec(rotation: str, rotation_args: dict[str, Any] | None) -> RotationSpec:
    """Check ``rotation=`` and ``rotation_args=`` and make the spec.

    Raises
    ------
    ModelSpecError
        Naming the unknown rotation, argument or bad value.
    """
    if not isinstance(rotation, str) or rotation.lower() not in ROTATIONS:
        raise ModelSpecError(f"unknown rotation={rotation!r}: use one of "
                             f"{', '.join(ROTATIONS)}", name="rotation")
    kwargs: dict[str, Any] = {}
    for key, value in (rotation_args or {}).items():
        name = str(key).replace(".", "_")
        kind = ROTATION_ARGS.get(name)
        if kind is None:
            raise ModelSpecError(f"unknown rotation_args entry {key!r}: use "
                                 f"{', '.join(ROTATION_ARGS)}", name="rotation_args")
        ok = isinstance(value, (bool, np.bool_)) if kind is bool else (
            isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
            and np.isfinite(value) and value >= 0)
        if not ok:
            raise ModelSpecError(f"rotation_args {key!r} must be "
                                 f"{'True or False' if kind is bool else 'a number >= 0'}, "
                                 f"got {value!r:.40}", name="rotation_args")
        kwargs[name] = kind(value)
    return RotationSpec(method=rotation.lower(), **kwargs)


class _Rotator:
    """The map from unrotated estimates to the rotated model's parameters."""

    def __init__(self, model: RAMModel, blocks: list[EfaBlock], spec: RotationSpec) -> None:
        self.model = model
        self.spec = spec
        pos = {v: k for k, v in enumerate(model.names)}
        self.idx = [([pos[x] for x in b.indicators], [pos[f] for f in b.factors])
                    for b in blocks]

    def ov_var(self, theta: np.ndarray) -> np.ndarray:
        """lavaan's variances for std.ov: ``diag(Lambda Psi Lambda' + Theta)`` of the indicators.

        ``Psi`` holds the latent (residual) (co)variances as parameters, not the total latent
        covariance, so with regressions among latents this is not the implied variance.
        """
        A, S, _ = self.model.matrices(theta)
        p = self.model.n_obs
        lam = A[:p, p:]
        return np.diag(lam @ S[p:, p:] @ lam.T + S[:p, :p])

    def rotations(self, theta: np.ndarray, starts: list[Rotation] | None = None,
                  var: np.ndarray | None = None) -> list[Rotation]:
        """Each block's rotation; ``var`` (std.ov) defaults to the variances at ``theta``."""
        A, _, _ = self.model.matrices(theta)
        var = self.ov_var(theta) if var is None else var
        return [rotate(A[np.ix_(ii, fi)], var[ii], self.spec,
                       None if starts is None else starts[k])
                for k, (ii, fi) in enumerate(self.idx)]

    def matrices(self, theta: np.ndarray, rots: list[Rotation]
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        A, S, m = self.model.matrices(theta)
        M = np.eye(self.model.n_var)
        for (_, fi), rot in zip(self.idx, rots, strict=True):
            M[np.ix_(fi, fi)] = np.linalg.inv(rot.R)
        Mi = np.linalg.inv(M)
        return M @ A @ Mi, M @ S @ M.T, M @ m


def rotation_conditions(model_r: RAMModel, theta_r: np.ndarray,
                        idx: list[tuple[list[int], list[int]]], spec: RotationSpec
                        ) -> np.ndarray:
    """lavaan's rotation constraints at rotated parameters (for the bordered information).

    With ``A`` the block's loadings scaled by ``diag(A A' + Theta)^-1/2`` (std.ov) and the
    row weights, and ``Z = A' dQ/dA``: orthogonal, ``Z - Z'`` is 0 below the diagonal;
    oblique, ``Z - dg(Z) Phi`` is 0 off the diagonal.
    """
    A_all, S_all, _ = model_r.matrices(theta_r)
    crit = criterion(spec)
    out = []
    for ii, fi in idx:
        A = A_all[np.ix_(ii, fi)]
        if spec.std_ov:
            var = np.diag(A @ A.T + S_all[np.ix_(ii, ii)])
            A = A / np.sqrt(var)[:, None]
        if ROTATIONS[spec.method][1]:
            A = A / np.sqrt(np.sum(A * A, axis=1))[:, None]
        _, Gq = crit(A)
        Z = A.T @ Gq
        low = np.tril_indices(len(fi), -1)
        if spec.is_orthogonal():
            out.append((Z - Z.T)[low])
        else:
            D = Z - S_all[np.ix_(fi, fi)] * np.diag(Z)[:, None]
            up = np.triu_indices(len(fi), 1)
            out.extend([D[low], D[up]])
    return np.concatenate(out)


def bordered_vcov(model_r: RAMModel, theta_r: np.ndarray, idx: list[tuple[list[int], list[int]]],
                  spec: RotationSpec, result: CBResult, mom: Moments, se: str
                  ) -> np.ndarray | None:
    """Covariance of the rotated estimates with the information bordered by the rotation
    constraints (lavaan's default ``rotation.se = "bordered"``), for complete data.

    ML and GLS/ULS: the inverse expected information on the constraints' null space; robust
    SEs: that inverse (of the expected, ``robust.sem``, or observed information,
    ``robust.huber.white``) on both sides of the first-order or Gamma-based middle matrix.
    FIML: the observed information (Hessian of the casewise log-likelihood), and case scores
    in the middle for robust SEs. ``None`` if the bordered matrix is singular.
    """
    def conditions(t: np.ndarray) -> np.ndarray:
        return rotation_conditions(model_r, t, idx, spec)

    jac = _jacobian(conditions, theta_r, len(conditions(theta_r)))
    S = result.sample_cov.to_numpy()
    n = result.nobs
    if result.missing == "fiml":
        X = mom.data
        _, grad = fiml_objective(model_r, fiml_patterns(X, mom.weights), n)
        H = numeric_hessian(grad, theta_r)
        if se not in robust.ROBUST_SE:
            return constrained_vcov(H * n, jac)
        imp = model_r.implied(theta_r)
        s0 = robust_fiml.weighted_scores(X, imp.sigma, imp.mu, mom.weights) @ \
            robust_fiml._jacobian(model_r, theta_r, imp)
        Hc = constrained_vcov(H, jac)
        return None if Hc is None else Hc @ (s0.T @ s0 / n) @ Hc / n
    mean = mom.mean if model_r.meanstructure else None
    est = "ML" if result.estimator in ("ML", "MLR", "MLM", "MLMV") else result.estimator
    if se not in robust.ROBUST_SE:
        W = None if est == "ML" else cbsem.wls_weight(S, est)
        return constrained_vcov(information_matrix(model_r, theta_r, S, n, est, W, mean), jac)
    imp = model_r.implied(theta_r)
    exo = set(result.table.loc[result.table["exo"] == 1, "lhs"])
    is_x = np.array([v in exo for v in model_r.names[: model_r.n_obs]])
    rm = robust.moments(model_r, theta_r, imp, mom.data, is_x, mom.weights)
    wd = rm.w @ rm.delta
    if se == "robust.sem":
        A, B = rm.delta.T @ wd, wd.T @ rm.gamma @ wd
    else:
        A, B = robust.observed_information(model_r, theta_r, S, mean), robust.first_order(rm)
    Ac = constrained_vcov(A, jac)
    return None if Ac is None else Ac @ B @ Ac / n


def _read(model: RAMModel, A: np.ndarray, S: np.ndarray, m: np.ndarray) -> np.ndarray:
    """The free parameter vector of ``model`` holding the matrices' values."""
    theta = np.zeros(model.n_par)
    vals = np.where(model.kind == 0, A[model.row_i, model.row_j],
                    np.where(model.kind == 1, S[model.row_i, model.row_j], m[model.row_i]))
    free = model.pidx >= 0
    theta[model.pidx[free][::-1]] = vals[free][::-1]  # the first row of a shared index wins
    return theta


def rotated_table(table: pd.DataFrame, blocks: list[EfaBlock], orthogonal: bool
                  ) -> pd.DataFrame:
    """The full table with the block loadings (and oblique factor correlations) free."""
    full = table[[c for c in table.columns if c in FULL_COLUMNS or c == "group"]].copy()
    free = full["free"].to_numpy().copy()
    big = free.max() + 1 if len(free) else 1
    for b in blocks:
        fs = set(b.factors)
        load = (full["op"] == "=~") & full["lhs"].isin(fs)
        cov = (full["op"] == "~~") & full["lhs"].isin(fs) & full["rhs"].isin(fs) & \
            (full["lhs"] != full["rhs"])
        for i in np.flatnonzero((load | (cov if not orthogonal else False)).to_numpy()):
            if free[i] == 0:
                free[i] = big
                big += 1
    full["free"] = renumber_free(free)
    return full


def rotate_result(result: CBResult, blocks: list[EfaBlock], spec: RotationSpec,
                  mom: Moments, options: dict[str, Any], frame: pd.DataFrame | None
                  ) -> CBResult:
    """The rotated result of a fitted unrotated ESEM model (estimates, SEs, std.all, R²).

    SEs: lavaan's bordered information on complete data (:func:`bordered_vcov`); under FIML
    the unrotated covariance matrix is carried through the rotation by the delta method.
    """
    model, theta = result.model, result.theta
    rotator = _Rotator(model, blocks, spec)
    var = rotator.ov_var(theta)
    rots = rotator.rotations(theta, var=var)
    table = rotated_table(result.table, blocks, spec.is_orthogonal())
    ov = model.names[: model.n_obs]
    model_r = RAMModel.from_table(table, ov, meanstructure=model.meanstructure)
    theta_r = _read(model_r, *rotator.matrices(theta, rots))
    vcov = None
    if result.vcov is not None:
        vcov = bordered_vcov(model_r, theta_r, rotator.idx, spec, result, mom,
                             options.get("se", "standard"))
    if result.vcov is not None and vcov is None:
        J = np.zeros((model_r.n_par, model.n_par))
        for k in range(model.n_par):
            h = 1e-5 * max(1.0, abs(theta[k]))
            tp, tm = theta.copy(), theta.copy()
            tp[k] += h
            tm[k] -= h
            # the std.ov variances stay at the estimate, as in lavaan's rotation constraints
            up = _read(model_r, *rotator.matrices(tp, rotator.rotations(tp, rots, var)))
            dn = _read(model_r, *rotator.matrices(tm, rotator.rotations(tm, rots, var)))
            J[:, k] = (up - dn) / (2.0 * h)
        vcov = J @ result.vcov @ J.T
    res = Estimate(theta_r, float("nan"), result.converged, result.iterations, vcov)
    imp = model_r.implied(theta_r)
    if np.max(np.abs(imp.sigma - result.implied_cov.to_numpy())) > 1e-6:
        raise ModelSpecError("the rotation changed the implied covariance matrix; the efa "
                             "block's factors may be tied to other parts of the model by "
                             "labels or constraints, which rotation does not support")
    moments = Moments(mom.names, result.nobs, result.sample_cov.to_numpy(), mom.mean,
                      mom.data, mom.weights)
    out = assemble(table, model_r, res, imp, moments, result.fit_measures, result.estimator,
                   {**options, "rotation": spec.method,
                    "rotation_orthogonal": spec.is_orthogonal()}, frame)
    return dataclasses.replace(out, robust_moments=result.robust_moments,
                               warnings=result.warnings + [
                                   w for w in out.warnings if w not in result.warnings])
