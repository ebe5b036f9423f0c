"""Multigroup PLS-SEM (``fit_pls(..., group="genre")``): per-group fits and group differences.

Every group is fitted (and bootstrapped) on its own rows, with its own standardization, as
SmartPLS and seminr do. For each pair of groups and each path, the tests SmartPLS reports:

- permutation test (Chin & Dibbern 2010): the group labels of the pooled rows of the two
  groups are permuted; ``p`` is the share of permutations whose absolute difference is at
  least the observed one. A permuted group is a 0/1 case weighting of the pooled data, so
  all permutations are fitted at once like bootstrap resamples;
- Henseler's PLS-MGA (Henseler, Ringle & Sinkovics 2009), from the two bootstrap
  distributions: ``p = 1 - J^-2 sum_jk step(2 mean_1 - b_1j - 2 mean_2 + b_2k)``, the
  one-sided probability that group 1's path is not larger (seminr's ``estimate_pls_mga``);
  two-sided ``2 min(p, 1 - p)``;
- parametric t-test (Keil et al. 2000; pooled standard error, ``df = n1 + n2 - 2``) and the
  Welch–Satterthwaite t-test (unequal variances), from the bootstrap standard errors.

MICOM (:mod:`semwidget.pls.micom`) reuses the same permutations.

Product terms (``y ~ x + m + x:m``, any ``interaction=`` approach): every group is fitted by
that approach on its own rows, and every permuted group rebuilds its interaction construct
from its own rows (its standardization, products, stage-one weights or regressions), so the
permutation distribution of an interaction path's difference is that of the fitted one.
MICOM then tests the main-effect constructs (with the same label permutations): the
interaction construct is generated from them, it has no indicators of its own to compare.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from semwidget.distributions import t_sf
from semwidget.errors import DataError, ModelSpecError
from semwidget.pls.bootstrap import chunk_size, plain_resample_stats
from semwidget.pls.core import fit_plain, stat_layout
from semwidget.pls.data import prepare_data
from semwidget.pls.micom import MICOMResult, micom_pair
from semwidget.pls.model import BlockIndex, PLSModel, build_model
from semwidget.pls.moderation import fit_two_stage, fold_data, interaction_rows
from semwidget.pls.result import PLSResult, json_records

#: Columns of ``PLSGroupResult.mga``.
MGA_COLUMNS = [
    "group_a", "group_b", "lhs", "rhs", "est_a", "est_b", "diff",
    "p_permutation", "p_henseler", "p_henseler_two_sided",
    "t_parametric", "df_parametric", "p_parametric", "t_welch", "df_welch", "p_welch",
]  # fmt: skip


@dataclass
class PLSGroupResult:
    """A multigroup PLS fit.

    Attributes
    ----------
    group : str
        The grouping column.
    groups : dict of str -> PLSResult
        One fit per group, in order of first appearance in the data.
    mga : DataFrame
        One row per pair of groups and path (:data:`MGA_COLUMNS`); ``diff = est_a - est_b``.
        Henseler and t-test columns are NaN without a bootstrap, permutation p-values NaN
        without permutations.
    micom : MICOMResult or None
        Measurement invariance of composites (needs ``permutations > 0``).
    permutations : int
    warnings : list of str
    options : dict
    """

    group: str
    groups: dict[str, PLSResult]
    mga: pd.DataFrame
    micom: Any = None
    permutations: int = 0
    warnings: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    engine: str = "pls"

    @property
    def nobs(self) -> dict[str, int]:
        """Rows used per group."""
        return {g: r.nobs for g, r in self.groups.items()}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: every group's fit, the MGA rows and MICOM (NaN written as None)."""
        out: dict[str, Any] = {
            "engine": self.engine, "group": self.group, "permutations": self.permutations,
            "groups": {g: r.to_dict() for g, r in self.groups.items()},
            "mga": json_records(self.mga, MGA_COLUMNS), "warnings": list(self.warnings),
        }  # fmt: skip
        if self.micom is not None:
            out["micom"] = json_records(self.micom.invariance, list(self.micom.invariance.columns))
        return out

    def __repr__(self) -> str:
        sizes = ", ".join(f"{g}: n={r.nobs}" for g, r in self.groups.items())
        return f"<PLSGroupResult group={self.group!r} ({sizes}), permutations={self.permutations}>"


