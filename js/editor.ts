/**
 * The interactive editor: toolbar, palette, canvas interactions, syntax panel, counter and fit
 * bar, wired to a model port (the anywidget model in Jupyter, a stub in tests). Edits go through
 * graph.ts, the syntax through emit.ts; Python re-parses `syntax` and answers with `table`,
 * `counts` and `error`.
 */
import { Canvas } from "./canvas";
import { renderCounter } from "./counter";
import { button, debounce, el } from "./dom";
import { emit } from "./emit";
import { renderFitBar } from "./fitbar";
import {
  type EdgeMode,
  GraphError,
  type Model,
  type Modifier,
  addEdge,
  addLatent,
  addObserved,
  deleteEdge,
  deleteNode,
  freshName,
  latentSet,
  nodesOf,
  parseEdgeKey,
  renameNode,
  setMeasurement,
  setModifier,
} from "./graph";
import { autoLayout, mergeLayout } from "./layout";
import {
  type Counts,
  DEFAULT_OPTIONS,
  type DiagramState,
  type Engine,
  type Layout,
  type Options,
  type Point,
  type Results,
  normalizeState,
} from "./model";
import { layoutScene } from "./render";
import { ModelTools } from "./tools";
import { type Snapshot, UndoStack } from "./undo";

/** What the editor needs from the anywidget model (a stub in tests). */
export interface ModelPort {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  save(): void;
  on(event: string, cb: () => void): void;
  off(event: string, cb: () => void): void;
  send(msg: Record<string, unknown>): void;
  onMsg(cb: (msg: unknown) => void): void;
  offMsg(cb: (msg: unknown) => void): void;
}

type Mode = "select" | "path" | "covariance" | "indirect";

interface Drag {
  kind: "move" | "edge" | "pan" | "box";
  start: Point;
  startClient: Point;
  origin: Map<string, Point>;
  from?: string;
  moved: boolean;
  last: Point;
  before?: Snapshot;
}

const TRAITS = ["syntax", "table", "latents", "layout", "results", "options", "counts", "error", "engine", "columns"];

export class Editor {
  readonly root: HTMLDivElement;
  private readonly doc: Document;
  private canvas: Canvas;
  private model: Model = { table: [], latents: [], extras: [] };
  private layout: Layout = {};
  private results: Results | null = null;
  private options: Options = { ...DEFAULT_OPTIONS };
  private engine: Engine = "sem";
  private columns: string[] = [];
  private mode: Mode = "select";
  private selected = new Set<string>();
  private undoStack = new UndoStack<Snapshot>();
  private drag: Drag | null = null;
  private frame = 0;
  private pendingMove: Map<string, Point> | null = null;
  private renderQueued = false;
  private status: HTMLElement;
  private errorEl: HTMLElement;
  private textarea: HTMLTextAreaElement;
  private counterEl: HTMLElement;
  private fitEl: HTMLElement;
  private paletteList: HTMLElement;
  private canvasHost: HTMLElement;
  private popup: HTMLElement | null = null;
  private buttons = new Map<string, HTMLButtonElement>();
  private optionBoxes = new Map<keyof Options, HTMLInputElement>();
  private listeners: Array<[string, () => void]> = [];
  private typingSnapshot: Snapshot | null = null;
  private readonly tools: ModelTools;
  private readonly msgHandler = (msg: unknown): void => this.onMessage(msg);
  private readonly saveLayout = debounce(() => this.pushLayout(), 100);
  private readonly sendSyntax = debounce((text: string) => {
    this.port.set("syntax", text);
    this.port.save();
  }, 300);

