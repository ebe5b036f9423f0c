"""Saved diagrams: a small versioned JSON file with the syntax, the drawing and the options.

Format (version 1)::

    {"format": "semwidget-diagram", "version": 1, "syntax": "...",
     "positions": {"name": {"x": 0.0, "y": 0.0}}, "latents": ["..."],
     "options": {...display options...}, "engine": "sem",
     "labels": {"name": "display label"}, "history": [...]}

``labels`` is optional (files written before labels existed have none); ``history`` (optional)
holds the widget's fitted versions (:mod:`semwidget.widget.history`).

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
from semwidget.widget import labels as node_labels
from semwidget.widget import state as widget_state
from semwidget.widget.history import Version, versions_from_json

FORMAT_NAME = "semwidget-diagram"
FORMAT_VERSION = 1
_KEYS = ("format", "version", "syntax", "positions", "layout", "latents", "options", "engine",
         "labels", "history")


class DiagramFileError(SemWidgetError):
    """A diagram file (or an export) that cannot be read or written (not JSON, a bad field, a
    directory, ...)."""

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
    history: list[Version] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The JSON object written to disk (``history`` only when there is one)."""
        extra = {"history": [v.to_json() for v in self.history]} if self.history else {}
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "syntax": self.syntax,
            "positions": self.positions,
            "latents": self.latents,
            "options": self.options,
            "engine": self.engine,
            "labels": self.labels,
            **extra,
        }


def write_file(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write a file the package makes (diagram, SVG, PNG); failures are DiagramFileErrors.

    Raises
    ------
    DiagramFileError
        If ``path`` is a directory, its folder does not exist, or the system refuses the write.
    """
    file = Path(path)
    if file.is_dir():
        raise DiagramFileError(path, "is a directory; give a file name")
    if not file.parent.is_dir():
        raise DiagramFileError(path, f"cannot be written: the folder {str(file.parent)!r} does "
                               "not exist")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        file.write_bytes(data)
    except OSError as err:
        raise DiagramFileError(path, f"cannot be written ({err.strerror or err})") from None


def save(path: str | os.PathLike[str], diagram: Diagram) -> None:
    """Write ``diagram`` to ``path`` as UTF-8 JSON (indented, keys in a fixed order)."""
    text = json.dumps(diagram.to_json(), indent=2, ensure_ascii=False, allow_nan=False)
    write_file(path, text + "\n")


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
            path, f"'format' must be {FORMAT_NAME!r}, found "
            f"{widget_state.describe(data.get('format'))}"
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DiagramFileError(
            path, f"'version' must be a positive integer, found {widget_state.describe(version)}"
        )
    if version > FORMAT_VERSION:
        raise DiagramFileError(
            path,
            f"version {version} was written by a newer semwidget (this one reads version "
            f"{FORMAT_VERSION}); upgrade semwidget",
        )
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        listed = ", ".join(widget_state.describe(k) for k in unknown[:5])
        raise DiagramFileError(path, f"unknown field(s) {listed}")
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
            history=versions_from_json(data.get("history", [])),
            labels=node_labels.validate_labels(data.get("labels", {})),
        )
    except SemWidgetError as err:
        raise DiagramFileError(path, str(err)) from None


class DiagramFileMissingError(DiagramFileError, FileNotFoundError):
    """There is no diagram file at the path."""


#: Diagram files are a few kilobytes; anything this large is not one.
MAX_FILE_BYTES = 64 * 1024 * 1024


def _read_text(path: str | os.PathLike[str]) -> str:
    """The file's text, with every way of failing to read it as a DiagramFileError."""
    file = Path(path)
    try:
        if file.is_dir():
            raise DiagramFileError(path, "is a directory, not a diagram file")
        if file.exists() and not file.is_file():
            raise DiagramFileError(path, "is not a regular file")
        with file.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise DiagramFileMissingError(path, "no such file") from None
    except OSError as err:
        raise DiagramFileError(path, f"cannot be read ({err.strerror or err})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise DiagramFileError(path, f"is larger than {MAX_FILE_BYTES // 2**20} MB; not a "
                               "diagram file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DiagramFileError(
            path, f"is not UTF-8 text (byte {err.start} is 0x{raw[err.start]:02x})"
        ) from None


def load(path: str | os.PathLike[str]) -> Diagram:
    """Read and validate a diagram file.

    Raises
    ------
    DiagramFileError
        If the file cannot be read (a directory, not UTF-8, too large), is not valid JSON, or a
        field is wrong; :class:`DiagramFileMissingError` (also a ``FileNotFoundError``) if there
        is no such file.
    """
    text = _read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise DiagramFileError(
            path, f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None
    except RecursionError:
        raise DiagramFileError(path, "JSON nested too deeply to be a diagram file") from None
    except ValueError as err:  # e.g. an integer of more digits than Python converts
        raise DiagramFileError(path, f"not a diagram file ({str(err)[:100]})") from None
    return from_json(data, path)
