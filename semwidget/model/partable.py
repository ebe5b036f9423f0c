"""The full parameter table: lavaan's defaults, equality labels, validation and counts.

:func:`build` turns the user table from :func:`semwidget.model.parse` into the table an engine
fits, adding the rows lavaan's ``sem()``/``cfa()`` add (``user = 0``): first loadings fixed to 1
(or latent variances fixed to 1 with ``std_lv``), residual variances, covariances among exogenous
latents and among pure outcomes, and the variances/covariances of observed exogenous covariates
fixed at their sample values (``fixed.x = TRUE``). Rows sharing a label share one free index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.model.frame_arrays import column_arrays, frame_of
from semwidget.model.groups import apply_group_equal, check_words, parse_partial, resolve
from semwidget.model.parser import parse

MODEL_OPS = ("=~", "~", "~~", "~1", "<~")
COLUMNS = ["id", "lhs", "op", "rhs", "user", "free", "ustart", "label", "freed", "exo"]


@dataclass
class VariableRoles:
    """Names in a model, by the role lavaan gives them.

    Attributes follow lavaan's ``lav_partable_vnames`` types: ``ov`` observed, ``lv`` latent,
    ``ov_x`` observed exogenous covariates, ``lv_x`` exogenous latents, ``ov_y``/``lv_y`` pure
    outcomes (regressed, predicting nothing, not indicators).
    """

    lv: list[str] = field(default_factory=list)
    ov: list[str] = field(default_factory=list)
    ov_x: list[str] = field(default_factory=list)
    lv_x: list[str] = field(default_factory=list)
    ov_y: list[str] = field(default_factory=list)
    lv_y: list[str] = field(default_factory=list)
    composites: list[str] = field(default_factory=list)

    @property
    def ov_nox(self) -> list[str]:
        """Observed variables that are not fixed exogenous covariates."""
        xs = set(self.ov_x)
        return [v for v in self.ov if v not in xs]


def _unique(seq: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for s in seq:
        seen.setdefault(s, None)
    return list(seen)


def records(table: pd.DataFrame | list[dict]) -> list[dict]:
    """Rows of a table as dicts (fast path for the small tables models have)."""
    if isinstance(table, list):
        return table
    arrays = column_arrays(table)  # a Series per column cost more than the rows
    cols = list(arrays)
    return [dict(zip(cols, vals, strict=True)) for vals in
            zip(*(arrays[c].tolist() for c in cols), strict=True)]


def roles(table: pd.DataFrame | list[dict]) -> VariableRoles:
    """Classify the variables of a (user) table as lavaan does.

    Parameters
    ----------
    table : DataFrame or list of dict
        A user or full parameter table.

    Returns
    -------
    VariableRoles
    """
    if isinstance(table, pd.DataFrame):  # the four columns roles need, not a dict a row
        arrays = column_arrays(table)
        rows = list(zip(*(arrays[c].tolist() for c in ("lhs", "op", "rhs", "user")),
                        strict=True))
    else:
        rows = [(r["lhs"], r["op"], r["rhs"], r["user"]) for r in table]
    lv = _unique(lh for lh, o, _, _ in rows if o in ("=~", "<~"))
    composites = _unique(lh for lh, o, _, _ in rows if o == "<~")
    lv_set = set(lv)
    v_ind = _unique(r for _, o, r, _ in rows if o == "=~")
    eqs_y = _unique(lh for lh, o, _, _ in rows if o == "~")
    eqs_x = _unique(r for _, o, r, _ in rows if o in ("~", "<~"))
    ov_ind = [v for v in v_ind if v not in lv_set]
    # Membership tests against sets, not the lists: linear in the size of the model.
    ov_ind_set = set(ov_ind)
    ov_y_all = [v for v in eqs_y if v not in lv_set and v not in ov_ind_set]
    ov_y_all_set = set(ov_y_all)
    ov_x = [v for v in eqs_x if v not in lv_set and v not in ov_ind_set
            and v not in ov_y_all_set]
    extra = _unique(
        [lh for lh, o, _, _ in rows if o in ("~~", "~1") and lh not in lv_set]
        + [r for _, o, r, _ in rows if o == "~~" and r not in lv_set]
    )
    base = ov_ind + ov_y_all + ov_x
    base_set = set(base)
    ov = base + [v for v in extra if v not in base_set]
    # lavaan treats a covariate as random once the user writes its (co)variance or intercept.
    touched = {lh for lh, o, _, u in rows if o in ("~1", "~~") and u == 1}
    touched |= {r for _, o, r, u in rows if o == "~~" and u == 1}
    ov_x = [v for v in ov_x if v not in touched]
    ind_or_y = set(v_ind) | set(eqs_y)
    lv_x = [v for v in lv if v not in ind_or_y]
    eqs_x_set = set(eqs_x)
    v_ind_set = set(v_ind)
    eqs_y_set = set(eqs_y)
    ov_y = [v for v in ov if v in eqs_y_set and v not in v_ind_set and v not in eqs_x_set]
    lv_y = [
        v for v in lv if v in eqs_y_set and v not in v_ind_set and v not in eqs_x_set
    ]
    return VariableRoles(lv, ov, ov_x, lv_x, ov_y, lv_y, composites)


def _pair_key(lhs: str, op: str, rhs: str) -> tuple[str, str, str]:
    if op == "~~" and rhs < lhs:
        return (rhs, op, lhs)
    return (lhs, op, rhs)


def validate(
    table: pd.DataFrame,
    observed: Sequence[str] | None,
    *,
    latents: Sequence[str] = (),
) -> VariableRoles:
    """Check a user table before fitting; raise :class:`ModelSpecError` on the first problem.

    Parameters
    ----------
    table : DataFrame
        The user table from :func:`semwidget.model.parse`.
    observed : sequence of str or None
        The data's column names; ``None`` skips the checks that need data.
    latents : sequence of str
        Names declared latent elsewhere (e.g. drawn in the widget) that must have indicators.

    Returns
    -------
    VariableRoles
    """
    recs = records(table)
    model = [(r["lhs"], r["op"], r["rhs"]) for r in recs if r["op"] in MODEL_OPS]
    if not model:
        raise ModelSpecError("the model is empty: write at least one '=~', '~' or '~~' statement")
    seen: dict[tuple[str, str, str], int] = {}
    for lhs, op, rhs in model:
        key = _pair_key(lhs, op, rhs)
        if key in seen:
            text = f"{lhs} {op} {rhs}".strip() if op != "~1" else f"{lhs} ~ 1"
            raise ModelSpecError(f"duplicated statement '{text}': write it once", name=lhs)
        seen[key] = 1
    r = roles(recs)
    lv_set = set(r.lv)
    for name in latents:
        if name not in lv_set:
            raise ModelSpecError(
                f"latent variable '{name}' has no indicators: add '{name} =~ <indicator>'",
                name=name,
            )
    loadings = {(lh, rh) for lh, o, rh in model if o == "=~"}
    for lhs, op, rhs in model:
        if op == "~" and lhs == rhs:
            raise ModelSpecError(f"'{lhs} ~ {rhs}' regresses a variable on itself", name=lhs)
        if op == "=~" and lhs == rhs:
            raise ModelSpecError(f"'{lhs} =~ {rhs}' makes a latent its own indicator", name=lhs)
        if op == "~" and (rhs, lhs) in loadings:
            raise ModelSpecError(
                f"'{lhs}' is an indicator of '{rhs}' and is also regressed on it: "
                f"write the relation once, as '{rhs} =~ {lhs}'",
                name=lhs,
            )
        if op == "~" and (lhs, rhs) in loadings:
            raise ModelSpecError(
                f"'{lhs} ~ {rhs}' regresses the latent '{lhs}' on its own indicator '{rhs}'",
                name=lhs,
            )
    if observed is not None:
        cols = set(observed)
        for name in r.ov:
            if name not in cols:
                raise ModelSpecError(
                    f"variable '{name}' is not a column of the data and not a latent variable "
                    f"(no '{name} =~ ...' statement defines it)",
                    name=name,
                )
        for name in r.lv:
            if name in cols:
                raise ModelSpecError(
                    f"'{name}' is defined as a latent variable but is also a column of the data; "
                    "rename the latent",
                    name=name,
                )
    return r


def build(
    user_table: pd.DataFrame,
    observed: Sequence[str] | None = None,
    *,
    std_lv: bool = False,
    orthogonal: bool = False,
    fixed_x: bool = True,
    meanstructure: bool = False,
    auto_fix_single: bool = True,
    latents: Sequence[str] = (),
    default_pairs: bool = True,
    groups: int | None = None,
    group_equal: Sequence[str] = (),
    group_partial: Sequence[str] = (),
) -> pd.DataFrame:
    """Add lavaan's ``sem()`` defaults to a user table.

    Parameters
    ----------
    user_table : DataFrame
        Rows written by the user (from :func:`semwidget.model.parse`).
    observed : sequence of str, optional
        Data column names, for validation.
    std_lv : bool
        Free all loadings and fix latent (residual) variances to 1 instead of fixing the
        first loading of each latent to 1.
    orthogonal : bool
        Fix the default covariances among latent variables to 0.
    fixed_x : bool
        Fix the (co)variances of observed exogenous covariates at their sample values.
    meanstructure : bool
        Add intercepts: free for observed variables, fixed to 0 for latent variables.
    auto_fix_single : bool
        Fix the residual variance of a latent's only indicator to 0.
    latents : sequence of str
        Extra names declared latent; each must have indicators.
    default_pairs : bool
        Add the default covariances between pairs of variables (exogenous latents, outcomes,
        covariates). Their number grows with the square of the model; :func:`model_counts`
        leaves them out and counts them by formula.
    groups : int, optional
        Number of groups: the model is repeated per group (lavaan's ``group`` column, 1-based),
        ``c(...)`` modifiers give each group its own value or label, a mean structure is added
        and ``:=``/``==`` rows follow with group 0.
    group_equal : sequence of str
        lavaan's ``group.equal`` words (``loadings``, ``intercepts``, ``means``, ``residuals``,
        ``residual.covariances``, ``lv.variances``, ``lv.covariances``, ``regressions``).
    group_partial : sequence of str
        Parameters (``"visual =~ x2"``) exempt from ``group_equal``.

    Returns
    -------
    DataFrame
        The full table (columns ``id lhs op rhs user free ustart label freed exo``, plus
        ``group`` with ``groups``).
    """
    user_rows = records(user_table)
    r = validate(user_rows, observed, latents=latents)
    if r.composites:
        raise ModelSpecError(
            f"'{r.composites[0]}' is a composite ('<~'): formative blocks are estimated with "
            "engine='pls'",
            name=r.composites[0],
        )
    opts = {"std_lv": std_lv, "orthogonal": orthogonal, "fixed_x": fixed_x,
            "auto_fix_single": auto_fix_single, "default_pairs": default_pairs}
    if groups is None:
        if group_equal or group_partial:
            raise ModelSpecError("group_equal and group_partial need a grouping variable "
                                 "(group=...)")
        if any(u.get("by_group") for u in user_rows):
            user_rows = [resolve(u, 0, 1) for u in user_rows]
        rows = _full_rows(user_rows, r, meanstructure=meanstructure, **opts)
        return _frame(rows, grouped=False)
    words = check_words(group_equal)
    partial = parse_partial(group_partial)
    rows = []
    model_rows = [u for u in user_rows if u["op"] in MODEL_OPS]
    for g in range(groups):
        for row in _full_rows([resolve(u, g, groups) for u in model_rows], r,
                              meanstructure=True, **opts):
            row["group"] = g + 1
            rows.append(row)
    known = {(row["lhs"], row["op"], row["rhs"]) for row in rows} | \
        {(row["rhs"], row["op"], row["lhs"]) for row in rows if row["op"] == "~~"}
    for key in partial:
        if key not in known:
            text = f"{key[0]} ~ 1" if key[1] == "~1" else " ".join(key)
            raise ModelSpecError(f"group_partial names '{text}', which is not a parameter of "
                                 "the model", name=key[0])
    apply_group_equal(rows, r, words, partial, std_lv=std_lv)
    for u in user_rows:
        if u["op"] not in MODEL_OPS:
            row = {k: u[k] for k in ("lhs", "op", "rhs", "free", "ustart", "label", "freed")}
            row.update(user=1, exo=0, group=0)
            rows.append(row)
    return _frame(rows, grouped=True)


def _full_rows(user_rows: list[dict], rr: VariableRoles, *, std_lv: bool, orthogonal: bool,
               fixed_x: bool, meanstructure: bool, auto_fix_single: bool,
               default_pairs: bool = True) -> list[dict]:
    """The user rows followed by lavaan's default rows, before free indices are numbered."""
    # lavaan order of default rows: variances, lv.x covariances, y covariances, x block, means.
    lhs: list[str] = []
    rhs: list[str] = []
    ops: list[str] = []
    for v in rr.ov_nox + rr.lv:  # covariates get theirs in the x block below
        lhs.append(v)
        rhs.append(v)
        ops.append("~~")
    pairs = combinations if default_pairs else (lambda names, r: ())
    for a, b in pairs(rr.lv_x, 2):
        lhs.append(a)
        rhs.append(b)
        ops.append("~~")
    for a, b in pairs(rr.lv_y + rr.ov_y, 2):
        lhs.append(a)
        rhs.append(b)
        ops.append("~~")
    xs = rr.ov_x
    for j, a in enumerate(xs):
        for b in (xs[j:] if default_pairs else [a]):
            lhs.append(a)
            rhs.append(b)
            ops.append("~~")
    if meanstructure:
        for v in rr.ov + rr.lv:
            lhs.append(v)
            rhs.append("")
            ops.append("~1")

    taken = {_pair_key(u["lhs"], u["op"], u["rhs"]) for u in user_rows}
    rows: list[dict] = []
    for u in user_rows:
        row = {k: u[k] for k in ("lhs", "op", "rhs", "free", "ustart", "label", "freed")}
        row["user"] = 1
        row["exo"] = 0
        rows.append(row)
    lv_set = set(rr.lv)
    x_set = set(xs) if fixed_x else set()
    single = _single_indicators(user_rows) if auto_fix_single else set()
    for a, o, b in zip(lhs, ops, rhs, strict=True):
        if _pair_key(a, o, b) in taken:
            continue
        row = {"lhs": a, "op": o, "rhs": b, "user": 0, "free": 1, "ustart": np.nan,
               "label": "", "freed": 0, "exo": 0}
        if o == "~~" and a == b and a in lv_set and std_lv:
            row["free"], row["ustart"] = 0, 1.0
        elif o == "~~" and a == b and a in single:
            row["free"], row["ustart"] = 0, 0.0
        elif o == "~~" and a != b and a in lv_set and b in lv_set and orthogonal:
            row["free"], row["ustart"] = 0, 0.0
        elif o == "~~" and a in x_set and b in x_set:
            row["free"], row["exo"] = 0, 1
        elif o == "~1" and a in lv_set:
            row["free"], row["ustart"] = 0, 0.0
        elif o == "~1" and a in x_set:
            row["free"], row["exo"] = 0, 1
        rows.append(row)
    if std_lv:
        for row in rows:
            if row["user"] == 1 and row["op"] == "~~" and row["lhs"] == row["rhs"] \
                    and row["lhs"] in lv_set and row["free"] > 0 and row["freed"] == 0 \
                    and not row["label"]:
                # A user-written latent variance without a modifier still follows std.lv.
                row["free"], row["ustart"] = 0, 1.0
    else:
        first_done: set[str] = set()
        for row in rows:
            if row["op"] != "=~" or row["lhs"] in first_done:
                continue
            first_done.add(row["lhs"])
            if row["freed"] == 0 and row["free"] > 0:
                row["free"] = 0
                if np.isnan(row["ustart"]):
                    row["ustart"] = 1.0
                else:  # start(x) on the marker: lavaan still fixes the marker, at 1
                    row["ustart"] = 1.0
    return rows


