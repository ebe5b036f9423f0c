"""Nonparametric bootstrap of a CB-SEM (ML) fit: SEs and percentile, BC and BCa intervals.

Each resample draws N rows with replacement, computes its covariance matrix (divisor N) and
refits the *same* :class:`~semwidget.cb.ram.RAMModel` starting from the full-sample
estimates: no re-parsing, no new start values. Resamples are fitted in batches by Fisher
scoring vectorised over the batch (stacked matrices), which is what makes 1000 resamples take
a fraction of a second; a resample the batch does not converge is refitted on its own with
:func:`semwidget.cb.estimate.fit_ml`, and counts as failed if that does not converge either.
Failed resamples are dropped; inadmissible ones (a negative variance, a non-positive-definite
latent covariance matrix) are kept and counted, as lavaan does.

Intervals (``level`` two-sided), from the bootstrap distribution of each parameter:

- percentile: the ``(1 ± level) / 2`` quantiles (lavaan ``boot.ci.type = "perc"``);
- ``bc``: bias-corrected percentile (Efron, 1981; lavaan's ``"bca.simple"``);
- ``bca``: bias-corrected and accelerated (Efron, 1987), acceleration from the jackknife.

Quantiles interpolate order statistics on the normal scale, as the boot package and lavaan do.
Batches run through joblib, so ``n_jobs`` and ``joblib.parallel_backend("dask")`` spread them
over processes or a Dask cluster; the resampled rows are drawn up front from ``seed``, so the
result does not depend on ``n_jobs``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from semwidget.cb import estimate as cbsem
from semwidget.cb import ml_derivatives as mld
from semwidget.cb.assemble import standardized
from semwidget.cb.ram import RAMModel
from semwidget.cb.resample_fit import needs_refit, refit_resamples, rows_used
from semwidget.distributions import norm_cdf, norm_ppf, norm_sf
from semwidget.errors import DataError, ModelSpecError, SemWidgetError
from semwidget.model.defined import defined_functions
from semwidget.progress import progress_bar

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult

BATCH = 250
BATCH_BYTES = 8 * 2**20
_MOVED = ("C", "sigma", "B", "f", "inv")
MIN_OK_SHARE = 0.5


class BootstrapError(SemWidgetError):
    """The bootstrap could not produce usable results (e.g. most resamples failed)."""


@dataclass
class BootstrapDraws:
    """Bootstrap replicates of one fit.

    Attributes
    ----------
    theta : ndarray, shape (n_ok, n_par)
        Free-parameter vectors of the converged resamples.
    est : ndarray, shape (n_ok, n_rows)
        Value of every row of the parameter table (model rows and ``:=`` rows; NaN elsewhere).
    std_all : ndarray, shape (n_ok, n_rows)
        Completely standardized value of every row.
    requested, failed, inadmissible : int
        Resamples drawn, dropped for non-convergence, and kept although inadmissible.
    seed : int or None
    level : float
        Confidence level of the intervals in the table.
    """

    theta: np.ndarray
    est: np.ndarray
    std_all: np.ndarray
    requested: int
    failed: int
    inadmissible: int
    seed: int | None
    level: float

    @property
    def ok(self) -> int:
        """Number of resamples used."""
        return int(len(self.theta))


# ---- batched ML ------------------------------------------------------------------------------

def batch_implied(model: RAMModel, theta: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Implied covariance of all variables C, Sigma, B = (I - A)^-1 and S for a batch."""
    b = len(theta)
    n = model.n_var
    vals = np.broadcast_to(model.fixed, (b, len(model.fixed))).copy()
    free = model.pidx >= 0
    vals[:, free] = theta[:, model.pidx[free]]
    A = np.zeros((b, n, n))
    S = np.zeros((b, n, n))
    d = model.kind == 0
    A[:, model.row_i[d], model.row_j[d]] = vals[:, d]
    s = model.kind == 1
    S[:, model.row_i[s], model.row_j[s]] = vals[:, s]
    S[:, model.row_j[s], model.row_i[s]] = vals[:, s]
    # with no path into a variable that itself has paths in (a CFA: A^2 = 0) the inverse of
    # (I - A) is I + A; otherwise a batched inverse
    B = np.eye(n) + A if model.plan().one_deep else np.linalg.inv(np.eye(n) - A)
    C = B @ S @ B.transpose(0, 2, 1)
    p = model.n_obs
    return C, C[:, :p, :p], B, S


