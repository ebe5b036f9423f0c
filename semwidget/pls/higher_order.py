"""Higher-order constructs (Sarstedt et al. 2019, "How to specify, estimate, and validate
higher-order constructs in PLS-SEM"), written as lavaan writes a second-order factor:
``HOC =~ LOC1 + LOC2`` (Mode A over the dimensions) or ``HOC <~ LOC1 + LOC2`` (Mode B).

- ``"repeated"`` (repeated indicators): the HOC is measured by copies of all its dimensions'
  indicators; a ``=~`` HOC points to each dimension (``LOC ~ HOC``), the dimensions of a
  ``<~`` HOC point to it (``HOC ~ LOC``). One stage.
- ``"embedded"`` two-stage: the repeated-indicators model gives the dimension scores; stage
  two measures the HOC by those scores.
- ``"disjoint"`` two-stage (seminr's ``higher_composite(..., method = two_stage)``): stage
  one links the dimensions directly to the HOC's antecedents and outcomes (the HOC left out);
  stage two measures the HOC by the dimension scores.

The two-stage bootstrap redoes stage one in every resample (:mod:`semwidget.pls.two_stage`).
Stage-two results describe the HOC and the structural model; ``result.first_stage`` holds the
stage-one fit (the dimensions' loadings and reliability).

Product terms with a HOC (``Y ~ HOC + M + HOC:M``): with repeated indicators the HOC is an
ordinary block, and the interaction is built on it (its repeated indicators) by any
``interaction=`` approach; with the two-stage approaches the stage-two model measures the HOC
by the dimension scores, so the interaction is formed in that model, by any approach
(seminr's ``higher_composite`` with ``interaction_term``; see
:mod:`semwidget.pls.hoc_interaction`). A dimension cannot be a part of a product term (its
paths go through its HOC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError
from semwidget.pls.bootstrap import weighted_correlations
from semwidget.pls.core import fit_plain
from semwidget.pls.data import prepare_data
from semwidget.pls.hoc_interaction import chain_fold_data, fit_chain
from semwidget.pls.model import INTERACTION, BlockIndex, PLSModel, build_model
from semwidget.pls.moderation import FoldData, fit_two_stage, fold_data, product_parts
from semwidget.pls.product_terms import stage_order
from semwidget.pls.result import PLSResult
from semwidget.pls.two_stage import Term, fit_stages, term_columns

APPROACHES = ("disjoint", "embedded", "repeated")
#: Joins an indicator to its HOC in the name of its repeated copy (``IMAG1.REP``).
COPY = "."


def higher_order_rows(table: pd.DataFrame) -> dict[str, list[str]]:
    """HOC -> its dimensions, for measurement rows whose indicators are constructs."""
    measured = table[table["op"].isin(["=~", "<~"])]
    constructs = set(measured["lhs"].astype(str))
    out: dict[str, list[str]] = {}
    for row in measured.itertuples(index=False):
        if str(row.rhs) in constructs:
            out.setdefault(str(row.lhs), []).append(str(row.rhs))
    return out


def _rows(table: pd.DataFrame) -> list[tuple[str, str, str]]:
    return [(str(r.lhs), str(r.op), str(r.rhs)) for r in table.itertuples(index=False)]


def _frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["lhs", "op", "rhs"]).assign(label="")


def fit_higher_order(
    table: pd.DataFrame,
    data: pd.DataFrame,
    options: dict[str, Any],
    approach: str,
    *,
    progress: bool | None = None,
) -> PLSResult:
    """Fit a model with higher-order constructs by ``approach`` (see the module notes).

    Raises
    ------
    ModelSpecError
        An unknown approach, a HOC that mixes dimensions and indicators, a dimension with
        structural paths of its own or in two HOCs, a HOC without structural paths, PLSc.
    """
    if options["consistent"]:
        raise ModelSpecError(
            "consistent=True (PLSc) is not available with higher-order constructs: every "
            "approach measures the HOC by composites (its dimensions' scores, or copies of "
            "their indicators as one block), and PLSc's correction by rho_A is derived for "
            "a common factor measured by error-laden indicators, not for a block of other "
            "constructs' scores; fit with consistent=False", name="consistent",
        )  # fmt: skip
    st = stages(table, data, approach)
    method = options.get("interaction", "two_stage")
    info = {"approach": approach, "dimensions": st.hocs}
    if st.stage1 is None:
        if st.interactions:
            # repeated indicators: the HOC is an ordinary block, its product term is built
            # on that block (its repeated indicators) by the chosen approach
            frame = _frame(_rows(st.first_rows) + st.interactions)
            result = fit_two_stage(frame, st.data, options, progress=progress, method=method)
        else:
            result = fit_plain(st.first_rows, st.data, options, progress=progress)
        result.higher_order = info
        return result
    assert st.stage2 is not None
    if st.interactions:
        assert st.table2 is not None
        fd = chain_fold_data(st.stage1, st.terms, st.stage2, st.table2, st.parts, st.data,
                             options, method)  # fmt: skip
        result, factor, _ = fit_chain(fd, options, progress=progress)
        k = len(st.terms)
        result.moderation = {
            name: {"iv": iv, "moderator": mod, "scale": float(factor[k + j]), "method": method,
                   "mean": float((result.scores[iv] * result.scores[mod]).mean())}
            for j, (name, (iv, mod)) in enumerate(st.parts.items())
        }  # fmt: skip
    else:
        staged = fit_stages(st.stage1, st.stage2, st.terms, st.data, options,
                            progress=progress)  # fmt: skip
        result = staged.result
    result.first_stage = fit_plain(st.first_rows, st.data,
                                   {**options, "bootstrap": 0, "exact_fit": 0})  # fmt: skip
    result.higher_order = info
    return result


@dataclass(frozen=True)
class Stages:
    """A HOC model split into its stages by one approach.

    ``first_rows``/``data``: the repeated-indicators model (the whole model of the repeated
    approach, stage one of the embedded one) or the disjoint stage one, and the data with
    any copied indicators. ``stage1``/``stage2``/``terms``: the two-stage models and the
    dimension-score columns (None for the repeated approach). ``interactions``: the
    product-term rows ``Y ~ A:B``, left out of all of these; ``table2``: stage two with them.
    """

    hocs: dict[str, list[str]]
    first_rows: pd.DataFrame
    data: pd.DataFrame
    stage1: PLSModel | None
    stage2: PLSModel | None
    terms: list[Term]
    interactions: list[tuple[str, str, str]] = field(default_factory=list)
    parts: dict[str, tuple[str, str]] = field(default_factory=dict)  # product -> (iv, mod)
    table2: pd.DataFrame | None = None  # stage two with the product terms


def stages(table: pd.DataFrame, data: pd.DataFrame, approach: str) -> Stages:
    """Check a HOC model and build its stages by ``approach`` (see :class:`Stages`)."""
    if approach not in APPROACHES:
        raise ModelSpecError(f"hoc must be one of {', '.join(APPROACHES)}, not {approach!r}",
                             name="hoc")  # fmt: skip
    hocs = higher_order_rows(table)
    rows = _rows(table)
    inter = [r for r in rows if r[1] == "~" and INTERACTION in r[2]]
    rows = [r for r in rows if r not in inter]
    _check(hocs, rows)
    parts = _product_parts(hocs, inter)
    blocks: dict[str, list[str]] = {}
    for lhs, op, rhs in rows:
        if op in ("=~", "<~") and lhs not in hocs:
            blocks.setdefault(lhs, []).append(rhs)
    if approach in ("repeated", "embedded"):
        first_rows, data1 = _repeated(rows, hocs, blocks, data)
    else:
        first_rows, data1 = _frame(_disjoint_rows(rows, hocs)), data
    if approach == "repeated":
        return Stages(hocs, first_rows, data1, None, None, [], inter, parts)
    columns = [str(c) for c in data1.columns]
    stage1 = build_model(first_rows, columns)
    dims = [d for h in hocs.values() for d in h]
    stage2 = build_model(_frame(_second_stage_rows(rows, hocs)), columns + dims)
    terms = [
        Term(d, (stage1.constructs.index(d),), stage2.constructs.index(h))
        for h, ds in hocs.items() for d in ds
    ]
    table2 = None
    if inter:
        table2 = _frame(_second_stage_rows(rows, hocs) + inter)
        # the parts must be constructs of stage two (only the columns' names are read)
        product_parts(table2, pd.DataFrame(columns=columns + dims))
    return Stages(hocs, first_rows, data1, stage1, stage2, terms, inter, parts, table2)


def _product_parts(hocs: dict[str, list[str]], inter: list[tuple[str, str, str]]) -> dict:
    """Product term -> (iv, moderator); a dimension as a part is refused."""
    owner = {d: h for h, ds in hocs.items() for d in ds}
    out: dict[str, tuple[str, str]] = {}
    for _, _, name in inter:
        iv, moderator = name.split(INTERACTION, 1)
        for part in (iv, moderator):
            if part in owner:
                raise ModelSpecError(
                    f"interaction '{name}': '{part}' is a dimension of the higher-order "
                    f"construct '{owner[part]}'; its paths go through '{owner[part]}', so "
                    f"a product term takes '{owner[part]}' (or a first-order construct)",
                    name=part,
                )  # fmt: skip
        out[name] = (iv, moderator)
    return out


def hoc_fold_data(st: Stages, options: dict[str, Any]) -> FoldData:
    """:class:`FoldData` of a HOC model with generated columns: every case weighting (a
    permuted group) refits stage one and scores every row with its weights and
    standardization, as a refit on the weighted rows would; with product terms the
    interaction is rebuilt too (``options["interaction"]``).

    ``options``: ``missing``, ``missing_value``, ``scheme``, ``tol``, ``max_iter``.
    """
    if st.stage1 is None:  # repeated indicators with product terms
        frame = _frame(_rows(st.first_rows) + st.interactions)
        return fold_data(frame, st.data, options, options.get("interaction", "two_stage"))
    assert st.stage2 is not None
    if st.interactions:
        assert st.table2 is not None
        return chain_fold_data(st.stage1, st.terms, st.stage2, st.table2, st.parts, st.data,
                               options, options.get("interaction", "two_stage"))  # fmt: skip
    stage1, terms = st.stage1, st.terms
    prepared = prepare_data(st.data, stage1, missing=options["missing"],
                            missing_value=options.get("missing_value"))  # fmt: skip
    z1 = prepared.z
    index1 = BlockIndex.from_model(stage1)
    kw = {k: options[k] for k in ("scheme", "tol", "max_iter")}

    def columns_of(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return term_columns(z1, counts, weighted_correlations(z1, counts), index1, terms, kw)

    def scale(loadings: np.ndarray, sd: np.ndarray) -> np.ndarray:
        return sd  # unused: dimension scores are not rescaled (Term.rescale is False)

    order = stage_order(st.stage2, stage1, [t.name for t in terms])
    return FoldData(st.stage2, prepared, order, columns_of, terms, scale)


def micom_model(st: Stages) -> tuple[pd.DataFrame, PLSModel, list[str]]:
    """The data, model and constructs of MICOM for a HOC model.

    MICOM compares composites of the same indicators across groups, so it covers the
    constructs with indicators of their own, with the weights the group fits give them:
    the stage-one model (two-stage approaches) or the repeated-indicators model. The HOC
    itself is left out: its indicators are its dimensions' scores (or copies of their
    indicators), whose invariance MICOM already tests.
    """
    spec = st.stage1 or build_model(st.first_rows, [str(c) for c in st.data.columns])
    covered = [c for c in spec.constructs if c not in st.hocs]
    return st.data, spec, covered


def _check(hocs: dict[str, list[str]], rows: list[tuple[str, str, str]]) -> None:
    measured = {lhs for lhs, op, _ in rows if op in ("=~", "<~")}
    owner: dict[str, str] = {}
    for hoc, dims in hocs.items():
        items = [rhs for lhs, op, rhs in rows if lhs == hoc and op in ("=~", "<~")]
        mixed = [i for i in items if i not in measured]
        if mixed:
            raise ModelSpecError(
                f"higher-order construct '{hoc}' mixes dimensions and indicators "
                f"({', '.join(mixed)}); measure it by constructs only", name=hoc,
            )  # fmt: skip
        for d in dims:
            if d in hocs:
                raise ModelSpecError(f"'{d}' is itself higher-order: only second-order "
                                     "constructs are supported", name=d)  # fmt: skip
            if d in owner:
                raise ModelSpecError(f"dimension '{d}' belongs to both '{owner[d]}' and "
                                     f"'{hoc}'", name=d)  # fmt: skip
            owner[d] = hoc
        if not any(op == "~" and hoc in (lhs, rhs) for lhs, op, rhs in rows):
            raise ModelSpecError(f"higher-order construct '{hoc}' has no structural paths",
                                 name=hoc)  # fmt: skip
    for lhs, op, rhs in rows:
        if op == "~" and (lhs in owner or rhs in owner):
            d = lhs if lhs in owner else rhs
            raise ModelSpecError(
                f"dimension '{d}' of '{owner[d]}' has a structural path ('{lhs} ~ {rhs}'); "
                "paths go to and from the higher-order construct", name=d,
            )  # fmt: skip


def _disjoint_rows(rows: list[tuple[str, str, str]], hocs: dict[str, list[str]]) -> list:
    """Stage one of the disjoint approach: the dimensions stand in for their HOC."""
    out = []
    for lhs, op, rhs in rows:
        if lhs in hocs and op in ("=~", "<~"):
            continue
        if op == "~" and lhs in hocs:
            out += [(d, "~", rhs) for d in hocs[lhs]]
        elif op == "~" and rhs in hocs:
            out += [(lhs, "~", d) for d in hocs[rhs]]
        else:
            out.append((lhs, op, rhs))
    return list(dict.fromkeys(out))


def _second_stage_rows(rows: list[tuple[str, str, str]], hocs: dict[str, list[str]]) -> list:
    """Stage two: the HOC measured by its dimensions' scores (now data columns)."""
    dims = {d for h in hocs.values() for d in h}
    return [r for r in rows if not (r[1] in ("=~", "<~") and r[0] in dims)]


def _repeated(
    rows: list[tuple[str, str, str]],
    hocs: dict[str, list[str]],
    blocks: dict[str, list[str]],
    data: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The repeated-indicators model and the data with the copied indicators."""
    out = []
    copies = {}
    for lhs, op, rhs in rows:
        if lhs in hocs and op in ("=~", "<~"):
            for item in blocks[rhs]:
                name = f"{item}{COPY}{lhs}"
                copies[name] = data[item]
                out.append((lhs, op, name))
            out.append((rhs, "~", lhs) if op == "=~" else (lhs, "~", rhs))
        else:
            out.append((lhs, op, rhs))
    return _frame(out), data.assign(**copies)
