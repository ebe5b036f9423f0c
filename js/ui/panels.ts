/**
 * The panels around the canvas: the palette of data columns (left), the syntax text with its
 * error line (right) and the display option boxes (bottom).
 */
import type { Options } from "../model/state";
import type { Snapshot } from "../model/undo";
import { el } from "./dom";

/** Drag-and-drop type of a palette item (the column name). */
export const COLUMN_TYPE = "application/x-semwidget-column";

/** The data columns: drag one onto the canvas or a latent, or click it. */
export class Palette {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;

  constructor(private readonly doc: Document, private readonly pick: (column: string) => void) {
    this.list = el(doc, "div", { className: "semw-palette-list" });
    this.el = el(doc, "div", { className: "semw-palette", attrs: { "aria-label": "Data columns" } },
      el(doc, "div", { className: "semw-panel-title", text: "Columns" }), this.list);
  }

  private shown: string[] = [];
  private items: HTMLButtonElement[] = [];

  /**
   * List `columns`, marking those already drawn (`used`). The same columns as last time are only
   * re-marked: every redraw of the diagram comes here, and rebuilding the buttons each time
   * would restyle them all (and drop the focus of a column reached with the keyboard).
   */
  render(columns: string[], used: ReadonlySet<string>): void {
    if (columns.length === this.shown.length && columns.every((c, i) => c === this.shown[i])) {
      this.items.forEach((item, i) => {
        const cls = `semw-column${used.has(columns[i]!) ? " semw-used" : ""}`;
        if (item.className !== cls) item.className = cls;
      });
      return;
    }
    this.shown = [...columns];
    this.items = [];
    this.list.replaceChildren();
    for (const c of columns) {
      const item = el(this.doc, "button", {
        className: `semw-column${used.has(c) ? " semw-used" : ""}`,
        text: c,
        attrs: { type: "button", draggable: "true", "data-column": c, "aria-label": `Add column ${c}`, title: "Drag onto the canvas or onto a latent variable" },
      });
      item.addEventListener("dragstart", (e) => {
        e.dataTransfer?.setData(COLUMN_TYPE, c);
        e.dataTransfer?.setData("text/plain", c);
      });
      item.addEventListener("click", () => this.pick(c));
      this.items.push(item);
      this.list.append(item);
    }
  }
}

/** What the syntax panel asks of the editor while the user types. */
export interface SyntaxHooks {
  snapshot(): Snapshot;
  /** Send the typed text (debounced). */
  send(text: string): void;
  /** Send pending text now. */
  flush(): void;
  /** Typing ended: `before` is the state before the first keystroke (one undo step). */
  typed(before: Snapshot): void;
}

/** The lavaan syntax, editable, with the parser's error under it. */
export class SyntaxPanel {
  readonly el: HTMLElement;
  private readonly textarea: HTMLTextAreaElement;
  private readonly errorEl: HTMLElement;
  private typingSnapshot: Snapshot | null = null;

  constructor(private readonly doc: Document, hooks: SyntaxHooks) {
    this.textarea = el(doc, "textarea", {
      className: "semw-syntax",
      attrs: { spellcheck: "false", "aria-label": "lavaan model syntax", rows: "14" },
    });
    this.errorEl = el(doc, "div", { className: "semw-error", attrs: { role: "alert" } });
    this.el = el(doc, "div", { className: "semw-side" },
      el(doc, "div", { className: "semw-panel-title", text: "Syntax" }), this.textarea, this.errorEl);
    this.textarea.addEventListener("input", () => {
      if (!this.typingSnapshot) this.typingSnapshot = hooks.snapshot();
      hooks.send(this.textarea.value);
    });
    this.textarea.addEventListener("blur", () => {
      hooks.flush();
      if (this.typingSnapshot) {
        const before = this.typingSnapshot;
        this.typingSnapshot = null;
        hooks.typed(before);
      }
    });
  }

  setText(text: string): void {
    this.textarea.value = text;
  }

  /** Replace the text unless the user is typing in it. */
  offerText(text: string): void {
    if (this.doc.activeElement !== this.textarea) this.textarea.value = text;
  }

  showError(msg: string): void {
    this.errorEl.textContent = msg;
    this.errorEl.hidden = msg === "";
    this.textarea.classList.toggle("semw-invalid", msg !== "");
  }
}

const OPTION_LABELS: Array<[keyof Options, string]> = [
  ["standardized", "Standardized"], ["stars", "Stars"], ["r2", "R\u00b2"], ["se", "SE"], ["ci", "CI"], ["residuals", "Residuals"], ["defaults", "Defaults"], ["signs", "Colour by sign"], ["errors", "Error circles"],
];

/** Check boxes of the display options (`options` trait). */
export class OptionsBar {
  readonly el: HTMLElement;
  private readonly boxes = new Map<keyof Options, HTMLInputElement>();

  constructor(doc: Document, onChange: (k: keyof Options, on: boolean) => void) {
    this.el = el(doc, "div", { className: "semw-options" });
    for (const [k, text] of OPTION_LABELS) {
      const box = el(doc, "input", { attrs: { type: "checkbox", "data-option": k } });
      box.addEventListener("change", () => onChange(k, box.checked));
      this.boxes.set(k, box);
      this.el.append(el(doc, "label", { className: "semw-opt" }, box, doc.createTextNode(` ${text}`)));
    }
  }

  show(options: Options): void {
    for (const [k, box] of this.boxes) box.checked = Boolean(options[k]);
  }
}
