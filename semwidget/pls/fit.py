"""PLS-SEM engine (``engine="pls"``): the public entry :func:`fit_pls`.

It checks the options and routes the model: with ``group=`` to the multigroup analysis
(:mod:`semwidget.pls.mga`), with higher-order constructs to :mod:`semwidget.pls.higher_order`,
with product terms to the moderation (:mod:`semwidget.pls.moderation`: two-stage, product
indicators or orthogonalized product indicators, ``interaction=``), otherwise
to one fit (:func:`semwidget.pls.core.fit_plain`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from semwidget.errors import DataError
from semwidget.pls.core import check_options, fit_plain
from semwidget.pls.higher_order import fit_higher_order, higher_order_rows
from semwidget.pls.mga import fit_groups
from semwidget.pls.model import INTERACTION, parse_model
from semwidget.pls.moderation import check_method, fit_two_stage
from semwidget.pls.result import PLSResult

__all__ = ["PLSResult", "fit_pls"]


def fit_pls(
    model: str | pd.DataFrame,
    data: pd.DataFrame,
    *,
    scheme: str = "path",
    bootstrap: int = 0,
    seed: int | None = None,
    consistent: bool = False,
    missing: str = "mean",
    missing_value: float | None = None,
    boot_ci: str = "percentile",
    sign_change: str = "none",
    max_iter: int = 300,
    tol: float = 1e-7,
    progress: bool | None = None,
    group: str | None = None,
    permutations: int = 1000,
    exact_fit: int = 0,
    hoc: str = "disjoint",
    interaction: str = "two_stage",
) -> PLSResult | Any:
    """Fit a PLS path model.

    Parameters
    ----------
    model : str or DataFrame
        lavaan syntax (``=~`` Mode A blocks, ``<~`` Mode B blocks, ``~`` paths) or the
        user table from ``semwidget.model.parse``. Other statements are ignored with a
        warning. An observed variable on a ``~`` row becomes a single-item construct.
    data : DataFrame
        Raw indicator data (standardized internally).
    scheme : {"path", "factorial", "centroid"}
        Inner weighting scheme.
    bootstrap : int
        Number of bootstrap resamples (0: none).
    seed : int, optional
        Seed for the bootstrap draws (reproducible results).
    consistent : bool
        Consistent PLS (PLSc): disattenuate the correlations of ``=~`` constructs by rho_A,
        then estimate loadings and paths from the corrected correlations.
    missing : {"mean", "listwise"}
        Missing-data treatment: mean replacement (default, as SmartPLS and seminr) or
        listwise deletion.
    missing_value : float, optional
        A code (such as -99) to read as missing.
    boot_ci : {"percentile", "bca"}
        Bootstrap confidence interval (95%).
    sign_change : {"none", "individual"}
        Bootstrap sign handling; "none" is SmartPLS's default ("no sign changes").
    max_iter : int
        Iteration cap of the PLS algorithm (300 as SmartPLS and seminr).
    tol : float
        Stop criterion on the summed absolute change of the outer weights (1e-7).
    progress : bool, optional
        Bootstrap progress bar; ``None`` shows it for long runs in Jupyter or a terminal.
    group : str, optional
        A column splitting the rows into groups: a multigroup analysis (per-group fits,
        path-difference tests, MICOM), see :func:`semwidget.pls.mga.fit_groups`.
    permutations : int
        With ``group``: label permutations for the permutation test and MICOM.
    hoc : {"disjoint", "embedded", "repeated"}
        How higher-order constructs (``HOC =~ LOC1 + LOC2``) are estimated: the disjoint or
        embedded two-stage approach, or repeated indicators (see
        :mod:`semwidget.pls.higher_order`).
    interaction : {"two_stage", "product_indicator", "orthogonal"}
        How product terms ``y ~ x + m + x:m`` are estimated: the two-stage approach
        (SmartPLS 4's default), all pairwise products of the standardized indicators of
        ``x`` and ``m`` as a reflective block (Chin, Marcolin & Newsted 2003), or those
        products orthogonalized on the indicators (Little, Bovaird & Widaman 2006); see
        :mod:`semwidget.pls.moderation` and :mod:`semwidget.pls.product_terms`.
    exact_fit : int
        Bootstrap resamples of the exact-fit test (HI95/HI99 of SRMR, d_ULS and d_G,
        saturated and estimated model; ``result.exact_fit``); 0: none.

    Returns
    -------
    PLSResult
        Or, with ``group``, a :class:`semwidget.pls.mga.PLSGroupResult`.

    Raises
    ------
    ModelSpecError
        Bad model (unknown names, a construct without paths, a non-recursive inner model)
        or a bad option.
    DataError
        Bad data (non-numeric or zero-variance indicator, collinear Mode B block).
    """
    check_options(scheme, bootstrap, boot_ci, sign_change, max_iter, tol, exact_fit)
    check_method(interaction)
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    options = {
        "scheme": scheme, "consistent": consistent, "missing": missing,
        "missing_value": missing_value, "bootstrap": bootstrap, "seed": seed,
        "boot_ci": boot_ci, "sign_change": sign_change, "max_iter": max_iter, "tol": tol,
        "exact_fit": exact_fit, "interaction": interaction,
    }  # fmt: skip
    table = parse_model(model)
    if group is not None:
        return fit_groups(table, data, group, options, permutations=permutations,
                          progress=progress)  # fmt: skip
    if higher_order_rows(table):
        return fit_higher_order(table, data, options, hoc, progress=progress)
    if table["rhs"].astype(str).str.contains(INTERACTION, regex=False).any():
        return fit_two_stage(table, data, options, progress=progress, method=interaction)
    return fit_plain(table, data, options, progress=progress)

