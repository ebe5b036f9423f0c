/**
 * Merging a layout with the model: surviving nodes keep their positions, new ones go where the
 * automatic layout would put them relative to their construct or siblings.
 */
import { type NodeInfo, nodesOf } from "../model/graph";
import { type Layout, type Point, shownName } from "../model/state";
import { autoLayout } from "./auto";
import { type LayoutInput, indicatorBlocks } from "./blocks";
import { boxAround, boxesOverlap, nodeSize } from "./geometry";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = Math.floor(s.length / 2);
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
}

/**
 * Positions for every node: survivors keep `existing`, new nodes go where the automatic layout
 * puts them relative to their construct or siblings, nudged off any node they would overlap.
 * Positions of nodes no longer in the model are dropped.
 */
export function mergeLayout(existing: Layout, m: LayoutInput): Layout {
  const nodes = nodesOf({ table: m.table, latents: m.latents, extras: m.extras ?? [] });
  const out: Layout = {};
  const missing: NodeInfo[] = [];
  for (const n of nodes) {
    const p = existing[n.name];
    if (p) out[n.name] = { x: p.x, y: p.y };
    else missing.push(n);
  }
  if (missing.length === 0) return out;
  const auto = autoLayout(m);
  const survivors = nodes.filter((n) => out[n.name] && auto[n.name]);
  if (survivors.length === 0) return auto;
  const dx = median(survivors.map((n) => out[n.name]!.x - auto[n.name]!.x));
  const dy = median(survivors.map((n) => out[n.name]!.y - auto[n.name]!.y));
  const blocks = indicatorBlocks(m, nodes);
  const ownerOf = new Map<string, string>();
  for (const [o, ms] of blocks) for (const x of ms) ownerOf.set(x, o);
  const kinds = new Map(nodes.map((n) => [n.name, n.kind] as const));
  const boxOf = (name: string, p: Point) => {
    const s = nodeSize(shownName(name, m.labels), kinds.get(name) ?? "observed");
    return boxAround(p, s.w, s.h);
  };

  for (const n of missing) {
    const a = auto[n.name] ?? { x: 0, y: 0 };
    let p: Point = { x: a.x + dx, y: a.y + dy };
    let step: Point | null = null;
    const owner = ownerOf.get(n.name);
    if (owner && out[owner] && auto[owner]) {
      const sibs = (blocks.get(owner) ?? []).filter((s) => s !== n.name && out[s] && auto[s]);
      if (sibs.length >= 1) {
        // Continue the row/column from the sibling next to it in the automatic layout, however
        // the user arranged the others; if that slot is taken, the next one along.
        const dist = (s: string): number => Math.hypot(auto[s]!.x - a.x, auto[s]!.y - a.y);
        const near = sibs.reduce((best, s) => (dist(s) < dist(best) ? s : best));
        step = { x: a.x - auto[near]!.x, y: a.y - auto[near]!.y };
        p = { x: out[near]!.x + step.x, y: out[near]!.y + step.y };
      } else {
        p = { x: out[owner]!.x + (a.x - auto[owner]!.x), y: out[owner]!.y + (a.y - auto[owner]!.y) };
      }
    }
    out[n.name] = freeSpot(n.name, p, out, boxOf, step);
  }
  return out;
}

/** Clearance kept between a placed node and others; below the indicator gap so slots fit. */
const FREE_PAD = 8;

/**
 * Where `name` overlaps no placed node: `p`, else the next free slot along `step` (the row or
 * column of its siblings), else the nearest point on rings of growing radius.
 */
function freeSpot(
  name: string,
  p: Point,
  placed: Layout,
  boxOf: (n: string, p: Point) => { x: number; y: number; w: number; h: number },
  step: Point | null = null,
): Point {
  const others = Object.entries(placed).filter(([k]) => k !== name);
  const clear = (q: Point): boolean => {
    const b = boxOf(name, q);
    return others.every(([k, o]) => !boxesOverlap(b, boxOf(k, o), FREE_PAD));
  };
  if (clear(p)) return p;
  if (step && Math.hypot(step.x, step.y) > 1) {
    for (let k = 1; k <= 12; k++) {
      const q = { x: p.x + step.x * k, y: p.y + step.y * k };
      if (clear(q)) return q;
    }
  }
  for (let r = 24; r < 2000; r += 24) {
    const steps = Math.max(8, Math.round(r / 8));
    for (let i = 0; i < steps; i++) {
      const t = (2 * Math.PI * i) / steps + Math.PI / 2;
      const q = { x: p.x + r * Math.cos(t), y: p.y + r * Math.sin(t) };
      if (clear(q)) return q;
    }
  }
  return p;
}
