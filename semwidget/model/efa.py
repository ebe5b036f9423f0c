"""Exploratory SEM blocks (``efa("b")*f1 + efa("b")*f2 =~ x1 + ...``): the unrotated model.

An efa block is estimated as lavaan does: first an *unrotated* model, identified by fixing
each block factor's (residual) variance to 1, the covariances among the block's factors to 0
and, for the k-th factor, its loadings on the first k - 1 indicators of the block to 0 (an
echelon pattern); every other loading is free. That model has the fit of an exploratory
factor analysis; the rotation (``cb.esem``) then turns the loadings and moves the factor
covariances into the rows fixed here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError


@dataclass
class EfaBlock:
    """One exploratory block: its factors and indicators in the order written."""

    name: str
    factors: list[str]
    indicators: list[str]


def efa_blocks(user: pd.DataFrame) -> list[EfaBlock]:
    """The efa blocks of a user table (none without an ``efa`` column).

    Raises
    ------
    ModelSpecError
        Naming the factor, when a block factor lacks one of the block's indicators, belongs to
        two blocks, or a block has one factor only.
    """
    if "efa" not in user.columns:
        return []
    rows = user[(user["op"] == "=~") & (user["efa"] != "")]
    out: dict[str, EfaBlock] = {}
    seen: dict[str, str] = {}
    for f, x, b in rows[["lhs", "rhs", "efa"]].itertuples(index=False):
        if seen.setdefault(f, b) != b:
            raise ModelSpecError(f"factor '{f}' is in two efa blocks ('{seen[f]}' and '{b}')",
                                 name=f)
        blk = out.setdefault(b, EfaBlock(b, [], []))
        if f not in blk.factors:
            blk.factors.append(f)
        if x not in blk.indicators:
            blk.indicators.append(x)
    for blk in out.values():
        if len(blk.factors) < 2:
            raise ModelSpecError(f"efa block '{blk.name}' has one factor ('{blk.factors[0]}'); "
                                 "a block needs two or more (one factor needs no rotation)",
                                 name=blk.factors[0])
        have = {(f, x) for f, x, b in rows[["lhs", "rhs", "efa"]].itertuples(index=False)
                if b == blk.name}
        for f in blk.factors:
            for x in blk.indicators:
                if (f, x) not in have:
                    raise ModelSpecError(
                        f"factor '{f}' of efa block '{blk.name}' does not load on '{x}': every "
                        "factor of a block loads on all of the block's indicators", name=f)
    return list(out.values())


def unrotated_table(user: pd.DataFrame, blocks: list[EfaBlock]) -> pd.DataFrame:
    """The user table of the unrotated model (see the module notes), without the efa column.

    Raises
    ------
    ModelSpecError
        If the user fixed, labelled or constrained a loading of an efa block (lavaan's efa
        blocks are exploratory: all loadings are estimated).
    """
    table = user.drop(columns=["efa"]).copy()
    block_of = {f: b for b in blocks for f in b.factors}
    for i in table.index[(table["op"] == "=~") & table["lhs"].isin(list(block_of))]:
        f, x = table.at[i, "lhs"], table.at[i, "rhs"]
        blk = block_of[f]
        if table.at[i, "free"] == 0 or table.at[i, "label"]:
            raise ModelSpecError(f"the loading '{f} =~ {x}' of efa block '{blk.name}' is fixed "
                                 "or labelled; loadings of an exploratory block are all free",
                                 name=f)
        k = blk.factors.index(f)
        if blk.indicators.index(x) < k:
            table.at[i, "free"], table.at[i, "ustart"] = 0, 0.0
        else:
            table.at[i, "freed"] = 1  # no marker: the block's scale is set by its variances
    extra = []
    for blk in blocks:
        for a, f in enumerate(blk.factors):
            extra.append((f, f, 1.0))
            extra.extend((f, g, 0.0) for g in blk.factors[a + 1:])
    written = {(a, b) for a, o, b in table[["lhs", "op", "rhs"]].itertuples(index=False)
               if o == "~~"}
    for a, b, _ in extra:
        if (a, b) in written or (b, a) in written:
            raise ModelSpecError(f"'{a} ~~ {b}' is set by the efa block (variances 1, "
                                 "covariances by the rotation); leave it out", name=a)
    add = pd.DataFrame({
        "id": np.arange(len(table) + 1, len(table) + len(extra) + 1, dtype=np.int64),
        "lhs": [a for a, _, _ in extra], "op": "~~", "rhs": [b for _, b, _ in extra],
        "user": np.ones(len(extra), dtype=np.int64),
        "free": np.zeros(len(extra), dtype=np.int64),
        "ustart": [v for _, _, v in extra], "label": "",
        "freed": np.zeros(len(extra), dtype=np.int64)})
    out = pd.concat([table, add], ignore_index=True)
    # renumber the free parameters of the user table 1..k in row order
    free = out["free"].to_numpy()
    out["free"] = np.where(free > 0, np.cumsum(free > 0), 0)
    return out
