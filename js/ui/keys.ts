/**
 * Keyboard shortcuts of the editor: Enter/Space on a focused suggestion adds it, Enter ends an
 * indirect-effect chain, Ctrl/Cmd+Z / Shift+Z / Y undo and redo, Delete/Backspace deletes the
 * selection, Escape leaves the current tool. Keys typed into text fields are left alone.
 */
import { deleteSelection } from "./actions";
import type { EditorHost } from "./host";

export function onKey(ed: EditorHost, e: KeyboardEvent): void {
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT")) return;
  const mod = e.ctrlKey || e.metaKey;
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
