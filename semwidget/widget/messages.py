"""The kernel side of the diagram's custom messages (validated by :func:`state.validate_message`).

:func:`run` carries out one message on the widget; ``SEMWidget._on_custom_msg`` wraps it with
the error handling (a failed edit is undone, the sentence goes to ``error``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from semwidget.widget.widget import SEMWidget

__all__ = ["run"]


def run(widget: SEMWidget, message: dict[str, Any]) -> None:
    """Carry out a validated message other than ``fit`` on ``widget``."""
    kind = message["type"]
    if kind == "layout":
        widget.auto_layout()
    elif kind == "group":
        widget.show_group(message["group"])
    elif kind == "indirect":
        widget.add_indirect(message["x"], message["y"], chain=message["chain"])
    elif kind == "modindices":
        widget.show_modindices(message["k"])
    elif kind == "pls_predict":
        widget.predict_pls(message["folds"], message["repetitions"])
    elif kind == "local_fit":  # the toolbar's Local fit toggle
        widget.show_local_fit(message["on"])
    elif kind == "compare":  # the History panel: results["diff"] for the diagram
        widget.compare(message["i"], message["j"])
    else:
        widget.add_ghost(" ".join(message["edge"]))