def _frame(rows: list[dict], grouped: bool) -> pd.DataFrame:
    """Number the free parameters and make the full table."""
    cols: dict[str, Any] = {c: [row[c] for row in rows] for c in COLUMNS[1:]}
    cols["free"] = _number_free(cols)
    # text as object arrays: pandas reaches its string dtype from those quicker than from lists
    data: dict[str, Any] = {
        "id": np.arange(1, len(rows) + 1, dtype=np.int64),
        "lhs": np.array(cols["lhs"], dtype=object), "op": np.array(cols["op"], dtype=object),
        "rhs": np.array(cols["rhs"], dtype=object),
        "user": np.asarray(cols["user"], dtype=np.int64),
        "free": cols["free"],
        "ustart": np.asarray(cols["ustart"], dtype=np.float64),
        "label": np.array(cols["label"], dtype=object),
        "freed": np.asarray(cols["freed"], dtype=np.int64),
        "exo": np.asarray(cols["exo"], dtype=np.int64),
    }
    if grouped:  # in the one constructor: adding a column to a frame costs more
        data["group"] = np.asarray([row["group"] for row in rows], dtype=np.int64)
    out = frame_of(data)
    if "==" in cols["op"]:
        _apply_equalities(out)
    return out


def _single_indicators(user_rows: list[dict]) -> set[str]:
    """Indicators that are the only indicator of their latent and load on nothing else."""
    by_lv: dict[str, list[str]] = {}
    count: dict[str, int] = {}
    for u in user_rows:
        if u["op"] == "=~":
            by_lv.setdefault(u["lhs"], []).append(u["rhs"])
            count[u["rhs"]] = count.get(u["rhs"], 0) + 1
    return {inds[0] for inds in by_lv.values() if len(inds) == 1 and count[inds[0]] == 1}


