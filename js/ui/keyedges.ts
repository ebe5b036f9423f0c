/**
 * Drawing an edge without a mouse: with one node selected, P starts a path and C a covariance
 * from it (or Enter, when the Path/Covariance tool is on); arrow keys pick the nearest node in
 * that direction as the target, Tab / Shift+Tab the next / previous node; Enter draws the edge,
 * Escape cancels. The target is outlined and announced (status line, aria-live).
 */
import { type EdgeMode, addEdge } from "../model/graph";
import type { Point } from "../model/state";
import type { EditorHost } from "./host";

export interface EdgeDraft {
  mode: EdgeMode;
  from: string;
  to: string | null;
}

const DIRS: Record<string, Point> = {
  ArrowLeft: { x: -1, y: 0 }, ArrowRight: { x: 1, y: 0 }, ArrowUp: { x: 0, y: -1 }, ArrowDown: { x: 0, y: 1 },
};

/**
 * The node nearest to `at` in direction `dir` (within 60 degrees either side), sideways distance
 * counting double; null when there is none that way.
 */
export function nearestInDirection(nodes: Array<{ name: string } & Point>, at: Point, dir: Point, skip: ReadonlySet<string>): string | null {
  let best: string | null = null;
  let score = Infinity;
  for (const n of nodes) {
    if (skip.has(n.name)) continue;
    const vx = n.x - at.x;
    const vy = n.y - at.y;
    const along = vx * dir.x + vy * dir.y;
    const side = Math.abs(vx * dir.y - vy * dir.x);
    if (along <= 1 || side > along * Math.tan(Math.PI / 3)) continue;
    const s = along + 2 * side;
    if (s < score) {
      score = s;
      best = n.name;
    }
  }
  return best;
}

/** The next (step +1) or previous (-1) name in `order` after `current`, skipping `skip`. */
export function cycle(order: string[], current: string | null, step: 1 | -1, skip: ReadonlySet<string>): string | null {
  const pool = order.filter((n) => !skip.has(n));
  if (pool.length === 0) return null;
  if (current === null || !pool.includes(current)) {
    // Start after the source in the node order, as Tab from it would.
    const from = [...skip][0];
    const at = from === undefined ? -1 : order.indexOf(from);
    const after = order.slice(at + 1).find((n) => !skip.has(n));
    return step === 1 ? (after ?? pool[0]!) : pool[pool.length - 1]!;
  }
  const i = pool.indexOf(current);
  return pool[(i + step + pool.length) % pool.length]!;
}

function nodeList(ed: EditorHost): Array<{ name: string } & Point> {
  return (ed.canvas.scene?.nodes ?? []).filter((n) => !n.errorOf).map((n) => ({ name: n.name, x: n.x, y: n.y }));
}

function show(ed: EditorHost, d: EdgeDraft): void {
  const a = ed.layout[d.from];
  const b = d.to ? ed.layout[d.to] : null;
  ed.canvas.rubberLine(a ?? null, b ?? undefined);
  ed.canvas.setTarget(d.to);
  const what = d.mode === "path" ? "Path" : "Covariance";
  ed.announce(d.to
    ? `${what} from ${d.from} to ${d.to}: Enter draws it, arrows or Tab choose another node, Escape cancels`
    : `${what} from ${d.from}: choose the other node with the arrow keys or Tab, Escape cancels`);
}

/** Start a draft from the one selected node; false when there is not exactly one. */
export function startDraft(ed: EditorHost, mode: EdgeMode): boolean {
  const nodes = [...ed.selected].filter((k) => !k.includes(" ") && ed.layout[k]);
  if (nodes.length !== 1) return false;
  ed.draft = { mode, from: nodes[0]!, to: null };
  show(ed, ed.draft);
  return true;
}

/** Move the draft's target with an arrow key or Tab; true when the key was used. */
export function steerDraft(ed: EditorHost, key: string, shift: boolean): boolean {
  const d = ed.draft;
  if (!d) return false;
  const skip = new Set([d.from]);
  const nodes = nodeList(ed);
  if (key === "Tab") {
    d.to = cycle(nodes.map((n) => n.name), d.to, shift ? -1 : 1, skip);
  } else if (DIRS[key]) {
    const at = ed.layout[d.to ?? d.from];
    if (!at) return false;
    d.to = nearestInDirection(nodes, at, DIRS[key]!, skip) ?? d.to;
  } else {
    return false;
  }
  show(ed, d);
  return true;
}

/** Draw the drafted edge (Enter). */
export function finishDraft(ed: EditorHost): void {
  const d = ed.draft;
  if (!d) return;
  if (!d.to) {
    ed.announce(`Choose the other node of the ${d.mode === "path" ? "path" : "covariance"} first (arrow keys or Tab)`);
    return;
  }
  cancelDraft(ed, "");
  const next = addEdge(ed.model, d.from, d.to, d.mode, ed.engine);
  if (next !== ed.model) ed.commit(next);
  ed.announce(`${d.mode === "path" ? "Path" : "Covariance"} drawn between ${d.from} and ${d.to}`);
}

export function cancelDraft(ed: EditorHost, message = "Edge cancelled"): void {
  if (!ed.draft) return;
  ed.draft = null;
  ed.canvas.rubberLine(null);
  ed.canvas.setTarget(null);
  if (message) ed.announce(message);
}
