"""Monte Carlo replications of a CB-SEM model: draw samples from known values, refit each.

Each chunk of replications draws its samples with one call of
:func:`semwidget.cb.simulate.simulate` from the population values, takes each sample's
covariance matrix (divisor N) and refits the *same* RAM model by ML, batched as the bootstrap
does (:func:`semwidget.cb.bootstrap.fit_ml_batch`, the serial fitter for the few a batch does
not finish), starting from the population values. Standard errors are lavaan's default ML
ones: the inverse of the expected information ``N/2 · tr(Σ⁻¹ ∂Σ Σ⁻¹ ∂Σ)``.

Every chunk has its own random generator spawned from one ``SeedSequence`` (chunks are cut
the same way every time), so the samples do not depend on how the work runs: joblib runs the
chunks locally (``n_jobs``), and a Dask client runs the very same chunks on its cluster
(joblib's ``"dask"`` backend).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from semwidget.cb import estimate as cbsem
from semwidget.cb import ml_derivatives as mld
from semwidget.cb.bootstrap import batch_implied, fit_ml_batch
from semwidget.cb.ram import RAMModel
from semwidget.cb.simulate import simulate
from semwidget.errors import SemWidgetError
from semwidget.progress import progress_bar

__all__ = ["Replications", "replicate"]

#: Replications per joblib task (one batched fit).
CHUNK = 250


@dataclass
class _PopulationFit:
    """What :func:`simulate` reads from a fit: the RAM model and its parameter values."""

    model: RAMModel
    theta: np.ndarray
    sample_mean: Any = None
    data: Any = None
    engine: str = "sem"


@dataclass
class Replications:
    """The refits of one sample size.

    Attributes
    ----------
    n : int
        Sample size.
    theta : ndarray, shape (reps, n_par)
        Estimates (NaN rows where the fit failed).
    vcov : ndarray, shape (reps, n_par, n_par)
        Their sampling covariance (NaN where the information is singular).
    converged : ndarray of bool, shape (reps,)
    """

    n: int
    theta: np.ndarray
    vcov: np.ndarray
    converged: np.ndarray


def _sample_covariances(pop: _PopulationFit, n: int, reps: int, seed: np.random.SeedSequence
                        ) -> np.ndarray:
    """Covariance matrices (divisor N) of ``reps`` samples of size ``n``: one draw of
    ``reps * n`` rows from :func:`simulate`, cut into samples."""
    x = simulate(pop, n * reps, seed=np.random.default_rng(seed)).to_numpy()
    x = x.reshape(reps, n, -1)
    xc = x - x.mean(axis=1, keepdims=True)
    return np.einsum("bni,bnj->bij", xc, xc, optimize=True) / n


def _vcov(model: RAMModel, theta: np.ndarray, n: int) -> np.ndarray:
    """Inverse expected information of each row of ``theta`` (NaN where singular)."""
    C, sigma, B, _ = batch_implied(model, theta)
    b, p = len(theta), model.n_obs
    # tr(Sigma^-1 dSigma_r Sigma^-1 dSigma_s) from rank-two factors, not a (b, q, p, p) array
    U, V, _ = mld.factors(model, B[:, :p], C)
    rows = mld.information(U, V, np.linalg.inv(sigma))
    _, info = mld.aggregate(model, np.zeros(rows.shape[:-1]), rows)
    assert info is not None
    info = info * (n / 2.0)
    out = np.full_like(info, np.nan)
    for k in range(b):
        with contextlib.suppress(np.linalg.LinAlgError):
            d = np.sqrt(np.diag(info[k]))
            # judged on the information scaled to unit diagonal, as the engine does
            if np.all(d > 0) and np.linalg.cond(info[k] / np.outer(d, d)) < 1e12:
                out[k] = np.linalg.inv(info[k])
    return out


def _chunk(pop: _PopulationFit, n: int, reps: int, seed: np.random.SeedSequence
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw, fit and give the SEs of one chunk of replications."""
    S = _sample_covariances(pop, n, reps, seed)
    theta, conv = fit_ml_batch(pop.model, S, pop.theta)
    for k in np.flatnonzero(~conv):
        try:
            res = cbsem.fit_ml(pop.model, S[k], n, pop.theta, max_iter=200)
        except (np.linalg.LinAlgError, SemWidgetError, FloatingPointError):
            continue
        if res.converged and np.all(np.isfinite(res.theta)):
            theta[k], conv[k] = res.theta, True
    theta[~conv] = np.nan
    vcov = np.full((reps, pop.model.n_par, pop.model.n_par), np.nan)
    if conv.any():
        vcov[conv] = _vcov(pop.model, theta[conv], n)
    return theta, vcov, conv


def replicate(model: RAMModel, theta: np.ndarray, ns: list[int], reps: int, *,
              seed: int | None = None, n_jobs: int | None = 1, client: Any = None,
              progress: bool | None = None) -> list[Replications]:
    """Fit ``reps`` samples of each size in ``ns`` drawn from ``model`` at ``theta``.

    Parameters
    ----------
    model : RAMModel
        The model without a mean structure; fixed rows hold their values.
    theta : ndarray
        The population values of the free parameters (also every fit's start).
    ns : list of int
        Sample sizes.
    reps : int
        Replications per sample size.
    seed : int, optional
        One seed for everything; the same seed gives the same results whatever the split.
    n_jobs : int, optional
        joblib workers (``-1``: all cores).
    client : dask.distributed.Client, optional
        Run the chunks on this Dask cluster (through joblib's ``"dask"`` backend).
    progress : bool, optional
        Show a progress bar (default: for long runs in Jupyter or at a terminal).
    """
    from joblib import Parallel, delayed, parallel_backend

    pop = _PopulationFit(model, np.asarray(theta, dtype=float))
    sizes = [(a, n, min(CHUNK, reps - k)) for a, n in enumerate(ns) for k in range(0, reps, CHUNK)]
    # one generator per chunk, spawned in a fixed order: the same numbers however they run
    tasks = list(zip(sizes, np.random.SeedSequence(seed).spawn(len(sizes)), strict=True))
    bar = progress_bar(len(ns) * reps, "power", progress, long_run=500)
    bar.unit = "replication"
    parts: list[list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = [[] for _ in ns]
    backend = parallel_backend("dask") if client is not None else contextlib.nullcontext()
    with backend:
        runner = Parallel(n_jobs=n_jobs, return_as="generator")
        jobs = (delayed(_chunk)(pop, n, r, ss) for (_a, n, r), ss in tasks)
        for ((a, _n, r), _ss), out in zip(tasks, runner(jobs), strict=True):
            parts[a].append(out)
            bar.update(r)
    bar.close()
    return [Replications(n, np.concatenate([p[0] for p in part]),
                         np.concatenate([p[1] for p in part]),
                         np.concatenate([p[2] for p in part]))
            for n, part in zip(ns, parts, strict=True)]