def _number_free(table: dict[str, list]) -> np.ndarray:
    """Free indices in row order; rows sharing a label share one index (equality)."""
    free = np.zeros(len(table["free"]), dtype=np.int64)
    by_label: dict[str, int] = {}
    k = 0
    for i, (f, lab, op) in enumerate(zip(table["free"], table["label"], table["op"],
                                         strict=True)):
        if op not in MODEL_OPS or f == 0:
            continue
        if lab and lab in by_label:
            free[i] = by_label[lab]
            continue
        k += 1
        free[i] = k
        if lab:
            by_label[lab] = k
    return free


def _apply_equalities(table: pd.DataFrame) -> None:
    """Apply simple ``==`` constraints: label == label (merge) and label == number (fix).

    Other ``==`` rows stay in the table as general constraints (see ``cb.constraints``).
    """
    rows = table.index[table["op"] == "=="]
    if len(rows) == 0:
        return
    for i in rows:
        a, b = str(table.at[i, "lhs"]).strip(), str(table.at[i, "rhs"]).strip()
        ia = table.index[(table["label"] == a) & table["op"].isin(MODEL_OPS)]
        ib = table.index[(table["label"] == b) & table["op"].isin(MODEL_OPS)]
        value = _as_number(b)
        if len(ia) and len(ib):
            fa, fb = int(table.at[ia[0], "free"]), int(table.at[ib[0], "free"])
            if fa == 0 or fb == 0:
                raise ModelSpecError(f"constraint '{a} == {b}' involves a fixed parameter", a)
            table.loc[table["free"] == fb, "free"] = fa
        elif len(ia) and value is not None:
            table.loc[ia, "ustart"] = value
            table.loc[ia, "free"] = 0
        # anything else (expressions, 'number == label') is a general constraint, estimated
        # under by cb.constraints
    # renumber densely, keeping first-appearance order
    mapping: dict[int, int] = {}
    new = []
    for f in table["free"]:
        if f == 0:
            new.append(0)
            continue
        mapping.setdefault(int(f), len(mapping) + 1)
        new.append(mapping[int(f)])
    table["free"] = np.asarray(new, dtype=np.int64)