  constructor(host: HTMLElement, private readonly port: ModelPort) {
    this.doc = host.ownerDocument;
    const d = this.doc;
    this.root = el(d, "div", { className: "semw-root" });
    const toolbar = el(d, "div", { className: "semw-toolbar", attrs: { role: "toolbar", "aria-label": "Diagram tools" } });
    const add = (action: string, label: string, text: string, fn: () => void, title?: string): void => {
      const b = button(d, action, label, text, title);
      b.addEventListener("click", () => this.guard(fn));
      this.buttons.set(action, b);
      toolbar.append(b);
    };
    add("add-latent", "Add latent variable", "\u25ef Latent", () => this.addNode("latent"));
    add("add-observed", "Add observed variable", "\u25ad Observed", () => this.addNode("observed"));
    add("path", "Draw directed path", "\u2192 Path", () => this.setMode(this.mode === "path" ? "select" : "path"), "Draw a path: drag from one node to another");
    add("covariance", "Draw covariance", "\u2194 Covariance", () => this.setMode(this.mode === "covariance" ? "select" : "covariance"), "Draw a covariance: drag from one node to another");
    add("delete", "Delete selection", "\u2715 Delete", () => this.deleteSelection(), "Delete (Delete/Backspace)");
    add("undo", "Undo", "\u21b6", () => this.undo(), "Undo (Ctrl/Cmd+Z)");
    add("redo", "Redo", "\u21b7", () => this.redo(), "Redo (Ctrl/Cmd+Shift+Z)");
    add("layout", "Automatic layout", "\u2058 Layout", () => this.relayout());
    add("fit-view", "Fit diagram to view", "\u2922 View", () => this.canvas.fitView());
    add("engine", "Switch estimation engine between CB-SEM and PLS-SEM", "CB-SEM", () => this.toggleEngine());
    add("fit", "Fit the model", "\u25b6 Fit", () => this.fit());
    this.tools = new ModelTools(d, {
      send: (msg) => this.port.send(msg),
      status: (msg) => this.setStatus(msg),
      error: (msg) => this.showError(msg),
      checkpoint: () => {
        this.sendSyntax.flush();
        this.undoStack.push(this.snapshot());
        this.updateButtons();
      },
      highlight: (names) => {
        this.selected = new Set(names);
        this.canvas.setSelected(this.selected);
        this.updateButtons();
      },
      exitIndirect: () => this.setMode("select"),
    });
    this.tools.onToggle = () => this.renderNow();
    this.tools.indirectButton.addEventListener("click", () => this.setMode(this.mode === "indirect" ? "select" : "indirect"));
    for (const b of [this.tools.modindicesButton, this.tools.indirectButton]) {
      this.buttons.set(b.dataset.action!, b);
      toolbar.append(b);
    }
    this.buttons.get("path")!.setAttribute("aria-pressed", "false");
    this.buttons.get("covariance")!.setAttribute("aria-pressed", "false");
    this.buttons.get("engine")!.setAttribute("aria-pressed", "false");
    this.counterEl = el(d, "span", { className: "semw-counter", attrs: { "aria-live": "polite" } });
    this.status = el(d, "span", { className: "semw-status", attrs: { "aria-live": "polite" } });
    toolbar.append(this.counterEl, this.status);

    this.paletteList = el(d, "div", { className: "semw-palette-list" });
    const palette = el(d, "div", { className: "semw-palette", attrs: { "aria-label": "Data columns" } },
      el(d, "div", { className: "semw-panel-title", text: "Columns" }), this.paletteList);
    this.canvasHost = el(d, "div", { className: "semw-canvas", attrs: { tabindex: "0" } });
    this.canvas = new Canvas(d, this.canvasHost);
    this.textarea = el(d, "textarea", {
      className: "semw-syntax",
      attrs: { spellcheck: "false", "aria-label": "lavaan model syntax", rows: "14" },
    });
    this.errorEl = el(d, "div", { className: "semw-error", attrs: { role: "alert" } });
    const side = el(d, "div", { className: "semw-side" },
      el(d, "div", { className: "semw-panel-title", text: "Syntax" }), this.textarea, this.errorEl);
    const main = el(d, "div", { className: "semw-main" }, palette, this.canvasHost, side);
    this.fitEl = el(d, "div", { className: "semw-fitbar", attrs: { "aria-label": "Fit measures" } });
    const opts = el(d, "div", { className: "semw-options" });
    const labels: Array<[keyof Options, string]> = [
      ["standardized", "Standardized"], ["stars", "Stars"], ["r2", "R\u00b2"], ["se", "SE"], ["ci", "CI"], ["residuals", "Residuals"],
    ];
    for (const [k, text] of labels) {
      const box = el(d, "input", { attrs: { type: "checkbox", "data-option": k } });
      box.addEventListener("change", () => this.setOption(k, box.checked));
      this.optionBoxes.set(k, box);
      opts.append(el(d, "label", { className: "semw-opt" }, box, d.createTextNode(` ${text}`)));
    }
    const bottom = el(d, "div", { className: "semw-bottom" }, this.tools.noteEl, this.fitEl, opts);
    this.root.append(toolbar, main, this.tools.effectsEl, bottom);
    host.append(this.root);

    this.bindCanvas();
    this.bindSyntax();
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    for (const name of TRAITS) {
      const cb = (): void => this.fromPython(name);
      port.on(`change:${name}`, cb);
      this.listeners.push([`change:${name}`, cb]);
    }
    port.onMsg(this.msgHandler);
    for (const name of TRAITS) this.fromPython(name, false);
    this.textarea.value = String(port.get("syntax") ?? "");
    this.renderNow();
  }

