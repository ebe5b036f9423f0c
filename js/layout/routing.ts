/**
 * Keeping edges off nodes and apart: bending arrows and widening arcs that would cross a node,
 * and turning covariance ends that leave a node at nearly the same angle. Runs once per scene
 * build, after arc sides and nesting are known.
 */
import { angleDiff, boxAround, segmentHitsBox } from "./geometry";
import { edgeGeometry, normalOf } from "./edges";
import type { SceneEdge, SceneNode } from "./scene-types";

/** Natural departure angle of a covariance arc at each end (towards its control point). */
function covDepartures(e: SceneEdge, a: SceneNode, b: SceneNode): [number, number] {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const dist = Math.hypot(dx, dy) || 1;
  const n0 = normalOf(dx, dy);
  const bulge = Math.min(110, Math.max(26, dist * 0.24)) * e.bend;
  const cx = (a.x + b.x) / 2 + n0.x * bulge * 2;
  const cy = (a.y + b.y) / 2 + n0.y * bulge * 2;
  return [Math.atan2(cy - a.y, cx - a.x), Math.atan2(cy - b.y, cx - b.x)];
}

/**
 * Turn covariance ends that leave a node at nearly the same angle apart (>= ~29 degrees). Of two
 * arcs bulging to the same side, the longer one is turned further from its chord so the arcs
 * nest instead of crossing.
 */
export function spreadCovEnds(edges: SceneEdge[], byName: Map<string, SceneNode>): void {
  const MIN = 0.5;
  interface End { e: SceneEdge; atA: boolean; ang: number; base: number; span: number; side: number }
  const ends = new Map<string, End[]>();
  for (const e of edges) {
    if (e.shape !== "cov" || e.route) continue;
    const a = byName.get(e.from)!;
    const b = byName.get(e.to)!;
    const [aa, bb] = covDepartures(e, a, b);
    const span = Math.hypot(b.x - a.x, b.y - a.y);
    const push = (n: string, atA: boolean, ang: number, chord: number): void => {
      const list = ends.get(n) ?? [];
      list.push({ e, atA, ang, base: ang, span, side: Math.sign(angleDiff(ang, chord)) || 1 });
      ends.set(n, list);
    };
    push(e.from, true, aa, Math.atan2(b.y - a.y, b.x - a.x));
    push(e.to, false, bb, Math.atan2(a.y - b.y, a.x - b.x));
  }
  for (const list of ends.values()) {
    if (list.length < 2) continue;
    for (let it = 0; it < 8; it++) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const p = list[i]!;
          const q = list[j]!;
          const gap = Math.abs(angleDiff(p.ang, q.ang));
          if (gap >= MIN) continue;
          const d = (MIN - gap) / 2;
          const [outer, inner] = p.span >= q.span ? [p, q] : [q, p];
          if (outer.side === inner.side) {
            outer.ang += d * outer.side;
            inner.ang -= d * inner.side;
          } else {
            const s = angleDiff(p.ang, q.ang) >= 0 ? 1 : -1;
            p.ang += d * s;
            q.ang -= d * s;
          }
        }
      }
    }
    for (const x of list) {
      if (x.atA) x.e.turnA = angleDiff(x.ang, x.base);
      else x.e.turnB = angleDiff(x.ang, x.base);
    }
  }
}

/** True when the edge's drawn curve passes through a node other than its endpoints. */
function crossesNode(e: SceneEdge, byName: Map<string, SceneNode>): boolean {
  const a = byName.get(e.from)!;
  const b = byName.get(e.to)!;
  const poly = edgeGeometry(e, a, b).poly;
  for (const n of byName.values()) {
    if (n === a || n === b) continue;
    const box = boxAround(n, n.w + 8, n.h + 8);
    for (let i = 0; i + 1 < poly.length; i++) if (segmentHitsBox(poly[i]!, poly[i + 1]!, box)) return true;
  }
  return false;
}

/** Bend arrows and widen covariance arcs that would run through other nodes. */
export function avoidNodes(edges: SceneEdge[], byName: Map<string, SceneNode>): void {
  for (const e of edges) {
    if (e.shape === "var" || !crossesNode(e, byName)) continue;
    if (e.route) {
      // A routed arc only rises higher; its side and nesting order stay.
      const lift = e.route.lift;
      for (let k = 1; k <= 8 && crossesNode(e, byName); k++) e.route.lift = lift + 20 * k;
      if (crossesNode(e, byName)) e.route.lift = lift;
      continue;
    }
    const orig = e.bend;
    const tries =
      e.shape === "arrow"
        ? [30, -30, 55, -55, 80, -80, 110, -110, 150, -150]
        : [1.5, 2, 2.6, 3.3, -1, -1.5, -2, -2.6].map((k) => k * orig);
    let done = false;
    for (const k of tries) {
      e.bend = k;
      if (!crossesNode(e, byName)) {
        done = true;
        break;
      }
    }
    if (!done) e.bend = orig;
  }
}
