"""Where new nodes go when the model changes.

Nodes that survive an edit keep their positions; nodes without one are placed by the automatic
layout of the front end (elkjs in ``render.js``, run headless by :mod:`semwidget.widget.render`).
When the bundle is not installed (a source checkout before ``npm run build``), a small layered
layout written here stands in, so the Python side still works; the widget then says so in a
warning once.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from semwidget.widget import render as svg_export
from semwidget.widget import state as widget_state

Position = dict[str, float]
Layout = dict[str, Position]

# Spacing of the fallback layout, in SVG units (node boxes are about 80 x 40, ellipses 110 x 60).
_LAYER_GAP = 300.0
_INDICATOR_OFFSET = 180.0
_ROW_GAP = 60.0
_BLOCK_GAP = 40.0
_MARGIN = 80.0
# Two node centres closer than this (in both directions) would draw overlapping shapes.
_MIN_DX = 120.0
_MIN_DY = 60.0

_warned_fallback = False


def _rows(state: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [row for row in state.get("table", []) if row["op"] in widget_state.NODE_OPS]


def fallback_layout(table: Sequence[Mapping[str, Any]], latents: Sequence[str]) -> Layout:
    """A deterministic layered layout used only when ``render.js`` is not installed.

    Exogenous constructs on the left, endogenous ones to the right (longest path over ``~`` and
    higher-order ``=~`` edges); indicators beside their construct, outside the structural part.
    """
    rows = [row for row in table if row["op"] in widget_state.NODE_OPS]
    nodes = widget_state.node_names(rows, latents)
    latent_set = set(latents)
    indicators: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    edges: list[tuple[str, str]] = []
    for row in rows:
        lhs, op, rhs = row["lhs"], row["op"], row["rhs"]
        if op in widget_state.LATENT_OPS and rhs not in latent_set:
            if rhs not in owner:
                owner[rhs] = lhs
                indicators.setdefault(lhs, []).append(rhs)
        elif op in widget_state.LATENT_OPS:
            edges.append((lhs, rhs))  # higher-order factor points at its first-order factors
        elif op == "~":
            edges.append((rhs, lhs))
    structural = [name for name in nodes if name not in owner]
    # Indicators that are also regressed stay structural (drawn in the layers, not beside).
    for source, target in edges:
        for name in (source, target):
            if name in owner:
                indicators[owner[name]].remove(name)
                del owner[name]
                structural.append(name)
    layer = dict.fromkeys(structural, 0)
    # Longest path by relaxation; the bound stops at cycles (non-recursive models have none).
    for _ in range(len(structural)):
        changed = False
        for source, target in edges:
            if source in layer and target in layer and layer[target] < layer[source] + 1:
                layer[target] = layer[source] + 1
                changed = True
        if not changed:
            break
    n_layers = max(layer.values(), default=0) + 1
    columns: list[list[str]] = [[] for _ in range(n_layers)]
    for name in structural:
        columns[layer[name]].append(name)
    positions: Layout = {}
    for index, column in enumerate(columns):
        x = _MARGIN + _INDICATOR_OFFSET + index * _LAYER_GAP
        heights = [max(1, len(indicators.get(name, []))) * _ROW_GAP for name in column]
        y = -(sum(heights) + _BLOCK_GAP * (len(column) - 1)) / 2
        for name, height in zip(column, heights, strict=True):
            centre = y + height / 2
            positions[name] = {"x": x, "y": centre}
            own = indicators.get(name, [])
            # Indicators face away from the structural part: left in the first layer.
            side = -1.0 if index == 0 else 1.0
            for k, item in enumerate(own):
                positions[item] = {
                    "x": x + side * _INDICATOR_OFFSET,
                    "y": centre + (k - (len(own) - 1) / 2) * _ROW_GAP,
                }
            y += height + _BLOCK_GAP
    if not positions:
        return {}
    top = min(p["y"] for p in positions.values())
    return {name: {"x": p["x"], "y": p["y"] - top + _MARGIN} for name, p in positions.items()}


def auto_layout(state: Mapping[str, Any]) -> Layout:
    """A fresh layout of every node of ``state`` (JS automatic layout, else the fallback)."""
    if svg_export.bundle_available():
        return svg_export.js_layout({**state, "positions": {}, "relayout": True})
    _warn_fallback()
    return fallback_layout(_rows(state), list(state.get("latents", [])))


def _warn_fallback() -> None:
    global _warned_fallback
    if not _warned_fallback:
        _warned_fallback = True
        warnings.warn(
            "semwidget's front end is not built (semwidget/static/render.js is missing); "
            "using a simple Python layout instead of the diagram's automatic layout",
            RuntimeWarning,
            stacklevel=4,
        )


def _collides(position: Position, placed: Sequence[Position]) -> bool:
    return any(
        abs(position["x"] - other["x"]) < _MIN_DX and abs(position["y"] - other["y"]) < _MIN_DY
        for other in placed
    )


def _merge_fallback(state: Mapping[str, Any], kept: Layout, missing: Sequence[str]) -> Layout:
    auto = fallback_layout(_rows(state), list(state.get("latents", [])))
    if not kept:
        return auto
    # Move the automatic layout onto the kept drawing (mean offset of the shared nodes), so a new
    # node lands near its neighbours even after the user dragged or panned everything.
    shared = [name for name in kept if name in auto]
    dx = sum(kept[n]["x"] - auto[n]["x"] for n in shared) / len(shared) if shared else 0.0
    dy = sum(kept[n]["y"] - auto[n]["y"] for n in shared) / len(shared) if shared else 0.0
    layout = dict(kept)
    for name in missing:
        candidate = {"x": auto[name]["x"] + dx, "y": auto[name]["y"] + dy}
        while _collides(candidate, list(layout.values())):
            candidate["y"] += _MIN_DY
        layout[name] = candidate
    return layout


def place_nodes(state: Mapping[str, Any], previous: Mapping[str, Position]) -> Layout:
    """The layout after a model change: survivors keep their positions, new nodes are placed.

    Parameters
    ----------
    state : mapping
        Widget state with the new ``table`` and ``latents``.
    previous : mapping
        The positions before the change.

    Returns
    -------
    dict
        A position for every node of the new model, and for no other name.
    """
    nodes = widget_state.node_names(_rows(state), state.get("latents", []))
    kept: Layout = {name: dict(previous[name]) for name in nodes if name in previous}
    missing = [name for name in nodes if name not in kept]
    if not missing:
        return kept
    if svg_export.bundle_available():
        # The front end's merge places a new indicator beside its siblings, clear of every box.
        merged = svg_export.js_layout({**state, "positions": kept})
    else:
        _warn_fallback()
        merged = _merge_fallback(state, kept, missing)
    layout: Layout = {}
    for name in nodes:
        position = kept.get(name) or merged.get(name)
        if position is None:
            raise RuntimeError(f"the automatic layout returned no position for {name!r}")
        layout[name] = dict(position)
    return layout
