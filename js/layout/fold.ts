/**
 * Folding a large pure measurement model (e.g. 6 constructs x 5 indicators) into several rows so
 * the drawing keeps an aspect ratio near a screen's instead of one long row. Rows come in pairs
 * facing each other: the first row's indicators above its constructs, the second's below, so
 * the constructs (and the covariances between them) meet in the middle, as in semPlot's
 * "tree2"-style pictures; the next pair goes under, indicators facing indicators.
 */
import type { Layout } from "../model/state";
import { type Block, type Ctx, makeBlock, placeBlock } from "./blocks";

/** A single row wider than this (diagram units, ~ a notebook's width at 100 %) is folded. */
export const MAX_ROW_WIDTH = 1300;
/** Width / height aimed at (a laptop screen, less the notebook's chrome). */
export const TARGET_ASPECT = 1.7;
const BLOCK_GAP = 56;
const FACING_GAP = 150; // constructs facing constructs: room for covariance arcs
const BACK_GAP = 60; // indicators facing indicators

function splitRows(widths: number[], rows: number): number[][] {
  const total = widths.reduce((a, w) => a + w + BLOCK_GAP, 0);
  const out: number[][] = [[]];
  let acc = 0;
  widths.forEach((w, i) => {
    const row = out.length - 1;
    const left = widths.length - i;
    if (out[row]!.length > 0 && acc + w / 2 > (total * (row + 1)) / rows && out.length < rows && left >= rows - row - 1) {
      out.push([]);
    }
    out[out.length - 1]!.push(i);
    acc += w + BLOCK_GAP;
  });
  return out;
}

/**
 * Place `constructs` (each with its indicators, `blocks`) in folded rows when one row would be
 * too wide; returns false (and places nothing) when a single row is fine.
 */
export function foldMeasurement(
  constructs: string[],
  blocks: Map<string, string[]>,
  ctx: Ctx,
  margin: number,
  out: Layout,
): boolean {
  const flat = constructs.map((n) => makeBlock(n, blocks.get(n) ?? [], "bottom", ctx));
  const single = flat.reduce((a, b) => a + b.w, 0) + BLOCK_GAP * (flat.length - 1);
  if (single <= MAX_ROW_WIDTH || constructs.length < 2) return false;
  let best: { rows: Block[][]; score: number } | null = null;
  for (let r = 2; r <= Math.min(constructs.length, 8); r++) {
    const rows = splitRows(flat.map((b) => b.w), r).map((idx, k) =>
      idx.map((i) => makeBlock(constructs[i]!, blocks.get(constructs[i]!) ?? [], k % 2 === 0 ? "top" : "bottom", ctx)),
    );
    const w = Math.max(...rows.map((row) => row.reduce((a, b) => a + b.w, 0) + BLOCK_GAP * (row.length - 1)));
    const h = rows.reduce((a, row, k) => a + Math.max(...row.map((b) => b.h)) + (k ? (k % 2 ? FACING_GAP : BACK_GAP) : 0), 0);
    const score = Math.abs(Math.log(w / h / TARGET_ASPECT));
    if (!best || score < best.score) best = { rows, score };
  }
  const rows = best!.rows;
  const widths = rows.map((row) => row.reduce((a, b) => a + b.w, 0) + BLOCK_GAP * (row.length - 1));
  const full = Math.max(...widths);
  let y = margin;
  rows.forEach((row, k) => {
    if (k) y += k % 2 ? FACING_GAP : BACK_GAP;
    const h = Math.max(...row.map((b) => b.h));
    let x = margin + (full - widths[k]!) / 2;
    for (const b of row) {
      // Constructs of a row line up on the side facing the partner row.
      placeBlock(b, x, k % 2 === 0 ? y + h - b.h : y, ctx, out);
      x += b.w + BLOCK_GAP;
    }
    y += h;
  });
  return true;
}
