"""Exception types.

Every error a user can cause derives from :class:`SemWidgetError` (a ``ValueError``), so callers
(the CLI, the widget) can show one clear sentence without a traceback.
"""

from __future__ import annotations

import re

#: A run of this many non-space characters (a 10^5-digit number, a pasted blob) is cut in
#: messages, so one error is one readable sentence.
_LONG_RUN = 200
_RUN = re.compile(rf"\S{{{_LONG_RUN + 1},}}")


_SURROGATE = re.compile("[\ud800-\udfff]")


def shorten(text: str) -> str:
    """``text`` with every overlong run of non-space characters cut to its start and length.

    Lone surrogates (not Unicode, so not printable or sendable) become U+FFFD.
    """

    def cut(match: re.Match[str]) -> str:
        run = match.group(0)
        return f"{run[:40]}...({len(run)} characters)"

    return _RUN.sub(cut, _SURROGATE.sub("\ufffd", text))


class SemWidgetError(ValueError):
    """Base class for every error caused by the user's model, data or options.

    Messages are passed through :func:`shorten`.
    """

    def __init__(self, *args: object) -> None:
        if args and isinstance(args[0], str):
            args = (shorten(args[0]), *args[1:])
        super().__init__(*args)


class ModelSyntaxError(SemWidgetError):
    """Model syntax that cannot be parsed.

    Parameters
    ----------
    reason : str
        A plain sentence, e.g. ``"expected a variable name after '+'"``.
    line, column : int
        1-based position of the problem in the model text.
    """

    def __init__(self, reason: str, line: int, column: int) -> None:
        self.reason = shorten(reason)
        self.line = int(line)
        self.column = int(column)
        super().__init__(f"line {self.line}, column {self.column}: {reason}")


class ModelSpecError(SemWidgetError):
    """A model that parses but cannot be fitted as written (unknown name, not identified, ...).

    Parameters
    ----------
    message : str
        The sentence shown to the user.
    name : str, optional
        The variable, label or statement at fault, when there is one.
    """

    def __init__(self, message: str, name: str | None = None) -> None:
        self.name = name
        super().__init__(message)


class DataError(SemWidgetError):
    """Data that cannot be used for the requested fit (non-numeric column, too few rows, ...)."""

    def __init__(self, message: str, column: str | None = None) -> None:
        self.column = column
        super().__init__(message)


class IdentificationError(ModelSpecError):
    """A model (or its estimates) that is not identified, with the parameters involved.

    Parameters
    ----------
    message : str
        The sentence shown to the user.
    parameters : list of str
        The rows not identified, as ``"lhs op rhs"`` (the diagram's edge keys).
    """

    def __init__(self, message: str, parameters: list[str] | None = None) -> None:
        self.parameters = list(parameters or [])
        super().__init__(message, name=self.parameters[0] if self.parameters else None)
