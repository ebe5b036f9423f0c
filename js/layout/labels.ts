/**
 * Placement of edge labels (coefficients, fixed values, parameter labels). Each label tries
 * positions along its edge, on the line first and then beside it along the normal, and takes the
 * cheapest one that overlaps no node, no label already placed and no other covariance arc or
 * variance loop (a label may sit on its own arc: its backing box hides the line under the text);
 * edges with the least room are placed first. Crossing other (directed) edges costs extra but is
 * allowed.
 */
import type { Point } from "../model/state";
import { edgeGeometry, labelRect, noteBox } from "./edges";
import { type Box, boxAround, boxesOverlap, segmentHitsBox } from "./geometry";
import type { EdgeGeom, Scene, SceneEdge } from "./scene-types";

const NODE_PAD = 3;
const LABEL_PAD = 2;
const TS = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.2, 0.8, 0.14, 0.86];

function polyCrosses(poly: Point[], r: Box): boolean {
  for (let i = 0; i + 1 < poly.length; i++) if (segmentHitsBox(poly[i]!, poly[i + 1]!, r)) return true;
  return false;
}

/** Centre of a label at parameter t and normal offset `off` (in label half-heights). */
export function labelPosition(geom: EdgeGeom, e: SceneEdge, t: number, off: number): Point {
  const { p, n } = geom.at(t);
  const l = e.label!;
  if (e.shape === "var") {
    // Beyond the loop's apex, pushed out by the label's own extent in that direction.
    const ext = Math.abs(n.x) * (l.w / 2) + Math.abs(n.y) * (l.h / 2) + 2;
    return { x: p.x + n.x * ext, y: p.y + n.y * ext };
  }
  // Offset so the box clears the line: its extent along the normal.
  const ext = Math.abs(n.x) * (l.w / 2) + Math.abs(n.y) * (l.h / 2) + 2;
  return { x: p.x + n.x * ext * off, y: p.y + n.y * ext * off };
}

/** Place every label of `scene` in place (sets x, y, t, off). */
export function placeLabels(scene: Scene): void {
  // An error circle's variance text is an obstacle like its circle.
  const nodeBoxes = scene.nodes.flatMap((n) => [boxAround(n, n.w, n.h), ...(n.note ? [noteBox(n)] : [])]);
  const geoms = new Map<string, EdgeGeom>();
  for (const e of scene.edges) {
    const a = scene.byName.get(e.from);
    const b = scene.byName.get(e.to);
    if (a && b) geoms.set(e.key, edgeGeometry(e, a, b));
  }
  const lengthOf = (g: EdgeGeom): number => {
    let s = 0;
    for (let i = 0; i + 1 < g.poly.length; i++) s += Math.hypot(g.poly[i + 1]!.x - g.poly[i]!.x, g.poly[i + 1]!.y - g.poly[i]!.y);
    return s;
  };
  const todo = scene.edges.filter((e) => e.label && geoms.has(e.key));
  // Suggestions (ghosts) after every real label, so they never push a coefficient aside;
  // variance loops have a single spot; then the shortest edges, which have the fewest options.
  todo.sort((p, q) => {
    const gp = p.ghost ? 1 : 0;
    const gq = q.ghost ? 1 : 0;
    const vp = p.shape === "var" ? 0 : 1;
    const vq = q.shape === "var" ? 0 : 1;
    return gp - gq || vp - vq || lengthOf(geoms.get(p.key)!) - lengthOf(geoms.get(q.key)!);
  });
  const ghostKeys = new Set(scene.edges.filter((e) => e.ghost).map((e) => e.key));
  const curved = new Set(scene.edges.filter((e) => e.shape !== "arrow").map((e) => e.key));
  // Bounding boxes of the edges, so a candidate is tested only against lines near it.
  const extents = new Map<string, Box>();
  for (const [k, g] of geoms) {
    const xs = g.poly.map((p) => p.x);
    const ys = g.poly.map((p) => p.y);
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    extents.set(k, { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y });
  }
  const placed: Box[] = [];
  for (const e of todo) {
    const g = geoms.get(e.key)!;
    const l = e.label!;
    const offs = e.shape === "var" ? [0] : [0, 1, -1, 2, -2];
    const ts = e.shape === "var" ? [0.5] : TS;
    let best: { t: number; off: number; cost: number } | null = null;
    let fallback: { t: number; off: number; cost: number } | null = null;
    for (const off of offs) {
      for (const t of ts) {
        const c = labelPosition(g, e, t, off);
        const r = boxAround(c, l.w, l.h);
        let hard = 0;
        for (const nb of nodeBoxes) if (boxesOverlap(r, nb, NODE_PAD)) hard++;
        for (const pb of placed) if (boxesOverlap(r, pb, LABEL_PAD)) hard++;
        let crossings = 0;
        for (const [k, og] of geoms) {
          if (k === e.key || (!e.ghost && ghostKeys.has(k))) continue;
          if (!boxesOverlap(r, extents.get(k)!) || !polyCrosses(og.poly, r)) continue;
          if (curved.has(k)) hard++;
          else crossings++;
        }
        const cost = Math.abs(t - 0.5) * 4 + Math.abs(off) * 1.5 + crossings * 2.5;
        if (hard === 0) {
          if (!best || cost < best.cost) best = { t, off, cost };
        } else if (!fallback || hard * 100 + cost < fallback.cost) {
          fallback = { t, off, cost: hard * 100 + cost };
        }
      }
      // Stop widening once an acceptable on-line/near spot is found with no crossings.
      if (best && best.cost < 1.6 + Math.abs(off) * 1.5) break;
    }
    const pick = best ?? fallback ?? { t: 0.5, off: 0, cost: 0 };
    const c = labelPosition(g, e, pick.t, pick.off);
    l.t = pick.t;
    l.off = pick.off;
    l.x = c.x;
    l.y = c.y;
    placed.push(labelRect(l));
  }
}
