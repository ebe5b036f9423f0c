/**
 * The toolbar: edit and view buttons (each a `data-action`), the kernel tools' buttons, the
 * parameter counter and the status line.
 */
import type { Counts, Engine } from "../model/state";
import { renderCounter } from "./counter";
import { button, el } from "./dom";

export type ToolbarAction =
  | "add-latent" | "add-observed" | "path" | "covariance" | "delete" | "undo" | "redo"
  | "layout" | "fit-view" | "fullscreen" | "columns" | "syntax-panel" | "engine" | "fit"
  | "export-svg" | "export-png" | "copy-syntax" | "save" | "load";

/** [action, accessible name, text, title (defaults to the name)], in toolbar order. */
const BUTTONS: Array<[ToolbarAction, string, string, string?]> = [
  ["add-latent", "Add latent variable", "\u25ef Latent"],
  ["add-observed", "Add observed variable", "\u25ad Observed"],
  ["path", "Draw directed path", "\u2192 Path", "Draw a path: drag from one node to another (keyboard: select a node, P, arrows or Tab, Enter)"],
  ["covariance", "Draw covariance", "\u2194 Covariance", "Draw a covariance: drag from one node to another (keyboard: select a node, C, arrows or Tab, Enter)"],
  ["delete", "Delete selection", "\u2715 Delete", "Delete (Delete/Backspace)"],
  ["undo", "Undo", "\u21b6", "Undo (Ctrl/Cmd+Z)"],
  ["redo", "Redo", "\u21b7", "Redo (Ctrl/Cmd+Shift+Z)"],
  ["layout", "Automatic layout", "\u2058 Layout"],
  ["fit-view", "Fit diagram to view", "\u2922 View"],
  ["fullscreen", "Full screen", "Full screen", "Full screen (Esc leaves)"],
  ["columns", "Show the data columns panel", "\u2630 Columns"],
  ["syntax-panel", "Show the syntax panel", "\u2261 Syntax"],
  ["engine", "Switch estimation engine between CB-SEM and PLS-SEM", "CB-SEM"],
  ["fit", "Fit the model", "\u25b6 Fit"],
  ["export-svg", "Export the diagram as SVG", "SVG"],
  ["export-png", "Export the diagram as PNG", "PNG"],
  ["copy-syntax", "Copy the lavaan syntax", "Copy syntax"],
  ["save", "Save the diagram to a file", "Save"],
  ["load", "Load a diagram file", "Load"],
];

export class Toolbar {
  readonly el: HTMLElement;
  private readonly counterEl: HTMLElement;
  private readonly statusEl: HTMLElement;
  private readonly buttons = new Map<string, HTMLButtonElement>();

  /**
   * `run` wraps every click (the editor's error guard); `extra` are buttons made elsewhere (the
   * kernel tools), placed after the built-in ones.
   */
  constructor(
    doc: Document,
    run: (fn: () => void) => void,
    on: Record<ToolbarAction, () => void>,
    extra: HTMLButtonElement[],
  ) {
    this.el = el(doc, "div", { className: "semw-toolbar", attrs: { role: "toolbar", "aria-label": "Diagram tools" } });
    for (const [action, label, text, title] of BUTTONS) {
      const b = button(doc, action, label, text, title);
      b.addEventListener("click", () => run(on[action]));
      this.buttons.set(action, b);
      this.el.append(b);
    }
    for (const b of extra) {
      this.buttons.set(b.dataset.action!, b);
      this.el.append(b);
    }
    this.press("path", false);
    this.press("covariance", false);
    this.press("engine", false);
    this.press("fullscreen", false);
    this.press("columns", true);
    this.press("syntax-panel", true);
    this.counterEl = el(doc, "span", { className: "semw-counter", attrs: { "aria-live": "polite" } });
    this.statusEl = el(doc, "span", { className: "semw-status", attrs: { "aria-live": "polite" } });
    this.el.append(this.counterEl, this.statusEl);
  }

  /** Set a toggle button's `aria-pressed`. */
  press(action: string, on: boolean): void {
    this.buttons.get(action)!.setAttribute("aria-pressed", String(on));
  }

  update(canUndo: boolean, canRedo: boolean, hasSelection: boolean): void {
    this.buttons.get("undo")!.disabled = !canUndo;
    this.buttons.get("redo")!.disabled = !canRedo;
    this.buttons.get("delete")!.disabled = !hasSelection;
  }

  showEngine(engine: Engine): void {
    const b = this.buttons.get("engine")!;
    b.textContent = engine === "pls" ? "PLS-SEM" : "CB-SEM";
    b.setAttribute("aria-pressed", engine === "pls" ? "true" : "false");
    b.dataset.engine = engine;
  }

  showCounts(c: Partial<Counts> | null): void {
    renderCounter(this.counterEl, c);
  }

  setStatus(msg: string): void {
    this.statusEl.textContent = msg;
  }
}
