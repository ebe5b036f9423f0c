/**
 * Where an interaction is drawn: a small dot on the moderated path (`iv -> dv`), reached by a
 * dashed arrow from the moderator, the interaction's coefficient on that arrow. Without the
 * moderated path in the diagram (the model does not have `dv ~ iv`) the dot sits on the line
 * between the two nodes.
 */
import { productTerms } from "../model/interaction";
import type { TableRow } from "../model/state";
import { arrowHead, edgeGeometry } from "./edges";
import { boundaryPoint } from "./geometry";
import type { EdgeLabel, ModerationMark, SceneEdge, SceneNode } from "./scene-types";

export const DOT_R = 4;
/** Where on the moderated path the dot sits (0 = the predictor, 1 = the outcome). */
export const DOT_AT = 0.7;

/** The marks of every product term whose three nodes are drawn. */
export function moderationMarks(
  table: TableRow[], byName: Map<string, SceneNode>, edges: SceneEdge[],
  labelOf: (row: TableRow) => EdgeLabel | null,
): ModerationMark[] {
  const out: ModerationMark[] = [];
  for (const t of productTerms(table)) {
    const iv = byName.get(t.iv);
    const dv = byName.get(t.dv);
    const mod = byName.get(t.moderator);
    if (!iv || !dv || !mod) continue;
    const path = edges.find((e) => e.key === `${t.dv} ~ ${t.iv}`);
    // past the path's own label (at its middle), towards the outcome
    const dot = path ? edgeGeometry(path, iv, dv).at(DOT_AT).p : { x: iv.x + (dv.x - iv.x) * DOT_AT, y: iv.y + (dv.y - iv.y) * DOT_AT };
    const row = table.find((r) => r.op === "~" && r.lhs === t.dv && r.rhs === `${t.iv}:${t.moderator}`)!;
    const label = labelOf(row);
    if (label) {
      // on the moderator's arrow, just before the dot (as a path's label sits on its path)
      const dx = mod.x - dot.x;
      const dy = mod.y - dot.y;
      const len = Math.hypot(dx, dy) || 1;
      const back = DOT_R + 8 + Math.max(label.w, label.h) / 2;
      label.x = dot.x + (dx / len) * back;
      label.y = dot.y + (dy / len) * back;
    }
    const from = boundaryPoint(mod, mod.kind, mod.w, mod.h, dot);
    const gap = Math.hypot(dot.x - from.x, dot.y - from.y) || 1;
    const stop = Math.min(1, (DOT_R + 1.5) / gap);  // the arrow ends at the dot's rim
    const tip = { x: dot.x + (from.x - dot.x) * stop, y: dot.y + (from.y - dot.y) * stop };
    const d = `M${round(from.x)},${round(from.y)}L${round(tip.x)},${round(tip.y)}`;
    out.push({ ...t, dot, from, d, heads: arrowHead(tip, from), label });
  }
  return out;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