  destroy(): void {
    for (const [ev, cb] of this.listeners) this.port.off(ev, cb);
    this.port.offMsg(this.msgHandler);
    this.sendSyntax.flush();
    this.saveLayout.flush();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.root.remove();
  }

  // ---- state in and out ---------------------------------------------------------------

  /** Adopt a trait Python changed. */
  private fromPython(name: string, redraw = true): void {
    const v = this.port.get(name);
    const st = normalizeState({ [name]: v });
    switch (name) {
      case "table": {
        this.model = { ...this.model, table: st.table };
        const inRows = new Set(st.table.flatMap((r) => [r.lhs, r.rhs]));
        this.model.extras = this.model.extras.filter((x) => !inRows.has(x));
        break;
      }
      case "latents":
        this.model = { ...this.model, latents: st.latents };
        break;
      case "layout": {
        const extras: Layout = {};
        for (const x of this.model.extras) if (this.layout[x]) extras[x] = this.layout[x]!;
        this.layout = { ...st.layout, ...extras };
        break;
      }
      case "results":
        this.results = st.results;
        this.tools.setResults(this.results);
        this.setStatus("");
        break;
      case "options":
        this.options = st.options;
        for (const [k, box] of this.optionBoxes) box.checked = Boolean(this.options[k]);
        break;
      case "engine":
        this.engine = st.engine;
        this.showEngine();
        break;
      case "columns":
        this.columns = Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
        this.renderPalette();
        return;
      case "counts":
        renderCounter(this.counterEl, (v ?? null) as Partial<Counts> | null);
        return;
      case "error":
        this.showError(typeof v === "string" ? v : "");
        if (v) {
          this.setStatus("");
          this.tools.kernelError();
        }
        return;
      case "syntax":
        if (this.doc.activeElement !== this.textarea) this.textarea.value = typeof v === "string" ? v : "";
        return;
    }
    if (redraw) this.queueRender();
  }

  private state(): DiagramState {
    return {
      table: this.model.table,
      latents: this.model.latents,
      extras: this.model.extras,
      layout: this.layout,
      results: this.results,
      options: this.options,
      engine: this.engine,
      ghosts: this.tools.ghosts(),
    };
  }

  private snapshot(): Snapshot {
    return {
      syntax: emit(this.model.table),
      layout: { ...this.layout },
      latents: [...this.model.latents],
      extras: [...this.model.extras],
      table: this.model.table,
    };
  }

  /** The layout Python stores: only nodes of the model (extras live in the front end). */
  private pythonLayout(): Layout {
    const names = new Set(nodesOf({ table: this.model.table, latents: this.model.latents }).map((n) => n.name));
    const out: Layout = {};
    for (const [k, p] of Object.entries(this.layout)) {
      if (names.has(k)) out[k] = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
    }
    return out;
  }

  private pushLayout(): void {
    this.port.set("layout", this.pythonLayout());
    this.port.save();
  }

  /** Apply an edit: record undo, redraw at once, send syntax/latents/layout to Python. */
  private commit(next: Model, layout?: Layout, before: Snapshot = this.snapshot()): void {
    this.undoStack.push(before);
    this.model = next;
    this.layout = mergeLayout(layout ?? this.layout, next);
    this.sync();
  }

