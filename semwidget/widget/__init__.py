"""The view stage: the drawing widget, its state, node placement, diagram files and rendering.

May import every stage below it (model, engines, tables) and the dispatcher; nothing imports it
but the CLI and the package's API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from semwidget.widget.widget import SEMWidget

__all__ = ["SEMWidget"]


def __getattr__(name: str) -> Any:
    # anywidget and ipywidgets are slow to import: the CLI's headless export needs neither.
    if name == "SEMWidget":
        from semwidget.widget.widget import SEMWidget

        return SEMWidget
    raise AttributeError(f"module 'semwidget.widget' has no attribute {name!r}")