def _batch_objective(sigma: np.ndarray, S: np.ndarray, logdet_s: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """F_ML and Sigma^-1 per member; ``inf`` where Sigma is not positive definite."""
    p = sigma.shape[-1]
    # one batched Cholesky tells positive definiteness and gives log|Sigma| (an eigenvalue
    # decomposition and a separate determinant cost several times more); member by member
    # only when some member fails it
    try:
        L = np.linalg.cholesky(sigma)
        pd_ok = np.ones(len(sigma), dtype=bool)
    except np.linalg.LinAlgError:
        L = np.zeros_like(sigma)
        pd_ok = np.zeros(len(sigma), dtype=bool)
        for k, sg in enumerate(sigma):
            try:
                L[k] = np.linalg.cholesky(sg)
                pd_ok[k] = True
            except np.linalg.LinAlgError:
                pass
    inv = np.full_like(sigma, np.nan)
    f = np.full(len(sigma), np.inf)
    if pd_ok.any():
        inv[pd_ok] = np.linalg.inv(sigma[pd_ok])
        logdet = 2.0 * np.log(np.diagonal(L[pd_ok], axis1=1, axis2=2)).sum(axis=1)
        f[pd_ok] = logdet + np.einsum("bij,bij->b", S[pd_ok], inv[pd_ok]) - logdet_s[pd_ok] - p
    return f, inv


def fit_ml_batch(model: RAMModel, S: np.ndarray, theta0: np.ndarray, *, tol: float = 1e-7,
                 max_iter: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """ML estimates for a stack of covariance matrices by batched Fisher scoring.

    Parameters
    ----------
    model : RAMModel
    S : ndarray, shape (b, p, p)
        Covariance matrices (divisor N).
    theta0 : ndarray, shape (n_par,)
        Start for every member (the full-sample estimates).
    tol : float
        Convergence when the largest relative step is below ``tol``.

    Returns
    -------
    theta : ndarray, shape (b, n_par)
    converged : ndarray of bool, shape (b,)
    """
    b = len(S)
    q = model.n_par
    theta = np.tile(theta0, (b, 1))
    sign, logdet_s = np.linalg.slogdet(S)
    usable = sign > 0
    converged = np.zeros(b, dtype=bool)
    active = np.flatnonzero(usable)
    C, sigma, Bm, _ = batch_implied(model, theta[active])
    f, inv = _batch_objective(sigma, S[active], logdet_s[active])
    m = len(active)
    state = {"C": C, "sigma": sigma, "B": Bm, "f": f, "inv": inv, "H": np.zeros((m, q, q)),
             "pt": np.zeros((m, q)), "pg": np.zeros((m, q)), "quasi": np.zeros(m, dtype=bool)}
    for _ in range(max_iter):
        if len(active) == 0:
            break
        ok = np.isfinite(state["f"])
        if not ok.all():  # start not admissible for this resample: leave it to fit_ml
            keep = np.flatnonzero(ok)
            active = active[keep]
            state = {k: v[keep] for k, v in state.items()}
            if len(active) == 0:
                break
        m = len(active)
        inv = state["inv"]
        # rank-two factors of dSigma, not the (b, q, p, p) Jacobian (cb/ml_derivatives)
        U, V, _ = mld.factors(model, state["B"][:, :model.n_obs], state["C"])
        R = inv @ (state["sigma"] - S[active]) @ inv
        g_rows = mld.gradient(U, V, R)
        grad, _ = mld.aggregate(model, g_rows)
        H = state["H"]
        qn = state["quasi"]
        fisher = ~qn
        if fisher.any():
            _, H[fisher] = mld.aggregate(model, g_rows[fisher],
                                         mld.information(U[fisher], V[fisher], inv[fisher]))
        if qn.any():
            # BFGS update of the last Fisher information: superlinear near the optimum, as
            # the serial fitter does (Fisher scoring alone converges only linearly).
            s_ = theta[active[qn]] - state["pt"][qn]
            y_ = grad[qn] - state["pg"][qn]
            sy = np.einsum("bq,bq->b", s_, y_)
            Hs = np.einsum("bqr,br->bq", H[qn], s_)
            sHs = np.einsum("bq,bq->b", s_, Hs)
            upd = (sy > 1e-16) & (sHs > 1e-16)
            with np.errstate(divide="ignore", invalid="ignore"):
                delta = (y_[:, :, None] * y_[:, None, :] / sy[:, None, None]
                         - Hs[:, :, None] * Hs[:, None, :] / sHs[:, None, None])
            Hq = H[qn]
            Hq[upd] += delta[upd]
            H[qn] = Hq
        state["pt"] = theta[active].copy()
        state["pg"] = grad
        try:
            step = np.linalg.solve(H, grad[..., None])[..., 0]
        except np.linalg.LinAlgError:
            step = np.stack([np.linalg.lstsq(h + 1e-8 * np.eye(q), g, rcond=None)[0]
                             for h, g in zip(H, grad, strict=True)])
        t = np.ones(m)
        # the line search replaces the moments of the members it moves; H, pt, pg stay
        new = {k: (v.copy() if k in _MOVED else v) for k, v in state.items()}
        cand = theta[active].copy()
        todo = np.arange(m)
        for _half in range(30):
            th = theta[active[todo]] - t[todo, None] * step[todo]
            Cc, sc, Bc, _ = batch_implied(model, th)
            fc, ic = _batch_objective(sc, S[active[todo]], logdet_s[active[todo]])
            good = np.isfinite(fc) & (fc <= state["f"][todo] + 1e-13)
            gi = todo[good]
            cand[gi] = th[good]
            new["C"][gi], new["sigma"][gi], new["B"][gi] = Cc[good], sc[good], Bc[good]
            new["f"][gi], new["inv"][gi] = fc[good], ic[good]
            todo = todo[~good]
            if len(todo) == 0:
                break
            t[todo] *= 0.5
        stalled = np.zeros(m, dtype=bool)
        stalled[todo] = True
        size = np.max(np.abs(cand - theta[active]) / np.maximum(1.0, np.abs(cand)), axis=1)
        theta[active] = cand
        new["quasi"] = new["quasi"] | (size < 1e-2)
        done = (size < tol) & ~stalled
        converged[active[done]] = True
        keep = np.flatnonzero(~done & ~stalled)
        active = active[keep]
        state = {k: v[keep] for k, v in new.items()}
    return theta, converged


# ---- resampling ------------------------------------------------------------------------------

def _covariances(X: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Covariance (divisor N) of the rows ``idx[k]`` of ``X`` for every k."""
    Xb = X[idx]                                   # (b, n, p)
    Xc = Xb - Xb.mean(axis=1, keepdims=True)
    return np.einsum("bni,bnj->bij", Xc, Xc, optimize=True) / X.shape[0]


def _run_batch(model: RAMModel, X: np.ndarray, idx: np.ndarray, theta0: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    S = _covariances(X, idx)
    theta, conv = fit_ml_batch(model, S, theta0)
    for k in np.flatnonzero(~conv):
        # the batch could not finish this one: the serial fitter with its quasi-Newton end
        try:
            res = cbsem.fit_ml(model, S[k], X.shape[0], theta0)
        except (np.linalg.LinAlgError, SemWidgetError, FloatingPointError):
            continue
        if res.converged and np.all(np.isfinite(res.theta)):
            theta[k], conv[k] = res.theta, True
    return theta, conv


def _progress(total: int, show: bool | None) -> Any:
    if show is False:
        return None
    return progress_bar(total, "bootstrap", show, long_run=200)


def draw_indices(n: int, n_boot: int, seed: int | None) -> np.ndarray:
    """Row indices of every resample, shape (n_boot, n), from one seeded generator."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, size=(n_boot, n))


def batch_size(model: RAMModel, n: int) -> int:
    """Resamples fitted together: up to :data:`BATCH`, fewer when their arrays grow large.

    A batch holds a (b, q, q) information per draw and its resampled rows (b, n, p); keeping
    each such array near :data:`BATCH_BYTES` keeps the peak memory flat in q and p (a
    50-indicator CFA peaked at 4.9 GB with 250 per batch) at no cost in speed.
    """
    per_draw = 8 * max(model.n_par ** 2, n * model.n_obs, model.n_var ** 2)
    return int(max(8, min(BATCH, BATCH_BYTES // per_draw)))


def fit_resamples(model: RAMModel, X: np.ndarray, idx: np.ndarray, theta0: np.ndarray,
                  n_jobs: int | None = 1, progress: bool | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Fit the model to every resample ``X[idx[k]]``; returns thetas and convergence flags."""
    from joblib import Parallel, delayed

    size = batch_size(model, X.shape[0])
    chunks = [idx[k:k + size] for k in range(0, len(idx), size)]
    bar = _progress(len(idx), progress)
    thetas, convs = [], []
    runner = Parallel(n_jobs=n_jobs, return_as="generator")
    for (th, cv), chunk in zip(runner(delayed(_run_batch)(model, X, c, theta0) for c in chunks),
                               chunks, strict=True):
        thetas.append(th)
        convs.append(cv)
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()
    return np.concatenate(thetas), np.concatenate(convs)


# ---- replicate values ------------------------------------------------------------------------

def replicate_values(result: CBResult, theta: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Table-row values, std.all values and admissibility of each replicate."""
    model = result.model
    table = result.table
    n_rows = len(table)
    labelled, funcs = defined_functions(table, model)
    est = np.full((len(theta), n_rows), np.nan)
    std = np.full((len(theta), n_rows), np.nan)
    admissible = np.ones(len(theta), dtype=bool)
    tix = model.table_index
    p = model.n_obs
    for k, th in enumerate(theta):
        vals = model.values(th)
        imp = model.implied(th)
        _, s_all = standardized(model, imp, vals)
        est[k, tix] = vals
        std[k, tix] = s_all
        if funcs:
            env = {lab: float(vals[pos]) for lab, pos in labelled.items()}
            senv = {lab: float(s_all[pos]) for lab, pos in labelled.items()}
            for row, name, fn in funcs:
                try:
                    env[name] = est[k, row] = fn(env)
                    senv[name] = std[k, row] = fn(senv)
                except (ValueError, ZeroDivisionError, OverflowError):
                    env[name] = senv[name] = np.nan
        dg = np.diag(imp.S)
        psi = imp.S[p:, p:]
        if (dg < 0).any() or (psi.size and np.linalg.eigvalsh(psi)[0] < -1e-10):
            admissible[k] = False
    return est, std, admissible


# ---- intervals -------------------------------------------------------------------------------

def norm_inter(t: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Quantiles of ``t`` at ``alpha``, interpolating order statistics on the normal scale.

    The rule of the boot package's ``norm.inter`` (Davison & Hinkley, 1997, eq. 5.8), which
    lavaan uses for its bootstrap intervals.
    """
    t = np.sort(t[np.isfinite(t)])
    r = len(t)
    out = np.full(len(alpha), np.nan)
    if r == 0:
        return out
    rk = (r + 1) * np.asarray(alpha, dtype=float)
    k = np.floor(rk).astype(int)
    for m, (a, kk, rr) in enumerate(zip(alpha, k, rk, strict=True)):
        if kk <= 0:
            out[m] = t[0]
        elif kk >= r:
            out[m] = t[-1]
        elif kk == rr:
            out[m] = t[kk - 1]
        else:
            z, z1, z2 = norm_ppf([a, kk / (r + 1), (kk + 1) / (r + 1)])
            out[m] = t[kk - 1] + (z - z1) / (z2 - z1) * (t[kk] - t[kk - 1])
    return out


def intervals(draws: np.ndarray, est: np.ndarray, level: float = 0.95,
              acceleration: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Percentile, BC and (with ``acceleration``) BCa intervals of every column of ``draws``.

    Returns a dict of arrays ``perc_lower perc_upper bc_lower bc_upper bca_lower bca_upper``.
    """
    alpha = np.array([(1 - level) / 2, (1 + level) / 2])
    z_alpha = norm_ppf(alpha)
    k = draws.shape[1]
    out = {name: np.array(est, dtype=float) for name in
           ("perc_lower", "perc_upper", "bc_lower", "bc_upper", "bca_lower", "bca_upper")}
    for j in range(k):
        t = draws[:, j]
        t = t[np.isfinite(t)]
        if len(t) < 2 or np.var(t) == 0 or not np.isfinite(est[j]):
            continue
        out["perc_lower"][j], out["perc_upper"][j] = norm_inter(t, alpha)
        share = np.mean(t < est[j])
        w = norm_ppf(share) if 0 < share < 1 else np.nan
        if not np.isfinite(w):
            for name in ("bc_lower", "bc_upper", "bca_lower", "bca_upper"):
                out[name][j] = np.nan
            continue
        adj = norm_cdf(w + (w + z_alpha))
        out["bc_lower"][j], out["bc_upper"][j] = norm_inter(t, adj)
        a = 0.0 if acceleration is None else float(acceleration[j])
        if acceleration is None or not np.isfinite(a):
            out["bca_lower"][j] = out["bca_upper"][j] = np.nan
            continue
        adj = norm_cdf(w + (w + z_alpha) / (1 - a * (w + z_alpha)))
        out["bca_lower"][j], out["bca_upper"][j] = norm_inter(t, adj)
    return out


def jackknife_acceleration(result: CBResult, n_jobs: int | None = 1) -> np.ndarray:
    """BCa acceleration of every table row from leave-one-out refits (Efron, 1987)."""
    X = rows_used(result) if needs_refit(result) else _frame(result)
    n = len(X)
    idx = np.array([np.delete(np.arange(n), i) for i in range(n)])
    if needs_refit(result):
        theta, _, conv = refit_resamples(result, X, idx)
    else:
        theta, conv = fit_resamples(result.model, X, idx, result.theta, n_jobs,
                                    progress=False)
    est, _, _ = replicate_values(result, theta[conv])
    d = np.nanmean(est, axis=0) - est
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nansum(d ** 3, axis=0) / (6.0 * np.nansum(d ** 2, axis=0) ** 1.5)


# ---- entry points ----------------------------------------------------------------------------

def _frame(result: CBResult) -> np.ndarray:
    if result.data is None:
        raise DataError("the bootstrap needs the raw data rows; this result has none")
    names = result.model.names[: result.model.n_obs]
    X = result.data[names].to_numpy(dtype=float)
    return X[~np.isnan(X).any(axis=1)]


def bootstrap_draws(result: CBResult, n_boot: int = 1000, seed: int | None = None,
                    n_jobs: int | None = 1, progress: bool | None = None,
                    level: float = 0.95, indices: np.ndarray | None = None
                    ) -> BootstrapDraws:
    """Refit ``result``'s model to ``n_boot`` resamples of its data rows.

    Parameters
    ----------
    result : CBResult
        An ML fit, on complete data or by FIML, with or without a mean structure.
    n_boot : int
        Number of resamples.
    seed : int, optional
        Seed of numpy's default generator; the same seed gives the same resamples.
    n_jobs : int, optional
        joblib workers (``-1``: all cores); honours an active ``joblib.parallel_backend``.
    progress : bool, optional
        Show a tqdm progress bar (default: only for 200 resamples or more).
    level : float
        Confidence level recorded for the intervals.
    indices : ndarray, optional
        The rows of every resample, shape (n_boot, N) (instead of drawing them from ``seed``).

    Raises
    ------
    BootstrapError
        If fewer than half of the resamples converge.
    """
    if result.estimator != "ML":
        raise ModelSpecError(f"se='bootstrap' is implemented for ML (complete data or FIML); "
                             f"this fit used estimator={result.estimator!r}")
    if indices is not None:
        n_boot = len(indices)
    if int(n_boot) < 2:
        raise ModelSpecError(f"bootstrap={n_boot!r}: ask for at least 2 resamples "
                             "(1000 or more for intervals)")
    if any(result.table["op"].isin(["==", "<", ">"])):
        raise ModelSpecError("the bootstrap does not handle explicit constraints (==, <, >) yet")
    if needs_refit(result):
        # FIML or a mean structure: each resample refitted as a new data set
        X = rows_used(result)
        idx = draw_indices(len(X), int(n_boot), seed) if indices is None else indices
        bar = _progress(len(idx), progress)
        theta, _, conv = refit_resamples(result, X, idx, bar)
        if bar is not None:
            bar.close()
    else:
        X = _frame(result)
        idx = draw_indices(len(X), int(n_boot), seed) if indices is None else indices
        theta, conv = fit_resamples(result.model, X, idx, result.theta, n_jobs, progress)
    n_ok = int(conv.sum())
    if n_ok < MIN_OK_SHARE * n_boot:
        raise BootstrapError(
            f"only {n_ok} of {n_boot} bootstrap resamples converged; the model is too unstable "
            "for the bootstrap on these data (check identification, Heywood cases and sample "
            "size)")
    theta = theta[conv]
    est, std, admissible = replicate_values(result, theta)
    return BootstrapDraws(theta=theta, est=est, std_all=std, requested=int(n_boot),
                          failed=int(n_boot - n_ok), inadmissible=int((~admissible).sum()),
                          seed=seed, level=level)


def bootstrap_result(result: CBResult, n_boot: int = 1000, seed: int | None = None,
                     n_jobs: int | None = 1, level: float = 0.95, ci: str = "perc",
                     bca: bool = True, progress: bool | None = None,
                     indices: np.ndarray | None = None) -> CBResult:
    """A copy of ``result`` with bootstrap SEs and intervals.

    The table and estimates get bootstrap ``se`` (SD of the replicates), ``z``/``pvalue`` from
    them, ``ci_lower``/``ci_upper`` of type ``ci`` (``"perc"``, ``"bc"`` or ``"bca"``) and all
    types as ``ci_perc_* ci_bc_* ci_bca_*``; std.all intervals as ``std_all_ci_lower/upper``
    (percentile). The replicates are attached as ``.bootstrap`` (:class:`BootstrapDraws`)
    and the counts are added to ``warnings`` when resamples failed or were inadmissible.

    Parameters
    ----------
    ci : {"perc", "bc", "bca"}
        Which interval fills ``ci_lower``/``ci_upper`` (lavaan's default is percentile).
    bca : bool
        Compute the BCa acceleration by the jackknife (N extra fits).
    """
    if ci not in ("perc", "bc", "bca"):
        raise ModelSpecError(f"ci={ci!r}: use 'perc', 'bc' or 'bca'")
    draws = bootstrap_draws(result, n_boot, seed, n_jobs, progress, level, indices)
    table = result.table.copy()
    est0 = table["est"].to_numpy(dtype=float)
    # the jackknife is N more fits: with FIML or means (refitted one by one) only for BCa
    bca = bca and (ci == "bca" or not needs_refit(result))
    acc = jackknife_acceleration(result, n_jobs) if (bca or ci == "bca") else None
    iv = intervals(draws.est, est0, level, acc)
    siv = intervals(draws.std_all, table["std_all"].to_numpy(dtype=float), level)
    free_or_def = ((table["free"].to_numpy() > 0) | (table["op"].to_numpy() == ":="))
    se = np.where(free_or_def, np.nanstd(draws.est, axis=0, ddof=1), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, est0 / se, np.nan)
    table["se"] = se
    table["z"] = z
    table["pvalue"] = 2.0 * norm_sf(np.abs(z))
    for kind in ("perc", "bc", "bca"):
        lo = np.where(free_or_def, iv[f"{kind}_lower"], est0)
        hi = np.where(free_or_def, iv[f"{kind}_upper"], est0)
        table[f"ci_{kind}_lower"], table[f"ci_{kind}_upper"] = lo, hi
    table["ci_lower"] = table[f"ci_{ci}_lower"]
    table["ci_upper"] = table[f"ci_{ci}_upper"]
    table["std_all_ci_lower"] = np.where(free_or_def, siv["perc_lower"], table["std_all"])
    table["std_all_ci_upper"] = np.where(free_or_def, siv["perc_upper"], table["std_all"])
    keep = result.table["op"].isin(["=~", "~", "~~", "~1", ":="]).to_numpy()
    cols = list(result.estimates.columns) + [c for c in table.columns if c.startswith("ci_")
                                             and c not in result.estimates.columns]
    cols += ["std_all_ci_lower", "std_all_ci_upper"]
    estimates = table.loc[keep, cols].reset_index(drop=True)
    warnings = list(result.warnings)
    if draws.failed:
        warnings.append(f"bootstrap: {draws.failed} of {draws.requested} resamples did not "
                        "converge and were dropped")
    if draws.inadmissible:
        warnings.append(f"bootstrap: {draws.inadmissible} of {draws.ok} resamples have "
                        "inadmissible estimates (negative variances); they are kept")
    options = dict(result.options)
    options.update({"se": "bootstrap", "bootstrap": int(n_boot), "seed": seed,
                    "boot_ci_type": ci, "level": level})
    vcov = np.cov(draws.theta, rowvar=False) if draws.ok > 1 else result.vcov
    out = dataclasses.replace(result, table=table, estimates=estimates, warnings=warnings,
                              options=options, vcov=vcov)
    # FitResult may not declare the field yet; attach the replicates as an attribute.
    object.__setattr__(out, "bootstrap", draws)
    return out


def summary(draws: BootstrapDraws) -> dict[str, Any]:
    """Counts of the bootstrap for reports: requested, used, failed, inadmissible."""
    return {"requested": draws.requested, "used": draws.ok, "failed": draws.failed,
            "inadmissible": draws.inadmissible, "seed": draws.seed,
            "level": draws.level if math.isfinite(draws.level) else None}
