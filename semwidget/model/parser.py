"""lavaan model syntax → the user parameter table.

:func:`parse` turns syntax into the *user table* described in ``docs/architecture.md``
(columns ``id lhs op rhs user free ustart label freed``); :mod:`semwidget.model.emitter`
writes a table back, so that ``parse(emit(t))`` equals ``t``.

Statements, operators and modifiers follow lavaan (``=~ ~ ~~ <~ := == < >``; ``x ~ 1`` is an
intercept row with op ``~1``; ``1*x`` fixed, ``NA*x`` freed, ``a*x`` / ``label("a")*x`` /
``equal("a")*x`` labelled, ``start(.5)*x`` / ``.5?x`` start value, chained with ``*``).
Where lavaan silently accepts something odd (two labels on one term, modifiers on the
left-hand side, a line without operator glued onto a name) this parser raises instead.
Chained modifiers all apply (``NA*a*x`` is freed *and* labelled, ``start(.5)*a*x`` has a start
value *and* a label); lavaan 0.6.14 keeps only the label of such chains. Duplicated statements
(and a name repeated on the left-hand side, which lavaan merges) are kept as written: rejecting
them is the job of ``partable``.

Expressions in ``:=``, ``==``, ``<`` and ``>`` rows are stored without blanks (``c+a*b``), as in
lavaan's own parameter table.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from semwidget.errors import ModelSyntaxError
from semwidget.model.frame_arrays import frame_of
from semwidget.model.grammar import COLUMNS, NAME, PARAM_OPS, RESERVED
from semwidget.model.lexer import Token, split_statements, tokenize

__all__ = ["COLUMNS", "parse"]

_NUMBERISH = re.compile(r"[-+]?\.?[0-9]")
_THRESHOLD = re.compile(r"t[1-9][0-9]*")
_UNSUPPORTED_MODIFIERS = frozenset({"lower", "upper", "prior", "efa", "rv", "fixed"})


# --------------------------------------------------------------------------------------------
# parsing


def _after(prev: Token, found: Token | None) -> tuple[int, int]:
    """Position to report when something is missing after ``prev``.

    That is the token found instead, or, at the end of the statement, just past ``prev``.
    """
    if found is None:
        return prev.line, prev.end
    return found.line, found.col


def _describe(tok: Token | None) -> str:
    return "the end of the statement" if tok is None else f"'{tok.text}'"


class _Statement:
    """Cursor over the tokens of one statement."""

    __slots__ = ("toks", "n")

    def __init__(self, toks: list[Token]) -> None:
        self.toks = toks
        self.n = len(toks)

    def at(self, i: int) -> Token | None:
        return self.toks[i] if i < self.n else None


def _check_variable(tok: Token) -> str:
    if tok.text in RESERVED:
        raise ModelSyntaxError(
            f"'{tok.text}' is a reserved word and cannot be a variable name", tok.line, tok.col
        )
    return tok.text


def _check_label(text: str, tok: Token) -> str:
    if text == "":
        raise ModelSyntaxError("the label is empty", tok.line, tok.col)
    if _NUMBERISH.match(text):
        raise ModelSyntaxError(
            f"the label '{text}' looks like a number; labels must start with a letter",
            tok.line,
            tok.col,
        )
    if NAME.fullmatch(text) is None:
        raise ModelSyntaxError(
            f"the label '{text}' is not a valid name (use letters, digits, '_' and '.')",
            tok.line,
            tok.col,
        )
    if text in RESERVED:
        raise ModelSyntaxError(
            f"'{text}' is a reserved word and cannot be a label", tok.line, tok.col
        )
    return text


class _Modifiers:
    """Modifiers collected along one ``*`` chain, with conflict checks."""

    __slots__ = ("fixed", "start", "label", "freed", "by_group", "group_kinds", "group_pos")

    def __init__(self) -> None:
        self.fixed: float | None = None
        self.start: float | None = None
        self.label = ""
        self.freed = False
        # c(...) modifiers, one value per group, kept as text: resolved when the groups are known
        self.by_group: list[str] = []
        self.group_kinds: set[str] = set()
        self.group_pos: list[tuple[int, int, int]] = []  # (entries, line, column) per c()

    def set_fixed(self, value: float, tok: Token) -> None:
        if self.fixed is not None or "fixed" in self.group_kinds:
            raise ModelSyntaxError("the fixed value is given twice", tok.line, tok.col)
        if self.freed:
            raise ModelSyntaxError(
                "a parameter cannot be both free (NA) and fixed to a value", tok.line, tok.col
            )
        if self.start is not None:
            raise ModelSyntaxError(
                "a parameter cannot have both a start value and a fixed value", tok.line, tok.col
            )
        self.fixed = value

    def set_free(self, tok: Token) -> None:
        if self.freed:
            raise ModelSyntaxError("NA is given twice", tok.line, tok.col)
        if self.fixed is not None:
            raise ModelSyntaxError(
                "a parameter cannot be both fixed to a value and free (NA)", tok.line, tok.col
            )
        self.freed = True

    def set_start(self, value: float, tok: Token) -> None:
        if self.start is not None:
            raise ModelSyntaxError("the start value is given twice", tok.line, tok.col)
        if self.fixed is not None:
            raise ModelSyntaxError(
                "a parameter cannot have both a fixed value and a start value", tok.line, tok.col
            )
        self.start = value

    def set_label(self, label: str, tok: Token) -> None:
        if self.label or "label" in self.group_kinds:
            if not self.label:
                raise ModelSyntaxError("the label is given twice", tok.line, tok.col)
            raise ModelSyntaxError(
                f"a parameter can have only one label (found '{self.label}' and '{label}')",
                tok.line,
                tok.col,
            )
        self.label = label


def _signed_number(st: _Statement, i: int) -> tuple[float, int, bool]:
    """Read ``NUM`` or ``- NUM`` at ``i``; return (value, next index, negative)."""
    tok = st.toks[i]
    if tok.kind == "-":
        nxt = st.at(i + 1)
        if nxt is None or nxt.kind != "NUM":
            raise ModelSyntaxError("expected a number after '-'", *_after(tok, nxt))
        return -float(nxt.text), i + 2, True
    return float(tok.text), i + 1, False


def _function_modifier(st: _Statement, i: int, mods: _Modifiers) -> int:
    """Parse ``start(..)``, ``label("..")`` or ``equal("..")`` at ``i`` (a NAME before '(')."""
    name_tok = st.toks[i]
    fname = name_tok.text
    open_tok = st.toks[i + 1]
    if fname == "c":
        return _group_modifier(st, i, mods)
    if fname == "efa":
        raise ModelSyntaxError(
            'efa("block")* marks a factor of an exploratory block: put it before the factor '
            "on the left of '=~', e.g. 'efa(\"b\")*f1 + efa(\"b\")*f2 =~ x1 + x2 + x3'",
            name_tok.line, name_tok.col)
    if fname in _UNSUPPORTED_MODIFIERS:
        raise ModelSyntaxError(
            f"the modifier '{fname}(...)' is not supported", name_tok.line, name_tok.col
        )
    if fname not in ("start", "label", "equal"):
        raise ModelSyntaxError(
            f"unknown modifier '{fname}(...)' (modifiers are start(), label() and equal())",
            name_tok.line,
            name_tok.col,
        )
    j = i + 2
    arg = st.at(j)
    if fname == "start":
        if arg is None or arg.kind not in ("NUM", "-"):
            raise ModelSyntaxError(
                f"expected a number inside start(...), found {_describe(arg)}",
                *_after(open_tok, arg),
            )
        value, j, _ = _signed_number(st, j)
        mods.set_start(value, name_tok)
    else:
        if arg is None or arg.kind != "STR":
            raise ModelSyntaxError(
                f'expected a quoted label inside {fname}(...), e.g. {fname}("a")',
                *_after(open_tok, arg),
            )
        mods.set_label(_check_label(arg.text[1:-1], arg), arg)
        j += 1
    close = st.at(j)
    if close is None or close.kind != ")":
        raise ModelSyntaxError(
            f"expected ')' to close '{fname}(' opened at column {open_tok.col}",
            *_after(st.toks[j - 1], close),
        )
    star = st.at(j + 1)
    if star is None or star.kind != "*":
        raise ModelSyntaxError(
            f"expected '*' and a variable name after '{fname}(...)'", *_after(close, star)
        )
    return j + 2


def _group_modifier(st: _Statement, i: int, mods: _Modifiers) -> int:
    """Parse ``c(v1, v2, ...)*`` at ``i``: one fixed value/NA or one label per group."""
    name_tok, open_tok = st.toks[i], st.toks[i + 1]
    j = i + 2
    values: list[str] = []
    kinds: set[str] = set()
    while True:
        tok = st.at(j)
        if tok is None:
            raise ModelSyntaxError("expected a value inside c(...)", *_after(st.toks[j - 1], tok))
        if tok.kind in ("NUM", "-"):
            value, j, _ = _signed_number(st, j)
            values.append(format(value, ".15g"))
            kinds.add("fixed")
        elif tok.kind == "NAME" and tok.text == "NA":
            values.append("NA")
            j += 1
        elif tok.kind in ("NAME", "STR"):
            text = tok.text if tok.kind == "NAME" else tok.text[1:-1]
            values.append(_check_label(text, tok))
            kinds.add("label")
            j += 1
        else:
            raise ModelSyntaxError(
                f"expected a number, NA or a label inside c(...), found '{tok.text}'",
                tok.line, tok.col)
        sep = st.at(j)
        if sep is not None and sep.kind == ",":
            j += 1
            continue
        if sep is None or sep.kind != ")":
            raise ModelSyntaxError(
                f"expected ',' or ')' to close 'c(' opened at column {open_tok.col}",
                *_after(st.toks[j - 1], sep))
        break
    if len(kinds) > 1:
        raise ModelSyntaxError("c(...) mixes numbers and labels: give one or the other",
                               name_tok.line, name_tok.col)
    kind = kinds.pop() if kinds else "fixed"  # c(NA, NA) frees the parameter in every group
    if kind in mods.group_kinds or (kind == "fixed" and (mods.fixed is not None or mods.freed)) \
            or (kind == "label" and mods.label):
        what = "fixed value" if kind == "fixed" else "label"
        raise ModelSyntaxError(f"the {what} is given twice", name_tok.line, name_tok.col)
    if kind == "fixed" and mods.start is not None:
        raise ModelSyntaxError("a parameter cannot have both a start value and a fixed value",
                               name_tok.line, name_tok.col)
    mods.group_kinds.add(kind)
    mods.group_pos.append((len(values), name_tok.line, name_tok.col))
    mods.by_group.append(f"c({','.join(values)})")
    close = st.toks[j]
    star = st.at(j + 1)
    if star is None or star.kind != "*":
        raise ModelSyntaxError("expected '*' and a variable name after 'c(...)'",
                               *_after(close, star))
    return j + 2


def _parse_term(st: _Statement, i: int, prev: Token) -> tuple[str, Token, _Modifiers, int]:
    """Parse one right-hand-side term (modifiers chained with ``*``, then the variable).

    Returns (variable name or ``"1"`` for an intercept, its token, modifiers, next index).
    """
    mods = _Modifiers()
    while True:
        tok = st.at(i)
        if tok is None or tok.kind in ("+", "SEP", "OP"):
            raise ModelSyntaxError(
                f"expected a variable name after '{prev.text}'", *_after(prev, tok)
            )
        kind = tok.kind
        if kind == "NUM" or kind == "-":
            value, j, negative = _signed_number(st, i)
            nxt = st.at(j)
            if nxt is not None and nxt.kind == "?":
                mods.set_start(value, tok)
            elif nxt is not None and nxt.kind == "*":
                mods.set_fixed(value, tok)
            else:
                # A bare number is an intercept: '1' (free) or '0' (lavaan reads 'y ~ 0' as 0*1).
                plain = mods.fixed is None and mods.start is None and not mods.freed
                if not negative and (value == 1.0 or (value == 0.0 and plain and not mods.label)):
                    if value == 0.0:
                        mods.fixed = 0.0
                    return "1", tok, mods, j
                number = "".join(t.text for t in st.toks[i:j])
                raise ModelSyntaxError(
                    f"expected a variable name, found the number '{number}' "
                    "(a number must be followed by '*' and a variable name, or be '1' for an "
                    "intercept)",
                    tok.line,
                    tok.col,
                )
            prev, i = nxt, j + 1
        elif kind == "NAME":
            nxt = st.at(i + 1)
            if nxt is not None and nxt.kind == "(":
                i = _function_modifier(st, i, mods)
                prev = st.toks[i - 1]
            elif nxt is not None and nxt.kind == "*":
                if tok.text == "NA":
                    mods.set_free(tok)
                else:
                    mods.set_label(_check_label(tok.text, tok), tok)
                prev, i = nxt, i + 2
            else:
                return _check_variable(tok), tok, mods, i + 1
        elif kind == "STR":
            raise ModelSyntaxError(
                f"a quoted label must be written as label({tok.text})", tok.line, tok.col
            )
        else:
            raise ModelSyntaxError(
                f"expected a variable name after '{prev.text}', found '{tok.text}'",
                tok.line,
                tok.col,
            )


def _efa_prefix(st: _Statement, i: int, end: int, op_tok: Token) -> tuple[str, int]:
    """``efa("block")*`` before a factor name at ``i``: the block and the index after '*'."""
    toks = st.toks
    kinds = [t.kind for t in toks[i:min(i + 5, end)]]
    if kinds[:5] != ["NAME", "(", "STR", ")", "*"]:
        tok = toks[i]
        raise ModelSyntaxError('an exploratory block is written efa("name")*factor, e.g. '
                               '\'efa("b")*f1 + efa("b")*f2 =~ x1 + x2 + x3\'', tok.line,
                               tok.col)
    if op_tok.text != "=~":
        tok = toks[i]
        raise ModelSyntaxError(f"efa(\"...\") marks factors of an exploratory block; it goes "
                               f"before a factor on the left of '=~', not '{op_tok.text}'",
                               tok.line, tok.col)
    block = toks[i + 2].text[1:-1]
    if not block:
        tok = toks[i + 2]
        raise ModelSyntaxError('the efa block needs a name, e.g. efa("block")', tok.line,
                               tok.col)
    return block, i + 5


def _parse_lhs_names(st: _Statement, end: int, op_tok: Token,
                     blocks: list[str] | None = None) -> list[str]:
    """Parse ``name (+ name)*`` in ``st.toks[:end]`` (the left-hand side of a parameter row).

    A name may carry ``efa("block")*`` (an exploratory SEM block, only before ``=~``); the
    block of each name is appended to ``blocks`` ("" for none).
    """
    names: list[str] = []
    if end == 0:
        raise ModelSyntaxError(
            f"expected a variable name before '{op_tok.text}'", op_tok.line, op_tok.col
        )
    i = 0
    while True:
        block = ""
        if i + 1 < end and st.toks[i].kind == "NAME" and st.toks[i].text == "efa" \
                and st.toks[i + 1].kind == "(":
            block, i = _efa_prefix(st, i, end, op_tok)
        if blocks is not None:
            blocks.append(block)
        tok = st.toks[i] if i < end else op_tok
        if tok.kind != "NAME":
            what = "at the start of the statement" if i == 0 else "after '+'"
            raise ModelSyntaxError(
                f"expected a variable name {what}, found '{tok.text}'", tok.line, tok.col
            )
        names.append(_check_variable(tok))
        i += 1
        if i == end:
            return names
        sep = st.toks[i]
        if sep.kind in ("*", "?", "("):
            raise ModelSyntaxError(
                "modifiers are not allowed on the left-hand side; put them on the right-hand "
                "side, e.g. 'f =~ 1*x1' (only efa(\"block\")* may stand before a factor)",
                sep.line,
                sep.col,
            )
        if sep.kind != "+":
            raise ModelSyntaxError(
                f"expected '+' or an operator after '{tok.text}', found '{sep.text}'",
                sep.line,
                sep.col,
            )
        i += 1


def _parse_expression(st: _Statement, i: int, end: int, prev: Token) -> str:
    """Check an arithmetic expression in ``st.toks[i:end]``; return it without blanks."""
    if i >= end:
        raise ModelSyntaxError(
            f"expected an expression after '{prev.text}'", *_after(prev, st.at(end))
        )
    parts: list[str] = []
    # Stack of open parentheses: (token, is_function_call).
    stack: list[tuple[Token, bool]] = []
    want_operand = True
    while i < end:
        tok = st.toks[i]
        kind = tok.kind
        if want_operand:
            if kind == "NUM":
                want_operand = False
            elif kind == "NAME":
                nxt = st.toks[i + 1] if i + 1 < end else None
                if nxt is not None and nxt.kind == "(":
                    # a function call such as exp(a) or sqrt(v); f() is closed below
                    parts.append(tok.text)
                    parts.append("(")
                    stack.append((nxt, True))
                    prev = nxt
                    i += 2
                    continue
                if tok.text in RESERVED:
                    raise ModelSyntaxError(
                        f"'{tok.text}' is a reserved word and cannot be used here",
                        tok.line,
                        tok.col,
                    )
                want_operand = False
            elif kind == "(":
                stack.append((tok, False))
            elif kind == "-" or kind == "+":
                pass  # unary sign
            elif kind == ")" and stack and stack[-1][1] and parts[-1] == "(":
                stack.pop()
                want_operand = False
            else:
                raise ModelSyntaxError(
                    f"expected a name or a number after '{prev.text}', found '{tok.text}'",
                    tok.line,
                    tok.col,
                )
        else:
            if kind in ("+", "-", "*", "/", "^"):
                want_operand = True
            elif kind == ")":
                if not stack:
                    raise ModelSyntaxError("unbalanced ')': nothing to close", tok.line, tok.col)
                stack.pop()
            elif kind == "," and stack and stack[-1][1]:
                want_operand = True
            else:
                raise ModelSyntaxError(
                    f"expected an operator such as '+' or '*' before '{tok.text}'",
                    tok.line,
                    tok.col,
                )
        parts.append(tok.text)
        prev = tok
        i += 1
    if want_operand:
        raise ModelSyntaxError(
            f"expected a name or a number after '{prev.text}'", *_after(prev, st.at(end))
        )
    if stack:
        open_tok = stack[-1][0]
        raise ModelSyntaxError(
            f"expected ')' to close '(' opened at line {open_tok.line}, column {open_tok.col}",
            *_after(prev, st.at(end)),
        )
    return "".join(parts)


def _find_operator(st: _Statement) -> int:
    op_index = -1
    for k, tok in enumerate(st.toks):
        if tok.kind == "OP":
            if op_index >= 0:
                raise ModelSyntaxError(
                    f"unexpected second operator '{tok.text}'; put each statement on its own "
                    "line or separate statements with ';'",
                    tok.line,
                    tok.col,
                )
            op_index = k
    if op_index < 0:
        first = st.toks[0]
        raise ModelSyntaxError(
            "this statement has no operator (such as '=~', '~' or '~~')", first.line, first.col
        )
    return op_index


class _Rows:
    """Column lists of the user table under construction."""

    __slots__ = ("lhs", "op", "rhs", "free", "ustart", "label", "freed", "nfree", "by_group",
                 "group_count", "efa")

    def __init__(self) -> None:
        self.lhs: list[str] = []
        self.op: list[str] = []
        self.rhs: list[str] = []
        self.free: list[int] = []
        self.ustart: list[float] = []
        self.label: list[str] = []
        self.freed: list[int] = []
        self.nfree = 0
        self.by_group: list[str] = []
        self.group_count: tuple[int, int, int] | None = None  # (entries, line, column) of c()
        self.efa: list[str] = []  # exploratory block of the row's factor ("" for none)

    def add(self, lhs: str, op: str, rhs: str, mods: _Modifiers | None, efa: str = "") -> None:
        self.efa.append(efa)
        self.lhs.append(lhs)
        self.op.append(op)
        self.rhs.append(rhs)
        self.by_group.append("" if mods is None else "*".join(mods.by_group))
        if mods is None:  # := == < > rows
            self.free.append(0)
            self.ustart.append(math.nan)
            self.label.append("")
            self.freed.append(0)
            return
        if mods.fixed is not None:
            self.free.append(0)
            self.ustart.append(mods.fixed)
        else:
            self.nfree += 1
            self.free.append(self.nfree)
            self.ustart.append(math.nan if mods.start is None else mods.start)
        self.label.append(mods.label)
        self.freed.append(1 if mods.freed else 0)

    def frame(self) -> pd.DataFrame:
        n = len(self.lhs)
        # Object arrays of str become pandas' string dtype; frame_of skips the inference.
        frame = frame_of(
            {
                "id": np.arange(1, n + 1, dtype=np.int64),
                "lhs": np.array(self.lhs, dtype=object),
                "op": np.array(self.op, dtype=object),
                "rhs": np.array(self.rhs, dtype=object),
                "user": np.ones(n, dtype=np.int64),
                "free": np.array(self.free, dtype=np.int64),
                "ustart": np.array(self.ustart, dtype=np.float64),
                "label": np.array(self.label, dtype=object),
                "freed": np.array(self.freed, dtype=np.int64),
            }
        )
        if any(self.by_group):
            # Only models with c(...) carry the column, so single-group tables stay as they were.
            frame["by_group"] = np.array(self.by_group, dtype=object)
        if any(self.efa):
            # Likewise only models with efa("...") blocks carry the column.
            frame["efa"] = np.array(self.efa, dtype=object)
        return frame


def _parse_statement(toks: list[Token], rows: _Rows) -> None:
    st = _Statement(toks)
    k = _find_operator(st)
    op_tok = toks[k]
    op = op_tok.text
    if op in PARAM_OPS:
        blocks: list[str] = []
        lhs_names = _parse_lhs_names(st, k, op_tok, blocks)
        i = k + 1
        prev = op_tok
        first = st.at(i)
        if first is not None and first.kind == "+":  # lavaan drops one leading '+'
            prev, i = first, i + 1
        terms: list[tuple[str, _Modifiers]] = []
        while True:
            name, name_tok, mods, i = _parse_term(st, i, prev)
            if name == "1" and name_tok.kind == "NUM" and op != "~":
                raise ModelSyntaxError(
                    f"an intercept ('{name_tok.text}') is only allowed after '~', not '{op}'",
                    name_tok.line,
                    name_tok.col,
                )
            if op == "|" and _THRESHOLD.fullmatch(name) is None:
                raise ModelSyntaxError(
                    f"thresholds are named t1, t2, ... (found '{name_tok.text}')",
                    name_tok.line,
                    name_tok.col,
                )
            terms.append((name if name_tok.kind == "NAME" else "", mods))
            nxt = st.at(i)
            if nxt is None:
                break
            if nxt.kind != "+":
                if nxt.bol:
                    reason = (
                        "this line has no operator (such as '=~' or '~') and does not continue "
                        "the statement above with '+'"
                    )
                else:
                    reason = f"expected '+' or the end of the statement, found '{nxt.text}'"
                raise ModelSyntaxError(reason, nxt.line, nxt.col)
            prev, i = nxt, i + 1
        for _, mods in terms:
            for count, line, col in mods.group_pos:
                if rows.group_count is None:
                    rows.group_count = (count, line, col)
                elif count != rows.group_count[0]:
                    first = rows.group_count
                    raise ModelSyntaxError(
                        f"c(...) has {count} entries here but {first[0]} on line {first[1]}: "
                        "give one entry per group everywhere", line, col)
        for lhs, block in zip(lhs_names, blocks, strict=True):
            for rhs, mods in terms:
                rows.add(lhs, "~1" if rhs == "" else op, rhs, mods, block)
        return
    if op == ":=":
        if k != 1 or toks[0].kind != "NAME":
            bad = toks[0] if k == 0 or toks[0].kind != "NAME" else toks[1]
            if k == 0:
                raise ModelSyntaxError(
                    "expected the name of the defined parameter before ':='", bad.line, bad.col
                )
            raise ModelSyntaxError(
                f"expected a single name before ':=', found '{bad.text}'", bad.line, bad.col
            )
        name = toks[0].text
        if name in RESERVED:
            raise ModelSyntaxError(
                f"'{name}' is a reserved word and cannot be a parameter name",
                toks[0].line,
                toks[0].col,
            )
        rows.add(name, op, _parse_expression(st, k + 1, st.n, op_tok), None)
        return
    # == < >: expressions on both sides
    if k == 0:
        raise ModelSyntaxError(f"expected an expression before '{op}'", op_tok.line, op_tok.col)
    lhs = _parse_expression(st, 0, k, toks[0])
    rows.add(lhs, op, _parse_expression(st, k + 1, st.n, op_tok), None)


def parse(text: str) -> pd.DataFrame:
    """Parse lavaan model syntax into the user parameter table.

    Parameters
    ----------
    text : str
        Model syntax: statements separated by newlines or ``;``; ``#`` and ``!`` start comments.
        A line without an operator continues the statement above (lavaan's rule), e.g. after a
        trailing ``+`` or before a leading ``+``.

    Returns
    -------
    pandas.DataFrame
        Columns ``id lhs op rhs user free ustart label freed`` (int, str, str, str, int, int,
        float, str, int), one row per left-hand side × right-hand-side term, in the order
        written. Duplicated statements are kept.

    Raises
    ------
    ModelSyntaxError
        With the 1-based line and column of the offending token and a plain sentence.

    Examples
    --------
    >>> parse("visual =~ x1 + NA*x2 + a*x3")[["lhs", "op", "rhs", "free", "label", "freed"]]
          lhs  op rhs  free label  freed
    0  visual  =~  x1     1            0
    1  visual  =~  x2     2            1
    2  visual  =~  x3     3     a      0
    """
    if not isinstance(text, str):
        raise TypeError(f"model syntax must be a str, not {type(text).__name__}")
    statements = split_statements(tokenize(text))
    if not statements:
        raise ModelSyntaxError("the model is empty", 1, 1)
    rows = _Rows()
    for toks in statements:
        _parse_statement(toks, rows)
    return rows.frame()
