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

/** A free spot near the view centre for a new node. */
function spotNearCentre(ed: EditorHost): Point {
  const c = ed.canvas.viewCentre();
  const taken = Object.values(ed.layout);
  for (let k = 0; k < 60; k++) {
    const p = { x: c.x + (k % 6) * 110 - 220, y: c.y + Math.floor(k / 6) * 80 - 80 };
    if (taken.every((q) => Math.abs(q.x - p.x) > 100 || Math.abs(q.y - p.y) > 62)) return p;
  }
  return c;
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