def group_seed(seed: int | None, g: int) -> int | None:
    """The bootstrap seed of group ``g``: independent streams per group from one seed."""
    if seed is None:
        return None
    return int(np.random.SeedSequence([int(seed), g]).generate_state(1)[0])


def split_groups(data: pd.DataFrame, group: str) -> dict[str, np.ndarray]:
    """Row positions per group, groups in order of first appearance."""
    if group not in data.columns:
        raise ModelSpecError(f"group column '{group}' is not a column of the data", name=group)
    labels = data[group]
    missing = int(labels.isna().sum())
    if missing:
        first = int(np.flatnonzero(labels.isna().to_numpy())[0])
        raise DataError(
            f"group column '{group}' has {missing} missing value(s) (first in row "
            f"{first + 1}); give every row a group or drop those rows", column=group,
        )  # fmt: skip
    out: dict[str, np.ndarray] = {}
    for value in pd.unique(labels):
        # 1.0 read from a CSV column with gaps names the group "1"
        name = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        out[name] = np.flatnonzero((labels == value).to_numpy())
    if len(out) < 2:
        raise DataError(
            f"group column '{group}' has {len(out)} distinct value(s); a multigroup "
            "analysis needs at least two groups", column=group,
        )  # fmt: skip
    return out


@dataclass(frozen=True)
class Permutations:
    """Per-permutation statistics of the two permuted groups of one pair."""

    a: dict[str, np.ndarray]  # stats of the permuted group a (P, m)
    b: dict[str, np.ndarray]
    z: np.ndarray  # pooled standardized indicators
    labels: np.ndarray  # (n,) True for group a in the observed split
    index: BlockIndex
    draws: np.ndarray  # (P, n) True where a row is in permuted group a


