"""The words of lavaan's model syntax shared by the parser, the emitter and the widget."""

from __future__ import annotations

import re

#: Columns of the user table, in order.
COLUMNS = ("id", "lhs", "op", "rhs", "user", "free", "ustart", "label", "freed")

PARAM_OPS = frozenset({"=~", "~", "~~", "<~", "|", "~*~"})
EXPR_OPS = frozenset({":=", "==", "<", ">"})
ALL_OPS = PARAM_OPS | EXPR_OPS | {"~1"}

# Words R does not accept as names; lavaan rejects them as variables and labels.
RESERVED = frozenset(
    {
        "if", "else", "repeat", "while", "function", "for", "in", "next", "break",
        "TRUE", "FALSE", "NULL", "Inf", "NaN", "NA",
        "NA_integer_", "NA_real_", "NA_complex_", "NA_character_",
    }
)  # fmt: skip
#: A variable name or label as R reads one (letters of any script, digits, ``_`` and ``.``).
NAME = re.compile(r"(?:[^\W\d_]|\.(?![0-9]))[\w.]*")
