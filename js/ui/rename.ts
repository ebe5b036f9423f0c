/** Inline rename of a node (double-click): a text box over the node, Enter or blur applies. */
import { renameNode } from "../model/graph";
import type { Layout } from "../model/state";
import { el } from "./dom";
import type { EditorHost } from "./host";

export function startRename(ed: EditorHost, name: string): void {
  const g = ed.canvas.nodeElement(name);
  const n = ed.layout[name];
  if (!g || !n) return;
  ed.popup.close();
  const c = ed.canvas.toClient(n);
  const input = el(ed.doc, "input", { className: "semw-rename", attrs: { type: "text", "aria-label": `New name for ${name}`, value: name } });
  input.value = name;
  const box = el(ed.doc, "div", { className: "semw-popup semw-rename-box" }, input);
  let done = false;
  const finish = (ok: boolean): void => {
    if (done) return;
    done = true;
    const to = input.value.trim();
    ed.popup.close();
    if (!ok || to === name) return;
    ed.guard(() => {
      const next = renameNode(ed.model, name, to, ed.columns);
      // The node keeps its position under the new name.
      const layout: Layout = {};
      for (const [k, p] of Object.entries(ed.layout)) layout[k === name ? to : k] = p;
      ed.showError("");
      ed.commit(next, layout);
      ed.selected = new Set([to]);
      ed.canvas.setSelected(ed.selected);
    });
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") finish(true);
    else if (e.key === "Escape") finish(false);
    e.stopPropagation();
  });
  input.addEventListener("blur", () => finish(true));
  ed.popup.place(box, c.x - 50, c.y - 14);
  input.focus();
  input.select();
}
