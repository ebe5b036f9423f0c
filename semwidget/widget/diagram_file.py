"""Saved diagrams: a small versioned JSON file with the syntax, the drawing and the options.

Format (version 1)::

    {"format": "semwidget-diagram", "version": 1, "syntax": "...",
     "positions": {"name": {"x": 0.0, "y": 0.0}}, "latents": ["..."],
     "options": {...display options...}, "engine": "sem"}

Files written before the widget's trait was renamed call the positions ``"layout"``; they load.

Reading checks every field and names the one at fault, with the file name, in a
:class:`DiagramFileError`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from semwidget.errors import SemWidgetError
from semwidget.widget import state as widget_state

FORMAT_NAME = "semwidget-diagram"
FORMAT_VERSION = 1
_KEYS = ("format", "version", "syntax", "positions", "layout", "latents", "options", "engine")


class DiagramFileError(SemWidgetError):
    """A diagram file that cannot be read (not JSON, wrong format or version, a bad field)."""

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{Path(path).name}: {problem}")


@dataclass
class Diagram:
    """The contents of a diagram file."""

    syntax: str
    positions: dict[str, dict[str, float]] = field(default_factory=dict)
    latents: list[str] = field(default_factory=list)
    options: dict[str, bool | int] = field(
        default_factory=lambda: dict(widget_state.DEFAULT_OPTIONS)
    )
    engine: str = "sem"

    def to_json(self) -> dict[str, Any]:
        """The JSON object written to disk."""
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "syntax": self.syntax,
            "positions": self.positions,
            "latents": self.latents,
            "options": self.options,
            "engine": self.engine,
        }


def save(path: str | os.PathLike[str], diagram: Diagram) -> None:
    """Write ``diagram`` to ``path`` as UTF-8 JSON (indented, keys in a fixed order)."""
    text = json.dumps(diagram.to_json(), indent=2, ensure_ascii=False, allow_nan=False)
    Path(path).write_text(text + "\n", encoding="utf-8")


def from_json(data: object, path: str | os.PathLike[str] = "<diagram>") -> Diagram:
    """Validate a decoded diagram object.

    Raises
    ------
    DiagramFileError
        Naming the field at fault.
    """
    if not isinstance(data, dict):
        raise DiagramFileError(path, f"expected a JSON object, found {type(data).__name__}")
    if data.get("format") != FORMAT_NAME:
        raise DiagramFileError(
            path, f"'format' must be {FORMAT_NAME!r}, found {data.get('format')!r}"
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DiagramFileError(path, f"'version' must be a positive integer, found {version!r}")
    if version > FORMAT_VERSION:
        raise DiagramFileError(
            path,
            f"version {version} was written by a newer semwidget (this one reads version "
            f"{FORMAT_VERSION}); upgrade semwidget",
        )
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise DiagramFileError(path, f"unknown field(s) {', '.join(map(repr, unknown))}")
    if "syntax" not in data:
        raise DiagramFileError(path, "the 'syntax' field is missing")
    if not isinstance(data["syntax"], str):
        raise DiagramFileError(
            path, f"'syntax' must be text, found {type(data['syntax']).__name__}"
        )
    try:
        return Diagram(
            syntax=data["syntax"],
            positions=widget_state.validate_layout(data.get("positions", data.get("layout", {}))),
            latents=widget_state.validate_latents(data.get("latents", [])),
            options=widget_state.validate_options(data.get("options", {})),
            engine=widget_state.validate_engine(data.get("engine", "sem")),
        )
    except widget_state.WidgetStateError as err:
        raise DiagramFileError(path, str(err)) from None


def load(path: str | os.PathLike[str]) -> Diagram:
    """Read and validate a diagram file.

    Raises
    ------
    DiagramFileError
        If the file is not valid JSON or a field is wrong.
    FileNotFoundError
        If there is no such file.
    """
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise DiagramFileError(
            path, f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None
    return from_json(data, path)
