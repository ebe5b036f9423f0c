"""The model stage: lavaan syntax ⇄ the user table, lavaan's defaults, ``:=`` and edits.

Imports nothing from the rest of the package but :mod:`semwidget.errors`.
"""

from semwidget.model.emitter import emit, variables
from semwidget.model.grammar import COLUMNS
from semwidget.model.parser import parse

__all__ = ["COLUMNS", "emit", "parse", "variables"]
