/**
 * Inline node editor (double-click, F2): the variable's name and its display label, over the
 * node. Enter applies both, Escape cancels, Tab moves between the two fields; leaving the editor
 * applies. A label may hold spaces and accents; the syntax keeps the name.
 */
import { renameNode } from "../model/graph";
import type { Layout } from "../model/state";
import { el } from "./dom";
import type { EditorHost } from "./host";

export function startRename(ed: EditorHost, name: string, field: "name" | "label" = "name"): void {
  const g = ed.canvas.nodeElement(name);
  const n = ed.layout[name];
  if (!g || !n) return;
  ed.popup.close();
  const c = ed.canvas.toClient(n);
  const input = el(ed.doc, "input", { className: "semw-rename", attrs: { type: "text", "aria-label": `New name for ${name}`, value: name } });
  input.value = name;
  const label = el(ed.doc, "input", {
    className: "semw-label-input",
    attrs: { type: "text", "aria-label": `Display label of ${name} (empty: the name)`, placeholder: "label (optional)" },
  });
  label.value = ed.labels[name] ?? "";
  const box = el(ed.doc, "div", { className: "semw-popup semw-rename-box", attrs: { role: "group", "aria-label": `Edit ${name}` } }, input, label);
  let done = false;
  const finish = (ok: boolean): void => {
    if (done) return;
    done = true;
    const to = input.value.trim();
    const text = label.value.trim();
    ed.popup.close();
    ed.canvasHost.focus({ preventScroll: true });
    if (!ok) return;
    ed.guard(() => {
      if (to === name) {
        ed.setLabel(name, text);
        return;
      }
      const before = ed.snapshot();
      const next = renameNode(ed.model, name, to, ed.columns);
      // The node keeps its position (and its label) under the new name.
      const layout: Layout = {};
      for (const [k, p] of Object.entries(ed.layout)) layout[k === name ? to : k] = p;
      const labels = { ...ed.labels };
      delete labels[name];
      if (text && text !== to) labels[to] = text;
      ed.labels = labels;
      ed.showError("");
      ed.commit(next, layout, before);
      ed.selected = new Set([to]);
      ed.canvas.setSelected(ed.selected);
    });
  };
  for (const field of [input, label]) {
    field.addEventListener("keydown", (e) => {
      if (e.key === "Enter") finish(true);
      else if (e.key === "Escape") finish(false);
      e.stopPropagation();
    });
    // Moving between the two fields is not leaving the editor.
    field.addEventListener("blur", (e) => {
      if (!box.contains(e.relatedTarget as Node | null)) finish(true);
    });
  }
  ed.popup.place(box, c.x - 50, c.y - 14);
  const first = field === "label" ? label : input;
  first.focus();
  first.select();
}
