/**
 * Covariance arcs drawn as nested "rainbows" on one side of their nodes. An arc between two
 * nodes of a row (or column) leaves both nodes on the side away from their construct, rises
 * perpendicular to the row and spans it; arcs nest by span (shorter inside longer, each level one
 * label height above the one it encloses or would otherwise cross), and the arcs ending on one
 * node are spread along that node's side so their arrowheads stay apart.
 */
import type { Point } from "../model/state";
import { outlineDistance } from "./geometry";
import type { SceneEdge, SceneNode } from "./scene-types";

/** Largest tilt of a chord from the row direction (cos 35 degrees) that still gets a rainbow. */
const MIN_ROW_COS = 0.82;
/** Spacing of attachment points on one node side (at most; less only on crowded small nodes). */
export const PORT_GAP = 24;
/** Half-angle (radians) between a variance loop's two ends on the outline. */
export const LOOP_SPREAD = 0.5;

/** A variance loop drawn on a node: outward unit direction and its reach including the label. */
export interface LoopInfo {
  dir: Point;
  reach: number;
}

function dot(p: Point, q: Point): number {
  return p.x * q.x + p.y * q.y;
}

/** Half-extent of a node along unit axis `v` (v is one of the four axes). */
function half(n: SceneNode, v: Point): number {
  return Math.abs(v.x) * (n.w / 2) + Math.abs(v.y) * (n.h / 2);
}

/** Distance from the centre to the outline along `d`, at offset `o` along the side. */
export function sideDepth(n: SceneNode, d: Point, o: number): number {
  const u = { x: -d.y, y: d.x };
  const hu = half(n, u);
  const hd = half(n, d);
  const x = Math.min(Math.abs(o), hu);
  if (n.kind === "observed") return hd;
  if (n.kind === "latent") return hd * Math.sqrt(Math.max(0, 1 - (x / hu) ** 2));
  // Hexagon: flat top and bottom, pointed left and right.
  const i = Math.min(n.h / 2, n.w / 4);
  if (d.y !== 0) {
    const flat = n.w / 2 - i;
    return x <= flat ? hd : (hd * Math.max(0, n.w / 2 - x)) / i;
  }
  return n.w / 2 - (i * x) / (n.h / 2);
}

/** How far from the centre along the side attachment points may go. */
function usable(n: SceneNode, d: Point): number {
  const u = { x: -d.y, y: d.x };
  const hu = half(n, u);
  if (n.kind === "observed") return hu - 5;
  if (n.kind === "latent") return hu * 0.6;
  return d.y !== 0 ? n.w / 2 - Math.min(n.h / 2, n.w / 4) : hu * 0.5;
}

/** Start, controls and end of a routed arc (a cubic Bezier) for the nodes' current positions. */
export function arcPoints(e: SceneEdge, a: SceneNode, b: SceneNode): [Point, Point, Point, Point] {
  const r = e.route!;
  const d = { x: r.dx, y: r.dy };
  const u = { x: -r.dy, y: r.dx };
  const port = (n: SceneNode, o: number): Point => {
    const k = sideDepth(n, d, o);
    return { x: n.x + u.x * o + d.x * k, y: n.y + u.y * o + d.y * k };
  };
  const s = port(a, r.offA);
  const t = port(b, r.offB);
  const apex = Math.max(dot(a, d) + half(a, d), dot(b, d) + half(b, d)) + r.lift;
  // A cubic with both controls at depth C peaks at (s + t) / 8 + 3C / 4 along d.
  const c = (apex - (dot(s, d) + dot(t, d)) / 8) / 0.75;
  const c1 = { x: s.x + d.x * (c - dot(s, d)), y: s.y + d.y * (c - dot(s, d)) };
  const c2 = { x: t.x + d.x * (c - dot(t, d)), y: t.y + d.y * (c - dot(t, d)) };
  return [s, c1, c2, t];
}

function unit(x: number, y: number): Point {
  const len = Math.hypot(x, y);
  return len < 1e-9 ? { x: 0, y: 0 } : { x: x / len, y: y / len };
}

/**
 * Choose the side of every covariance arc: away from the constructs of its nodes (indicators),
 * away from the indicators of its nodes (constructs), else away from the diagram's centre. Sets `bend` (+1/-1, side of the chord's normal) and, for
 * arcs whose chord runs within ~35 degrees of an axis, a `route` bulging perpendicular to it.
 */
