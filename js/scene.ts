/**
 * The diagram as geometry: node boxes, edge curves, arrowheads and label texts, computed from
 * the state and the layout. Pure; shared by the renderer, label placement and drag updates.
 */
import { type ArcRoute, LOOP_SPREAD, type LoopInfo, arcPoints, chooseArcSides, loopTilt, planArcs } from "./arcs";
import { fmt, stars } from "./format";
import { formatNumber } from "./emit";
import {
  FONT_LABEL,
  type Box,
  type NodeKind,
  boundaryPoint,
  boxAround,
  nodeSize,
  outlineDistance,
  textWidth,
} from "./geometry";
import { ghostLabel } from "./ghosts";
import { nodesOf } from "./graph";
import type { DiagramState, EdgeResult, GhostSuggestion, Layout, Point, TableRow } from "./model";
import { EDGE_OPS, edgeKey } from "./model";

export interface SceneNode {
  name: string;
  kind: NodeKind;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Text shown under the name, e.g. "R² = 0.60"; "" for none. */
  r2: string;
}

export type EdgeShape = "arrow" | "cov" | "var";

export interface EdgeLabel {
  lines: string[];
  /** "coef" after a fit, "modifier" for fixed values and labels before it, "mi" on ghosts. */
  role: "coef" | "modifier" | "mi";
  w: number;
  h: number;
  /** Placement: parameter along the edge and signed offset along its normal. */
  t: number;
  off: number;
  x: number;
  y: number;
}

export interface SceneEdge {
  key: string;
  lhs: string;
  op: string;
  rhs: string;
  shape: EdgeShape;
  /** Drawn from `from` to `to` (arrowhead at `to`; both ends for covariances). */
  from: string;
  to: string;
  /** Side of the curve of a covariance (+1/-1) or outward angle of a variance loop. */
  bend: number;
  /** Covariances: extra turn (radians) of the departure at `from` / `to`, spreading arcs apart. */
  turnA?: number;
  turnB?: number;
  /** Covariances along a row or column: drawn as a nested arc on one side (see arcs.ts). */
  route?: ArcRoute;
  label: EdgeLabel | null;
  /** A suggested parameter (modification index), drawn dashed; not part of the model. */
  ghost?: GhostSuggestion;
}

export interface Scene {
  nodes: SceneNode[];
  byName: Map<string, SceneNode>;
  edges: SceneEdge[];
  fitted: boolean;
}

export interface EdgeGeom {
  /** Path of the line itself. */
  d: string;
  /** Path of the arrowhead(s). */
  heads: string;
  /** Point and unit normal at parameter t in [0, 1] along the visible part. */
  at(t: number): { p: Point; n: Point };
  /** Straight segments approximating the edge (for label/edge crossing tests). */
  poly: Point[];
}

const HEAD_LEN = 9;
const HEAD_HALF = 4;
const LINE_H = 13;

