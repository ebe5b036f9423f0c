"""Tokenizer for lavaan model syntax.

One pass over the text with a single compiled pattern of simple alternatives (no nested
quantifiers that could backtrack badly). Tokens carry their 1-based line and column so the
parser can point at the offending one. Statements are assembled the way lavaan does it: a line
(or ``;``-separated segment) that contains an operator starts a new statement; a line without
one continues the previous statement (``f =~ x1 +`` / ``+ x2``, ``ind :=`` / ``a*b``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from semwidget.errors import ModelSyntaxError

#: The operators of the syntax (``~1`` is ``~`` followed by the term ``1``).
OPERATORS = frozenset({"=~", "<~", "~~", "~", ":=", "==", "<", ">", "|", "~*~"})

# Order matters: numbers before names (".5" is a number), "->" and "~*~" before the operator run.
_TOKEN = re.compile(
    r"""
     (?P<ws>[ \t\r\f\v]+)
    |(?P<nl>\n)
    |(?P<sep>;)
    |(?P<comment>[#!][^\n]*)
    |(?P<str>"[^"\n]*"|'[^'\n]*')
    |(?P<num>\.?[0-9](?:[eE][+-][0-9]|[\w.])*)
    |(?P<name>(?:[^\W\d_]|\.)[\w.]*)
    |(?P<badop>->)
    |(?P<op>~\*~|\||[=~<>:]+)
    |(?P<punct>[-+*/^?(),])
    """,
    re.VERBOSE,
)
_FLOAT = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class Token(NamedTuple):
    """One token of model syntax.

    ``kind`` is ``NAME``, ``NUM``, ``STR``, ``OP``, ``SEP`` (newline or ``;``), ``EOF`` or the
    punctuation character itself (``+ - * / ^ ? ( ) ,``). ``bol`` is true for the first token
    after a newline or ``;``.
    """

    kind: str
    text: str
    line: int
    col: int
    bol: bool

    @property
    def end(self) -> int:
        """Column just past the token (tokens never span lines)."""
        return self.col + len(self.text)


def _bad_character(ch: str, line: int, col: int) -> ModelSyntaxError:
    if ch in "\"'":
        reason = f"unterminated string: no closing {ch} on this line"
    elif ch == "_":
        reason = "names cannot start with '_'; start them with a letter"
    elif ch == "%":
        reason = "unknown operator '%'"
    else:
        reason = f"unexpected character {ch!r}"
    return ModelSyntaxError(reason, line, col)


def _bad_operator(text: str, line: int, col: int) -> ModelSyntaxError:
    hint = ""
    if text == "=":
        hint = "; did you mean '=~' or '=='?"
    elif text in ("<=", ">="):
        hint = f"; use '{text[0]}' for an inequality constraint"
    elif text == "->":
        hint = "; write regressions as 'outcome ~ predictor'"
    return ModelSyntaxError(
        f"unknown operator '{text}' (operators are =~ ~ ~~ <~ | ~*~ := == < >){hint}", line, col
    )


def tokenize(text: str) -> list[Token]:
    """Split model syntax into tokens, dropping blanks and comments.

    Parameters
    ----------
    text : str
        The model syntax.

    Returns
    -------
    list of Token
        Ends with one ``EOF`` token.

    Raises
    ------
    ModelSyntaxError
        On a character, operator or number that is not part of the syntax.
    """
    tokens: list[Token] = []
    append = tokens.append
    match = _TOKEN.match
    pos, n = 0, len(text)
    line, line_start = 1, 0
    bol = True
    while pos < n:
        m = match(text, pos)
        col = pos - line_start + 1
        if m is None:
            raise _bad_character(text[pos], line, col)
        kind = m.lastgroup
        end = m.end()
        if kind == "nl" or kind == "sep":
            append(Token("SEP", m.group(), line, col, False))
            if kind == "nl":
                line += 1
                line_start = end
            bol = True
        elif kind != "ws" and kind != "comment":
            s = m.group()
            if kind == "name":
                append(Token("NAME", s, line, col, bol))
            elif kind == "punct":
                append(Token(s, s, line, col, bol))
            elif kind == "num":
                if _FLOAT.fullmatch(s) is None:
                    # letters other than an exponent's 'e' suggest a name that starts with a digit
                    wordy = any((c.isalpha() and c not in "eE") or c == "_" for c in s)
                    why = " (names cannot start with a digit)" if wordy else ""
                    reason = f"'{s}' is not a valid number{why}"
                    raise ModelSyntaxError(reason, line, col)
                if float(s) == float("inf"):
                    raise ModelSyntaxError(f"the number '{s}' is too large", line, col)
                append(Token("NUM", s, line, col, bol))
            elif kind == "str":
                append(Token("STR", s, line, col, bol))
            elif kind == "op":
                if s not in OPERATORS:
                    raise _bad_operator(s, line, col)
                append(Token("OP", s, line, col, bol))
            else:  # badop
                raise _bad_operator(s, line, col)
            bol = False
        pos = end
    append(Token("EOF", "", line, pos - line_start + 1, False))
    return tokens


def split_statements(tokens: list[Token]) -> list[list[Token]]:
    """Group tokens into statements as lavaan does.

    A segment (the tokens between newlines or ``;``) that contains an operator starts a new
    statement; a segment without one is appended to the statement before it. A first segment
    without an operator becomes a statement of its own, which the parser rejects.
    """
    statements: list[list[Token]] = []
    segment: list[Token] = []
    has_op = False
    for tok in tokens:
        kind = tok.kind
        if kind == "SEP" or kind == "EOF":
            if segment:
                if has_op or not statements:
                    statements.append(segment)
                else:
                    statements[-1].extend(segment)
                segment = []
                has_op = False
        else:
            segment.append(tok)
            if kind == "OP":
                has_op = True
    return statements
