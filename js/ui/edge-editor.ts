/**
 * The small editor of an edge opened by a click: fix to a value, start value, free (NA), default,
 * parameter label, delete; for PLS constructs also Mode A / Mode B.
 */
import {
  GraphError,
  type Modifier,
  deleteEdge,
  parseEdgeKey,
  setMeasurement,
  setModifier,
} from "../model/graph";
import { button, el } from "./dom";
import type { EditorHost } from "./host";

export function openEdgeEditor(ed: EditorHost, key: string, clientX: number, clientY: number): void {
  const d = ed.doc;
  const row = ed.model.table.find((r) => `${r.lhs} ${r.op} ${r.rhs}` === key);
  if (!row) return;
  const value = el(d, "input", { attrs: { type: "text", inputmode: "decimal", "aria-label": "Value", size: "5", placeholder: "value" } });
  if (row.ustart !== null) value.value = String(row.ustart);
  const label = el(d, "input", { attrs: { type: "text", "aria-label": "Parameter label", size: "6", placeholder: "label" } });
  label.value = row.label;
  const apply = (mod: Modifier): void => {
    ed.guard(() => {
      ed.showError("");
      ed.commit(setModifier(ed.model, key, mod));
      ed.popup.close();
    });
  };
  const num = (): number => {
    const v = Number(value.value.trim());
    if (value.value.trim() === "" || !Number.isFinite(v)) throw new GraphError(`"${value.value}" is not a number.`);
    return v;
  };
  const act = (action: string, text: string, aria: string, fn: () => void): HTMLButtonElement => {
    const b = button(d, action, aria, text);
    b.addEventListener("click", () => ed.guard(fn));
    return b;
  };
  const box = el(d, "div", { className: "semw-popup semw-edge-editor", attrs: { role: "dialog", "aria-label": `Edit ${key}` } },
    el(d, "div", { className: "semw-popup-title", text: key }),
    el(d, "div", { className: "semw-popup-row" }, value,
      act("edge-fix", "Fix", "Fix the parameter to the value", () => apply({ kind: "fix", value: num() })),
      act("edge-start", "Start", "Use the value as start value", () => apply({ kind: "start", value: num() })),
      act("edge-free", "Free", "Free the parameter (NA)", () => apply({ kind: "free" })),
      act("edge-default", "Default", "Back to the default", () => apply({ kind: "default" }))),
    el(d, "div", { className: "semw-popup-row" }, label,
      act("edge-label", "Set label", "Set the parameter label", () => apply({ kind: "label", label: label.value.trim() })),
      act("edge-delete", "Delete", "Delete this edge", () => {
        ed.commit(deleteEdge(ed.model, key));
        ed.selected.clear();
        ed.popup.close();
      }),
      act("edge-close", "\u2715", "Close", () => ed.popup.close())),
  );
  if (ed.engine === "pls" && (row.op === "=~" || row.op === "<~")) {
    const { lhs } = parseEdgeKey(key);
    box.append(el(d, "div", { className: "semw-popup-row" },
      act("mode-a", "Mode A (reflective)", `Measure ${lhs} reflectively`, () => {
        ed.commit(setMeasurement(ed.model, lhs, "reflective"));
        ed.popup.close();
      }),
      act("mode-b", "Mode B (composite)", `Form ${lhs} as a composite`, () => {
        ed.commit(setMeasurement(ed.model, lhs, "composite"));
        ed.popup.close();
      })));
  }
  value.addEventListener("keydown", (e) => {
    if (e.key === "Enter") ed.guard(() => apply({ kind: "fix", value: num() }));
    if (e.key === "Escape") ed.popup.close();
    e.stopPropagation();
  });
  label.addEventListener("keydown", (e) => {
    if (e.key === "Enter") apply({ kind: "label", label: label.value.trim() });
    if (e.key === "Escape") ed.popup.close();
    e.stopPropagation();
  });
  box.addEventListener("pointerdown", (e) => e.stopPropagation());
  ed.popup.place(box, clientX + 8, clientY + 8);
}
