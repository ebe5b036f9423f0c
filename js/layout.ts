/**
 * Automatic layout of an SEM diagram: a layered layout (ELK) of the structural part, exogenous
 * left and endogenous right, with each construct's indicators set outside it (left of the first
 * layer, right of the last, above/below in between, below in a pure measurement model); plus
 * merging, which keeps the positions of surviving nodes and places new ones near their kin.
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import { elkLayoutSync } from "./elk";
import { type NodeKind, boxAround, boxesOverlap, nodeSize } from "./geometry";
import { type NodeInfo, nodesOf } from "./graph";
import type { Layout, Point, TableRow } from "./model";

export interface LayoutInput {
  table: TableRow[];
  latents: string[];
  extras?: string[];
  /** Lines per edge label (2-3 with SE/CI): indicators are spaced further apart to fit them. */
  labelLines?: number;
}

export type Side = "left" | "right" | "top" | "bottom";

/** Gap between a construct's outline and its row/column of indicators (room for loadings). */
const IND_DIST = 84;
const IND_GAP = 12;

/** Node kinds plus the spacing of indicator rows/columns for one layout run. */
interface Ctx {
  kinds: Map<string, NodeKind>;
  dist: number;
  gap: number;
}
const MARGIN = 30;

interface Block {
  owner: string;
  members: string[];
  side: Side;
  w: number;
  h: number;
  /** Indicators drawn in reverse order (chosen so residual-covariance arcs cross less). */
  reversed?: boolean;
}

/** Each construct's indicators (observed variables that only measure or form it). */
export function indicatorBlocks(m: LayoutInput, nodes: NodeInfo[]): Map<string, string[]> {
  const kind = new Map(nodes.map((n) => [n.name, n.kind] as const));
  const structural = new Set<string>();
  for (const r of m.table) {
    if (r.op === "~") {
      structural.add(r.lhs);
      structural.add(r.rhs);
    }
  }
  const owner = new Map<string, string>();
  const blocks = new Map<string, string[]>();
  for (const r of m.table) {
    if (r.op !== "=~" && r.op !== "<~") continue;
    const ind = r.rhs;
    if (kind.get(ind) !== "observed" || structural.has(ind) || owner.has(ind)) continue;
    owner.set(ind, r.lhs);
    const list = blocks.get(r.lhs) ?? [];
    list.push(ind);
    blocks.set(r.lhs, list);
  }
  return blocks;
}

/** Directed structural edges between non-indicator nodes: [from, to]. */
function structuralEdges(m: LayoutInput, inBlock: Set<string>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  const push = (a: string, b: string): void => {
    if (a === b || inBlock.has(a) || inBlock.has(b) || seen.has(`${a}\u0000${b}`)) return;
    seen.add(`${a}\u0000${b}`);
    out.push([a, b]);
  };
  for (const r of m.table) {
    if (r.op === "~") push(r.rhs, r.lhs);
    else if (r.op === "=~") push(r.lhs, r.rhs);
    else if (r.op === "<~") push(r.rhs, r.lhs);
  }
  return out;
}

/** Longest-path layer of each node from the sources (cycles broken by visit order). */
function layers(names: string[], edges: Array<[string, string]>): Map<string, number> {
  const preds = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const [a, b] of edges) preds.get(b)?.push(a);
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (n: string): number => {
    const known = layer.get(n);
    if (known !== undefined) return known;
    if (visiting.has(n)) return 0;
    visiting.add(n);
    let l = 0;
    for (const p of preds.get(n) ?? []) l = Math.max(l, visit(p) + 1);
    visiting.delete(n);
    layer.set(n, l);
    return l;
  };
  for (const n of names) visit(n);
  return layer;
}

function sizeOf(name: string, kinds: Map<string, NodeKind>): { w: number; h: number } {
  return nodeSize(name, kinds.get(name) ?? "observed");
}

function makeBlock(owner: string, members: string[], side: Side, ctx: Ctx): Block {
  const { kinds, dist, gap } = ctx;
  const c = sizeOf(owner, kinds);
  const sizes = members.map((n) => sizeOf(n, kinds));
  if (members.length === 0) return { owner, members, side, w: c.w, h: c.h };
  if (side === "left" || side === "right") {
    const colW = Math.max(...sizes.map((s) => s.w));
    const colH = sizes.reduce((a, s) => a + s.h, 0) + gap * (members.length - 1);
    return { owner, members, side, w: colW + dist + c.w, h: Math.max(c.h, colH) };
  }
  const rowW = sizes.reduce((a, s) => a + s.w, 0) + gap * (members.length - 1);
  const rowH = Math.max(...sizes.map((s) => s.h));
  return { owner, members, side, w: Math.max(c.w, rowW), h: c.h + dist + rowH };
}