export function chooseArcSides(
  edges: SceneEdge[],
  byName: Map<string, SceneNode>,
  ownerOf: Map<string, string>,
  centre: Point,
): void {
  // A construct's arcs go to the side away from its own indicators (in a folded measurement
  // model the top row's indicators are above, so its covariances run below, between the rows).
  const members = new Map<string, SceneNode[]>();
  for (const [m, o] of ownerOf) {
    const n = byName.get(m);
    if (n) members.set(o, [...(members.get(o) ?? []), n]);
  }
  const outward = (n: SceneNode): Point => {
    const o = byName.get(ownerOf.get(n.name) ?? "");
    if (o) return unit(n.x - o.x, n.y - o.y);
    const ms = members.get(n.name);
    if (!ms?.length) return { x: 0, y: 0 };
    const mx = ms.reduce((a, q) => a + q.x, 0) / ms.length;
    const my = ms.reduce((a, q) => a + q.y, 0) / ms.length;
    return unit(n.x - mx, n.y - my);
  };
  for (const e of edges) {
    if (e.shape !== "cov") continue;
    const a = byName.get(e.from)!;
    const b = byName.get(e.to)!;
    const ch = unit(b.x - a.x, b.y - a.y);
    if (ch.x === 0 && ch.y === 0) {
      // Two nodes on one spot (mid-drag): any side will do.
      e.bend = 1;
      delete e.route;
      continue;
    }
    const nrm = { x: -ch.y, y: ch.x };
    const oa = outward(a);
    const ob = outward(b);
    const proj = dot(nrm, { x: oa.x + ob.x, y: oa.y + ob.y });
    const mid = { x: (a.x + b.x) / 2 - centre.x, y: (a.y + b.y) / 2 - centre.y };
    e.bend = Math.abs(proj) > 0.3 ? Math.sign(proj) : dot(nrm, mid) >= 0 ? 1 : -1;
    if (dot(oa, ob) < -0.5) {
      // Constructs whose indicators face opposite ways (rows of a folded model): a nearly
      // straight line through the band between them. A full bulge (bend 1) swings long chords
      // out over a row of indicators; bowed towards the diagram's centre they stay in the band.
      e.bend = (dot(nrm, mid) >= 0 ? -1 : 1) * FACING_BEND;
      delete e.route;
      continue;
    }
    const v = { x: nrm.x * e.bend, y: nrm.y * e.bend };
    const axis = Math.abs(v.y) >= Math.abs(v.x) ? { x: 0, y: Math.sign(v.y) } : { x: Math.sign(v.x), y: 0 };
    delete e.route;
    if (dot(v, axis) >= MIN_ROW_COS) e.route = { dx: axis.x, dy: axis.y, offA: 0, offB: 0, lift: 0 };
  }
}

/** Bulge of a covariance between facing rows, as a fraction of a free arc's. */
export const FACING_BEND = 0.22;

interface Plan {
  e: SceneEdge;
  key: string;
  lo: number;
  hi: number;
  /** Outer side of the farther endpoint along d (where `lift` is measured from). */
  base0: number;
  apex: number;
}

/**
 * Heights and attachment points of the routed arcs. `labelH` is the tallest arc label (0 before
 * a fit): nested levels are that far apart so a label on an arc's apex clears its neighbours.
 */
export function planArcs(
  edges: SceneEdge[],
  nodes: SceneNode[],
  byName: Map<string, SceneNode>,
  loops: Map<string, LoopInfo>,
  labelH: number,
): void {
  const step = Math.max(14, labelH + 7);
  const rise = Math.max(18, labelH / 2 + 14);
  const plans: Plan[] = [];
  for (const e of edges) {
    const r = e.route;
    if (!r) continue;
    const a = byName.get(e.from)!;
    const b = byName.get(e.to)!;
    const d = { x: r.dx, y: r.dy };
    const u = { x: -r.dy, y: r.dx };
    const pa = dot(a, u);
    const pb = dot(b, u);
    const lo = Math.min(pa, pb);
    const hi = Math.max(pa, pb);
    const base0 = Math.max(dot(a, d) + half(a, d), dot(b, d) + half(b, d));
    // Clear nodes of the same row between the ends (taller ones, loops on this side).
    let base = base0;
    for (const m of nodes) {
      const pm = dot(m, u);
      const hu = half(m, u);
      if (m !== a && m !== b && (pm + hu <= lo || pm - hu >= hi)) continue;
      const inner = dot(m, d) - half(m, d);
      const outer = dot(m, d) + half(m, d);
      if (inner > base0 + rise + 3 * step || outer < base0 - 12) continue;
      base = Math.max(base, outer);
      const loop = loops.get(m.name);
      if (loop && dot(loop.dir, d) > 0.7) base = Math.max(base, outer + loop.reach);
    }
    const span = hi - lo;
    plans.push({ e, key: `${r.dx},${r.dy}`, lo, hi, base0, apex: base + rise + Math.min(24, span * 0.035) });
  }
  plans.sort((p, q) => p.hi - p.lo - (q.hi - q.lo) || p.lo - q.lo);
  for (let i = 0; i < plans.length; i++) {
    const p = plans[i]!;
    for (let j = 0; j < i; j++) {
      const q = plans[j]!;
      if (q.key !== p.key || Math.abs(q.base0 - p.base0) > 100) continue;
      // Enclosed or interleaved (sharing more than an end point): go one level above it.
      if (Math.min(p.hi, q.hi) - Math.max(p.lo, q.lo) > 1) p.apex = Math.max(p.apex, q.apex + step);
    }
    p.e.route!.lift = p.apex - p.base0;
  }
  spreadPorts(plans, byName, loops);
}

