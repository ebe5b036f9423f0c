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
  const kinds = new Map(nodes.map((n) => [n.name, n.kind] as const));
  const boxOf = (name: string, p: Point) => {
    const s = nodeSize(shownName(name, m.labels), kinds.get(name) ?? "observed");
    return boxAround(p, s.w, s.h);
  };
  const blocks = indicatorBlocks(m, nodes);
  const quick = besideSiblings(blocks, out, missing, boxOf);
  if (quick) return quick;
  const auto = autoLayout(m);
  const survivors = nodes.filter((n) => out[n.name] && auto[n.name]);
  if (survivors.length === 0) return auto;
  const dx = median(survivors.map((n) => out[n.name]!.x - auto[n.name]!.x));
  const dy = median(survivors.map((n) => out[n.name]!.y - auto[n.name]!.y));
  const ownerOf = owners(blocks);

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

type BoxOf = (n: string, p: Point) => { x: number; y: number; w: number; h: number };

function owners(blocks: Map<string, string[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [o, ms] of blocks) for (const x of ms) out.set(x, o);
  return out;
}

/**
 * New indicators of a construct with two or more placed indicators continue their row (or
 * column) by the step between the last two, without laying out the whole model: on a 100-node
 * model that layout is most of the cost of adding one indicator. Null when a new node is not
 * such an indicator, or its siblings do not stand in a straight row (a folded block): then the
 * automatic layout decides.
 */
function besideSiblings(blocks: Map<string, string[]>, existing: Layout, missing: NodeInfo[], boxOf: BoxOf): Layout | null {
  const ownerOf = owners(blocks);
  const out: Layout = { ...existing };
  for (const n of missing) {
    const owner = ownerOf.get(n.name);
    if (!owner || !existing[owner]) return null;
    const row = (blocks.get(owner) ?? []).filter((s) => s !== n.name && existing[s]).map((s) => existing[s]!);
    if (row.length < 2) return null;
    const [a, b] = [row[row.length - 2]!, row[row.length - 1]!];
    const step = { x: b.x - a.x, y: b.y - a.y };
    if (Math.hypot(step.x, step.y) < 1) return null;
    if (row.length >= 3) {
      // the one before goes the same way (a gap where an indicator was removed is fine)
      const c = row[row.length - 3]!;
      const back = { x: a.x - c.x, y: a.y - c.y };
      const cross = Math.abs(back.x * step.y - back.y * step.x);
      if (back.x * step.x + back.y * step.y <= 0 || cross > 0.05 * Math.hypot(back.x, back.y) * Math.hypot(step.x, step.y)) return null;
    }
    out[n.name] = freeSpot(n.name, { x: b.x + step.x, y: b.y + step.y }, out, boxOf, step);
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
  boxOf: BoxOf,
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
