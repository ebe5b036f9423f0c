/**
 * Selection rules of the canvas: clicks on nodes and edges, box select, what a drag moves, and
 * dropping names that are no longer drawn. The selection is a set of node names and edge keys.
 */
import type { Layout, Point } from "../model/state";
import type { Box } from "../layout/geometry";
import type { Scene } from "../layout/scene-types";

/** Selection after a click on node `name` in select mode: Shift toggles it. */
export function clickNode(selected: Set<string>, name: string, shift: boolean): Set<string> {
  if (shift) {
    if (selected.has(name)) selected.delete(name);
    else selected.add(name);
    return selected;
  }
  // A plain click on a node already selected keeps the group, so the group can be dragged.
  return selected.has(name) ? selected : new Set([name]);
}

/** Selection after a click on edge `key`: Shift adds it. */
export function clickEdge(selected: Set<string>, key: string, shift: boolean): Set<string> {
  return shift ? new Set([...selected, key]) : new Set([key]);
}

/** Start positions of the selected nodes, for moving them together. */
export function dragOrigin(selected: Set<string>, layout: Layout): Map<string, Point> {
  const origin = new Map<string, Point>();
  for (const s of selected) {
    const q = layout[s];
    if (q) origin.set(s, { ...q });
  }
  return origin;
}

/** The box spanned by two corners. */
export function boxOf(a: Point, b: Point): Box {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
}

/** Add every node whose centre lies in `b` (box select). */
export function selectInBox(selected: Set<string>, layout: Layout, b: Box): void {
  for (const [n, q] of Object.entries(layout)) {
    if (q.x >= b.x && q.x <= b.x + b.w && q.y >= b.y && q.y <= b.y + b.h) selected.add(n);
  }
}

/** Drop selected names that the new scene no longer draws. */
export function pruneSelection(selected: Set<string>, scene: Scene): void {
  for (const k of [...selected]) if (!scene.byName.has(k) && !scene.edges.some((e) => e.key === k)) selected.delete(k);
}
