/**
 * Automatic layout of an SEM diagram: a layered layout (ELK) of the structural part, exogenous
 * left and endogenous right, with each construct's indicators set outside it (left of the first
 * layer, right of the last, above/below in between, below in a pure measurement model).
 * Keeping positions of surviving nodes is merge.ts.
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import { nodesOf } from "../model/graph";
import { PRODUCT } from "../model/interaction";
import type { Layout, Point } from "../model/state";
import { type Block, type Ctx, IND_DIST, IND_GAP, type LayoutInput, type Side, indicatorBlocks, makeBlock, placeBlock } from "./blocks";
import { elkLayoutSync } from "./elk";
import { foldMeasurement } from "./fold";
import { alignLinkedRows, harmonizeSides, orderLinkedRows } from "./rows";

const MARGIN = 30;

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
    // a product term `y ~ a:b` is no node: its factors lead to y (model/interaction.ts)
    if (r.op === "~") for (const x of r.rhs.split(PRODUCT)) push(x, r.lhs);
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
  const ctx: Ctx = { kinds, labels: m.labels ?? {}, dist: IND_DIST + 24 * extraLines, gap: IND_GAP + 16 * extraLines };
  const blocks = indicatorBlocks(m, nodes);
  const inBlock = new Set([...blocks.values()].flat());
  const structural = nodes.map((n) => n.name).filter((n) => !inBlock.has(n));
  const edges = structuralEdges(m, inBlock);
  const out: Layout = {};
  if (structural.length === 0) return out;

  if (edges.length === 0) {
    // Pure measurement model: constructs in a row, indicators below, covariances arc above;
    // folded into facing rows when one row would be too wide (fold.ts).
    if (foldMeasurement(structural, blocks, ctx, MARGIN, out)) return out;
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
