"""Where new nodes go when the model changes, and when they are placed.

Nodes that survive an edit keep their positions; nodes without one are placed by the automatic
layout of the front end (elkjs in ``render.js``, run headless by :mod:`semwidget.widget.render`).
When the bundle is not installed (a source checkout before ``npm run build``), a small layered
layout written here stands in, so the Python side still works; the widget then says so in a
warning once.

The widget does not place new nodes when its model changes (:class:`PlacesOnRead`): a displayed
view lays them out with the same code in the browser and sends the positions back, and a read
of ``positions`` from Python places those still missing. A cold kernel so draws its first widget
without starting V8 at all.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
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
#: History versions kept waiting for their nodes' positions: a script that never reads
#: ``positions`` would otherwise keep every version it fits waiting.
_MAX_WAITING = 50


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


def kept_positions(state: Mapping[str, Any], previous: Mapping[str, Position]) -> Layout:
    """The positions in ``previous`` of the nodes of ``state`` (new nodes are left out)."""
    nodes = widget_state.node_names(_rows(state), state.get("latents", []))
    return {name: dict(previous[name]) for name in nodes if name in previous}


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
    kept = kept_positions(state, previous)
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


class PlacesOnRead:
    """Mixin for the widget: nodes without a position are placed when Python reads ``positions``.

    An edit keeps the positions of the surviving nodes and leaves new ones unplaced; the view
    places them (the same layout code, in the browser) and sends them back. A read of
    ``positions`` from Python (scripts, exports, saving) places those still missing, as
    :func:`place_nodes` did at the edit before. The widget's own reads (the state sent to the
    view, an update from it, an edit, a fit recorded in the history) see the stored value:
    they run inside :meth:`_stored`, per thread, since the refit thread publishes while the
    user's code may read.
    """

    _placement_depth: threading.local
    #: ``(version, names)``: history versions recorded while these nodes had no position yet;
    #: filled in when the positions arrive (see :meth:`_wait_for_positions`).
    _unplaced_versions: list[tuple[Any, list[str]]]

    def _init_placement(self) -> None:
        self._placement_depth = threading.local()
        self._unplaced_versions = []

    @contextmanager
    def _stored(self) -> Iterator[None]:
        """Reads of ``positions`` in this block (this thread) see the stored value."""
        local = self._placement_depth
        depth = getattr(local, "depth", 0)
        local.depth = depth + 1
        try:
            yield
        finally:
            local.depth = depth

    def _stored_positions(self) -> Layout:
        with self._stored():
            return dict(self.positions)  # type: ignore[attr-defined]

    def _place_missing(self) -> None:
        """Called by every read of ``positions`` (:class:`state.LayoutTrait`)."""
        local = getattr(self, "_placement_depth", None)
        if local is None or getattr(local, "depth", 0):
            return
        with self._stored():
            stored = self.positions  # type: ignore[attr-defined]
            state = self.diagram_state()  # type: ignore[attr-defined]
            nodes = widget_state.node_names(_rows(state), state.get("latents", []))
            if any(name not in stored for name in nodes):
                self.positions = place_nodes(state, stored)  # type: ignore[attr-defined]

    def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict[str, Any]:
        # The view gets the stored positions and places the missing nodes itself.
        with self._stored():
            return super().get_state(key, drop_defaults)  # type: ignore[misc, no-any-return]

    def _wait_for_positions(self, version: Any, nodes: Sequence[str]) -> None:
        """Fill ``version``'s positions of ``nodes`` not placed yet when they are placed."""
        missing = [name for name in nodes if name not in version.positions]
        if missing:
            self._unplaced_versions = [*self._unplaced_versions[-_MAX_WAITING + 1:],
                                       (version, missing)]

    def _fill_versions(self, positions: Mapping[str, Position]) -> None:
        waiting = []
        for version, missing in self._unplaced_versions:
            for name in missing:
                if name in positions:
                    version.positions[name] = dict(positions[name])
            left = [name for name in missing if name not in positions]
            if left:
                waiting.append((version, left))
        self._unplaced_versions = waiting
