/**
 * Sizes and shapes: text width estimates, node boxes and where a line leaves a node's outline.
 * No DOM: text is measured from Helvetica/Arial advance widths so the browser view and the
 * headless SVG agree exactly.
 */
import type { NodeKind } from "../model/graph";
import type { Point } from "../model/state";

export interface Box {
  x: number; // left
  y: number; // top
  w: number;
  h: number;
}

/** Advance widths (1/1000 em) of Helvetica for printable ASCII 32..126. */
const WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
  556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
  611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
  667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
  222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/** Width in pixels of `text` set at `size` px. */
export function textWidth(text: string, size: number): number {
  let units = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    units += c >= 32 && c <= 126 ? WIDTHS[c - 32]! : ch === "\u2212" ? 584 : 600;
  }
  return (units * size) / 1000;
}

export const FONT_NODE = 13;
export const FONT_SMALL = 10.5;
export const FONT_LABEL = 11;
export const OBS_H = 36;
export const LAT_H = 52;

/** Width and height of a node's outline. */
export function nodeSize(name: string, kind: NodeKind): { w: number; h: number } {
  const tw = textWidth(name, FONT_NODE);
  if (kind === "observed") return { w: Math.max(52, Math.ceil(tw + 20)), h: OBS_H };
  if (kind === "composite") return { w: Math.max(80, Math.ceil(tw + 44)), h: LAT_H };
  return { w: Math.max(80, Math.ceil(tw * 1.25 + 30)), h: LAT_H };
}

export function boxAround(c: Point, w: number, h: number): Box {
  return { x: c.x - w / 2, y: c.y - h / 2, w, h };
}

export function boxesOverlap(a: Box, b: Box, pad = 0): boolean {
  return (
    a.x < b.x + b.w + pad && b.x < a.x + a.w + pad && a.y < b.y + b.h + pad && b.y < a.y + a.h + pad
  );
}

/** Hexagon corners (flat top and bottom) for a composite of the given size. */
export function hexagonPoints(w: number, h: number): Point[] {
  const i = Math.min(h / 2, w / 4);
  return [
    { x: -w / 2, y: 0 },
    { x: -w / 2 + i, y: -h / 2 },
    { x: w / 2 - i, y: -h / 2 },
    { x: w / 2, y: 0 },
    { x: w / 2 - i, y: h / 2 },
    { x: -w / 2 + i, y: h / 2 },
  ];
}

/**
 * Distance from a node's centre to its outline along the unit direction (dx, dy).
 */
export function outlineDistance(kind: NodeKind, w: number, h: number, dx: number, dy: number): number {
  const a = w / 2;
  const b = h / 2;
  if (kind === "latent") {
    // Ellipse: r = 1 / sqrt((dx/a)^2 + (dy/b)^2) for a unit direction.
    return 1 / Math.sqrt((dx * dx) / (a * a) + (dy * dy) / (b * b));
  }
  if (kind === "observed") {
    const tx = dx === 0 ? Infinity : a / Math.abs(dx);
    const ty = dy === 0 ? Infinity : b / Math.abs(dy);
    return Math.min(tx, ty);
  }
  // Composite: ray against each hexagon edge.
  const pts = hexagonPoints(w, h);
  let best = Infinity;
  for (let k = 0; k < pts.length; k++) {
    const p = pts[k]!;
    const q = pts[(k + 1) % pts.length]!;
    const ex = q.x - p.x;
    const ey = q.y - p.y;
    const den = dx * ey - dy * ex;
    if (Math.abs(den) < 1e-12) continue;
    const t = (p.x * ey - p.y * ex) / den; // along ray
    const s = (p.x * dy - p.y * dx) / den; // along edge
    if (t > 0 && s >= -1e-9 && s <= 1 + 1e-9) best = Math.min(best, t);
  }
  return Number.isFinite(best) ? best : Math.min(a, b);
}

/** The point where the ray from `c` towards `toward` leaves the node outline. */
export function boundaryPoint(
  c: Point,
  kind: NodeKind,
  w: number,
  h: number,
  toward: Point,
): Point {
  const dx = toward.x - c.x;
  const dy = toward.y - c.y;
  const len = Math.hypot(dx, dy);
  if (len < 1e-9) return { x: c.x, y: c.y };
  const ux = dx / len;
  const uy = dy / len;
  const r = outlineDistance(kind, w, h, ux, uy);
  return { x: c.x + ux * r, y: c.y + uy * r };
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

/** Signed difference a - b of two angles, in (-pi, pi]. */
export function angleDiff(a: number, b: number): number {
  let d = a - b;
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d < -Math.PI) d += 2 * Math.PI;
  return d;
}
