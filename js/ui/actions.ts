/**
 * Edits started from the toolbar, the palette and the keyboard: add a latent or observed node,
 * drop a data column (as a node or onto a latent as its indicator), delete the selection.
 */
import {
  GraphError,
  type Model,
  addEdge,
  addLatent,
  addObserved,
  deleteEdge,
  deleteNode,
  freshName,
  latentSet,
  nodesOf,
} from "../model/graph";
import type { Point } from "../model/state";
import type { EditorHost } from "./host";

/** Room a new node needs around its centre to be wholly visible (half an ellipse, a margin). */
const EDGE_X = 75;
const EDGE_Y = 45;

/** A free spot for a new node inside the visible area, as near its centre as possible. */
export function spotInView(view: { x: number; y: number; w: number; h: number }, taken: Point[]): Point {
  const c = { x: view.x + view.w / 2, y: view.y + view.h / 2 };
  const spots: Point[] = [];
  const nx = Math.max(0, Math.floor((view.w / 2 - EDGE_X) / 120));
  const ny = Math.max(0, Math.floor((view.h / 2 - EDGE_Y) / 80));
  for (let i = -nx; i <= nx; i++) for (let j = -ny; j <= ny; j++) spots.push({ x: c.x + i * 120, y: c.y + j * 80 });
  spots.sort((p, q) => Math.hypot(p.x - c.x, (p.y - c.y) * 1.5) - Math.hypot(q.x - c.x, (q.y - c.y) * 1.5));
  return spots.find((p) => taken.every((q) => Math.abs(q.x - p.x) > 110 || Math.abs(q.y - p.y) > 66)) ?? c;
}

function spotNearCentre(ed: EditorHost): Point {
  return spotInView(ed.canvas.view, Object.values(ed.layout));
}

/** A new latent `F<n>`, or an observed node named after the first unused data column. */
export function addNode(ed: EditorHost, kind: "latent" | "observed"): void {
  ed.showError("");
  let name: string;
  let next: Model;
  if (kind === "latent") {
    name = freshName(ed.model, "F");
    next = addLatent(ed.model, name);
  } else {
    const used = new Set(nodesOf(ed.model).map((n) => n.name));
    name = ed.columns.find((c) => !used.has(c)) ?? freshName(ed.model, "v");
    next = addObserved(ed.model, name);
  }
  ed.commit(next, { ...ed.layout, [name]: spotNearCentre(ed) });
  ed.selected = new Set([name]);
  ed.canvas.setSelected(ed.selected);
  ed.updateButtons();
}

/** A data column dropped at `p` (diagram units) or on node `target` (or clicked: null, null). */
export function dropColumn(ed: EditorHost, col: string, p: Point | null, target: string | null): void {
  ed.showError("");
  const exists = nodesOf(ed.model).some((n) => n.name === col);
  const selLatents = [...ed.selected].filter((s) => latentSet(ed.model).has(s));
  const onto = target ?? (p === null && selLatents.length === 1 ? selLatents[0]! : null);
  let next = ed.model;
  const layout = { ...ed.layout };
  if (!exists) {
    next = addObserved(next, col);
    if (p && !onto) layout[col] = p;
    else if (!onto) layout[col] = spotNearCentre(ed);
  }
  if (onto && latentSet(next).has(onto)) {
    next = addEdge(next, onto, col, "path", ed.engine);
  } else if (exists) {
    throw new GraphError(`"${col}" is already in the diagram.`);
  }
  ed.commit(next, layout);
}

/** Delete the selected edges, then the selected nodes (with their remaining edges). */
export function deleteSelection(ed: EditorHost): void {
  if (ed.selected.size === 0) return;
  const before = ed.snapshot();
  let next = ed.model;
  const layout = { ...ed.layout };
  for (const key of ed.selected) if (key.includes(" ")) next = deleteEdge(next, key);
  for (const key of ed.selected) {
    if (!key.includes(" ") && nodesOf(next).some((n) => n.name === key)) {
      next = deleteNode(next, key);
      delete layout[key];
    }
  }
  ed.selected.clear();
  ed.popup.close();
  ed.commit(next, layout, before);
}