def _as_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def observed_names(table: pd.DataFrame) -> list[str]:
    """Observed variables of a table in lavaan's order (indicators, outcomes, covariates)."""
    return roles(table).ov


def latent_names(table: pd.DataFrame) -> list[str]:
    """Latent variables of a table, in order of first definition."""
    return roles(table).lv


def count_moments(n_observed: int, n_exo: int = 0, meanstructure: bool = False) -> int:
    """Sample moments available to the model (lavaan's ``ndat``), excluding fixed-x moments."""
    p, x = n_observed, n_exo
    m = p * (p + 1) // 2 - x * (x + 1) // 2
    if meanstructure:
        m += p - x
    return m


def model_counts(
    user_table: pd.DataFrame,
    *,
    std_lv: bool = False,
    orthogonal: bool = False,
    meanstructure: bool = False,
    latents: Sequence[str] = (),
    groups: int | None = None,
    group_equal: Sequence[str] = (),
    group_partial: Sequence[str] = (),
) -> dict:
    """Free parameters, moments and degrees of freedom of a model, for live feedback.

    Parameters
    ----------
    user_table : DataFrame
        The user table.
    std_lv, orthogonal, meanstructure : bool
        As in :func:`build`.
    latents : sequence of str
        Names drawn as latent (each must have indicators).
    groups, group_equal, group_partial
        As in :func:`build`: the counts of the multigroup model (moments of every group, with
        means).

    Returns
    -------
    dict
        ``npar``, ``moments``, ``df``, ``identified`` (bool) and ``message`` (str, empty when
        the counts show no problem).
    """
    # One group: the default pair covariances are counted by formula (they grow with the
    # square of the model). With groups, group_equal can tie them across groups: list them.
    listed = groups is not None
    try:
        full = build(user_table, None, std_lv=std_lv, orthogonal=orthogonal,
                     meanstructure=meanstructure, latents=latents, default_pairs=listed,
                     groups=groups, group_equal=group_equal, group_partial=group_partial)
        rr = validate(records(user_table), None, latents=latents)
    except ModelSpecError as err:
        return {"npar": 0, "moments": 0, "df": 0, "identified": False, "message": str(err)}
    npar = int(full["free"].max()) if (full["free"] > 0).any() else 0
    if not listed:
        npar += _free_default_pairs(records(user_table), rr, orthogonal)
    ov = observed_names(full)
    nx = len({*full.loc[full["exo"] == 1, "lhs"]})
    if groups is None:
        moments = count_moments(len(ov), nx, meanstructure)
    else:
        moments = groups * count_moments(len(ov), nx, True)
    df = moments - npar
    message = ""
    if df < 0:
        message = (f"not identified: {npar} free parameters, {moments} moments "
                   f"(df = {df})")
    return {"npar": npar, "moments": moments, "df": df, "identified": df >= 0,
            "message": message}


