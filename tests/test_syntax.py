"""Unit tests for the lavaan syntax parser and emitter (semwidget.model).

Expected tables are written out by hand from lavaan's rules (checked against
``lavaan::lavParseModelString`` where lavaan and this parser agree), never from our own output.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from model_texts import HS, POLDEM

from semwidget.errors import ModelSpecError, ModelSyntaxError, SemWidgetError
from semwidget.model import COLUMNS, emit, parse, variables

NAN = math.nan
OPS = " (operators are =~ ~ ~~ <~ | ~*~ := == < >)"

HS_MODEL = HS
POLDEM_MODEL = POLDEM


def rows(table: pd.DataFrame, *cols: str) -> list[tuple]:
    """The chosen columns of a table as a list of tuples (NaN kept as NaN)."""
    cols = cols or ("lhs", "op", "rhs")
    return list(zip(*(table[c].tolist() for c in cols), strict=True))


def triples(text: str) -> list[tuple[str, str, str]]:
    return rows(parse(text))


def one(text: str) -> dict:
    """The single row a one-term model parses to."""
    table = parse(text)
    assert len(table) == 1
    return {c: table[c].iloc[0] for c in COLUMNS}


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def assert_rows(table: pd.DataFrame, cols: tuple[str, ...], expected: list[tuple]) -> None:
    got = rows(table, *cols)
    assert len(got) == len(expected), got
    for g, e in zip(got, expected, strict=True):
        assert len(g) == len(e) and all(same(a, b) for a, b in zip(g, e, strict=False)), (g, e)


# ------------------------------------------------------------------------------------------
# table shape


def test_columns_and_dtypes() -> None:
    table = parse("f =~ x1 + 1*x2")
    assert list(table.columns) == list(COLUMNS)
    for col in ("id", "user", "free", "freed"):
        assert table[col].dtype == np.int64, col
    assert table["ustart"].dtype == np.float64
    for col in ("lhs", "op", "rhs", "label"):
        assert all(isinstance(v, str) for v in table[col]), col
    assert table["id"].tolist() == [1, 2]
    assert table["user"].tolist() == [1, 1]
    assert list(table.index) == [0, 1]


def test_hs_cfa() -> None:
    table = parse(HS_MODEL)
    assert rows(table) == [
        ("visual", "=~", "x1"), ("visual", "=~", "x2"), ("visual", "=~", "x3"),
        ("textual", "=~", "x4"), ("textual", "=~", "x5"), ("textual", "=~", "x6"),
        ("speed", "=~", "x7"), ("speed", "=~", "x8"), ("speed", "=~", "x9"),
    ]  # fmt: skip
    assert table["free"].tolist() == list(range(1, 10))
    assert table["ustart"].isna().all()
    assert table["label"].tolist() == [""] * 9
    assert table["freed"].tolist() == [0] * 9


def test_poldem() -> None:
    table = parse(POLDEM_MODEL)
    assert rows(table)[11:] == [
        ("dem60", "~", "ind60"),
        ("dem65", "~", "ind60"),
        ("dem65", "~", "dem60"),
        ("y1", "~~", "y5"),
        ("y2", "~~", "y4"),
        ("y2", "~~", "y6"),
        ("y3", "~~", "y7"),
        ("y4", "~~", "y8"),
        ("y6", "~~", "y8"),
    ]
    assert len(table) == 20
    assert table["free"].tolist() == list(range(1, 21))


# ------------------------------------------------------------------------------------------
# operators


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("f =~ x", ("f", "=~", "x")),
        ("f=~x", ("f", "=~", "x")),
        ("y ~ x", ("y", "~", "x")),
        ("y~x", ("y", "~", "x")),
        ("a ~~ b", ("a", "~~", "b")),
        ("a~~b", ("a", "~~", "b")),
        ("c <~ x", ("c", "<~", "x")),
        ("c<~x", ("c", "<~", "x")),
        ("y ~ 1", ("y", "~1", "")),
        ("y~1", ("y", "~1", "")),
        ("y ~ 1.0", ("y", "~1", "")),
        ("d := a*b", ("d", ":=", "a*b")),
        ("a == b", ("a", "==", "b")),
        ("a==b", ("a", "==", "b")),
        ("a < b", ("a", "<", "b")),
        ("a > b", ("a", ">", "b")),
        ("a<-b", ("a", "<", "-b")),
    ],
)
def test_operators(text: str, expected: tuple[str, str, str]) -> None:
    assert triples(text) == [expected]


def test_regression_with_fixed_one_is_not_an_intercept() -> None:
    row = one("y ~ 1*x")
    assert (row["op"], row["rhs"], row["free"], row["ustart"]) == ("~", "x", 0, 1.0)


def test_intercepts() -> None:
    table = parse("x1 ~ 1\nx2 ~ 0*1\nx3 ~ a*1\nx4 ~ start(2)*1\nx5 ~ NA*1\nx6 ~ 0")
    assert_rows(table, ("lhs", "op", "rhs", "free", "ustart", "label", "freed"), [
        ("x1", "~1", "", 1, NAN, "", 0),
        ("x2", "~1", "", 0, 0.0, "", 0),
        ("x3", "~1", "", 2, NAN, "a", 0),
        ("x4", "~1", "", 3, 2.0, "", 0),
        ("x5", "~1", "", 4, NAN, "", 1),
        ("x6", "~1", "", 0, 0.0, "", 0),  # lavaan reads 'y ~ 0' as a zero intercept
    ])  # fmt: skip


def test_intercept_and_regression_in_one_statement() -> None:
    assert triples("y ~ 1 + x") == [("y", "~1", ""), ("y", "~", "x")]


# ------------------------------------------------------------------------------------------
# modifiers


@pytest.mark.parametrize(
    ("text", "free", "ustart", "label", "freed"),
    [
        ("f =~ x", 1, NAN, "", 0),
        ("f =~ 1*x", 0, 1.0, "", 0),
        ("f =~ 0*x", 0, 0.0, "", 0),
        ("f =~ -0.5*x", 0, -0.5, "", 0),
        ("f =~ 1e-3*x", 0, 0.001, "", 0),
        ("f =~ 1E+2*x", 0, 100.0, "", 0),
        ("f =~ .5*x", 0, 0.5, "", 0),
        ("f =~ 5.*x", 0, 5.0, "", 0),
        ("f =~ 2.5e-7*x", 0, 2.5e-7, "", 0),
        ("f =~ NA*x", 1, NAN, "", 1),
        ("f =~ a*x", 1, NAN, "a", 0),
        ("f =~ a.b_2*x", 1, NAN, "a.b_2", 0),
        ('f =~ label("a")*x', 1, NAN, "a", 0),
        ("f =~ label('a')*x", 1, NAN, "a", 0),
        ('f =~ equal("a")*x', 1, NAN, "a", 0),
        ("f =~ start(0.5)*x", 1, 0.5, "", 0),
        ("f =~ start(-1)*x", 1, -1.0, "", 0),
        ("f =~ start(1e-2)*x", 1, 0.01, "", 0),
        ("f =~ 0.5?x", 1, 0.5, "", 0),
        ("f =~ -.5?x", 1, -0.5, "", 0),
        ("f =~ start(0.5)*a*x", 1, 0.5, "a", 0),
        ("f =~ a*start(0.5)*x", 1, 0.5, "a", 0),
        ("f =~ 0.5?a*x", 1, 0.5, "a", 0),
        ("f =~ NA*a*x", 1, NAN, "a", 1),
        ("f =~ a*NA*x", 1, NAN, "a", 1),
        ("f =~ NA*start(2)*x", 1, 2.0, "", 1),
        ("f =~ 1*a*x", 0, 1.0, "a", 0),
        ('f =~ 1*label("a")*x', 0, 1.0, "a", 0),
        ("f =~ f * x", 1, NAN, "f", 0),
        ("f =~ start ( 0.5 ) * a * x", 1, 0.5, "a", 0),
    ],
)
def test_modifiers(text: str, free: int, ustart: float, label: str, freed: int) -> None:
    row = one(text)
    assert (row["lhs"], row["op"], row["rhs"]) == ("f", "=~", "x")
    assert row["free"] == free
    assert same(row["ustart"], ustart), row["ustart"]
    assert row["label"] == label
    assert row["freed"] == freed


def test_free_index_skips_fixed_rows() -> None:
    table = parse("f =~ 1*x1 + x2 + x3\ng =~ x4 + 0.7*x5\nx1 ~~ 0.1*x1\nx2 ~~ x2")
    assert table["free"].tolist() == [0, 1, 2, 3, 0, 0, 4]


def test_shared_labels_keep_their_own_free_index() -> None:
    table = parse("f =~ x1 + a*x2 + a*x3")
    assert table["free"].tolist() == [1, 2, 3]
    assert table["label"].tolist() == ["", "a", "a"]


# ------------------------------------------------------------------------------------------
# lists, several left-hand sides, layout of statements


def test_several_lhs_lhs_major() -> None:
    assert triples("y1 + y2 ~ x1 + a*x2") == [
        ("y1", "~", "x1"), ("y1", "~", "x2"), ("y2", "~", "x1"), ("y2", "~", "x2"),
    ]  # fmt: skip
    table = parse("y1 + y2 ~ x1 + a*x2")
    assert table["label"].tolist() == ["", "a", "", "a"]
    assert table["free"].tolist() == [1, 2, 3, 4]


def test_names_with_dots_digits_underscores_and_unicode() -> None:
    assert triples("f.1 =~ x_1 + x.2 + X3 + .hidden\ngröße ~ alter") == [
        ("f.1", "=~", "x_1"),
        ("f.1", "=~", "x.2"),
        ("f.1", "=~", "X3"),
        ("f.1", "=~", ".hidden"),
        ("größe", "~", "alter"),
    ]


def test_comments() -> None:
    text = "# a model\nf =~ x1 + x2 # the loadings\n! another comment\ny ~ f ! trailing\n#"
    assert triples(text) == [("f", "=~", "x1"), ("f", "=~", "x2"), ("y", "~", "f")]


def test_comment_characters_inside_strings_are_not_comments() -> None:
    # Read as a comment, '#b")*x1' would vanish and leave an unterminated string instead.
    with pytest.raises(ModelSyntaxError) as info:
        parse('f =~ label("a#b")*x1')
    assert "'a#b' is not a valid name" in str(info.value)
    assert (info.value.line, info.value.column) == (1, 12)


def test_semicolons_blank_lines_and_crlf() -> None:
    expected = [("f", "=~", "x1"), ("f", "=~", "x2"), ("y", "~", "f"), ("y", "~~", "y")]
    assert triples("f =~ x1 + x2; y ~ f;y ~~ y;") == expected
    assert triples("\n\n  f =~ x1 + x2\n\n\ny ~ f\n   \ny ~~ y\n\n") == expected
    assert triples("f =~ x1 + x2\r\ny ~ f\r\ny ~~ y\r\n") == expected
    assert triples("\tf =~ x1 +\tx2 ;;\ty ~ f ; ; y ~~ y") == expected


@pytest.mark.parametrize(
    "text",
    [
        "f =~ x1 +\n  x2 + x3",  # trailing '+'
        "f =~ x1\n  + x2\n  + x3",  # leading '+' (lavaan joins lines without an operator)
        "f =~\n  x1 + x2 + x3",  # trailing operator
        "f =~ x1 + # comment\n  # another\n\n  x2 +\n x3",
        "f =~ x1 # comment\n  + x2 + x3",
        "f =~ x1 +; x2 + x3",  # ';' behaves like a newline, as in lavaan
        "f =~\n+ x1 + x2 + x3",  # lavaan drops one leading '+' on the right-hand side
    ],
)
def test_continuation_lines(text: str) -> None:
    assert triples(text) == [("f", "=~", "x1"), ("f", "=~", "x2"), ("f", "=~", "x3")]


def test_continuation_after_star_and_inside_modifier() -> None:
    table = parse("f =~ 1*\n  x1 + start(\n0.5\n)*x2")
    assert_rows(table, ("rhs", "free", "ustart"), [("x1", 0, 1.0), ("x2", 1, 0.5)])


def test_duplicated_statements_are_kept() -> None:
    # Rejecting duplicates (lavaan: "duplicate model element") is partable's job.
    assert triples("f =~ x1 + x1\nf =~ x1") == [("f", "=~", "x1")] * 3


# ------------------------------------------------------------------------------------------
# definitions and constraints


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ind := a*b", ("ind", ":=", "a*b")),
        ("ind := a * b", ("ind", ":=", "a*b")),
        ("total := c + a*b", ("total", ":=", "c+a*b")),
        ("total:=c+(a * b)", ("total", ":=", "c+(a*b)")),
        ("r := exp( a ) / (1 + exp(a))", ("r", ":=", "exp(a)/(1+exp(a))")),
        ("p := a^2 - -b", ("p", ":=", "a^2--b")),
        ("m := max(a, b, 0.5)", ("m", ":=", "max(a,b,0.5)")),
        ("s := 1e-3 * a", ("s", ":=", "1e-3*a")),
        ("a == b", ("a", "==", "b")),
        ("a1 == 2*a2", ("a1", "==", "2*a2")),
        ("a1 + a2 == 1", ("a1+a2", "==", "1")),
        ("a > 0", ("a", ">", "0")),
        ("b < -0.5", ("b", "<", "-0.5")),
        ("abs(a) < 1", ("abs(a)", "<", "1")),
        ("total :=\n  c +\n  a*b", ("total", ":=", "c+a*b")),
        ("total := c\n  + a*b", ("total", ":=", "c+a*b")),
    ],
)
def test_definitions_and_constraints(text: str, expected: tuple[str, str, str]) -> None:
    row = one(text)
    assert (row["lhs"], row["op"], row["rhs"]) == expected
    assert (row["free"], row["label"], row["freed"], row["user"]) == (0, "", 0, 1)
    assert math.isnan(row["ustart"])


def test_definitions_do_not_use_free_indices() -> None:
    table = parse("y ~ a*x + c*z\nind := a*b\nm ~ b*x")
    assert table["free"].tolist() == [1, 2, 0, 3]


# ------------------------------------------------------------------------------------------
# errors: exact sentence, line and column


@pytest.mark.parametrize(
    ("text", "line", "column", "reason"),
    [
        ("", 1, 1, "the model is empty"),
        ("  # only a comment\n\n ; \n", 1, 1, "the model is empty"),
        ("f =~~ x", 1, 3, "unknown operator '=~~'" + OPS),
        ("f -> x", 1, 3,
         "unknown operator '->'" + OPS + "; write regressions as 'outcome ~ predictor'"),
        ("f = x", 1, 3, "unknown operator '='" + OPS + "; did you mean '=~' or '=='?"),
        ("a <= b", 1, 3,
         "unknown operator '<='" + OPS + "; use '<' for an inequality constraint"),
        ("x1 | a1", 1, 6, "thresholds are named t1, t2, ... (found 'a1')"),
        ("f =~ x1 | t1", 1, 9, "unexpected second operator '|'; put each statement on its own "
         "line or separate statements with ';'"),
        ("\tf =~~ x", 1, 4, "unknown operator '=~~'" + OPS),
        ("f =~ start(0.5*x1", 1, 15, "expected ')' to close 'start(' opened at column 11"),
        ('f =~ label("a"*x1', 1, 15, "expected ')' to close 'label(' opened at column 11"),
        ("f =~ start(0.5", 1, 15, "expected ')' to close 'start(' opened at column 11"),
        ("f =~", 1, 5, "expected a variable name after '=~'"),
        ("f =~   # nothing yet\ng =~ x", 1, 5, "expected a variable name after '=~'"),
        ("=~ x1", 1, 1, "expected a variable name before '=~'"),
        ("x ~ y\n  ~ z", 2, 3, "expected a variable name before '~'"),
        ("f =~ 1x", 1, 6, "'1x' is not a valid number (names cannot start with a digit)"),
        ("f =~ 1.2.3*x1", 1, 6, "'1.2.3' is not a valid number"),
        ("f =~ 1e*x1", 1, 6, "'1e' is not a valid number"),
        ("f =~ x$1", 1, 7, "unexpected character '$'"),
        ("f =~ 1.8e308*x1", 1, 6, "the number '1.8e308' is too large"),
        ("f =~ _x", 1, 6, "names cannot start with '_'; start them with a letter"),
        ("f =~ NA", 1, 6, "'NA' is a reserved word and cannot be a variable name"),
        ("if =~ x", 1, 1, "'if' is a reserved word and cannot be a variable name"),
        ("f =~ start(abc)*x1", 1, 12, "expected a number inside start(...), found 'abc'"),
        ("f =~ start()*x1", 1, 12, "expected a number inside start(...), found ')'"),
        ('f =~ label("1a")*x1', 1, 12,
         "the label '1a' looks like a number; labels must start with a letter"),
        ('f =~ label("0.5")*x1', 1, 12,
         "the label '0.5' looks like a number; labels must start with a letter"),
        ('f =~ label("")*x1', 1, 12, "the label is empty"),
        ('f =~ label("a b")*x1', 1, 12,
         "the label 'a b' is not a valid name (use letters, digits, '_' and '.')"),
        ('f =~ equal("NA")*x1', 1, 12, "'NA' is a reserved word and cannot be a label"),
        ("f =~ label(a)*x1", 1, 12, 'expected a quoted label inside label(...), e.g. label("a")'),
        ("f =~ 1*", 1, 8, "expected a variable name after '*'"),
        ("f =~ x1 + 1* + x3", 1, 14, "expected a variable name after '*'"),
        ("f =~ a*\n", 1, 8, "expected a variable name after '*'"),
        ('f =~ label("a)*x1', 1, 12, 'unterminated string: no closing " on this line'),
        ("f =~ equal('a\n)*x1", 1, 12, "unterminated string: no closing ' on this line"),
        ("visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 +\n", 3, 14,
         "expected a variable name after '+'"),
        ("f =~ x1 +\n\n  # c\n  x2 + \ng =~ x3", 4, 7, "expected a variable name after '+'"),
        ("f =~ x1 +\n  + x2", 2, 3, "expected a variable name after '+'"),
        ("f =~ x1 + x2\nx3", 2, 1,
         "this line has no operator (such as '=~' or '~') and does not continue the statement "
         "above with '+'"),
        ("x1 + x2", 1, 1, "this statement has no operator (such as '=~', '~' or '~~')"),
        ("f =~ x1 ~ x2", 1, 9,
         "unexpected second operator '~'; put each statement on its own line or separate "
         "statements with ';'"),
        ("f =~ x1 - x2", 1, 9, "expected '+' or the end of the statement, found '-'"),
        ("a*y ~ x", 1, 2,
         "modifiers are not allowed on the left-hand side; put them on the right-hand side, "
         "e.g. 'f =~ 1*x1' (only efa(\"block\")* may stand before a factor)"),
        ("f + =~ x", 1, 5, "expected a variable name after '+', found '=~'"),
        ("f g =~ x", 1, 3, "expected '+' or an operator after 'f', found 'g'"),
        ("f =~ - x", 1, 8, "expected a number after '-'"),
        ("f =~ 1*NA*x1", 1, 8, "a parameter cannot be both fixed to a value and free (NA)"),
        ("f =~ NA*1*x1", 1, 9, "a parameter cannot be both free (NA) and fixed to a value"),
        ("f =~ 1*2*x1", 1, 8, "the fixed value is given twice"),
        ("f =~ a*b*x1", 1, 8, "a parameter can have only one label (found 'a' and 'b')"),
        ("f =~ start(1)*1*x1", 1, 15,
         "a parameter cannot have both a start value and a fixed value"),
        ("f =~ 1*start(1)*x1", 1, 8,
         "a parameter cannot have both a fixed value and a start value"),
        ("f =~ 0.5?start(1)*x1", 1, 10, "the start value is given twice"),
        ("f =~ NA*NA*x1", 1, 9, "NA is given twice"),
        ("f =~ c(a, 1)*x1", 1, 6, "c(...) mixes numbers and labels: give one or the other"),
        ("f =~ c(1, 2)*x1 + c(1, 2, 3)*x2", 1, 19,
         "c(...) has 3 entries here but 2 on line 1: give one entry per group everywhere"),
        ("f =~ lower(0)*x1", 1, 6, "the modifier 'lower(...)' is not supported"),
        ("f =~ foo(1)*x1", 1, 6,
         "unknown modifier 'foo(...)' (modifiers are start(), label() and equal())"),
        ("f =~ start(0.5)x1", 1, 16, "expected '*' and a variable name after 'start(...)'"),
        ('f =~ "a"*x1', 1, 6, 'a quoted label must be written as label("a")'),
        ("f =~ 1", 1, 6, "an intercept ('1') is only allowed after '~', not '=~'"),
        ("x ~~ 1", 1, 6, "an intercept ('1') is only allowed after '~', not '~~'"),
        ("y ~ 2", 1, 5,
         "expected a variable name, found the number '2' (a number must be followed by '*' "
         "and a variable name, or be '1' for an intercept)"),
        ("y ~ -1", 1, 5,
         "expected a variable name, found the number '-1' (a number must be followed by '*' "
         "and a variable name, or be '1' for an intercept)"),
        ("f =~ x1 + (x2)", 1, 11, "expected a variable name after '+', found '('"),
        ("ind := a*", 1, 10, "expected a name or a number after '*'"),
        ("ind := (a*b", 1, 12, "expected ')' to close '(' opened at line 1, column 8"),
        ("ind := exp(a", 1, 13, "expected ')' to close '(' opened at line 1, column 11"),
        ("ind :=", 1, 7, "expected an expression after ':='"),
        ("ind := a b", 1, 10, "expected an operator such as '+' or '*' before 'b'"),
        ("ind := a, b", 1, 9, "expected an operator such as '+' or '*' before ','"),
        ("ind := 0.5?a", 1, 11, "expected an operator such as '+' or '*' before '?'"),
        ("ind := a*'b'", 1, 10, "expected a name or a number after '*', found ''b''"),
        ("a + b := a*b", 1, 3, "expected a single name before ':=', found '+'"),
        (":= a*b", 1, 1, "expected the name of the defined parameter before ':='"),
        ("1 := a", 1, 1, "expected a single name before ':=', found '1'"),
        ("NA := a", 1, 1, "'NA' is a reserved word and cannot be a parameter name"),
        ("== b", 1, 1, "expected an expression before '=='"),
        ("a ==", 1, 5, "expected an expression after '=='"),
        ("a + == b", 1, 5, "expected a name or a number after '+'"),
        ("a == b)", 1, 7, "unbalanced ')': nothing to close"),
        ("a == if", 1, 6, "'if' is a reserved word and cannot be used here"),
    ],
)  # fmt: skip
def test_errors(text: str, line: int, column: int, reason: str) -> None:
    with pytest.raises(ModelSyntaxError) as info:
        parse(text)
    err = info.value
    assert (err.reason, err.line, err.column) == (reason, line, column)
    assert str(err) == f"line {line}, column {column}: {reason}"


def test_error_type_is_a_semwidget_error() -> None:
    with pytest.raises(SemWidgetError):
        parse("f =~")
    assert issubclass(ModelSyntaxError, ValueError)


def test_error_sentence_example_from_issue() -> None:
    text = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 +"
    with pytest.raises(ModelSyntaxError, match=r"^line 3, column 14: expected a variable name "
                       r"after '\+'$"):  # fmt: skip
        parse(text)


def test_non_string_input() -> None:
    with pytest.raises(TypeError):
        parse(None)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------
# emit


def test_emit_hs_cfa() -> None:
    assert emit(parse(HS_MODEL)) == (
        "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"
    )


def test_emit_poldem_keeps_order_and_grouping() -> None:
    assert emit(parse(POLDEM_MODEL)) == POLDEM_MODEL.strip() + "\n"


def test_emit_modifiers() -> None:
    text = (
        "f =~ 1*x1 + NA*x2 + start(0.5)*x3 + a*x4 + NA*a*x5 + start(0.5)*a*x6 + 1e-05*x7"
        " + -0.25*x8 + 0.1*x9 + NA*start(-2)*x10 + 1*b*x11 + 1e+16*x12\n"
        "x1 ~ 1\n"
        "x2 ~ 0*1\n"
        "x3 ~ c*1\n"
    )
    assert emit(parse(text)) == text


def test_emit_normalises_spelling() -> None:
    text = (
        "f =~ 1.0*x1 + 0.5?x2 + label('q')*x3 + equal(\"q\")*x4 + a*NA*x5 + 1E-5*x6\n"
        "y1 + y2 ~ f\ny ~ 1 + 0\nd := a * b\n"
    )
    assert emit(parse(text)) == (
        "f =~ 1*x1 + start(0.5)*x2 + q*x3 + q*x4 + NA*a*x5 + 1e-05*x6\n"
        "y1 ~ f\ny2 ~ f\ny ~ 1 + 0*1\nd := a*b\n"
    )


def test_emit_groups_only_consecutive_rows() -> None:
    text = "f =~ x1\ng =~ x2\nf =~ x3 + x4\nf ~~ g\nf =~ x5"
    assert emit(parse(text)) == "f =~ x1\ng =~ x2\nf =~ x3 + x4\nf ~~ g\nf =~ x5\n"


def test_emit_definitions_and_constraints_one_per_line() -> None:
    text = "y ~ a*x\nind := a*b\ntot := c+a*b\na == b\na > 0\nb < 1\ny ~ z"
    assert emit(parse(text)) == text + "\n"


def test_emit_list_of_dicts_with_defaults_and_none() -> None:
    table = [
        {"lhs": "f", "op": "=~", "rhs": "x1", "free": 0, "ustart": 1.0},
        {"lhs": "f", "op": "=~", "rhs": "x2", "ustart": None, "label": None},
        {"lhs": "f", "op": "=~", "rhs": "x3", "free": 3, "ustart": 0.5, "label": "b"},
        {"lhs": "x1", "op": "~~", "rhs": "x1", "user": 0, "free": 4},  # added by defaults
        {"lhs": "x1", "op": "~1", "rhs": "", "free": 5, "freed": 1},
        {"lhs": "ind", "op": ":=", "rhs": "a*b"},
    ]
    assert emit(table) == "f =~ 1*x1 + x2 + start(0.5)*b*x3\nx1 ~ NA*1\nind := a*b\n"


def test_emit_skips_default_rows_of_a_full_table() -> None:
    table = parse("f =~ x1 + x2")
    full = pd.concat(
        [table, pd.DataFrame([{"id": 3, "lhs": "x1", "op": "~~", "rhs": "x1", "user": 0,
                               "free": 3, "ustart": NAN, "label": "", "freed": 0}])],
        ignore_index=True,
    )  # fmt: skip
    assert emit(full) == "f =~ x1 + x2\n"


def test_emit_empty() -> None:
    assert emit([]) == ""
    assert emit(parse("f =~ x").iloc[0:0]) == ""


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"lhs": "f", "op": "->", "rhs": "x"}, "table row 1 (f -> x): unknown operator '->'"),
        ({"lhs": "f", "op": "=~", "rhs": "1x"}, "'1x' is not a valid variable name"),
        ({"lhs": "f g", "op": "=~", "rhs": "x"}, "'f g' is not a valid variable name"),
        ({"lhs": "f", "op": "=~", "rhs": "x", "label": "a b"}, "'a b' is not a valid label"),
        (
            {"lhs": "f", "op": "=~", "rhs": "x", "free": 0},
            "the parameter is fixed but has no value",
        ),
        ({"lhs": "f", "op": "=~", "rhs": "x", "free": 0, "ustart": math.inf}, "is not finite"),
        ({"lhs": "f", "op": "~1", "rhs": "x"}, "an intercept row must have an empty rhs"),
        ({"lhs": "d", "op": ":=", "rhs": ""}, "both sides must be given"),
        ({"lhs": "f", "op": "=~"}, "table row 1 has no rhs"),
    ],
)
def test_emit_rejects_rows_that_are_not_valid_syntax(row: dict, message: str) -> None:
    with pytest.raises(ModelSpecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        emit([row])


def test_emit_rejects_table_without_columns() -> None:
    with pytest.raises(ModelSpecError, match="no column"):
        emit(pd.DataFrame({"lhs": ["f"]}))


# ------------------------------------------------------------------------------------------
# variables


def test_variables_poldem() -> None:
    v = variables(parse(POLDEM_MODEL))
    assert v["latent"] == ["ind60", "dem60", "dem65"]
    assert v["composite"] == []
    assert v["observed"] == ["x1", "x2", "x3", "y1", "y2", "y3", "y4", "y5", "y6", "y7", "y8"]
    assert v["labels"] == set()
    assert v["defined"] == []


def test_variables_roles() -> None:
    text = (
        "y ~ a*m + c*x\n"  # y, m and x are used before the latent f is defined
        "m ~ b*x + f\n"
        "f =~ x1 + lam*x2\n"
        "comp <~ z1 + w*z2\n"
        "x3 ~ 1\n"
        "ind := a*b\ntotal := c + a*b\n"
        "a == b\nlam > 0\n"
    )
    v = variables(parse(text))
    assert v["latent"] == ["f", "comp"]
    assert v["composite"] == ["comp"]
    assert v["observed"] == ["y", "m", "x", "x1", "x2", "z1", "z2", "x3"]
    assert v["labels"] == {"a", "b", "c", "lam", "w"}
    assert v["defined"] == ["ind", "total"]


def test_variables_accepts_list_of_dicts() -> None:
    v = variables([{"lhs": "f", "op": "=~", "rhs": "x1"}, {"lhs": "f", "op": "~~", "rhs": "f"}])
    assert v["latent"] == ["f"] and v["observed"] == ["x1"]


def test_thresholds_and_scaling_factors_parse_and_emit() -> None:
    text = "f =~ x1 + x2\nx1 | a*t1 + 0.5*t2 + t3\nx1 ~*~ x1\n"
    table = parse(text)
    th = table[table["op"] == "|"]
    assert th["rhs"].tolist() == ["t1", "t2", "t3"]
    assert th["label"].tolist() == ["a", "", ""]
    assert th["free"].tolist()[1] == 0 and th["ustart"].tolist()[1] == 0.5
    assert emit(table) == text
    # t1..t3 name thresholds, not variables
    assert variables(table)["observed"] == ["x1", "x2"]
