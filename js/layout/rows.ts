/**
 * Indicator rows linked by residual covariances: same side, same height, and an order of each
 * block's indicators that lets the covariance arcs along the row nest instead of cross.
 */
import type { Layout, Point } from "../model/state";
import { type Block, type Ctx, type LayoutInput, type Side, makeBlock, placeBlock } from "./blocks";
import { boxesOverlap } from "./geometry";

/**
 * Put indicator blocks linked by residual covariances on the same side (above or below), so
 * those arcs run along one row instead of across the diagram.
 */
export function harmonizeSides(
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
export function alignLinkedRows(
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
export function orderLinkedRows(
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