/**
 * Attachment points on each node side: arcs leaving towards negative u on the negative half,
 * the others on the positive half, higher arcs nearer the middle, so nested arcs do not cross
 * near their ends; a variance loop on that side keeps the middle free.
 */
function spreadPorts(plans: Plan[], byName: Map<string, SceneNode>, loops: Map<string, LoopInfo>): void {
  interface Port { p: Plan; atA: boolean; neg: boolean; far: number }
  const sides = new Map<string, Port[]>();
  for (const p of plans) {
    const r = p.e.route!;
    const u = { x: -r.dy, y: r.dx };
    const a = byName.get(p.e.from)!;
    const b = byName.get(p.e.to)!;
    const ab = dot(b, u) - dot(a, u);
    const add = (n: string, atA: boolean, neg: boolean): void => {
      const k = `${n}\u0000${p.key}`;
      const list = sides.get(k) ?? [];
      list.push({ p, atA, neg, far: Math.abs(ab) });
      sides.set(k, list);
    };
    add(p.e.from, true, ab < 0);
    add(p.e.to, false, ab > 0);
  }
  for (const [k, list] of sides) {
    const n = byName.get(k.split("\u0000")[0]!)!;
    const r0 = list[0]!.p.e.route!;
    const d = { x: r0.dx, y: r0.dy };
    const neg = list.filter((x) => x.neg).sort((x, y) => x.p.apex - y.p.apex || x.far - y.far);
    const pos = list.filter((x) => !x.neg).sort((x, y) => y.p.apex - x.p.apex || y.far - x.far);
    const ordered = [...neg, ...pos];
    const room = usable(n, d);
    const loop = loops.get(n.name);
    const offs: number[] = [];
    if (loop && dot(loop.dir, d) > 0.7) {
      // Ports start beside the loop's two ends (the loop may be tilted to one side).
      const [lo, hi] = loopExtent(n, loop.dir, d);
      const negStart = Math.max(lo - 5, -room * 0.7);
      const posStart = Math.min(hi + 5, room * 0.7);
      const gapN = neg.length > 1 ? Math.min(PORT_GAP, (negStart + room) / (neg.length - 1)) : 0;
      const gapP = pos.length > 1 ? Math.min(PORT_GAP, (room - posStart) / (pos.length - 1)) : 0;
      neg.forEach((_, i) => offs.push(negStart - (neg.length - 1 - i) * gapN));
      pos.forEach((_, i) => offs.push(posStart + i * gapP));
    } else {
      const m = ordered.length;
      const gap = m > 1 ? Math.min(PORT_GAP, (2 * room) / (m - 1)) : 0;
      ordered.forEach((_, i) => offs.push((i - (m - 1) / 2) * gap));
    }
    ordered.forEach((x, i) => {
      if (x.atA) x.p.e.route!.offA = offs[i]!;
      else x.p.e.route!.offB = offs[i]!;
    });
  }
}

/** Where a variance loop meets the node, as offsets along the side (arrowheads included). */
function loopExtent(n: SceneNode, dir: Point, d: Point): [number, number] {
  const u = { x: -d.y, y: d.x };
  const ang = Math.atan2(dir.y, dir.x);
  const ends = [-LOOP_SPREAD, LOOP_SPREAD].map((s) => {
    const q = { x: Math.cos(ang + s), y: Math.sin(ang + s) };
    return dot(q, u) * outlineDistance(n.kind, n.w, n.h, q.x, q.y);
  });
  return [Math.min(...ends) - 4, Math.max(...ends) + 4];
}

/**
 * Tilt (radians, towards +u or -u of side `d`) for a variance loop on a side where covariance
 * arcs also end: when they all leave one way, the loop and its label lean the other way.
 */
export function loopTilt(name: string, d: Point, edges: SceneEdge[], byName: Map<string, SceneNode>): number {
  const n = byName.get(name)!;
  const u = { x: -d.y, y: d.x };
  let neg = 0;
  let pos = 0;
  for (const e of edges) {
    const r = e.route;
    if (!r || r.dx !== d.x || r.dy !== d.y || (e.from !== name && e.to !== name)) continue;
    const other = byName.get(e.from === name ? e.to : e.from)!;
    if (dot(other, u) < dot(n, u)) neg++;
    else pos++;
  }
  if (neg > 0 && pos === 0) return LOOP_TILT;
  if (pos > 0 && neg === 0) return -LOOP_TILT;
  return 0;
}

/** How far a loop leans away from arcs leaving its side one way. */
const LOOP_TILT = 0.45;
