/**
 * Keyboard shortcuts of the editor: Enter/Space on a focused suggestion adds it, Enter ends an
 * indirect-effect chain, Ctrl/Cmd+Z / Shift+Z / Y undo and redo, Delete/Backspace deletes the
 * selection, F2 renames the selected node (Shift+F2: its display label), arrows nudge the selected nodes (Shift: further),
 * Escape leaves the current tool; P / C draw a path / covariance from the selected node
 * (keyedges.ts). Keys typed into text fields are left alone.
 */
import { deleteSelection } from "./actions";
import { cancelDraft, finishDraft, startDraft, steerDraft } from "./keyedges";
import { startRename } from "./rename";
import type { EditorHost } from "./host";

const EDITING = new Set(["z", "y", "a", "c", "v", "x", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "Backspace", "Delete"]);

/**
 * Whether a key pressed inside the widget is the widget's (typing, Enter, arrows, Delete, F2,
 * Escape, and Ctrl/Cmd with the editing keys Z Y A C V X) rather than the notebook's (Ctrl+S,
 * Ctrl+Shift+C, ... keep working from inside the widget).
 */
export function widgetOwnsKey(e: KeyboardEvent): boolean {
  if (!(e.ctrlKey || e.metaKey || e.altKey)) return true;
  return !e.altKey && EDITING.has(e.key.length === 1 ? e.key.toLowerCase() : e.key);
}

export function onKey(ed: EditorHost, e: KeyboardEvent): void {
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT")) return;
  const mod = e.ctrlKey || e.metaKey;
  if (ed.draft) {
    // Drawing an edge from the keyboard: arrows and Tab choose the target, Enter draws.
    if (e.key === "Escape") cancelDraft(ed);
    else if (e.key === "Enter") ed.guard(() => finishDraft(ed));
    else if (!mod && steerDraft(ed, e.key, e.shiftKey)) { /* moved the target */ } else return;
    e.preventDefault();
    return;
  }
  const plain = !mod && !e.altKey;
  const edgeKey = plain && !e.shiftKey ? EDGE_KEYS[e.key] : undefined;
  const toolOn = e.key === "Enter" && (ed.mode === "path" || ed.mode === "covariance") && plain;
  if ((edgeKey || toolOn) && startDraft(ed, edgeKey ?? (ed.mode as "path" | "covariance"))) {
    e.preventDefault();
    return;
  }
  const ghost = t?.closest?.("[data-ghost]");
  if (ghost && (e.key === "Enter" || e.key === " ")) {
    e.preventDefault();
    ed.guard(() => ed.tools.addGhost(ghost.getAttribute("data-ghost")!));
  } else if (ed.mode === "indirect" && e.key === "Enter") {
    e.preventDefault();
    ed.guard(() => ed.tools.finish());
  } else if (mod && (e.key === "z" || e.key === "Z")) {
    e.preventDefault();
    ed.guard(() => (e.shiftKey ? ed.redo() : ed.undo()));
  } else if (mod && (e.key === "y" || e.key === "Y")) {
    e.preventDefault();
    ed.guard(() => ed.redo());
  } else if (e.key === "F2") {
    const nodes = [...ed.selected].filter((k) => !k.includes(" "));
    if (nodes.length === 1) {
      e.preventDefault();
      startRename(ed, nodes[0]!, e.shiftKey ? "label" : "name");
    }
  } else if (ARROWS[e.key] && !mod) {
    const nodes = [...ed.selected].filter((k) => !k.includes(" ") && ed.layout[k]);
    if (nodes.length) {
      e.preventDefault();
      nudge(ed, nodes, ARROWS[e.key]!, e.shiftKey ? 40 : 8);
    }
  } else if (e.key === "Delete" || e.key === "Backspace") {
    if (ed.selected.size) {
      e.preventDefault();
      ed.guard(() => deleteSelection(ed));
    }
  } else if (e.key === "Escape") {
    ed.setMode("select");
    ed.selected.clear();
    ed.canvas.setSelected(ed.selected);
    ed.popup.close();
    ed.updateButtons();
  }
}

/** Keys that start an edge from the selected node. */
const EDGE_KEYS: Record<string, "path" | "covariance"> = { p: "path", c: "covariance" };

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1],
};

/** Move `nodes` by `step` diagram units along `dir`: one undo step per key press. */
function nudge(ed: EditorHost, nodes: string[], dir: [number, number], step: number): void {
  ed.undoStack.push(ed.snapshot());
  const moved = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = ed.layout[n]!;
    moved.set(n, { x: p.x + dir[0] * step, y: p.y + dir[1] * step });
  }
  for (const [n, p] of moved) ed.layout[n] = p;
  ed.canvas.moveNodes(moved);
  ed.saveLayout();
  ed.updateButtons();
}