/** Centres of a block's construct and indicators, given the block's top-left corner. */
function placeBlock(blk: Block, x0: number, y0: number, ctx: Ctx, out: Layout): void {
  const { kinds, gap } = ctx;
  const b = blk.reversed ? { ...blk, members: [...blk.members].reverse() } : blk;
  const c = sizeOf(b.owner, kinds);
  const sizes = b.members.map((n) => sizeOf(n, kinds));
  if (b.members.length === 0) {
    out[b.owner] = { x: x0 + b.w / 2, y: y0 + b.h / 2 };
    return;
  }
  if (b.side === "left" || b.side === "right") {
    const colW = Math.max(...sizes.map((s) => s.w));
    const colH = sizes.reduce((a, s) => a + s.h, 0) + gap * (b.members.length - 1);
    const colX = b.side === "left" ? x0 + colW / 2 : x0 + b.w - colW / 2;
    const cx = b.side === "left" ? x0 + b.w - c.w / 2 : x0 + c.w / 2;
    out[b.owner] = { x: cx, y: y0 + b.h / 2 };
    let y = y0 + (b.h - colH) / 2;
    b.members.forEach((n, i) => {
      out[n] = { x: colX, y: y + sizes[i]!.h / 2 };
      y += sizes[i]!.h + gap;
    });
    return;
  }
  const rowW = sizes.reduce((a, s) => a + s.w, 0) + gap * (b.members.length - 1);
  const rowH = Math.max(...sizes.map((s) => s.h));
  const rowY = b.side === "top" ? y0 + rowH / 2 : y0 + b.h - rowH / 2;
  const cy = b.side === "top" ? y0 + b.h - c.h / 2 : y0 + c.h / 2;
  out[b.owner] = { x: x0 + b.w / 2, y: cy };
  let x = x0 + (b.w - rowW) / 2;
  b.members.forEach((n, i) => {
    out[n] = { x: x + sizes[i]!.w / 2, y: rowY };
    x += sizes[i]!.w + gap;
  });
}

/**
 * Put indicator blocks linked by residual covariances on the same side (above or below), so
 * those arcs run along one row instead of across the diagram.
 */
function harmonizeSides(
  m: LayoutInput,
  blocks: Map<string, string[]>,
  blockOf: Map<string, Block>,
  ctx: Ctx,
): void {
  const ownerOf = new Map<string, string>();
  for (const [o, ms] of blocks) for (const x of ms) ownerOf.set(x, o);
  for (const r of m.table) {
    if (r.op !== "~~" || r.lhs === r.rhs) continue;
    const a = blockOf.get(ownerOf.get(r.lhs) ?? "");
    const b = blockOf.get(ownerOf.get(r.rhs) ?? "");
    if (!a || !b || a === b || a.side === b.side) continue;
    const vertical = (s: Side): boolean => s === "top" || s === "bottom";
    // The first layer keeps its indicators on the left; a later block follows the other one.
    const [fixed, moving] = vertical(a.side) ? [a, b] : vertical(b.side) ? [b, a] : [a, b];
    if (!vertical(fixed.side) || moving.side === "left") continue;
    blockOf.set(moving.owner, makeBlock(moving.owner, moving.members, fixed.side, ctx));
  }
}

/**
 * Blocks whose indicators share residual covariances and sit on the same side get their
 * indicator rows at the same height (moving the lower block up, if that overlaps nothing), so
 * the covariance arcs span one straight row.
 */
