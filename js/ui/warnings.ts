/**
 * The warnings panel: the `warnings` trait (the model check's, e.g. a variable that is not a
 * data column, and the fit's: Heywood cases, non-convergence, R² above 1 ...), one line each,
 * with a button per variable involved that selects it on the diagram. The same variables are
 * drawn flagged (dashed warning outline) by the renderer.
 */
import { el } from "./dom";

export interface WidgetWarning {
  message: string;
  variables: string[];
  source: string;
}

/** Coerce the loosely typed trait value. */
export function toWarnings(raw: unknown): WidgetWarning[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((w) => {
    const o = (w ?? {}) as Record<string, unknown>;
    if (typeof o.message !== "string") return [];
    const vars = Array.isArray(o.variables) ? o.variables.filter((v): v is string => typeof v === "string") : [];
    return [{ message: o.message, variables: vars, source: typeof o.source === "string" ? o.source : "" }];
  });
}

export class WarningsPanel {
  readonly el: HTMLElement;
  private items: WidgetWarning[] = [];

  constructor(private readonly doc: Document, private readonly pick: (name: string) => void) {
    this.el = el(doc, "div", { className: "semw-warnings", attrs: { role: "status", "aria-label": "Warnings" } });
    this.el.hidden = true;
  }

  /** Names of every variable a warning points at. */
  flagged(): string[] {
    return [...new Set(this.items.flatMap((w) => w.variables))];
  }

  show(items: WidgetWarning[]): void {
    this.items = items;
    this.el.replaceChildren();
    this.el.hidden = items.length === 0;
    for (const w of items) {
      const row = el(this.doc, "div", { className: "semw-warning", attrs: { "data-role": "warning", "data-source": w.source } },
        el(this.doc, "span", { className: "semw-warn", text: "\u26a0 " }), this.doc.createTextNode(w.message));
      for (const v of w.variables) {
        const b = el(this.doc, "button", {
          className: "semw-btn semw-warn-var",
          text: v,
          attrs: { type: "button", "data-warning-var": v, "aria-label": `Show ${v} on the diagram` },
        });
        b.addEventListener("click", () => this.pick(v));
        row.append(" ", b);
      }
      this.el.append(row);
    }
  }
}