function arrowHead(tip: Point, from: Point): string {
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

function normalOf(dx: number, dy: number): Point {
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

function angleDiff(a: number, b: number): number {
  let d = a - b;
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d < -Math.PI) d += 2 * Math.PI;
  return d;
}

/**
 * Turn covariance ends that leave a node at nearly the same angle apart (>= ~29 degrees). Of two
 * arcs bulging to the same side, the longer one is turned further from its chord so the arcs
 * nest instead of crossing.
 */
function spreadCovEnds(edges: SceneEdge[], byName: Map<string, SceneNode>): void {
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

function resultValue(r: EdgeResult, standardized: boolean): number | null {
  const std = r.std ?? null;
  const est = r.est ?? null;
  return standardized ? (std ?? est) : (est ?? std);
}

function labelBox(lines: string[], role: EdgeLabel["role"]): EdgeLabel {
  const w = Math.max(...lines.map((l) => textWidth(l, FONT_LABEL))) + 6;
  return { lines, role, w, h: lines.length * LINE_H + 3, t: 0.5, off: 0, x: 0, y: 0 };
}

function edgeLabel(row: Pick<TableRow, "free" | "ustart" | "label" | "freed"> | null, res: EdgeResult | undefined, st: DiagramState): EdgeLabel | null {
  const o = st.options;
  if (res) {
    const v = resultValue(res, o.standardized);
    if (v === null) return null;
    const name = row?.label || res.label || "";
    let first = `${fmt(v, o.digits)}${o.stars ? stars(res.pvalue) : ""}`;
    if (name) first = `${name} = ${first}`;
    const lines = [first];
    // SE and CI belong to the unstandardized estimate; PLS estimates are standardized already.
    const pls = (st.results?.engine ?? st.engine) === "pls";
    if (!o.standardized || pls) {
      const se = res.se ?? null;
      const lo = res.ci_lower ?? null;
      const hi = res.ci_upper ?? null;
      if (o.se && se !== null && Number.isFinite(se) && se > 0) lines.push(`(${fmt(se, o.digits)})`);
      if (o.ci && lo !== null && hi !== null && Number.isFinite(lo) && Number.isFinite(hi) && lo !== hi) {
        lines.push(`[${fmt(lo, o.digits)}, ${fmt(hi, o.digits)}]`);
      }
    }
    return labelBox(lines, "coef");
  }
  if (!row) return null;
  const parts: string[] = [];
  if (row.label) parts.push(row.label);
  if (row.free === 0 && row.ustart !== null) parts.push(formatNumber(row.ustart));
  else if (row.freed === 1) parts.push("NA");
  if (parts.length === 0) return null;
  return labelBox([parts.join(" = ")], "modifier");
}

/** Build the scene. `layout` must hold a position for every node (see layout.mergeLayout). */
export function buildScene(st: DiagramState, layout: Layout): Scene {
  const infos = nodesOf({ table: st.table, latents: st.latents, extras: st.extras ?? [] });
  const res = st.results && st.results.edges ? st.results : null;
  const fitted = res !== null && Object.keys(res.edges ?? {}).length > 0;
  const r2 = st.results?.r2 ?? {};
  const nodes: SceneNode[] = [];
  for (const n of infos) {
    const p = layout[n.name];
    if (!p) continue;
    const s = nodeSize(n.name, n.kind);
    const rv = r2[n.name];
    const showR2 = fitted && st.options.r2 && typeof rv === "number" && Number.isFinite(rv);
    nodes.push({ name: n.name, kind: n.kind, x: p.x, y: p.y, w: s.w, h: s.h, r2: showR2 ? `R\u00b2 = ${fmt(rv, st.options.digits)}` : "" });
  }
  const byName = new Map(nodes.map((n) => [n.name, n] as const));
  const cx = nodes.reduce((a, n) => a + n.x, 0) / (nodes.length || 1);
  const cy = nodes.reduce((a, n) => a + n.y, 0) / (nodes.length || 1);

  const edges: SceneEdge[] = [];
  const seen = new Set<string>();
  const addEdge = (lhs: string, op: string, rhs: string, row: TableRow | null, ghost?: GhostSuggestion): void => {
    const key = edgeKey({ lhs, op: op as TableRow["op"], rhs });
    if (seen.has(key) || !byName.has(lhs) || !byName.has(rhs)) return;
    if (op === "~~" && seen.has(`${rhs} ~~ ${lhs}`)) return;
    seen.add(key);
    const r = fitted && !ghost ? res!.edges![key] ?? (op === "~~" ? res!.edges![`${rhs} ~~ ${lhs}`] : undefined) : undefined;
    let shape: EdgeShape = "arrow";
    let from = lhs;
    let to = rhs;
    const bend = 0;
    if (op === "~" || op === "<~") {
      from = rhs;
      to = lhs;
    } else if (op === "~~") {
      // Sides of arcs and loops are chosen once every edge is known (below).
      shape = lhs === rhs ? "var" : "cov";
    }
    const label = ghost ? labelBox([ghostLabel(ghost)], "mi") : edgeLabel(row, r, st);
    edges.push({ key, lhs, op, rhs, shape, from, to, bend, label, ...(ghost ? { ghost } : {}) });
  };
  for (const row of st.table) {
    if (!EDGE_OPS.has(row.op)) continue;
    addEdge(row.lhs, row.op, row.rhs, row);
  }
  if (fitted) {
    // Covariances the defaults added (e.g. between latent factors) are part of the fitted model;
    // residual variances only when asked for.
    for (const key of Object.keys(res!.edges!)) {
      const [lhs, op, rhs] = key.split(" ");
      if (op !== "~~" || lhs === undefined || rhs === undefined) continue;
      if (lhs !== rhs || st.options.residuals) addEdge(lhs, op, rhs, null);
    }
  }
  // Suggested parameters between drawn nodes that the model does not have yet; they take part
  // in arc sides, nesting and bending like real edges, so they are drawn where they would go.
  for (const g of st.ghosts ?? []) if (g.lhs !== g.rhs) addEdge(g.lhs, g.op, g.rhs, null, g);
  const ownerOf = new Map<string, string>();
  for (const r of st.table) {
    if ((r.op === "=~" || r.op === "<~") && byName.get(r.rhs)?.kind === "observed" && byName.has(r.lhs) && !ownerOf.has(r.rhs)) {
      ownerOf.set(r.rhs, r.lhs);
    }
  }
  chooseArcSides(edges, byName, ownerOf, { x: cx, y: cy });
  const arcSides = new Map<string, number[]>();
  for (const e of edges) {
    if (!e.route) continue;
    for (const n of [e.from, e.to]) arcSides.set(n, [...(arcSides.get(n) ?? []), Math.atan2(e.route.dy, e.route.dx)]);
  }
  const loops = new Map<string, LoopInfo>();
  let arcLabelH = 0;
  for (const e of edges) {
    if (e.shape === "var") {
      e.bend = loopAngle(e.from, byName, st, ownerOf, arcSides.get(e.from) ?? []);
      const side = { x: Math.round(Math.cos(e.bend)), y: Math.round(Math.sin(e.bend)) };
      e.bend += loopTilt(e.from, side, edges, byName);
      loops.set(e.from, { dir: { x: Math.cos(e.bend), y: Math.sin(e.bend) }, reach: 32 + (e.label ? e.label.h + 4 : 0) });
    } else if (e.route && e.label) {
      arcLabelH = Math.max(arcLabelH, e.label.h);
    }
  }
  planArcs(edges, nodes, byName, loops, arcLabelH);
  avoidNodes(edges, byName);
  spreadCovEnds(edges, byName);
  // Covariances under directed paths so arrows stay on top.
  edges.sort((p, q) => (p.shape === "arrow" ? 1 : 0) - (q.shape === "arrow" ? 1 : 0));
  return { nodes, byName, edges, fitted };
}

/**
 * Outward angle of a variance loop, on an axis so loops sit squarely above/below/beside nodes:
 * an indicator's loop points away from its construct; any other node's loop goes where its edges
 * (and the covariance arcs routed on its sides, at angles `arcSides`) leave the most room.
 */
function loopAngle(
  name: string,
  byName: Map<string, SceneNode>,
  st: DiagramState,
  ownerOf: Map<string, string>,
  arcSides: number[],
): number {
  const n = byName.get(name)!;
  const axes = [-Math.PI / 2, Math.PI / 2, 0, Math.PI];
  const snap = (ang: number): number => Math.round(ang / (Math.PI / 2)) * (Math.PI / 2);
  const owner = ownerOf.get(name);
  if (owner) {
    const c = byName.get(owner)!;
    return snap(Math.atan2(n.y - c.y, n.x - c.x));
  }
  const dirs: number[] = [...arcSides];
  for (const r of st.table) {
    if (!EDGE_OPS.has(r.op) || r.lhs === r.rhs) continue;
    const other = r.lhs === name ? r.rhs : r.rhs === name ? r.lhs : null;
    const o = other ? byName.get(other) : undefined;
    if (o) dirs.push(Math.atan2(o.y - n.y, o.x - n.x));
  }
  let best = axes[0]!;
  let room = -1;
  for (const ax of axes) {
    const clear = dirs.length ? Math.min(...dirs.map((d) => Math.abs(angleDiff(ax, d)))) : Math.PI;
    if (clear > room + 1e-6) {
      room = clear;
      best = ax;
    }
  }
  return best;
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
function avoidNodes(edges: SceneEdge[], byName: Map<string, SceneNode>): void {
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

/** Segment/box intersection (Liang-Barsky clipping). */
export function segmentHitsBox(a: Point, b: Point, r: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const checks: Array<[number, number]> = [
    [-dx, a.x - r.x],
    [dx, r.x + r.w - a.x],
    [-dy, a.y - r.y],
    [dy, r.y + r.h - a.y],
  ];
  for (const [p, q] of checks) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) {
        if (t > t1) return false;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return false;
        if (t < t1) t1 = t;
      }
    }
  }
  return true;
}

/** The box of a label placed at its centre. */
export function labelRect(l: EdgeLabel): Box {
  return boxAround({ x: l.x, y: l.y }, l.w, l.h);
}

/** Bounding box of everything drawn. */
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
  for (const n of scene.nodes) grow(boxAround(n, n.w, n.h));
  for (const e of scene.edges) {
    const a = scene.byName.get(e.from);
    const b = scene.byName.get(e.to);
    if (!a || !b) continue;
    for (const p of edgeGeometry(e, a, b).poly) grow({ x: p.x, y: p.y, w: 0, h: 0 });
    if (e.label) grow(labelRect(e.label));
  }
  if (!Number.isFinite(x0)) return { x: 0, y: 0, w: 400, h: 300 };
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
