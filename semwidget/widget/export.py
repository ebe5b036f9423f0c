"""The diagram of a model without a browser: renderer state from syntax and a fit, then SVG.

Used by the CLI's ``--svg``/``--png``; the widget keeps its state in traits and calls
:mod:`semwidget.widget.render` itself.
"""

from __future__ import annotations

from typing import Any

from semwidget.model import parse
from semwidget.widget import state as widget_state
from semwidget.widget.placement import place_nodes
from semwidget.widget.render import to_svg


def diagram_state(
    syntax: str,
    *,
    layout: dict[str, dict[str, float]] | None = None,
    latents: list[str] | None = None,
    results: dict[str, Any] | None = None,
    options: dict[str, Any] | None = None,
    engine: str = "sem",
) -> dict[str, Any]:
    """Build the renderer's state from syntax, placing every node without a position.

    Raises
    ------
    semwidget.errors.ModelSyntaxError
        If ``syntax`` does not parse.
    """
    table = parse(syntax)
    records = widget_state.table_records(table)
    measured = widget_state.measured_latents(records)
    all_latents = widget_state.merge_latents(latents or [], [], measured)
    state: dict[str, Any] = {
        "syntax": syntax,
        "table": records,
        "latents": all_latents,
        "columns": [],
        "positions": {},
        "results": results or {},
        "options": widget_state.validate_options(options or {}),
        "counts": dict(widget_state.EMPTY_COUNTS),
        "error": "",
        "engine": widget_state.validate_engine(engine),
    }
    nodes = widget_state.node_names(records, all_latents)
    state["positions"] = place_nodes(state, widget_state.validate_layout(layout or {}, nodes))
    return state


def fitted_svg(syntax: str, result: Any, layout: dict[str, dict[str, float]] | None = None) -> str:
    """The diagram of a fitted model as SVG (used by the CLI's ``--svg``).

    Parameters
    ----------
    syntax : str
        The model syntax that was fitted.
    result : FitResult
        The result of :func:`semwidget.fit` for that syntax.
    layout : dict, optional
        Node positions to keep; missing nodes are placed by the automatic layout.

    Returns
    -------
    str
        A standalone SVG document with coefficients, stars and R² drawn.
    """
    state = diagram_state(
        syntax,
        layout=layout,
        results=widget_state.results_payload(result),
        engine=str(getattr(result, "engine", "sem")),
    )
    return to_svg(state)