  private sync(): void {
    const syntax = emit(this.model.table);
    if (this.doc.activeElement !== this.textarea) this.textarea.value = syntax;
    this.sendSyntax.cancel();
    this.saveLayout.cancel();
    this.port.set("syntax", syntax);
    this.port.set("latents", [...this.model.latents]);
    this.port.set("layout", this.pythonLayout());
    this.port.save();
    this.updateButtons();
    this.renderNow();
  }

  private restore(s: Snapshot): void {
    this.model = { table: s.table ?? this.model.table, latents: [...s.latents], extras: [...(s.extras ?? [])] };
    this.layout = { ...s.layout };
    this.textarea.value = s.syntax;
    this.selected.clear();
    this.port.set("syntax", s.syntax);
    this.port.set("latents", [...s.latents]);
    this.port.set("layout", this.pythonLayout());
    this.port.save();
    this.updateButtons();
    this.renderNow();
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      // Edits refused by graph.ts carry a sentence for the user; anything else is a bug to see.
      this.showError(e instanceof GraphError ? e.message : `Unexpected error: ${String(e)}`);
      if (!(e instanceof GraphError)) console.error(e);
    }
  }

  // ---- rendering ----------------------------------------------------------------------

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.renderNow();
    });
  }

  renderNow(): void {
    const { scene, layout } = layoutScene(this.state(), this.layout);
    const placed = Object.keys(layout).some((k) => !this.layout[k]);
    this.layout = layout;
    for (const k of [...this.selected]) if (!scene.byName.has(k) && !scene.edges.some((e) => e.key === k)) this.selected.delete(k);
    this.canvas.show(scene, this.selected);
    renderFitBar(this.fitEl, this.results, this.engine);
    this.tools.update(this.model.table, this.engine, scene.edges.filter((e) => e.ghost).length);
    this.renderPalette();
    this.updateButtons();
    // New nodes got positions from the automatic layout: store them with the model.
    if (placed) this.saveLayout();
  }

  private renderPalette(): void {
    const used = new Set(nodesOf(this.model).map((n) => n.name));
    this.paletteList.replaceChildren();
    for (const c of this.columns) {
      const item = el(this.doc, "button", {
        className: `semw-column${used.has(c) ? " semw-used" : ""}`,
        text: c,
        attrs: { type: "button", draggable: "true", "data-column": c, "aria-label": `Add column ${c}`, title: "Drag onto the canvas or onto a latent variable" },
      });
      item.addEventListener("dragstart", (e) => {
        e.dataTransfer?.setData("application/x-semwidget-column", c);
        e.dataTransfer?.setData("text/plain", c);
      });
      item.addEventListener("click", () => this.guard(() => this.dropColumn(c, null, null)));
      this.paletteList.append(item);
    }
  }

  private updateButtons(): void {
    this.buttons.get("undo")!.disabled = !this.undoStack.canUndo;
    this.buttons.get("redo")!.disabled = !this.undoStack.canRedo;
    this.buttons.get("delete")!.disabled = this.selected.size === 0;
  }

  private showEngine(): void {
    const b = this.buttons.get("engine")!;
    b.textContent = this.engine === "pls" ? "PLS-SEM" : "CB-SEM";
    b.setAttribute("aria-pressed", this.engine === "pls" ? "true" : "false");
    b.dataset.engine = this.engine;
  }

  private showError(msg: string): void {
    this.errorEl.textContent = msg;
    this.errorEl.hidden = msg === "";
    this.textarea.classList.toggle("semw-invalid", msg !== "");
  }

  private setStatus(msg: string): void {
    this.status.textContent = msg;
  }

  // ---- actions --------------------------------------------------------------------------

  private setMode(mode: Mode): void {
    const was = this.mode;
    this.mode = mode;
    this.buttons.get("path")!.setAttribute("aria-pressed", String(mode === "path"));
    this.buttons.get("covariance")!.setAttribute("aria-pressed", String(mode === "covariance"));
    this.canvasHost.dataset.mode = mode;
    if (was === "indirect" && mode !== "indirect") this.tools.stopIndirect();
    this.buttons.get("indirect")!.setAttribute("aria-pressed", String(mode === "indirect"));
    if (mode === "indirect" && was !== "indirect") this.tools.startIndirect();
  }

  /** A free spot near the view centre for a new node. */
  private spotNearCentre(): Point {
    const c = this.canvas.viewCentre();
    const taken = Object.values(this.layout);
    for (let k = 0; k < 60; k++) {
      const p = { x: c.x + (k % 6) * 110 - 220, y: c.y + Math.floor(k / 6) * 80 - 80 };
      if (taken.every((q) => Math.abs(q.x - p.x) > 100 || Math.abs(q.y - p.y) > 62)) return p;
    }
    return c;
  }

  private addNode(kind: "latent" | "observed"): void {
    this.showError("");
    let name: string;
    let next: Model;
    if (kind === "latent") {
      name = freshName(this.model, "F");
      next = addLatent(this.model, name);
    } else {
      const used = new Set(nodesOf(this.model).map((n) => n.name));
      name = this.columns.find((c) => !used.has(c)) ?? freshName(this.model, "v");
      next = addObserved(this.model, name);
    }
    this.commit(next, { ...this.layout, [name]: this.spotNearCentre() });
    this.selected = new Set([name]);
    this.canvas.setSelected(this.selected);
    this.updateButtons();
  }

  /** A data column dropped at `p` (diagram units) or on node `target` (or clicked: null, null). */
  private dropColumn(col: string, p: Point | null, target: string | null): void {
    this.showError("");
    const exists = nodesOf(this.model).some((n) => n.name === col);
    const selLatents = [...this.selected].filter((s) => latentSet(this.model).has(s));
    const onto = target ?? (p === null && selLatents.length === 1 ? selLatents[0]! : null);
    let next = this.model;
    const layout = { ...this.layout };
    if (!exists) {
      next = addObserved(next, col);
      if (p && !onto) layout[col] = p;
      else if (!onto) layout[col] = this.spotNearCentre();
    }
    if (onto && latentSet(next).has(onto)) {
      next = addEdge(next, onto, col, "path", this.engine);
    } else if (exists) {
      throw new GraphError(`"${col}" is already in the diagram.`);
    }
    this.commit(next, layout);
  }

  private deleteSelection(): void {
    if (this.selected.size === 0) return;
    const before = this.snapshot();
    let next = this.model;
    const layout = { ...this.layout };
    for (const key of this.selected) if (key.includes(" ")) next = deleteEdge(next, key);
    for (const key of this.selected) {
      if (!key.includes(" ") && nodesOf(next).some((n) => n.name === key)) {
        next = deleteNode(next, key);
        delete layout[key];
      }
    }
    this.selected.clear();
    this.closePopup();
    this.commit(next, layout, before);
  }

  private undo(): void {
    const prev = this.undoStack.undo(this.snapshot());
    if (prev) this.restore(prev);
  }

  private redo(): void {
    const next = this.undoStack.redo(this.snapshot());
    if (next) this.restore(next);
  }

  private relayout(): void {
    const before = this.snapshot();
    this.undoStack.push(before);
    this.layout = autoLayout(this.model);
    this.pushLayout();
    this.renderNow();
    this.canvas.fitView();
  }

  private toggleEngine(): void {
    this.engine = this.engine === "pls" ? "sem" : "pls";
    this.showEngine();
    this.port.set("engine", this.engine);
    this.port.save();
  }

  private fit(): void {
    this.sendSyntax.flush();
    this.saveLayout.flush();
    this.setStatus("Fitting\u2026");
    this.port.send({ type: "fit" });
  }

  private setOption(k: keyof Options, value: boolean): void {
    this.options = { ...this.options, [k]: value };
    this.port.set("options", { ...this.options });
    this.port.save();
    this.renderNow();
  }

  private onMessage(msg: unknown): void {
    const m = msg as { type?: string } | null;
    if (m?.type === "fitted") this.setStatus("Fitted");
    else if (m?.type === "layout") this.guard(() => this.relayout());
  }

  // ---- keyboard ------------------------------------------------------------------------

  private onKey(e: KeyboardEvent): void {
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT")) return;
    const mod = e.ctrlKey || e.metaKey;
    const ghost = t?.closest?.("[data-ghost]");
    if (ghost && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      this.guard(() => this.tools.addGhost(ghost.getAttribute("data-ghost")!));
    } else if (this.mode === "indirect" && e.key === "Enter") {
      e.preventDefault();
      this.guard(() => this.tools.finish());
    } else if (mod && (e.key === "z" || e.key === "Z")) {
      e.preventDefault();
      this.guard(() => (e.shiftKey ? this.redo() : this.undo()));
    } else if (mod && (e.key === "y" || e.key === "Y")) {
      e.preventDefault();
      this.guard(() => this.redo());
    } else if (e.key === "Delete" || e.key === "Backspace") {
      if (this.selected.size) {
        e.preventDefault();
        this.guard(() => this.deleteSelection());
      }
    } else if (e.key === "Escape") {
      this.setMode("select");
      this.selected.clear();
      this.canvas.setSelected(this.selected);
      this.closePopup();
      this.updateButtons();
    }
  }

  // ---- syntax panel -------------------------------------------------------------------

  private bindSyntax(): void {
    this.textarea.addEventListener("input", () => {
      if (!this.typingSnapshot) this.typingSnapshot = this.snapshot();
      this.sendSyntax(this.textarea.value);
    });
    this.textarea.addEventListener("blur", () => {
      this.sendSyntax.flush();
      if (this.typingSnapshot) {
        this.undoStack.push(this.typingSnapshot);
        this.typingSnapshot = null;
        this.updateButtons();
      }
    });
  }

  // ---- canvas interactions -------------------------------------------------------------

  private bindCanvas(): void {
    const svg = this.canvas.svg;
    svg.addEventListener("pointerdown", (e) => this.guard(() => this.onDown(e)));
    svg.addEventListener("pointermove", (e) => this.onMove(e));
    svg.addEventListener("pointerup", (e) => this.guard(() => this.onUp(e)));
    svg.addEventListener("pointercancel", () => this.endDrag());
    svg.addEventListener("dblclick", (e) => {
      const node = (e.target as Element).closest?.("[data-node]");
      if (node) this.startRename(node.getAttribute("data-node")!);
    });
    svg.addEventListener("wheel", (e) => {
      e.preventDefault();
      const at = this.canvas.toDiagram(e.clientX, e.clientY);
      this.canvas.zoomAt(at, Math.exp(-e.deltaY * 0.0015));
    }, { passive: false });
    this.canvasHost.addEventListener("dragover", (e) => {
      if (e.dataTransfer?.types.includes("application/x-semwidget-column")) e.preventDefault();
    });
    this.canvasHost.addEventListener("drop", (e) => {
      const col = e.dataTransfer?.getData("application/x-semwidget-column");
      if (!col) return;
      e.preventDefault();
      const target = this.canvas.nodeAt(e.clientX, e.clientY);
      const p = this.canvas.toDiagram(e.clientX, e.clientY);
      this.guard(() => this.dropColumn(col, p, target));
    });
  }

  private onDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.canvasHost.focus({ preventScroll: true });
    const target = e.target as Element;
    const nodeG = target.closest?.("[data-node]");
    const edgeG = target.closest?.("[data-edge]");
    const ghostG = target.closest?.("[data-ghost]");
    const p = this.canvas.toDiagram(e.clientX, e.clientY);
    const base = { start: p, startClient: { x: e.clientX, y: e.clientY }, origin: new Map<string, Point>(), moved: false, last: p };
    this.closePopup();
    if (ghostG && !nodeG) {
      this.drag = null;
      this.tools.addGhost(ghostG.getAttribute("data-ghost")!);
      return;
    }
    if (nodeG && this.mode === "indirect") {
      this.drag = null;
      this.tools.pick(nodeG.getAttribute("data-node")!, e.shiftKey, this.model.table);
      return;
    }
    if (nodeG) {
      const name = nodeG.getAttribute("data-node")!;
      if (this.mode !== "select") {
        this.drag = { ...base, kind: "edge", from: name };
      } else {
        if (e.shiftKey) {
          if (this.selected.has(name)) this.selected.delete(name);
          else this.selected.add(name);
        } else if (!this.selected.has(name)) {
          this.selected = new Set([name]);
        }
        const origin = new Map<string, Point>();
        for (const s of this.selected) {
          const q = this.layout[s];
          if (q) origin.set(s, { ...q });
        }
        this.drag = { ...base, kind: "move", origin, before: this.snapshot() };
      }
    } else if (edgeG) {
      const key = edgeG.getAttribute("data-edge")!;
      this.selected = e.shiftKey ? new Set([...this.selected, key]) : new Set([key]);
      this.drag = null;
      this.canvas.setSelected(this.selected);
      this.updateButtons();
      if (this.model.table.some((r) => `${r.lhs} ${r.op} ${r.rhs}` === key)) this.openEdgeEditor(key, e.clientX, e.clientY);
      return;
    } else {
      this.drag = { ...base, kind: e.shiftKey ? "box" : "pan" };
    }
    this.canvas.svg.setPointerCapture?.(e.pointerId);
    this.canvas.setSelected(this.selected);
    this.updateButtons();
  }

  private onMove(e: PointerEvent): void {
    const d = this.drag;
    if (!d) return;
    const p = this.canvas.toDiagram(e.clientX, e.clientY);
    if (!d.moved && Math.hypot(e.clientX - d.startClient.x, e.clientY - d.startClient.y) < 3) return;
    d.moved = true;
    if (d.kind === "pan") {
      // Pan in client pixels converted to diagram units; the view moves under the pointer.
      const scale = this.canvas.view.w / (this.canvas.svg.getBoundingClientRect().width || this.canvas.view.w);
      this.canvas.panBy((e.clientX - d.startClient.x) * scale, (e.clientY - d.startClient.y) * scale);
      d.startClient = { x: e.clientX, y: e.clientY };
      return;
    }
    d.last = p;
    if (d.kind === "move") {
      const dx = p.x - d.start.x;
      const dy = p.y - d.start.y;
      const pos = new Map<string, Point>();
      for (const [n, o] of d.origin) pos.set(n, { x: o.x + dx, y: o.y + dy });
      this.pendingMove = pos;
      if (!this.frame) {
        this.frame = requestAnimationFrame(() => {
          this.frame = 0;
          this.flushMove();
        });
      }
    } else if (d.kind === "edge") {
      const from = this.layout[d.from!];
      this.canvas.rubberLine(from ?? d.start, p);
    } else if (d.kind === "box") {
      this.canvas.rubberBox(boxOf(d.start, p));
    }
  }

  private flushMove(): void {
    const pos = this.pendingMove;
    this.pendingMove = null;
    if (!pos) return;
    for (const [n, q] of pos) this.layout[n] = q;
    this.canvas.moveNodes(pos);
    // Positions reach Python at most every ~100 ms while dragging, and at the end.
    this.saveLayout();
  }

  private onUp(e: PointerEvent): void {
    const d = this.drag;
    this.drag = null;
    this.canvas.svg.releasePointerCapture?.(e.pointerId);
    if (!d) return;
    if (d.kind === "move") {
      if (this.frame) {
        cancelAnimationFrame(this.frame);
        this.frame = 0;
      }
      this.flushMove();
      if (d.moved && d.before) {
        this.undoStack.push(d.before);
        this.saveLayout.flush();
        this.renderNow(); // re-place labels once, at the end of the drag
      }
    } else if (d.kind === "edge") {
      this.canvas.rubberLine(null);
      const to = this.canvas.nodeAt(e.clientX, e.clientY);
      if (to && d.from && (to !== d.from || this.mode === "covariance")) {
        const next = addEdge(this.model, d.from, to, this.mode as EdgeMode, this.engine);
        if (next !== this.model) this.commit(next);
      }
    } else if (d.kind === "box") {
      this.canvas.rubberBox(null);
      if (d.moved) {
        const b = boxOf(d.start, d.last);
        for (const [n, q] of Object.entries(this.layout)) {
          if (q.x >= b.x && q.x <= b.x + b.w && q.y >= b.y && q.y <= b.y + b.h) this.selected.add(n);
        }
      }
    } else if (d.kind === "pan" && !d.moved && this.mode !== "indirect") {
      this.selected.clear();
    }
    this.canvas.setSelected(this.selected);
    this.updateButtons();
  }

  private endDrag(): void {
    this.drag = null;
    this.canvas.rubberLine(null);
  }

  // ---- inline editors -------------------------------------------------------------------

  private closePopup(): void {
    this.popup?.remove();
    this.popup = null;
  }

  private placePopup(box: HTMLElement, clientX: number, clientY: number): void {
    const host = this.canvasHost.getBoundingClientRect();
    box.style.left = `${Math.max(0, clientX - host.left)}px`;
    box.style.top = `${Math.max(0, clientY - host.top)}px`;
    this.canvasHost.append(box);
    this.popup = box;
  }

  /** Inline rename of a node (double-click). */
  startRename(name: string): void {
    const g = this.canvas.nodeElement(name);
    const n = this.layout[name];
    if (!g || !n) return;
    this.closePopup();
    const c = this.canvas.toClient(n);
    const input = el(this.doc, "input", { className: "semw-rename", attrs: { type: "text", "aria-label": `New name for ${name}`, value: name } });
    input.value = name;
    const box = el(this.doc, "div", { className: "semw-popup semw-rename-box" }, input);
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      const to = input.value.trim();
      this.closePopup();
      if (!ok || to === name) return;
      this.guard(() => {
        const next = renameNode(this.model, name, to, this.columns);
        const layout: Layout = {};
        for (const [k, p] of Object.entries(this.layout)) layout[k === name ? to : k] = p;
        this.showError("");
        this.commit(next, layout);
        this.selected = new Set([to]);
        this.canvas.setSelected(this.selected);
      });
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") finish(true);
      else if (e.key === "Escape") finish(false);
      e.stopPropagation();
    });
    input.addEventListener("blur", () => finish(true));
    this.placePopup(box, c.x - 50, c.y - 14);
    input.focus();
    input.select();
  }

  /** Small editor of an edge's modifier: fix to a value, free, start value, label. */
  private openEdgeEditor(key: string, clientX: number, clientY: number): void {
    const d = this.doc;
    const row = this.model.table.find((r) => `${r.lhs} ${r.op} ${r.rhs}` === key);
    if (!row) return;
    const value = el(d, "input", { attrs: { type: "text", inputmode: "decimal", "aria-label": "Value", size: "5", placeholder: "value" } });
    if (row.ustart !== null) value.value = String(row.ustart);
    const label = el(d, "input", { attrs: { type: "text", "aria-label": "Parameter label", size: "6", placeholder: "label" } });
    label.value = row.label;
    const apply = (mod: Modifier): void => {
      this.guard(() => {
        this.showError("");
        this.commit(setModifier(this.model, key, mod));
        this.closePopup();
      });
    };
    const num = (): number => {
      const v = Number(value.value.trim());
      if (value.value.trim() === "" || !Number.isFinite(v)) throw new GraphError(`"${value.value}" is not a number.`);
      return v;
    };
    const act = (action: string, text: string, aria: string, fn: () => void): HTMLButtonElement => {
      const b = button(d, action, aria, text);
      b.addEventListener("click", () => this.guard(fn));
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
          this.commit(deleteEdge(this.model, key));
          this.selected.clear();
          this.closePopup();
        }),
        act("edge-close", "\u2715", "Close", () => this.closePopup())),
    );
    if (this.engine === "pls" && (row.op === "=~" || row.op === "<~")) {
      const { lhs } = parseEdgeKey(key);
      box.append(el(d, "div", { className: "semw-popup-row" },
        act("mode-a", "Mode A (reflective)", `Measure ${lhs} reflectively`, () => {
          this.commit(setMeasurement(this.model, lhs, "reflective"));
          this.closePopup();
        }),
        act("mode-b", "Mode B (composite)", `Form ${lhs} as a composite`, () => {
          this.commit(setMeasurement(this.model, lhs, "composite"));
          this.closePopup();
        })));
    }
    value.addEventListener("keydown", (e) => {
      if (e.key === "Enter") this.guard(() => apply({ kind: "fix", value: num() }));
      if (e.key === "Escape") this.closePopup();
      e.stopPropagation();
    });
    label.addEventListener("keydown", (e) => {
      if (e.key === "Enter") apply({ kind: "label", label: label.value.trim() });
      if (e.key === "Escape") this.closePopup();
      e.stopPropagation();
    });
    box.addEventListener("pointerdown", (e) => e.stopPropagation());
    this.placePopup(box, clientX + 8, clientY + 8);
  }
}

function boxOf(a: Point, b: Point): { x: number; y: number; w: number; h: number } {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
}
