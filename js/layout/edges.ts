/**
 * Edge geometry for the current node positions: lines, curves, arrowheads, covariance arcs and
 * variance loops, plus the bounds of a scene. Pure and cheap, so dragging recomputes only the
 * edges of the moved nodes (ui/canvas.ts).
 */
import type { Point } from "../model/state";
import { LOOP_SPREAD, arcPoints } from "./arcs";
import { type Box, boundaryPoint, boxAround, outlineDistance } from "./geometry";
import type { EdgeGeom, EdgeLabel, Scene, SceneEdge, SceneNode } from "./scene-types";

const HEAD_LEN = 9;
const HEAD_HALF = 4;

export function arrowHead(tip: Point, from: Point): string {
  const dx = tip.x - from.x;
  const dy = tip.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const bx = tip.x - ux * HEAD_LEN;
  const by = tip.y - uy * HEAD_LEN;
  const p = (x: number, y: number): string => `${r2(x)},${r2(y)}`;
  return `M${p(tip.x, tip.y)}L${p(bx - uy * HEAD_HALF, by + ux * HEAD_HALF)}L${p(bx + uy * HEAD_HALF, by - ux * HEAD_HALF)}Z`;
}

function r2(v: number): number {
  return Math.round(v * 100) / 100;
}

function quad(a: Point, c: Point, b: Point, t: number): Point {
  const u = 1 - t;
  return { x: u * u * a.x + 2 * u * t * c.x + t * t * b.x, y: u * u * a.y + 2 * u * t * c.y + t * t * b.y };
}

function cubic(a: Point, c1: Point, c2: Point, b: Point, t: number): Point {
  const u = 1 - t;
  const k0 = u * u * u;
  const k1 = 3 * u * u * t;
  const k2 = 3 * u * t * t;
  const k3 = t * t * t;
  return {
    x: k0 * a.x + k1 * c1.x + k2 * c2.x + k3 * b.x,
    y: k0 * a.y + k1 * c1.y + k2 * c2.y + k3 * b.y,
  };
}

export function normalOf(dx: number, dy: number): Point {
  const len = Math.hypot(dx, dy) || 1;
  return { x: -dy / len, y: dx / len };
}

function rotateAbout(c: Point, p: Point, ang: number): Point {
  if (ang === 0) return p;
  const cos = Math.cos(ang);
  const sin = Math.sin(ang);
  const dx = p.x - c.x;
  const dy = p.y - c.y;
  return { x: c.x + dx * cos - dy * sin, y: c.y + dx * sin + dy * cos };
}

function curveGeom(s: Point, c: Point, t: Point, heads: string): EdgeGeom {
  const at = (u: number) => {
    const p = quad(s, c, t, u);
    const tx = 2 * (1 - u) * (c.x - s.x) + 2 * u * (t.x - c.x);
    const ty = 2 * (1 - u) * (c.y - s.y) + 2 * u * (t.y - c.y);
    return { p, n: normalOf(tx, ty) };
  };
  const poly: Point[] = [];
  for (let k = 0; k <= 10; k++) poly.push(quad(s, c, t, k / 10));
  return { d: `M${r2(s.x)},${r2(s.y)}Q${r2(c.x)},${r2(c.y)} ${r2(t.x)},${r2(t.y)}`, heads, at, poly };
}

function cubicGeom(s: Point, c1: Point, c2: Point, t: Point, heads: string, samples: number): EdgeGeom {
  const at = (u: number) => {
    const v = 1 - u;
    const tx = 3 * v * v * (c1.x - s.x) + 6 * v * u * (c2.x - c1.x) + 3 * u * u * (t.x - c2.x);
    const ty = 3 * v * v * (c1.y - s.y) + 6 * v * u * (c2.y - c1.y) + 3 * u * u * (t.y - c2.y);
    return { p: cubic(s, c1, c2, t, u), n: normalOf(tx, ty) };
  };
  const poly: Point[] = [];
  for (let k = 0; k <= samples; k++) poly.push(cubic(s, c1, c2, t, k / samples));
  const p = (q: Point): string => `${r2(q.x)},${r2(q.y)}`;
  return { d: `M${p(s)}C${p(c1)} ${p(c2)} ${p(t)}`, heads, at, poly };
}