function alignLinkedRows(
  m: LayoutInput,
  blocks: Map<string, string[]>,
  blockOf: Map<string, Block>,
  corner: Map<string, Point>,
): void {
  const ownerOf = new Map<string, string>();
  for (const [o, ms] of blocks) for (const x of ms) ownerOf.set(x, o);
  const boxOf = (id: string, dy = 0) => {
    const b = blockOf.get(id)!;
    const c = corner.get(id)!;
    return { x: c.x, y: c.y + dy, w: b.w, h: b.h };
  };
  for (const r of m.table) {
    if (r.op !== "~~") continue;
    const ia = ownerOf.get(r.lhs);
    const ib = ownerOf.get(r.rhs);
    if (!ia || !ib || ia === ib || !corner.has(ia) || !corner.has(ib)) continue;
    const a = blockOf.get(ia)!;
    const b = blockOf.get(ib)!;
    if (a.side !== b.side || (a.side !== "top" && a.side !== "bottom")) continue;
    // Row edge (top of a "top" block, bottom of a "bottom" block) must match.
    const edgeOf = (id: string): number => {
      const bx = boxOf(id);
      return a.side === "top" ? bx.y : bx.y + bx.h;
    };
    const ea = edgeOf(ia);
    const eb = edgeOf(ib);
    if (Math.abs(ea - eb) < 0.5) continue;
    const [mover, dy] = a.side === "top" ? (ea > eb ? [ia, eb - ea] : [ib, ea - eb]) : ea < eb ? [ia, eb - ea] : [ib, ea - eb];
    const moved = boxOf(mover, dy);
    const clash = [...corner.keys()].some((id) => id !== mover && boxesOverlap(moved, boxOf(id), 20));
    if (!clash) corner.set(mover, { x: corner.get(mover)!.x, y: corner.get(mover)!.y + dy });
  }
}

/** Number of pairs of intervals that interleave (a < c < b < d): arcs on one side that cross. */
export function interleavings(spans: Array<[number, number]>): number {
  let n = 0;
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const [a, b] = spans[i]!;
      const [c, d] = spans[j]!;
      // Shared endpoints do not count: the arcs' attachment points are spread apart.
      if ((a < c && c < b && b < d) || (c < a && a < d && d < b)) n++;
    }
  }
  return n;
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** At most this many linked blocks are searched exhaustively (2^n orders). */
const MAX_FLIP_SEARCH = 8;

/**
 * Residual covariances between indicators of blocks on the same side are drawn as arcs along
 * their row (or column). Choose, for each group of such linked blocks, which blocks list their
 * indicators in reverse so the fewest arcs cross (then the shortest total span; then as few and
 * as far right/down reversals as possible). E.g. repeated measures y1..y4 / y5..y8 with
 * y1~~y5 ... y4~~y8 become y1 y2 y3 y4 | y8 y7 y6 y5, where the arcs nest instead of crossing.
 */
function orderLinkedRows(
  m: LayoutInput,
  blocks: Map<string, string[]>,
  blockOf: Map<string, Block>,
  corner: Map<string, Point>,
  ctx: Ctx,
): void {
  const ownerOf = new Map<string, string>();
  for (const [o, ms] of blocks) for (const x of ms) ownerOf.set(x, o);
  const pairs: Array<[string, string, string, string]> = [];
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const r of m.table) {
    if (r.op !== "~~" || r.lhs === r.rhs) continue;
    const oa = ownerOf.get(r.lhs);
    const ob = ownerOf.get(r.rhs);
    if (!oa || !ob || !corner.has(oa) || !corner.has(ob)) continue;
    if (blockOf.get(oa)!.side !== blockOf.get(ob)!.side) continue;
    pairs.push([r.lhs, r.rhs, oa, ob]);
    for (const o of [oa, ob]) if (!parent.has(o)) parent.set(o, o);
    if (oa !== ob) parent.set(find(oa), find(ob));
  }
  const groups = new Map<string, string[]>();
  for (const o of parent.keys()) {
    const list = groups.get(find(o)) ?? [];
    list.push(o);
    groups.set(find(o), list);
  }
  for (const members of groups.values()) {
    if (members.length < 2 || members.length > MAX_FLIP_SEARCH) continue;
    const side = blockOf.get(members[0]!)!.side;
    const horizontalRow = side === "top" || side === "bottom";
    const along = (p: Point): number => (horizontalRow ? p.x : p.y);
    // Bit 0 is the last block along the row, so ties prefer reversing blocks further right/down.
    members.sort((p, q) => along(corner.get(q)!) - along(corner.get(p)!));
    const inGroup = new Set(members);
    const arcs = pairs.filter(([, , oa, ob]) => inGroup.has(oa) && inGroup.has(ob));
    let best: { mask: number; key: number[] } | null = null;
    for (let mask = 0; mask < 1 << members.length; mask++) {
      const pos: Layout = {};
      let flips = 0;
      members.forEach((o, i) => {
        const reversed = ((mask >> i) & 1) === 1;
        if (reversed) flips++;
        const c = corner.get(o)!;
        placeBlock({ ...blockOf.get(o)!, reversed }, c.x, c.y, ctx, pos);
      });
      const spans = arcs.map(([a, b]): [number, number] => {
        const pa = along(pos[a]!);
        const pb = along(pos[b]!);
        return [Math.min(pa, pb), Math.max(pa, pb)];
      });
      const length = spans.reduce((s, [a, b]) => s + (b - a), 0);
      const key = [interleavings(spans), Math.round(length), flips];
      const better = !best || lexLess(key, best.key);
      if (better) best = { mask, key };
    }
    members.forEach((o, i) => {
      const reversed = ((best!.mask >> i) & 1) === 1;
      blockOf.set(o, { ...blockOf.get(o)!, reversed });
    });
  }
}

