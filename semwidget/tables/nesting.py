"""Competing models compared with their nesting checked, not assumed.

:func:`nesting` runs Bentler & Satorra's (2010) nesting and equivalence test in both directions
(:func:`semwidget.cb.nesting.net_chisq`); :func:`compare_models` is :func:`compare` (lavaan's
``lavTestLRT``: Δχ², scaled for robust estimators, Δdf, p, ΔCFI, ΔRMSEA, AIC, BIC) with a
``nested`` column, and the likelihood-ratio test left empty where the pair is not nested
(there AIC and BIC are the comparison that remains valid).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from semwidget.cb.nesting import NET_CRITERION, NestingNotChecked, net_chisq
from semwidget.errors import ModelSpecError
from semwidget.tables.compare import Comparison, compare

__all__ = ["Nesting", "compare_models", "nesting"]


@dataclass
class Nesting:
    """How two fitted models relate.

    Attributes
    ----------
    relation : str
        ``"nested"`` (``restricted`` is nested in ``general``), ``"equivalent"`` (each
        reproduces the other; same df), ``"not nested"`` or ``"unknown"`` (the refit failed).
    restricted, general : str
        The names of the model with more and with fewer degrees of freedom.
    chisq : float
        χ² of ``general`` fitted to the moments implied by ``restricted`` (≈ 0 when nested).
    chisq_reverse : float
        The same the other way round (``restricted`` fitted to ``general``'s moments).
    df_diff : int
        ``df(restricted) - df(general)``.
    """

    relation: str
    restricted: str
    general: str
    chisq: float
    chisq_reverse: float
    df_diff: int

    @property
    def nested(self) -> bool:
        """True when the likelihood-ratio test of the pair is valid (nested or equivalent)."""
        return self.relation in ("nested", "equivalent")

    def sentence(self) -> str:
        """One sentence saying what the check found and how."""
        fit = f"χ² = {self.chisq:.2g} when {self.general} is fitted to {self.restricted}'s " \
              "implied moments"
        if self.relation == "equivalent":
            return f"{self.restricted} and {self.general} are equivalent ({fit}, same df)."
        if self.relation == "nested":
            return (f"{self.restricted} is nested in {self.general} ({fit}; Δdf = "
                    f"{self.df_diff}).")
        if self.relation == "unknown":
            return (f"whether {self.restricted} is nested in {self.general} is unknown: "
                    f"{self.general} could not be fitted to {self.restricted}'s implied moments.")
        return (f"{self.restricted} is not nested in {self.general} ({fit}, not 0): the "
                "likelihood-ratio test does not apply; compare AIC and BIC.")


def nesting(a: Any, b: Any, names: Sequence[str] = ("model 1", "model 2"), *,
            crit: float = NET_CRITERION) -> Nesting:
    """Check whether one of two CB-SEM fits is nested in the other (Bentler & Satorra, 2010).

    Parameters
    ----------
    a, b : FitResult
        Fits of the same data and observed variables (single group, complete data).
    names : (str, str)
        Their names in the sentence.
    crit : float
        χ² below which a model counts as reproducing the other's moments.

    Returns
    -------
    Nesting
        The relation, the χ² of both refits and a sentence.
    """
    na, nb = (str(n) for n in names)
    df_a, df_b = float(a.fit_measures["df"]), float(b.fit_measures["df"])
    # the model with more df is the candidate restricted one (fewer parameters)
    (r, nr), (g, ng) = ((a, na), (b, nb)) if df_a >= df_b else ((b, nb), (a, na))
    chi = net_chisq(r, g, (nr, ng))
    back = net_chisq(g, r, (ng, nr)) if df_a == df_b else math.nan
    df_diff = int(round(r.fit_measures["df"] - g.fit_measures["df"]))
    if math.isnan(chi):
        relation = "unknown"
    elif chi < crit:
        relation = "equivalent" if df_diff == 0 else "nested"
    else:
        relation = "not nested"
    return Nesting(relation, nr, ng, chi, back, df_diff)


def compare_models(*fits: Any, names: Sequence[str] | None = None,
                   crit: float = NET_CRITERION) -> Comparison:
    """:func:`compare` with each row's nesting in the row above checked.

    Parameters
    ----------
    *fits : FitResult
        Two or more CB-SEM fits of the same data.
    names : sequence of str, optional
        Row names (default ``model 1``, ``model 2``, ...).
    crit : float
        See :func:`nesting`.

    Returns
    -------
    Comparison
        ``.table`` as :func:`compare` (ordered by df) plus ``nested`` (the relation to the
        row above: ``nested``, ``equivalent``, ``not nested``, ``unknown``; ``""`` in the
        first row; ``not checked`` for multigroup, FIML or ordinal fits, where the test
        does not apply and the row is :func:`compare`'s); where a pair is not nested
        ``chisq_diff`` and ``pvalue`` are NaN. ``.nesting`` holds the :class:`Nesting` of
        each pair checked.
    """
    names = [f"model {k}" for k in range(1, len(fits) + 1)] if names is None else list(names)
    if len(names) != len(fits):
        raise ModelSpecError(f"compare_models() got {len(fits)} models but {len(names)} names")
    if len(set(names)) != len(names):
        raise ModelSpecError(f"compare_models() needs distinct names, got {names}")
    result = compare(*fits, names=names)
    by_name = dict(zip(names, fits, strict=True))
    table = result.table.copy()
    table["nested"] = ""
    checks: list[Nesting] = []
    rows = list(table.index)
    for above, below in zip(rows[:-1], rows[1:], strict=True):
        try:
            check = nesting(by_name[above], by_name[below], (above, below), crit=crit)
        except NestingNotChecked:
            # multigroup/FIML/ordinal: the test as compare() gives it, marked unchecked
            table.loc[below, "nested"] = "not checked"
            continue
        checks.append(check)
        table.loc[below, "nested"] = check.relation
        if not check.nested:
            table.loc[below, ["chisq_diff", "pvalue"]] = math.nan
    return Comparison(table, result.method, checks)