/** Geometry of an edge between its two (current) node positions. */
export function edgeGeometry(e: SceneEdge, a: SceneNode, b: SceneNode): EdgeGeom {
  if (e.shape === "arrow" && e.bend !== 0) {
    // A bent arrow (it would otherwise cross a node): quadratic curve, apex `bend` off the chord.
    const n0 = normalOf(b.x - a.x, b.y - a.y);
    const ctrl = { x: (a.x + b.x) / 2 + n0.x * e.bend * 2, y: (a.y + b.y) / 2 + n0.y * e.bend * 2 };
    const s = boundaryPoint(a, a.kind, a.w, a.h, ctrl);
    const t = boundaryPoint(b, b.kind, b.w, b.h, ctrl);
    const c = { x: (s.x + t.x) / 2 + n0.x * e.bend * 2, y: (s.y + t.y) / 2 + n0.y * e.bend * 2 };
    return curveGeom(s, c, t, arrowHead(t, c));
  }
  if (e.shape === "arrow") {
    const s = boundaryPoint(a, a.kind, a.w, a.h, b);
    const t = boundaryPoint(b, b.kind, b.w, b.h, a);
    const n = normalOf(t.x - s.x, t.y - s.y);
    const len = Math.hypot(t.x - s.x, t.y - s.y) || 1;
    // Stop the line inside the arrowhead so its end does not poke through the tip.
    const endX = t.x - ((t.x - s.x) / len) * (HEAD_LEN - 2);
    const endY = t.y - ((t.y - s.y) / len) * (HEAD_LEN - 2);
    return {
      d: `M${r2(s.x)},${r2(s.y)}L${r2(endX)},${r2(endY)}`,
      heads: arrowHead(t, s),
      at: (u) => ({ p: { x: s.x + (t.x - s.x) * u, y: s.y + (t.y - s.y) * u }, n }),
      poly: [s, t],
    };
  }
  if (e.shape === "cov" && e.route) {
    const [s, c1, c2, t] = arcPoints(e, a, b);
    return cubicGeom(s, c1, c2, t, arrowHead(s, c1) + arrowHead(t, c2), 16);
  }
  if (e.shape === "cov") {
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const dist = Math.hypot(dx, dy) || 1;
    const n0 = normalOf(dx, dy);
    const bulge = Math.min(110, Math.max(26, dist * 0.24)) * e.bend;
    const ctrl = { x: (a.x + b.x) / 2 + n0.x * bulge * 2, y: (a.y + b.y) / 2 + n0.y * bulge * 2 };
    const s = boundaryPoint(a, a.kind, a.w, a.h, rotateAbout(a, ctrl, e.turnA ?? 0));
    const t = boundaryPoint(b, b.kind, b.w, b.h, rotateAbout(b, ctrl, e.turnB ?? 0));
    // Recompute the control point so the curve's apex stays `bulge` from the chord.
    const c = { x: (s.x + t.x) / 2 + n0.x * bulge * 2, y: (s.y + t.y) / 2 + n0.y * bulge * 2 };
    return curveGeom(s, c, t, arrowHead(s, c) + arrowHead(t, c));
  }
  // Variance: a loop on the node's outline around the outward angle `bend`.
  const ang = e.bend;
  const spread = LOOP_SPREAD;
  const dir = (q: number): Point => ({ x: Math.cos(q), y: Math.sin(q) });
  const d1 = dir(ang - spread);
  const d2 = dir(ang + spread);
  const r1 = outlineDistance(a.kind, a.w, a.h, d1.x, d1.y);
  const rr = outlineDistance(a.kind, a.w, a.h, d2.x, d2.y);
  const p1 = { x: a.x + d1.x * r1, y: a.y + d1.y * r1 };
  const p2 = { x: a.x + d2.x * rr, y: a.y + d2.y * rr };
  const out = dir(ang);
  const reach = 34;
  const c1 = { x: p1.x + (d1.x + out.x) * reach * 0.6, y: p1.y + (d1.y + out.y) * reach * 0.6 };
  const c2 = { x: p2.x + (d2.x + out.x) * reach * 0.6, y: p2.y + (d2.y + out.y) * reach * 0.6 };
  const poly: Point[] = [];
  for (let k = 0; k <= 6; k++) poly.push(cubic(p1, c1, c2, p2, k / 6));
  return {
    d: `M${r2(p1.x)},${r2(p1.y)}C${r2(c1.x)},${r2(c1.y)} ${r2(c2.x)},${r2(c2.y)} ${r2(p2.x)},${r2(p2.y)}`,
    heads: arrowHead(p1, c1) + arrowHead(p2, c2),
    at: () => ({ p: cubic(p1, c1, c2, p2, 0.5), n: out }),
    poly,
  };
}

/** The box of a label placed at its centre. */
export function labelRect(l: EdgeLabel): Box {
  return boxAround({ x: l.x, y: l.y }, l.w, l.h);
}

/** Bounding box of everything drawn. */
/** The box of an error circle's variance text (see scene.ts, `varianceNote`). */
export function noteBox(n: SceneNode): Box {
  const t = n.note!;
  const x = t.anchor === "start" ? n.x + t.dx : n.x + t.dx - t.w / 2;
  return { x, y: n.y + t.dy - t.h / 2, w: t.w, h: t.h };
}

export function sceneBounds(scene: Scene): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  const grow = (b: Box): void => {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  };
  for (const n of scene.nodes) {
    grow(boxAround(n, n.w, n.h));
    if (n.note) grow(noteBox(n));
  }
  for (const e of scene.edges) {
    const a = scene.byName.get(e.from);
    const b = scene.byName.get(e.to);
    if (!a || !b) continue;
    for (const p of edgeGeometry(e, a, b).poly) grow({ x: p.x, y: p.y, w: 0, h: 0 });
    if (e.label) grow(labelRect(e.label));
  }
  for (const m of scene.moderations ?? []) if (m.label) grow(labelRect(m.label));
  if (!Number.isFinite(x0)) return { x: 0, y: 0, w: 400, h: 300 };
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