const ELK_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.spacing.nodeNode": "46",
  "elk.layered.spacing.nodeNodeBetweenLayers": "110",
  "elk.spacing.componentComponent": "60",
  "elk.layered.layering.strategy": "LONGEST_PATH_SOURCE",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
  "elk.padding": "[top=0,left=0,bottom=0,right=0]",
};

/** A fresh automatic layout of every node (centres). */
export function autoLayout(m: LayoutInput): Layout {
  const extraLines = Math.max(0, (m.labelLines ?? 1) - 1);
  const nodes = nodesOf({ table: m.table, latents: m.latents, extras: m.extras ?? [] });
  const kinds = new Map(nodes.map((n) => [n.name, n.kind] as const));
  const ctx: Ctx = { kinds, dist: IND_DIST + 24 * extraLines, gap: IND_GAP + 16 * extraLines };
  const blocks = indicatorBlocks(m, nodes);
  const inBlock = new Set([...blocks.values()].flat());
  const structural = nodes.map((n) => n.name).filter((n) => !inBlock.has(n));
  const edges = structuralEdges(m, inBlock);
  const out: Layout = {};
  if (structural.length === 0) return out;

  if (edges.length === 0) {
    // Pure measurement model: constructs in a row, indicators below, covariances arc above.
    let x = MARGIN;
    const blockOf = new Map<string, Block>();
    const corner = new Map<string, Point>();
    for (const n of structural) {
      const b = makeBlock(n, blocks.get(n) ?? [], "bottom", ctx);
      blockOf.set(n, b);
      corner.set(n, { x, y: MARGIN + 40 });
      x += b.w + 56;
    }
    orderLinkedRows(m, blocks, blockOf, corner, ctx);
    for (const [id, c] of corner) placeBlock(blockOf.get(id)!, c.x, c.y, ctx, out);
    return out;
  }

  const layer = layers(structural, edges);
  const last = Math.max(...structural.map((n) => layer.get(n) ?? 0));
  const middleSeen = new Map<number, number>();
  const blockOf = new Map<string, Block>();
  for (const n of structural) {
    const l = layer.get(n) ?? 0;
    let side: Side;
    if (l === 0 && last > 0) side = "left";
    else if (l === last && last > 0) side = "right";
    else {
      // Alternate above/below within a middle layer so neighbours' indicators do not collide.
      const k = middleSeen.get(l) ?? 0;
      middleSeen.set(l, k + (blocks.has(n) ? 1 : 0));
      side = k % 2 === 0 ? "top" : "bottom";
    }
    blockOf.set(n, makeBlock(n, blocks.get(n) ?? [], side, ctx));
  }
  harmonizeSides(m, blocks, blockOf, ctx);
  const graph: ElkNode = {
    id: "root",
    children: structural.map((n) => ({ id: n, width: blockOf.get(n)!.w, height: blockOf.get(n)!.h })),
    edges: edges.map(
      ([a, b], i): ElkExtendedEdge => ({ id: `e${i}`, sources: [a], targets: [b] }),
    ),
  };
  const res = elkLayoutSync(graph, ELK_OPTIONS);
  const corner = new Map<string, Point>();
  for (const child of res.children ?? []) {
    corner.set(child.id, { x: MARGIN + (child.x ?? 0), y: MARGIN + (child.y ?? 0) });
  }
  alignLinkedRows(m, blocks, blockOf, corner);
  orderLinkedRows(m, blocks, blockOf, corner, ctx);
  for (const [id, c] of corner) {
    const b = blockOf.get(id);
    if (b) placeBlock(b, c.x, c.y, ctx, out);
  }
  const minY = Math.min(...Object.values(out).map((p) => p.y));
  if (minY < MARGIN + 20) for (const p of Object.values(out)) p.y += MARGIN + 20 - minY;
  return out;
}

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
    const s = nodeSize(name, kinds.get(name) ?? "observed");
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
