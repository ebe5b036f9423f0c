"""PLS-SEM model blocks from the user parameter table.

``=~`` rows make Mode A (reflective, correlation-weight) blocks, ``<~`` rows Mode B
(formative, regression-weight) blocks and ``~`` rows the structural paths. A name on a
``~`` row that is not a construct but a data column becomes a single-item construct, as
a drawn observed variable in a PLS path model is one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError

#: Operators PLS estimates; anything else in the table is reported and ignored.
PLS_OPS = ("=~", "<~", "~")
#: Joins the two parts of a product term, as lavaan writes one: ``y ~ x + m + x:m``.
INTERACTION = ":"
# a:b (not the ':=' of a defined parameter) between two names
_PRODUCT_TERM = re.compile(r"(?<![\w.])([A-Za-z_.][\w.]*)\s*:(?!=)\s*([A-Za-z_.][\w.]*)")


@dataclass(frozen=True)
class PLSModel:
    """The blocks and inner model of a PLS path model.

    Attributes
    ----------
    constructs : list of str
        Construct names, in the order first written.
    modes : dict
        ``"A"`` (``=~``) or ``"B"`` (``<~``) per construct.
    blocks : dict
        Indicator names per construct, in the order written.
    paths : list of (str, str)
        ``(source, target)`` pairs, one per ``target ~ source`` term, in the order written.
    labels : dict
        ``(lhs, op, rhs) -> label`` for the rows that carry a label.
    rows : list of (str, str, str)
        The ``=~``/``<~``/``~`` rows ``(lhs, op, rhs)`` in the order written (estimates order).
    ignored : list of str
        Statements of other kinds, ignored by the PLS engine (reported as warnings).
    """

    constructs: list[str]
    modes: dict[str, str]
    blocks: dict[str, list[str]]
    paths: list[tuple[str, str]]
    labels: dict[tuple[str, str, str], str] = field(default_factory=dict)
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def items(self) -> list[str]:
        """All indicators, block after block."""
        return [item for c in self.constructs for item in self.blocks[c]]

    def predecessors(self, construct: str) -> list[str]:
        """Constructs with a path into ``construct``, in the order written."""
        return [s for s, t in self.paths if t == construct]

    @property
    def endogenous(self) -> list[str]:
        """Constructs with at least one incoming path, in construct order."""
        targets = {t for _, t in self.paths}
        return [c for c in self.constructs if c in targets]


@dataclass(frozen=True)
class BlockIndex:
    """Integer layout of a :class:`PLSModel` for the array code.

    Attributes
    ----------
    membership : ndarray (p, K)
        1 where indicator ``i`` belongs to construct ``k``.
    item_block : ndarray (p,)
        The construct index of each indicator.
    block_items : list of ndarray
        Indicator indices per construct.
    mode_b : ndarray (K,) of bool
        Mode B constructs.
    path_matrix : ndarray (K, K)
        ``1`` at ``[source, target]``.
    path_pairs : ndarray (m, 2)
        ``(source, target)`` index pairs in the order of ``PLSModel.paths``.
    endogenous : list of (int, ndarray)
        Each endogenous construct with the indices of its predecessors.
    """

    membership: np.ndarray
    item_block: np.ndarray
    block_items: list[np.ndarray]
    mode_b: np.ndarray
    path_matrix: np.ndarray
    path_pairs: np.ndarray
    endogenous: list[tuple[int, np.ndarray]]

    @classmethod
    def from_model(cls, model: PLSModel) -> BlockIndex:
        """Lay out ``model`` as index arrays."""
        pos = {c: k for k, c in enumerate(model.constructs)}
        items = model.items
        p, k_count = len(items), len(model.constructs)
        membership = np.zeros((p, k_count))
        item_block = np.empty(p, dtype=int)
        block_items: list[np.ndarray] = []
        start = 0
        for k, c in enumerate(model.constructs):
            size = len(model.blocks[c])
            idx = np.arange(start, start + size)
            membership[idx, k] = 1.0
            item_block[idx] = k
            block_items.append(idx)
            start += size
        path_matrix = np.zeros((k_count, k_count))
        pairs = np.array([(pos[s], pos[t]) for s, t in model.paths], dtype=int).reshape(-1, 2)
        path_matrix[pairs[:, 0], pairs[:, 1]] = 1.0
        endogenous = [
            (pos[c], np.array([pos[s] for s in model.predecessors(c)], dtype=int))
            for c in model.endogenous
        ]
        mode_b = np.array([model.modes[c] == "B" for c in model.constructs])
        return cls(membership, item_block, block_items, mode_b, path_matrix, pairs, endogenous)


def parse_model(model: str | pd.DataFrame) -> pd.DataFrame:
    """The user table for ``model`` (lavaan syntax, or an already parsed user table)."""
    if isinstance(model, pd.DataFrame):
        return model
    if not isinstance(model, str):
        raise ModelSpecError(
            f"the model must be lavaan syntax (a string) or a parameter table, "
            f"not {type(model).__name__}"
        )
    from semwidget.model import parse  # imported late: the parser is a sibling module

    # The lavaan parser has no ':' operator; a product term goes through it as one name
    # and is given back its 'a:b' spelling in the table.
    spelled: dict[str, str] = {}

    def placeholder(match: re.Match[str]) -> str:
        name = f"{match[1]}__x__{match[2]}"
        spelled[name] = f"{match[1]}{INTERACTION}{match[2]}"
        return name

    table = parse(_PRODUCT_TERM.sub(placeholder, model))
    if spelled:
        table["rhs"] = table["rhs"].replace(spelled)
    return table


def build_model(table: pd.DataFrame, columns: Sequence[str]) -> PLSModel:
    """Read the PLS blocks and inner model from a user table.

    Parameters
    ----------
    table : DataFrame
        The user table (``lhs op rhs label ...``, see ``docs/architecture.md``).
    columns : sequence of str
        The data's column names (to tell indicators from constructs).

    Returns
    -------
    PLSModel

    Raises
    ------
    ModelSpecError
        For a construct written with both ``=~`` and ``<~``, an indicator used twice, a
        higher-order block, a name that is neither a construct nor a data column, a construct
        with no structural path, or a non-recursive (cyclic) inner model.
    """
    colset = set(columns)
    blocks: dict[str, list[str]] = {}
    modes: dict[str, str] = {}
    labels: dict[tuple[str, str, str], str] = {}
    rows: list[tuple[str, str, str]] = []
    ignored: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    raw_paths: list[tuple[str, str]] = []

    for rec in table.itertuples(index=False):
        lhs, op, rhs = str(rec.lhs), str(rec.op), str(rec.rhs)
        if op not in PLS_OPS:
            ignored.append(f"{lhs} {op} {rhs}".strip())
            continue
        key = (lhs, op, rhs)
        if key in seen:
            raise ModelSpecError(f"'{lhs} {op} {rhs}' is written twice", name=lhs)
        seen.add(key)
        rows.append(key)
        label = str(getattr(rec, "label", "") or "")
        if label and label != "nan":
            labels[key] = label
        if op == "~":
            if lhs == rhs:
                raise ModelSpecError(
                    f"'{lhs} ~ {rhs}': a construct cannot predict itself "
                    "(PLS needs a recursive inner model)",
                    name=lhs,
                )
            raw_paths.append((rhs, lhs))
            continue
        mode = "A" if op == "=~" else "B"
        if modes.setdefault(lhs, mode) != mode:
            raise ModelSpecError(
                f"construct '{lhs}' is written with both '=~' and '<~'; "
                "a PLS block is either reflective (=~, Mode A) or formative (<~, Mode B)",
                name=lhs,
            )
        blocks.setdefault(lhs, []).append(rhs)

    for c, items in blocks.items():
        for item in items:
            if item in blocks:
                raise ModelSpecError(
                    f"'{c}' is measured by the construct '{item}': a higher-order construct "
                    "is fitted by fit_pls (hoc=...), not as one PLS block",
                    name=c,
                )
            if item not in colset:
                raise ModelSpecError(
                    f"indicator '{item}' of construct '{c}' is not a column of the data",
                    name=item,
                )
    owner: dict[str, str] = {}
    for c, items in blocks.items():
        for item in items:
            if item in owner:
                raise ModelSpecError(
                    f"indicator '{item}' is used by both '{owner[item]}' and '{c}'; "
                    "each indicator may belong to one PLS block only",
                    name=item,
                )
            owner[item] = c

    # Observed variables on '~' rows become single-item constructs.
    for source, target in raw_paths:
        for name in (target, source):
            if name in blocks:
                continue
            if name in colset:
                if name in owner:
                    raise ModelSpecError(
                        f"'{name}' is used in a path but is an indicator of '{owner[name]}'; "
                        "paths must connect constructs",
                        name=name,
                    )
                blocks[name] = [name]
                modes[name] = "A"
                owner[name] = name
            else:
                raise ModelSpecError(
                    f"'{name}' in '{target} ~ {source}' is neither a construct "
                    "(=~ or <~) nor a column of the data",
                    name=name,
                )

    constructs = list(blocks)
    connected = {n for pair in raw_paths for n in pair}
    for c in constructs:
        if c not in connected:
            raise ModelSpecError(
                f"construct '{c}' has no structural paths: PLS needs every construct "
                "in the inner model ('~' rows)",
                name=c,
            )
    _check_recursive(constructs, raw_paths)
    return PLSModel(constructs, modes, blocks, raw_paths, labels, rows, ignored)


def _check_recursive(constructs: list[str], paths: list[tuple[str, str]]) -> None:
    """Raise ModelSpecError naming a cycle if the inner model is not recursive."""
    succ: dict[str, list[str]] = {c: [] for c in constructs}
    for s, t in paths:
        succ[s].append(t)
    state: dict[str, int] = {}  # 1 on the DFS stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in succ[node]:
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                raise ModelSpecError(
                    "the inner model is non-recursive (it has the feedback loop "
                    f"{' -> '.join(cycle)}); PLS path models must be recursive",
                    name=nxt,
                )
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for c in constructs:
        if c not in state:
            visit(c)