def _free_default_pairs(user_rows: list[dict], rr: VariableRoles, orthogonal: bool) -> int:
    """How many free covariances :func:`build` adds between pairs, without listing them.

    Exogenous latents covary freely (fixed at 0 when ``orthogonal``), so do outcomes (two
    latent outcomes fixed at 0 when ``orthogonal``); covariate pairs are fixed (``exo``). A pair
    the user wrote is the user's row, not a default.
    """
    lv_x, ys, lv = set(rr.lv_x), set(rr.lv_y + rr.ov_y), set(rr.lv)
    n_ly = len(set(rr.lv_y))
    count = 0 if orthogonal else len(lv_x) * (len(lv_x) - 1) // 2
    count += len(ys) * (len(ys) - 1) // 2 - (n_ly * (n_ly - 1) // 2 if orthogonal else 0)
    written = {_pair_key(u["lhs"], u["op"], u["rhs"]) for u in user_rows
               if u["op"] == "~~" and u["lhs"] != u["rhs"]}
    for a, _, b in written:
        if a in lv_x and b in lv_x and not orthogonal:
            count -= 1
        elif a in ys and b in ys and not (orthogonal and a in lv and b in lv):
            count -= 1
    return count


def user_table(model: str | pd.DataFrame) -> pd.DataFrame:
    """The user table of ``model``: lavaan syntax is parsed, a parameter table is checked.

    A full table (with ``user`` 0 rows added by defaults) is cut back to the rows the user
    wrote, so defaults are added again by :func:`build` with the options of this fit.

    Raises
    ------
    ModelSpecError
        If a table lacks a column, or ``model`` is neither a str nor a DataFrame.
    """
    if isinstance(model, str):
        return parse(model)
    if isinstance(model, pd.DataFrame):
        needed = {"lhs", "op", "rhs", "free", "ustart", "label"}
        missing = needed - set(model.columns)
        if missing:
            raise ModelSpecError(
                f"the parameter table lacks the column(s) {sorted(missing)}")
        if "group" in model.columns and (model["group"] > 1).any():
            raise ModelSpecError(
                "this parameter table holds several groups (a multigroup fit's table); refit "
                "from the model syntax with group=, group_equal= and group_partial=")
        table = model.copy()
        try:  # a table from elsewhere: its columns must hold what parse() writes
            for col in ("lhs", "op", "rhs"):
                table[col] = table[col].astype(str)
            table["free"] = pd.to_numeric(table["free"], errors="raise").astype(np.int64)
            table["ustart"] = pd.to_numeric(table["ustart"], errors="raise").astype(float)
            if "user" in table.columns:
                table["user"] = pd.to_numeric(table["user"], errors="raise")
        except (TypeError, ValueError, OverflowError) as err:
            raise ModelSpecError(f"the parameter table has a value of the wrong type "
                                 f"({str(err)[:120]}): lhs/op/rhs hold text, free and ustart "
                                 "numbers") from None
        if "user" in table.columns:
            table = table[table["user"] == 1]
        if "freed" not in table.columns:
            table["freed"] = 0
        table["label"] = table["label"].fillna("").astype(str)
        table["user"] = 1
        return table.reset_index(drop=True)
    raise ModelSpecError(
        f"model must be lavaan syntax (str) or a parameter table, not {type(model).__name__}")
