"""Defined parameters (``:=``): safe evaluation of expressions over parameter labels."""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from semwidget.errors import ModelSpecError

if TYPE_CHECKING:
    import pandas as pd

    from semwidget.cb.ram import RAMModel

_FUNCS: dict[str, Callable[..., float]] = {
    "sqrt": math.sqrt, "exp": math.exp, "log": math.log, "abs": abs,
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "pnorm": None,  # type: ignore[dict-item]
}


def _pnorm(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


_FUNCS["pnorm"] = _pnorm


def compile_expression(text: str, known: set[str], where: str) -> Callable[[Mapping[str, float]],
                                                                          float]:
    """Compile an R-style arithmetic expression of labels into a function of a label mapping.

    Parameters
    ----------
    text : str
        The expression, e.g. ``"a*b"`` or ``"c + a*b"`` (``^`` is a power, as in R).
    known : set of str
        Names that may appear (labels and earlier defined parameters).
    where : str
        The statement, for error messages.
    """
    try:
        tree = ast.parse(text.replace("^", "**"), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise ModelSpecError(f"cannot read the expression in '{where[:200]}'",
                             name=where) from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in known and node.id not in _FUNCS:
            raise ModelSpecError(
                f"'{node.id}' in '{where}' is not the label of a model parameter "
                "(give the parameter a label, e.g. 'y ~ a*x')",
                name=node.id,
            )
        if not isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant,
                                 ast.Call, ast.Load, ast.operator, ast.unaryop)):
            raise ModelSpecError(f"'{where}' uses an expression semwidget does not evaluate",
                                 name=where)
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name)
                                               and node.func.id in _FUNCS):
            raise ModelSpecError(f"unknown function in '{where}'", name=where)
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, (int, float)) or isinstance(node.value, bool):
                raise ModelSpecError(f"'{where}' holds {node.value!r:.40}, which is not a real "
                                     "number", name=where)
            # Floats, so 9^9^9 overflows at once instead of building an integer for hours.
            try:
                node.value = float(node.value)
            except OverflowError:
                raise ModelSpecError(f"a number in '{where[:80]}' is too large",
                                     name=where) from None
    code = compile(tree, "<defined>", "eval")

    def evaluate(values: Mapping[str, float]) -> float:
        env = dict(_FUNCS)
        env.update(values)
        # A definition undefined at these values (x/0, log(-1), overflow) is NaN for its row,
        # not the end of the fit; the result reports non-finite rows (model.numeric).
        try:
            value = float(eval(code, {"__builtins__": {}}, env))  # noqa: S307 - names checked
        except (ArithmeticError, ValueError):
            return math.nan
        return value if math.isfinite(value) else math.nan

    return evaluate


def defined_functions(table: pd.DataFrame, model: RAMModel
                      ) -> tuple[dict[str, int], list[tuple[int, str, Callable]]]:
    """The labelled model rows and a compiled function per ``:=`` row of a full table.

    Returns
    -------
    labelled : dict
        Label -> position of its first row in ``model`` (the value the label stands for).
    funcs : list of (table index, name, function)
        In table order; a definition may use the labels and the names defined before it.
    """
    labelled: dict[str, int] = {}
    for pos, tix in enumerate(model.table_index):
        lab = table.at[tix, "label"]
        if lab:
            labelled.setdefault(lab, pos)
    funcs = []
    known = set(labelled)
    for tix in table.index[table["op"] == ":="]:
        name = table.at[tix, "lhs"]
        where = f"{name} := {table.at[tix, 'rhs']}"
        funcs.append((tix, name, compile_expression(table.at[tix, "rhs"], known, where)))
        known.add(name)
    return labelled, funcs