def permute_pair(
    data: pd.DataFrame,
    spec: PLSModel,
    rows_a: np.ndarray,
    rows_b: np.ndarray,
    n_perm: int,
    rng: np.random.Generator,
    options: dict[str, Any],
    table: pd.DataFrame | None = None,
) -> Permutations:
    """Fit both permuted groups of ``n_perm`` label permutations of the pooled rows.

    With ``table`` (a model with product terms) each permuted group rebuilds its
    interaction constructs (``options["interaction"]``); ``spec`` is then unused.
    """
    pooled = data.iloc[np.concatenate([rows_a, rows_b])]
    kw = {k: options[k] for k in ("scheme", "tol", "max_iter", "consistent")}
    if table is not None:
        fd = fold_data(table, pooled, options, options.get("interaction", "two_stage"))
        prepared, spec = fd.prepared, fd.spec
    else:
        prepared = prepare_data(
            pooled, spec, missing=options["missing"], missing_value=options["missing_value"]
        )
    if prepared.nobs != rows_a.size + rows_b.size:
        raise DataError("permutation tests need the same rows per group as the group fits; "
                        "use missing='mean'")  # fmt: skip
    z = prepared.z
    n = z.shape[0]
    labels = np.arange(n) < rows_a.size
    index = BlockIndex.from_model(spec)
    layout = stat_layout(spec, index)
    if table is not None:
        fit_kw = {k: kw[k] for k in ("scheme", "tol", "max_iter")}

        def run(counts: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
            return fd.statistics(counts, layout, fit_kw, measures=False)

        # the generated columns of every row per permutation, and their products
        chunk = chunk_size(n, len(spec.items), extra_per_case=3 * len(spec.items))
    else:
        run = plain_resample_stats(z, layout, measures=False, **kw)
        chunk = chunk_size(n, z.shape[1])
    draws = np.empty((n_perm, n), dtype=bool)
    for k in range(n_perm):
        draws[k] = labels[rng.permutation(n)]
    parts: dict[str, dict[str, list[np.ndarray]]] = {"a": {}, "b": {}}
    for start in range(0, n_perm, chunk):
        block = draws[start : start + chunk]
        for side, counts in (("a", block), ("b", ~block)):
            st, _, ok = run(counts.astype(float))
            for name, values in st.items():
                parts[side].setdefault(name, []).append(np.where(ok[:, None], values, np.nan))
    a = {k: np.concatenate(v) for k, v in parts["a"].items()}
    b = {k: np.concatenate(v) for k, v in parts["b"].items()}
    return Permutations(a, b, z, labels, index, draws)


def henseler_p(boot_a: np.ndarray, boot_b: np.ndarray) -> float:
    """Henseler's PLS-MGA p-value (one-sided: group a's path is not larger)."""
    j = min(boot_a.size, boot_b.size)
    if j == 0:
        return float("nan")
    a, b = boot_a[:j], boot_b[:j]
    left = np.sort(2.0 * a.mean() - a - 2.0 * b.mean())
    # count pairs with left_j + b_k > 0 by sorting (J log J instead of a J x J grid)
    favorable = j * j - np.searchsorted(left, -b, side="right").sum()
    return float(1.0 - favorable / (j * j))


def t_tests(
    diff: float, se_a: float, se_b: float, n_a: int, n_b: int
) -> tuple[float, float, float, float, float, float]:
    """Parametric and Welch–Satterthwaite t, df and two-sided p for a path difference."""
    df_p = n_a + n_b - 2
    pooled = np.sqrt(((n_a - 1) ** 2 * se_a**2 + (n_b - 1) ** 2 * se_b**2) / df_p)
    t_p = diff / (pooled * np.sqrt(1.0 / n_a + 1.0 / n_b))
    va, vb = (n_a - 1) / n_a * se_a**2, (n_b - 1) / n_b * se_b**2
    t_w = diff / np.sqrt(va + vb)
    df_w = (va + vb) ** 2 / ((n_a - 1) / n_a**2 * se_a**4 + (n_b - 1) / n_b**2 * se_b**4) - 2
    p_p = 2.0 * t_sf(abs(t_p), df_p)
    p_w = 2.0 * t_sf(abs(t_w), df_w)
    return float(t_p), float(df_p), float(p_p), float(t_w), float(df_w), float(p_w)


def fit_groups(
    table: pd.DataFrame,
    data: pd.DataFrame,
    group: str,
    options: dict[str, Any],
    *,
    permutations: int = 1000,
    micom: bool = True,
    progress: bool | None = None,
) -> PLSGroupResult:
    """Fit a PLS model per group and test every path difference (see the module notes).

    Parameters
    ----------
    table : DataFrame
        The user table of the model.
    data : DataFrame
    group : str
        The column that splits the rows.
    options : dict
        :func:`semwidget.pls.fit.fit_pls`'s checked options (``bootstrap`` per group, ...).
    permutations : int
        Label permutations for the permutation test and MICOM (0: none).
    micom : bool
        Run MICOM (steps 2 and 3 need permutations).
    """
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    if not isinstance(permutations, (int, np.integer)) or permutations < 0:
        raise ModelSpecError(
            f"permutations must be a whole number >= 0, not {permutations!r}",
            name="permutations",
        )
    moderated = bool(interaction_rows(table).any())
    measured = table[table["op"].isin(["=~", "<~"])]
    if measured["rhs"].isin(set(measured["lhs"])).any():
        raise ModelSpecError("a multigroup analysis with higher-order constructs is not "
                             "supported", name=group)  # fmt: skip
    rows = split_groups(data, group)
    seed = options.get("seed")
    fits: dict[str, PLSResult] = {}
    for g, (name, idx) in enumerate(rows.items()):
        part = data.iloc[idx]
        own = {**options, "seed": group_seed(seed, g)}
        try:
            if moderated:
                fits[name] = fit_two_stage(table, part, own, progress=progress,
                                           method=options.get("interaction", "two_stage"))
            else:
                fits[name] = fit_plain(table, part, own, progress=progress)
        except DataError as exc:
            raise DataError(f"group '{name}' ({group} = {name}, n = {idx.size}): {exc}",
                            column=getattr(exc, "column", None)) from None  # fmt: skip
    first = next(iter(fits.values()))
    opts = dict(first.options)
    opts["seed"] = seed
    # MICOM's model: the main effects (the whole model without product terms)
    spec = build_model(table[~interaction_rows(table).to_numpy()], [str(c) for c in data.columns])
    rng = np.random.default_rng(seed)
    records = []
    micom_parts = []
    for a, b in combinations(rows, 2):
        perm = perm_micom = None
        if permutations:
            # MICOM of a moderated model permutes the same labels (a copy of the stream)
            micom_rng = copy.deepcopy(rng)
            perm = permute_pair(data, spec, rows[a], rows[b], permutations, rng, opts,
                                table=table if moderated else None)  # fmt: skip
            perm_micom = perm
            if moderated and micom:
                perm_micom = permute_pair(data, spec, rows[a], rows[b], permutations,
                                          micom_rng, opts)  # fmt: skip
        records += _pair_rows(a, b, fits[a], fits[b], perm)
        if micom and perm_micom is not None:
            micom_parts.append(micom_pair(a, b, spec, perm_micom, opts))
    mga = pd.DataFrame(records, columns=MGA_COLUMNS)
    micom_result = None
    if micom_parts:
        micom_result = MICOMResult.concat(micom_parts)
    warnings = [f"group '{g}': {w}" for g, r in fits.items() for w in r.warnings]
    return PLSGroupResult(
        group=group, groups=fits, mga=mga, micom=micom_result, permutations=permutations,
        warnings=warnings, options={**opts, "group": group, "permutations": permutations},
    )  # fmt: skip


def _pair_rows(
    a: str, b: str, fit_a: PLSResult, fit_b: PLSResult, perm: Permutations | None
) -> list[dict[str, Any]]:
    ea = fit_a.estimates[fit_a.estimates.op == "~"].reset_index(drop=True)
    eb = fit_b.estimates[fit_b.estimates.op == "~"].reset_index(drop=True)
    boot_a = fit_a.boot_samples.get("paths")
    boot_b = fit_b.boot_samples.get("paths")
    out = []
    for j, row in ea.iterrows():
        rb = eb.loc[j]
        diff = float(row.est - rb.est)
        rec: dict[str, Any] = {
            "group_a": a, "group_b": b, "lhs": row.lhs, "rhs": row.rhs,
            "est_a": float(row.est), "est_b": float(rb.est), "diff": diff,
        }  # fmt: skip
        if perm is not None:
            d = perm.a["paths"][:, j] - perm.b["paths"][:, j]
            d = d[np.isfinite(d)]
            # a float tolerance so the observed split itself counts as "at least as large"
            rec["p_permutation"] = float((np.abs(d) >= abs(diff) - 1e-12).mean())
        else:
            rec["p_permutation"] = np.nan
        if boot_a is not None and boot_b is not None and len(boot_a) and len(boot_b):
            p = henseler_p(boot_a[:, j], boot_b[:, j])
            rec["p_henseler"] = p
            rec["p_henseler_two_sided"] = 2.0 * min(p, 1.0 - p)
            tests = t_tests(diff, float(row.se), float(rb.se), fit_a.nobs, fit_b.nobs)
            for key, value in zip(MGA_COLUMNS[10:], tests, strict=True):
                rec[key] = value
        out.append(rec)
    return out
