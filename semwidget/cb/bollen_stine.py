"""The Bollen–Stine bootstrap p-value of the chi-square test (lavaan's ``test = "bootstrap"``).

Bollen & Stine (1992): the data are transformed so that the model holds exactly in them,
``Z = (X - xbar) S^(-1/2) Sigma^(1/2)`` (plus the implied means with a mean structure), with
``S`` the sample covariance (divisor N) and ``Sigma`` the implied one, both square roots
symmetric. Resamples of ``Z`` are refitted (fixed covariates kept at their full-sample values,
as lavaan does); the p-value is the share of their chi-squares that exceed the chi-square of
the data (lavaan: larger / resamples that converged).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from semwidget.cb.resample_fit import refit_resamples, rows_used
from semwidget.errors import ModelSpecError
from semwidget.progress import progress_bar

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult


def _sym_sqrt(M: np.ndarray) -> np.ndarray:
    w, V = np.linalg.eigh(M)
    return (V * np.sqrt(np.clip(w, 0.0, None))) @ V.T


def transformed_rows(result: CBResult) -> np.ndarray:
    """The data rotated so that the fitted model holds exactly in them."""
    X = rows_used(result)
    mean = X.mean(axis=0)
    Xc = X - mean
    S = Xc.T @ Xc / len(X)
    names = result.model.names[: result.model.n_obs]
    sigma = result.implied_cov.loc[names, names].to_numpy(dtype=float)
    Z = Xc @ _sym_sqrt(np.linalg.inv(S)) @ _sym_sqrt(sigma)
    if result.model.meanstructure:
        Z = Z + result.implied_mean[names].to_numpy(dtype=float)
    return Z


def bollen_stine(result: CBResult, n_boot: int = 1000, seed: int | None = None,
                 indices: np.ndarray | None = None, progress: bool | None = None
                 ) -> CBResult:
    """A copy of ``result`` with the Bollen–Stine p-value in its fit measures.

    Adds ``bollen_stine_pvalue`` (lavaan's ``test$bollen.stine$pvalue``),
    ``bollen_stine_boot_larger`` and ``bollen_stine_boot_length``, and the resamples'
    chi-squares as ``result.options["bollen_stine_chisq"]``.

    Parameters
    ----------
    n_boot : int
        Number of resamples.
    seed : int, optional
        Seed of numpy's default generator for the resampled rows.
    indices : ndarray, optional
        The rows of every resample, shape (n_boot, N), instead of drawing them.

    Raises
    ------
    ModelSpecError
        For fits the test is not defined for (FIML, estimators other than ML), as in lavaan.
    """
    if result.missing != "listwise":
        raise ModelSpecError(f"test='bootstrap' (Bollen-Stine) needs complete data; it is "
                             f"not defined with missing='{result.missing}' (as in lavaan)",
                             name="test")
    if result.estimator != "ML":
        raise ModelSpecError(f"test='bootstrap' (Bollen-Stine) is for ML, not "
                             f"{result.estimator}", name="test")
    Z = transformed_rows(result)
    n = len(Z)
    if indices is None:
        indices = np.random.default_rng(seed).integers(0, n, size=(int(n_boot), n))
    bar = None if progress is False else progress_bar(len(indices), "Bollen-Stine", progress,
                                                      long_run=200)
    # the transformed rows are the data of each refit; as in lavaan, fixed covariates stay at
    # the full-sample values, so their resampling variation adds to each chi-square
    names = result.model.names[: result.model.n_obs]
    boot = dataclasses.replace(result, data=pd.DataFrame(Z, columns=names))
    _, fmin, conv = refit_resamples(boot, Z, indices, bar, update_fixed_x=False)
    if bar is not None:
        bar.close()
    stats = n * fmin[conv]
    chisq = float(result.fit_measures["chisq"])
    larger = int(np.sum(stats > chisq))
    measures = dict(result.fit_measures)
    measures["bollen_stine_pvalue"] = larger / len(stats) if len(stats) else float("nan")
    measures["bollen_stine_boot_larger"] = float(larger)
    measures["bollen_stine_boot_length"] = float(len(stats))
    options = dict(result.options)
    options.update({"test": "bootstrap", "bootstrap": len(indices), "seed": seed,
                    "bollen_stine_chisq": [float(s) for s in stats]})
    warnings = list(result.warnings)
    if (~conv).any():
        warnings.append(f"Bollen-Stine bootstrap: {int((~conv).sum())} of {len(indices)} "
                        "resamples did not converge and were dropped")
    return dataclasses.replace(result, fit_measures=measures, options=options,
                               warnings=warnings)

