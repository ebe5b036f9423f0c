/**
 * Indicator blocks: a construct with the row or column of indicators set on one side of it, as
 * one box for the layered layout; sizing a block and placing its members inside it.
 */
import type { NodeInfo, NodeKind } from "../model/graph";
import { type Labels, type Layout, type TableRow, shownName } from "../model/state";
import { nodeSize } from "./geometry";

export interface LayoutInput {
  table: TableRow[];
  latents: string[];
  extras?: string[];
  /** Lines per edge label (2-3 with SE/CI): indicators are spaced further apart to fit them. */
  labelLines?: number;
  /** Display labels: a node is as wide as the text it shows. */
  labels?: Labels;
}

export type Side = "left" | "right" | "top" | "bottom";

/** Gap between a construct's outline and its row/column of indicators (room for loadings). */
export const IND_DIST = 84;
export const IND_GAP = 12;

/** Node kinds plus the spacing of indicator rows/columns for one layout run. */
export interface Ctx {
  kinds: Map<string, NodeKind>;
  labels?: Labels;
  dist: number;
  gap: number;
}

export interface Block {
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

export function sizeOf(name: string, ctx: Pick<Ctx, "kinds" | "labels">): { w: number; h: number } {
  return nodeSize(shownName(name, ctx.labels), ctx.kinds.get(name) ?? "observed");
}

export function makeBlock(owner: string, members: string[], side: Side, ctx: Ctx): Block {
  const { dist, gap } = ctx;
  const c = sizeOf(owner, ctx);
  const sizes = members.map((n) => sizeOf(n, ctx));
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
export function placeBlock(blk: Block, x0: number, y0: number, ctx: Ctx, out: Layout): void {
  const { gap } = ctx;
  const b = blk.reversed ? { ...blk, members: [...blk.members].reverse() } : blk;
  const c = sizeOf(b.owner, ctx);
  const sizes = b.members.map((n) => sizeOf(n, ctx));
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
