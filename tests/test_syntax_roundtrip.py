"""Property tests: random lavaan models parse to the rows they were built from, and
``parse(emit(t)) == t`` for every table ``parse`` returns.

The generator writes each model as text in many spellings (spacing, comments, ``;``, line
continuations, several left-hand sides, every modifier form) and records, independently of the
parser, the rows lavaan would read from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from semwidget.model import COLUMNS, emit, parse

RESERVED = {
    "if", "else", "repeat", "while", "function", "for", "in", "next", "break", "TRUE", "FALSE",
    "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_complex_", "NA_character_",
    # not reserved, but followed by '(' they are modifiers; keep labels unambiguous here
    "start", "label", "equal", "c",
}  # fmt: skip

COMMON = ["f1", "f2", "visual", "ind60", "x1", "x2", "x.3", "y_1", "Y2", "a", "b", "lam.1"]
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
NAMES = st.one_of(
    st.sampled_from(COMMON),
    # a letter, then letters, digits, '_' and '.'
    st.builds(
        str.__add__,
        st.sampled_from(_LETTERS),
        st.text(alphabet=_LETTERS + "0123456789_.", max_size=6),
    ),
    # a dot not followed by a digit
    st.builds(str.__add__, st.sampled_from(["._", ".x", ".Q"]), st.text("ab1_", max_size=3)),
).filter(lambda s: s not in RESERVED)

# Comment text may contain anything but a newline, operators and quotes included.
COMMENTS = st.text(alphabet="abc =~<>:\"'#!*+;()", max_size=12)
SPACE = st.sampled_from(["", " ", " ", "  ", "\t"])


@dataclass
class Row:
    lhs: str
    op: str
    rhs: str
    fixed: bool = False
    ustart: float = math.nan
    label: str = ""
    freed: int = 0


@dataclass
class Model:
    text: str = ""
    rows: list[Row] = field(default_factory=list)


def _choices(*options: str) -> st.SearchStrategy[str]:
    return st.sampled_from(options)


# Strategies are built once here: building them inside the composites costs most of the run.
BOOL = st.booleans()
INDEX = {n: st.integers(0, n - 1) for n in range(1, 8)}
NUMBER_STYLE = _choices("repr", "g", "E", "f", "dot")
FLOATS = st.one_of(
    st.sampled_from([0.0, 1.0, 0.5, 2.0, 1e-3, 0.25]),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=False),
)
COMMENT = st.one_of(st.just(""), COMMENTS)
COMMENT_MARK = _choices("#", "!")
LINE_BREAK = _choices("\n", "\r\n", "\n\n  ", "\n \t")
VALUE_KIND = _choices("none", "none", "fixed", "free", "start", "free+start")
LABEL_KIND = _choices("none", "none", "bare", "label", "equal")
QUOTE = _choices("'", '"')
ONE = _choices("1", "1.0")
BINOP = _choices("+", "-", "*", "/", "^")
FUNC = _choices("exp", "log", "sqrt", "max")
OPERATOR = _choices("=~", "~", "~", "~~", "<~", ":=", "==", "<", ">")
HEAD = _choices("", "\n", "# model\n", "  \n! header =~ x\n\n")
SEPARATOR = _choices("\n", ";", " ; ", "\n\n", "\r\n", "\n# c =~ x\n")
TAIL = _choices("", "\n", ";", " # end\n", "\n\n")


@st.composite
def number_text(draw: st.DrawFn, *, signed: bool = True) -> str:
    """A finite float written in one of the forms lavaan accepts."""
    value = draw(FLOATS)
    if not signed:
        value = abs(value)
    style = draw(NUMBER_STYLE)
    if style == "repr":
        text = repr(value)
    elif style == "g":
        text = f"{value:.5g}"
    elif style == "E":
        text = f"{value:E}"
    elif style == "f" and abs(value) < 1e12:
        text = f"{value:.3f}"
    else:
        text = repr(value)
        if text.startswith(("0.", "-0.")) and "e" not in text:
            text = text.replace("0.", ".", 1)  # '.5' and '-.5'
        elif text.endswith(".0"):
            text = text[:-1]  # '5.'
    if text.startswith("-") and not signed:
        text = text[1:]
    if math.isinf(float(text)):  # rounding pushed it past the largest float
        text = repr(value).lstrip("-" if not signed else "")
    return text


NUMBER = number_text()
UNSIGNED = number_text(signed=False)


@st.composite
def line_gap(draw: st.DrawFn) -> str:
    """Blank space where a line may break: sometimes a break, maybe after a comment."""
    if draw(INDEX[4]) != 0:
        return draw(SPACE)
    comment = draw(COMMENT)
    if comment:
        comment = " " + draw(COMMENT_MARK) + comment
    return draw(SPACE) + comment + draw(LINE_BREAK)


GAP = line_gap()


@st.composite
def term(draw: st.DrawFn, op: str) -> tuple[str, Row]:
    """One right-hand-side term: modifiers chained with '*' (or '?') and a variable."""
    row = Row(lhs="", op=op, rhs="")
    pieces: list[tuple[str, str]] = []  # (modifier text, joiner after it)
    value = draw(VALUE_KIND)
    if value == "fixed":
        text = draw(NUMBER)
        row.fixed, row.ustart = True, float(text)
        pieces.append((text, "*"))
    if value in ("free", "free+start"):
        row.freed = 1
        pieces.append(("NA", "*"))
    if value in ("start", "free+start"):
        text = draw(NUMBER)
        row.ustart = float(text)
        if draw(BOOL):
            pieces.append((f"start({draw(SPACE)}{text}{draw(SPACE)})", "*"))
        else:
            pieces.append((text, "?"))
    label_style = draw(LABEL_KIND)
    if label_style != "none":
        row.label = draw(NAMES)
        quote = draw(QUOTE)
        written = {
            "bare": row.label,
            "label": f"label({quote}{row.label}{quote})",
            "equal": f"equal({quote}{row.label}{quote})",
        }[label_style]
        pieces.append((written, "*"))
    ordered = [pieces.pop(draw(INDEX[len(pieces)])) for _ in range(len(pieces))]
    intercept = op == "~" and draw(INDEX[5]) == 0
    if intercept:
        row.op = "~1"
        if not ordered and draw(BOOL):
            target = "0"  # lavaan: 'y ~ 0' is an intercept fixed to zero
            row.fixed, row.ustart = True, 0.0
        else:
            target = draw(ONE)
    else:
        target = row.rhs = draw(NAMES)
    text = ""
    for piece, joiner in ordered:
        text += piece + draw(SPACE) + joiner + draw(GAP)
    return text + target, row


TERMS = {op: st.lists(term(op), min_size=1, max_size=4) for op in ("=~", "~", "~~", "<~")}


def _expression_tokens(draw: st.DrawFn, depth: int) -> list[str]:
    kind = draw(INDEX[7]) if depth > 0 else draw(INDEX[2])
    if kind == 0:
        return [draw(NAMES)]
    if kind == 1:
        return [draw(UNSIGNED)]
    if kind in (2, 3):
        left = _expression_tokens(draw, depth - 1)
        return [*left, draw(BINOP), *_expression_tokens(draw, depth - 1)]
    if kind == 4:
        return ["(", *_expression_tokens(draw, depth - 1), ")"]
    if kind == 5:
        return ["-", *_expression_tokens(draw, depth - 1)]
    func = draw(FUNC)
    args = [_expression_tokens(draw, depth - 1) for _ in range(2 if func == "max" else 1)]
    return [func, "(", *args[0], *([",", *args[1]] if len(args) > 1 else []), ")"]


@st.composite
def expression(draw: st.DrawFn, *, newline_ok: bool) -> tuple[str, str]:
    """An arithmetic expression as (text with random blanks, text without blanks)."""
    tokens = _expression_tokens(draw, 3)
    text = ""
    for k, tok in enumerate(tokens):
        # a line may break after an operator: the next line has none of its own, so it joins
        after_op = k > 0 and tokens[k - 1] in ("+", "-", "*", "/", "^", "(", ",")
        text += draw(GAP if newline_ok and after_op else SPACE) + tok
    return text, "".join(tokens)


EXPRESSION = expression(newline_ok=False)
EXPRESSION_NL = expression(newline_ok=True)
LHS_NAMES = st.lists(NAMES, min_size=1, max_size=3)


@st.composite
def statement(draw: st.DrawFn) -> tuple[str, list[Row]]:
    op = draw(OPERATOR)
    sp = draw(SPACE)
    if op == ":=":
        name = draw(NAMES)
        text, norm = draw(EXPRESSION_NL)
        return f"{name}{sp}:={draw(GAP)}{text}", [Row(name, op, norm)]
    if op in ("==", "<", ">"):
        left, left_norm = draw(EXPRESSION)  # no line break before the operator
        right, right_norm = draw(EXPRESSION_NL)
        return f"{left}{sp}{op}{draw(GAP)}{right}", [Row(left_norm, op, right_norm)]
    lhs = draw(LHS_NAMES)
    lhs_text = "".join(
        (name if k == 0 else f"{draw(SPACE)}+{draw(SPACE)}{name}") for k, name in enumerate(lhs)
    )
    terms = draw(TERMS[op])
    rhs_text = ""
    for k, (text, _) in enumerate(terms):
        if k > 0:
            rhs_text += draw(GAP) + "+" + draw(GAP)
        rhs_text += text
    text = f"{lhs_text}{sp}{op}{draw(GAP)}{rhs_text}"
    rows = [
        Row(name, r.op, r.rhs, r.fixed, r.ustart, r.label, r.freed)
        for name in lhs
        for _, r in terms
    ]
    return text, rows


STATEMENTS = st.lists(statement(), min_size=1, max_size=5)


@st.composite
def model(draw: st.DrawFn) -> Model:
    out = Model()
    out.text = draw(HEAD)
    for k, (text, rows) in enumerate(draw(STATEMENTS)):
        if k > 0:
            out.text += draw(SEPARATOR)
        out.text += text
        out.rows.extend(rows)
    out.text += draw(TAIL)
    return out


def expected_table(rows: list[Row]) -> dict[str, list]:
    free, count = [], 0
    for r in rows:
        if r.op in (":=", "==", "<", ">") or r.fixed:
            free.append(0)
        else:
            count += 1
            free.append(count)
    return {
        "id": list(range(1, len(rows) + 1)),
        "lhs": [r.lhs for r in rows],
        "op": [r.op for r in rows],
        "rhs": [r.rhs for r in rows],
        "user": [1] * len(rows),
        "free": free,
        "ustart": [r.ustart for r in rows],
        "label": [r.label for r in rows],
        "freed": [r.freed for r in rows],
    }


def assert_same_table(got: pd.DataFrame, expected: dict[str, list] | pd.DataFrame) -> None:
    assert list(got.columns) == list(COLUMNS)
    for col in COLUMNS:
        want = expected[col] if isinstance(expected, dict) else expected[col].tolist()
        if col == "ustart":
            # equal values or both NaN
            np.testing.assert_array_equal(got[col].to_numpy(dtype=float), np.array(want, float))
        else:
            assert got[col].tolist() == list(want), col


@settings(
    max_examples=220,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(model())
def test_parse_reads_what_was_written_and_emit_round_trips(m: Model) -> None:
    table = parse(m.text)
    assert_same_table(table, expected_table(m.rows))

    text = emit(table)
    again = parse(text)
    assert again.equals(table)
    assert again.dtypes.equals(table.dtypes)
    assert_same_table(again, table)
    assert emit(again) == text
    # one statement per line, never more lines than rows
    assert 1 <= text.count("\n") <= len(table)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(COMMON), min_size=1, max_size=6, unique=True))
def test_emit_groups_rows_by_lhs_and_op(indicators: list[str]) -> None:
    table = parse("\n".join(f"F =~ {x}" for x in indicators))
    assert emit(table) == "F =~ " + " + ".join(indicators) + "\n"
