/**
 * The warnings panel: the `warnings` trait (the model check's, e.g. a variable that is not a
 * data column, and the fit's: Heywood cases, non-convergence, R² above 1 ...), one line each,
 * with a button per variable and per parameter involved that selects it on the diagram. The same
 * variables and parameters (edges) are drawn flagged by the renderer. A warning that names
 * neither is about the model as a whole: its row says so, and its button points at the fit bar.
 */
import { el } from "./dom";

export interface WidgetWarning {
  message: string;
  variables: string[];
  /** Edge keys (`"x1 ~~ x1"`) the warning is about. */
  parameters: string[];
  source: string;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Coerce the loosely typed trait value. */
export function toWarnings(raw: unknown): WidgetWarning[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((w) => {
    const o = (w ?? {}) as Record<string, unknown>;
    if (typeof o.message !== "string") return [];
    return [{ message: o.message, variables: strings(o.variables), parameters: strings(o.parameters), source: typeof o.source === "string" ? o.source : "" }];
  });
}

/** A warning about the model as a whole (it names no variable and no parameter). */
export const isGeneral = (w: WidgetWarning): boolean => w.variables.length === 0 && w.parameters.length === 0;

export interface WarningTargets {
  /** Select a variable or an edge (by key) on the diagram. */
  pick(name: string): void;
  /** Point at the model as a whole: the fit bar. */
  model(): void;
}

export class WarningsPanel {
  readonly el: HTMLElement;
  private items: WidgetWarning[] = [];

  constructor(private readonly doc: Document, private readonly to: WarningTargets) {
    this.el = el(doc, "div", { className: "semw-warnings", attrs: { role: "status", "aria-label": "Warnings" } });
    this.el.hidden = true;
  }

  /** Names of every variable a warning points at. */
  flagged(): string[] {
    return [...new Set(this.items.flatMap((w) => w.variables))];
  }

  /** Keys of every parameter (edge) a warning points at. */
  flaggedEdges(): string[] {
    return [...new Set(this.items.flatMap((w) => w.parameters))];
  }

  /** Whether a warning is about the model as a whole. */
  hasGeneral(): boolean {
    return this.items.some(isGeneral);
  }

  private button(text: string, label: string, attr: Record<string, string>, onClick: () => void): HTMLButtonElement {
    const b = el(this.doc, "button", { className: "semw-btn semw-warn-var", text, attrs: { type: "button", "aria-label": label, ...attr } });
    b.addEventListener("click", onClick);
    return b;
  }

  show(items: WidgetWarning[]): void {
    this.items = items;
    this.el.replaceChildren();
    this.el.hidden = items.length === 0;
    for (const w of items) {
      const general = isGeneral(w);
      const row = el(this.doc, "div", {
        className: `semw-warning${general ? " semw-warning-general" : ""}`,
        attrs: { "data-role": "warning", "data-source": w.source, "data-scope": general ? "model" : "items" },
      }, el(this.doc, "span", { className: "semw-warn", text: general ? "\u26a0 Whole model: " : "\u26a0 " }), this.doc.createTextNode(w.message));
      if (general) {
        row.append(" ", this.button("fit measures", "Show the fit measures of the model this warning is about", { "data-warning-model": "true" }, () => this.to.model()));
      }
      for (const v of w.variables) {
        row.append(" ", this.button(v, `Show ${v} on the diagram`, { "data-warning-var": v }, () => this.to.pick(v)));
      }
      for (const p of w.parameters) {
        row.append(" ", this.button(p, `Show the parameter ${p} on the diagram`, { "data-warning-edge": p }, () => this.to.pick(p)));
      }
      this.el.append(row);
    }
  }
}
