/**
 * The interactive editor: owns the view state and composes the toolbar, palette, canvas, syntax
 * panel, counter and fit bar, wired to a model port (the anywidget model in Jupyter, a stub in
 * tests). Edits go through model/graph.ts, the syntax through model/emit.ts; Python re-parses
 * `syntax` and answers with `table`, `counts` and `error`. Pointer input, keys, inline editors
 * and edit actions live in their own modules and reach the editor through `EditorHost`.
 */
import { emit } from "../model/emit";
import { GraphError, type Model, nodesOf } from "../model/graph";
import {
  type Counts,
  DEFAULT_OPTIONS,
  type DiagramState,
  type Engine,
  type Labels,
  type Layout,
  type Options,
  type Results,
  normalizeState,
  toLabels,
} from "../model/state";
import { type Snapshot, UndoStack } from "../model/undo";
import { autoLayout } from "../layout/auto";
import { mergeLayout } from "../layout/merge";
import { layoutScene } from "../render/svg";
import { addNode, deleteSelection, dropColumn } from "./actions";
import { Canvas } from "./canvas";
import { debounce, el } from "./dom";
import { renderFitBar } from "./fitbar";
import type { EdgeDraft, EditorHost, Mode } from "./host";
import { onKey, widgetOwnsKey } from "./keys";
import { OptionsBar, Palette, SyntaxPanel } from "./panels";
import { PointerInput } from "./pointer";
import { type ModelPort, TRAITS, pythonLayout } from "./port";
import { Popup } from "./popup";
import { startRename } from "./rename";
import { pruneSelection } from "./selection";
import { GroupSelector } from "./groups";
import { PLSPanels } from "./pls";
import { EstimatorControl, toggleOrdered } from "./estimator";
import { Toolbar } from "./toolbar";
import { exportPNG, exportSVG, readDiagram, saveDiagram } from "./files";
import { ModelTools } from "./tools";
import { Overlays, identificationWarning } from "./overlays";
import { WarningsPanel, toWarnings } from "./warnings";

/** Whether two JSON-like values are equal (small trait values: a table, a list of names). */
function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether the kernel's `positions` draw as `layout` does: every node at the same place (Python
 * keeps them rounded to 0.1, see pythonLayout) and no node of `layout` missing but the extras.
 */
function sameLayout(next: Layout, layout: Layout, extras: Layout): boolean {
  const keys = Object.keys(next);
  if (keys.length + Object.keys(extras).length !== Object.keys(layout).length) return false;
  return keys.every((k) => {
    const a = next[k]!;
    const b = layout[k];
    return b !== undefined && Math.abs(a.x - b.x) <= 0.051 && Math.abs(a.y - b.y) <= 0.051;
  });
}

export class Editor implements EditorHost {
  readonly root: HTMLDivElement;
  readonly doc: Document;
  readonly canvas: Canvas;
  readonly canvasHost: HTMLElement;
  readonly popup: Popup;
  readonly tools: ModelTools;
  readonly undoStack = new UndoStack<Snapshot>();
  model: Model = { table: [], latents: [], extras: [] };
  layout: Layout = {};
  labels: Labels = {};
  private estimator = "";
  private ordered: string[] = [];
  draft: EdgeDraft | null = null;
  selected = new Set<string>();
  mode: Mode = "select";
  engine: Engine = "sem";
  columns: string[] = [];
  private results: Results | null = null;
  /**
   * The shown results are of the model before an edit: `staleHere` from this view's own edit
   * (dimmed at once, before the kernel answers), `staleKernel` from the `stale` trait (an edit
   * from Python, or one the kernel has taken but not refitted yet, or a refit that failed).
   */
  private staleHere = false;
  private staleKernel = false;
  private options: Options = { ...DEFAULT_OPTIONS };
  private renderQueued = false;
  /** A redraw is owed (renderNow clears it, whoever calls it). */
  private dirty = false;
  private sendingLatents = false;
  private readonly toolbar: Toolbar;
  private readonly groups: GroupSelector;
  private readonly pls: PLSPanels;
  private readonly estimation: EstimatorControl;
  private readonly palette: Palette;
  private readonly syntax: SyntaxPanel;
  private readonly optionsBar: OptionsBar;
  private readonly fitEl: HTMLElement;
  private readonly warningsPanel: WarningsPanel;
  private readonly overlays: Overlays;
  private warningsRaw: unknown = [];
  private errorText = "";
  private readonly fileInput: HTMLInputElement;
  private readonly pointer: PointerInput;
  private listeners: Array<[string, () => void]> = [];
  private readonly msgHandler = (msg: unknown): void => this.onMessage(msg);
  /**
   * Notebook 7 runs shortcuts in the capture phase, before the widget sees the key; Lumino skips
   * an element marked `data-lm-suppress-shortcuts`. Mark the target for the widget's keys only
   * (this window-level capture listener runs before Lumino's, which is on the document).
   */
  private readonly markKey = (e: KeyboardEvent): void => {
    const t = e.target as Element | null;
    if (!t || typeof t.setAttribute !== "function" || !this.root.contains(t)) return;
    if (widgetOwnsKey(e)) t.setAttribute("data-lm-suppress-shortcuts", "true");
    else t.removeAttribute("data-lm-suppress-shortcuts");
  };
  private readonly onFullscreen = (): void => {
    this.toolbar.press("fullscreen", this.doc.fullscreenElement === this.root);
    requestAnimationFrame(() => this.canvas.fitView());
  };
  readonly saveLayout = debounce(() => this.pushLayout(), 100);
  private readonly sendSyntax = debounce((text: string) => {
    this.port.set("syntax", text);
    this.port.save();
  }, 300);

  constructor(host: HTMLElement, private readonly port: ModelPort) {
    this.doc = host.ownerDocument;
    const d = this.doc;
    this.root = el(d, "div", { className: "semw-root" });
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
    this.overlays = new Overlays(d, (msg) => this.port.send(msg), () => this.renderNow());
    this.tools.indirectButton.addEventListener("click", () => this.setMode(this.mode === "indirect" ? "select" : "indirect"));
    this.toolbar = new Toolbar(d, (fn) => this.guard(fn), {
      "add-latent": () => addNode(this, "latent"),
      "add-observed": () => addNode(this, "observed"),
      path: () => this.setMode(this.mode === "path" ? "select" : "path"),
      covariance: () => this.setMode(this.mode === "covariance" ? "select" : "covariance"),
      delete: () => deleteSelection(this),
      undo: () => this.undo(),
      redo: () => this.redo(),
      layout: () => this.relayout(),
      "fit-view": () => this.canvas.fitView(),
      fullscreen: () => this.toggleFullscreen(),
      columns: () => this.togglePanel("columns", this.palette.el),
      "syntax-panel": () => this.togglePanel("syntax-panel", this.syntax.el),
      engine: () => this.toggleEngine(),
      fit: () => this.fit(),
      "export-svg": () => exportSVG(this.doc, this.exportState()),
      "export-png": () => {
        exportPNG(this.doc, this.exportState()).catch((e: Error) => this.showError(`PNG export failed: ${e.message}`));
      },
      "copy-syntax": () => this.copySyntax(),
      save: () => saveDiagram(this.doc, {
        syntax: emit(this.model.table), positions: pythonLayout(this.model, this.layout),
        latents: [...this.model.latents], options: { ...this.options }, engine: this.engine, labels: { ...this.labels },
      }),
      load: () => this.fileInput.click(),
    }, [this.tools.modindicesButton, this.tools.indirectButton, this.overlays.localFitButton]);
    this.groups = new GroupSelector(d, (g) => this.port.send({ type: "group", group: g }));
    this.estimation = new EstimatorControl(d, (est) => {
      this.estimator = est;
      this.port.set("estimator", est);
      this.port.save();
      this.setStatus(`Estimator: ${est || "default"}`);
    }, () => this.guard(() => this.toggleOrdinal()));
    this.pls = new PLSPanels(d, (msg) => this.port.send(msg), (msg) => this.setStatus(msg));
    this.toolbar.el.append(this.groups.el, this.estimation.el, this.pls.mgaButton, this.pls.predictButton);

    this.palette = new Palette(d, (c) => this.guard(() => dropColumn(this, c, null, null)));
    this.canvasHost = el(d, "div", { className: "semw-canvas", attrs: { tabindex: "0" } });
    this.canvas = new Canvas(d, this.canvasHost);
    this.popup = new Popup(this.canvasHost);
    this.syntax = new SyntaxPanel(d, {
      snapshot: () => this.snapshot(),
      send: (text) => this.sendSyntax(text),
      flush: () => this.sendSyntax.flush(),
      typed: (before) => {
        this.undoStack.push(before);
        this.updateButtons();
      },
    });
    const main = el(d, "div", { className: "semw-main" }, this.palette.el, this.canvasHost, this.syntax.el);
    this.fitEl = el(d, "div", { className: "semw-fitbar", attrs: { "aria-label": "Fit measures", tabindex: "-1" } });
    this.fitEl.addEventListener("blur", () => this.fitEl.classList.remove("semw-fit-pointed"));
    this.optionsBar = new OptionsBar(d, (k, on) => this.setOption(k, on));
    const bottom = el(d, "div", { className: "semw-bottom" }, this.tools.noteEl, this.fitEl, this.optionsBar.el);
    this.warningsPanel = new WarningsPanel(d, {
      pick: (name) => {
        this.selected = new Set([name]);
        this.canvas.setSelected(this.selected);
        this.updateButtons();
      },
      model: () => {
        this.fitEl.classList.add("semw-fit-pointed");
        this.fitEl.scrollIntoView({ block: "nearest" });
        this.fitEl.focus({ preventScroll: true });
      },
    });
    this.fileInput = el(d, "input", { attrs: { type: "file", accept: ".json,application/json", hidden: "", "aria-label": "Diagram file to load" } });
    this.fileInput.addEventListener("change", () => this.loadFile());
    this.root.append(this.toolbar.el, main, this.warningsPanel.el, this.overlays.history.el, this.tools.effectsEl, this.pls.el, bottom, this.fileInput);
    host.append(this.root);

    this.pointer = new PointerInput(this);
    // The first thing the user does to the widget ends the view's following of the canvas size.
    for (const ev of ["pointerdown", "keydown", "dragstart", "wheel"]) {
      this.root.addEventListener(ev, () => this.canvas.stopFollowing(), { capture: true, passive: true });
    }
    this.doc.addEventListener("fullscreenchange", this.onFullscreen);
    this.root.addEventListener("keydown", (e) => {
      onKey(this, e);
      // JupyterLab listens for keys on the document (bubbling): for Enter inside a cell it
      // cancels the line break (waiting for a shortcut), and A, D, arrows or Z would edit cells.
      if (widgetOwnsKey(e)) e.stopPropagation();
    });
    this.doc.defaultView?.addEventListener("keydown", this.markKey, true);
    for (const name of TRAITS) {
      const cb = (): void => this.fromPython(name);
      port.on(`change:${name}`, cb);
      this.listeners.push([`change:${name}`, cb]);
    }
    port.onMsg(this.msgHandler);
    for (const name of TRAITS) this.fromPython(name, false);
    this.syntax.setText(String(port.get("syntax") ?? ""));
    this.renderNow();
  }

  destroy(): void {
    for (const [ev, cb] of this.listeners) this.port.off(ev, cb);
    this.port.offMsg(this.msgHandler);
    this.sendSyntax.flush();
    this.saveLayout.flush();
    this.pointer.destroy();
    this.canvas.destroy();
    this.doc.removeEventListener("fullscreenchange", this.onFullscreen);
    this.doc.defaultView?.removeEventListener("keydown", this.markKey, true);
    this.root.remove();
  }

  // ---- state in and out ---------------------------------------------------------------

  /** Adopt a trait Python changed. */
  private fromPython(name: string, redraw = true): void {
    if (name === "latents" && this.sendingLatents) return; // our own value (see sendLatents)
    const v = this.port.get(name);
    const st = normalizeState({ [name]: v });
    // The kernel's answer to this view's own edit repeats what is drawn (same table, latents
    // and positions): adopt it, but a redraw of a big diagram would only delay the refit's.
    const wasStale = this.isStale();
    switch (name) {
      case "table": {
        if (sameJSON(st.table, this.model.table)) redraw = false;
        this.model = { ...this.model, table: st.table };
        const inRows = new Set(st.table.flatMap((r) => [r.lhs, r.rhs]));
        this.model.extras = this.model.extras.filter((x) => !inRows.has(x));
        break;
      }
      case "latents":
        if (sameJSON(st.latents, this.model.latents)) redraw = false;
        this.model = { ...this.model, latents: st.latents };
        break;
      case "positions": {
        const extras: Layout = {};
        for (const x of this.model.extras) if (this.layout[x]) extras[x] = this.layout[x]!;
        if (sameLayout(st.layout, this.layout, extras)) redraw = false;
        this.layout = { ...st.layout, ...extras };
        break;
      }
      case "stale":
        this.staleKernel = v === true;
        this.staleHere = false;
        if (this.isStale() === wasStale) return;
        break;
      case "results":
        this.results = st.results;
        this.staleHere = false;
        this.tools.setResults(this.results);
        this.overlays.setResults(this.results);
        this.showWarnings();
        this.groups.show(this.results);
        this.setStatus("");
        this.pls.show(this.results, this.engine);
        break;
      case "options":
        this.options = st.options;
        this.optionsBar.show(this.options);
        break;
      case "engine":
        this.engine = st.engine;
        this.toolbar.showEngine(this.engine);
        this.pls.show(this.results, this.engine);
        break;
      case "columns":
        this.columns = Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
        // At mount the first render draws the palette too.
        if (redraw) this.renderPalette();
        return;
      case "counts":
        this.toolbar.showCounts((v ?? null) as Partial<Counts> | null);
        return;
      case "error":
        this.showError(typeof v === "string" ? v : "");
        this.errorText = typeof v === "string" ? v : "";
        this.showWarnings();
        if (v) {
          this.setStatus("");
          this.tools.kernelError();
          this.pls.kernelError();
        }
        return;
      case "syntax":
        this.syntax.offerText(typeof v === "string" ? v : "");
        return;
      case "warnings":
        this.warningsRaw = v;
        this.showWarnings();
        break;
      case "versions":
        this.overlays.history.setVersions(v);
        return;
      case "labels":
        this.labels = toLabels(v);
        break;
      case "estimator":
        this.estimator = typeof v === "string" ? v : "";
        this.updateButtons();
        return;
      case "ordered":
        this.ordered = normalizeState({ ordered: v }).ordered ?? [];
        break;
    }
    if (redraw) this.queueRender();
  }

  private isStale(): boolean {
    return this.staleHere || this.staleKernel || this.results?.stale === true;
  }

  /** The results as drawn: marked stale while they are of the model before an edit. */
  private shownResults(): Results | null {
    const r = this.results;
    return r && this.isStale() && r.stale !== true ? { ...r, stale: true } : r;
  }

  private diagramState(): DiagramState {
    return {
      table: this.model.table,
      latents: this.model.latents,
      extras: this.model.extras,
      layout: this.layout,
      results: this.shownResults(),
      options: this.options,
      engine: this.engine,
      ghosts: this.tools.ghosts(),
      flagged: this.warningsPanel.flagged(),
      flaggedEdges: this.warningsPanel.flaggedEdges(),
      labels: this.labels,
      ordered: this.ordered,
      overlay: this.overlays.overlay(),
    };
  }

  /** The `warnings` trait, and a failed fit's identification problem naming its parameters. */
  private showWarnings(): void {
    const id = identificationWarning(this.results, this.errorText);
    this.warningsPanel.show([...toWarnings(this.warningsRaw), ...(id ? [id] : [])]);
  }

  snapshot(): Snapshot {
    return {
      syntax: emit(this.model.table),
      layout: { ...this.layout },
      latents: [...this.model.latents],
      extras: [...this.model.extras],
      table: this.model.table,
      labels: { ...this.labels },
    };
  }

  private pushLayout(): void {
    this.port.set("positions", pythonLayout(this.model, this.layout));
    this.port.save();
  }

  /** Apply an edit: record undo, redraw at once, send syntax/latents/layout to Python. */
  commit(next: Model, layout?: Layout, before: Snapshot = this.snapshot()): void {
    this.undoStack.push(before);
    this.model = next;
    this.layout = mergeLayout(layout ?? this.layout, next);
    this.sync();
  }

  /** The shown estimates are of the model before this edit: keep them, dimmed, until the refit. */
  private markStale(): void {
    if (this.results && Object.keys(this.results.edges ?? {}).length > 0) this.staleHere = true;
  }

  private sync(): void {
    const syntax = emit(this.model.table);
    if (syntax !== emit(normalizeState({ table: this.port.get("table") }).table)) this.markStale();
    this.syntax.offerText(syntax);
    this.sendSyntax.cancel();
    this.saveLayout.cancel();
    this.port.set("syntax", syntax);
    this.sendLatents();
    this.port.set("positions", pythonLayout(this.model, this.layout));
    this.port.set("labels", { ...this.labels });
    this.port.save();
    this.updateButtons();
    this.renderNow();
  }

  /**
   * Send the diagram's latents with an edit even when they did not change: Backbone leaves an
   * unchanged value out of the update, and Python, seeing only the syntax, would drop a latent
   * whose last indicator the edit removed (typed syntax drops it; a diagram edit must not).
   */
  private sendLatents(): void {
    this.sendingLatents = true;
    try {
      this.port.set("latents", null);
      this.port.set("latents", [...this.model.latents]);
    } finally {
      this.sendingLatents = false;
    }
  }

  private restore(s: Snapshot): void {
    if (s.syntax !== emit(this.model.table)) this.markStale();
    this.model = { table: s.table ?? this.model.table, latents: [...s.latents], extras: [...(s.extras ?? [])] };
    this.layout = { ...s.layout };
    this.labels = { ...(s.labels ?? this.labels) };
    this.syntax.setText(s.syntax);
    this.selected.clear();
    this.port.set("syntax", s.syntax);
    this.sendLatents();
    this.port.set("positions", pythonLayout(this.model, this.layout));
    this.port.set("labels", { ...this.labels });
    this.port.save();
    this.updateButtons();
    this.renderNow();
  }

  /**
   * Show `label` in node `name` instead of its name ("" shows the name again): one undo step;
   * the syntax is unchanged.
   */
  setLabel(name: string, label: string, before: Snapshot = this.snapshot()): void {
    const next = { ...this.labels };
    const text = label.trim();
    if (text && text !== name) next[name] = text;
    else delete next[name];
    if (JSON.stringify(next) === JSON.stringify(this.labels)) return;
    this.undoStack.push(before);
    this.labels = next;
    this.port.set("labels", { ...next });
    this.port.save();
    this.updateButtons();
    this.renderNow();
  }

  guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      // Edits refused by graph.ts carry a sentence for the user; anything else is a bug to see.
      this.showError(e instanceof GraphError ? e.message : `Unexpected error: ${String(e)}`);
      if (!(e instanceof GraphError)) console.error(e);
    }
  }

  // ---- rendering ----------------------------------------------------------------------

  /** Redraw once for a batch of trait changes, at the next animation frame. */
  private queueRender(): void {
    this.dirty = true;
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      if (this.dirty) this.renderNow(); // not again if something drew since it was asked
    });
  }

  renderNow(): void {
    this.dirty = false;
    const { scene, layout } = layoutScene(this.diagramState(), this.layout);
    const placed = Object.keys(layout).some((k) => !this.layout[k]);
    this.layout = layout;
    pruneSelection(this.selected, scene);
    this.canvas.show(scene, this.selected);
    renderFitBar(this.fitEl, this.results, this.engine, this.warningsPanel.hasGeneral());
    this.tools.update(this.model.table, this.engine, scene.edges.filter((e) => e.ghost).length);
    this.renderPalette();
    this.updateButtons();
    // New nodes got positions from the automatic layout: store them with the model.
    if (placed) this.saveLayout();
  }

  private renderPalette(): void {
    this.palette.render(this.columns, new Set(nodesOf(this.model).map((n) => n.name)));
  }

  updateButtons(): void {
    this.toolbar.update(this.undoStack.canUndo, this.undoStack.canRedo, this.selected.size > 0);
    this.estimation.show(this.estimator, this.ordered, this.selectedObserved(), this.engine);
  }

  /** Selected nodes that are observed variables of the model (the ones that can be ordinal). */
  private selectedObserved(): string[] {
    const kinds = new Map(nodesOf(this.model).map((n) => [n.name, n.kind] as const));
    return [...this.selected].filter((k) => kinds.get(k) === "observed");
  }

  /** The Ordinal button: the selected observed variables become ordinal, or stop being so. */
  private toggleOrdinal(): void {
    const names = this.selectedObserved();
    if (names.length === 0) return;
    this.ordered = toggleOrdered(this.ordered, names);
    this.port.set("ordered", [...this.ordered]);
    this.port.save();
    this.updateButtons();
    this.renderNow();
  }

  showError(msg: string): void {
    this.syntax.showError(msg);
  }

  private setStatus(msg: string): void {
    this.toolbar.setStatus(msg);
  }

  announce(msg: string): void {
    this.setStatus(msg);
  }

  // ---- actions --------------------------------------------------------------------------

  setMode(mode: Mode): void {
    const was = this.mode;
    this.mode = mode;
    this.toolbar.press("path", mode === "path");
    this.toolbar.press("covariance", mode === "covariance");
    this.canvasHost.dataset.mode = mode;
    // The indirect tool reads its button's pressed state when it stops, so update it after.
    if (was === "indirect" && mode !== "indirect") this.tools.stopIndirect();
    this.toolbar.press("indirect", mode === "indirect");
    if (mode === "indirect" && was !== "indirect") this.tools.startIndirect();
  }

  /** Inline rename of a node (as on double-click). */
  startRename(name: string): void {
    startRename(this, name);
  }

  undo(): void {
    const prev = this.undoStack.undo(this.snapshot());
    if (prev) this.restore(prev);
  }

  redo(): void {
    const next = this.undoStack.redo(this.snapshot());
    if (next) this.restore(next);
  }

  private relayout(): void {
    const before = this.snapshot();
    this.undoStack.push(before);
    this.layout = autoLayout({ ...this.model, labels: this.labels });
    this.pushLayout();
    this.renderNow();
    this.canvas.fitView();
  }

  /** The standalone picture: the current drawing without the browser-only suggestions. */
  private exportState(): DiagramState {
    return { ...this.diagramState(), ghosts: [], flagged: [], flaggedEdges: [], overlay: undefined };
  }

  private copySyntax(): void {
    const text = emit(this.model.table);
    const clip = this.doc.defaultView?.navigator.clipboard;
    if (!clip) {
      this.showError("The browser gives no clipboard here; select the syntax panel's text instead.");
      return;
    }
    clip.writeText(text).then(
      () => this.setStatus("Syntax copied"),
      (e: Error) => this.showError(`Copying failed: ${e.message}`),
    );
  }

  /** Apply a diagram file chosen with Load (one undo step; Python checks it like any edit). */
  private loadFile(): void {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = "";
    if (!file) return;
    file.text().then((text) => this.guard(() => {
      let dia;
      try {
        dia = readDiagram(text, file.name);
      } catch (e) {
        this.showError((e as Error).message);
        return;
      }
      this.undoStack.push(this.snapshot());
      this.syntax.setText(dia.syntax);
      this.port.set("syntax", dia.syntax);
      this.port.set("latents", dia.latents);
      this.port.set("positions", dia.positions);
      this.port.set("labels", dia.labels);
      if (dia.options) this.port.set("options", { ...this.options, ...dia.options });
      if (dia.engine === "sem" || dia.engine === "pls") this.port.set("engine", dia.engine);
      this.port.save();
      this.updateButtons();
    }), (e: Error) => this.showError(`${file.name}: ${e.message}`));
  }

  /** Collapse or show a side panel; the canvas takes the room. */
  private togglePanel(action: "columns" | "syntax-panel", panel: HTMLElement): void {
    panel.hidden = !panel.hidden;
    this.toolbar.press(action, !panel.hidden);
  }

  private toggleFullscreen(): void {
    const d = this.doc;
    if (d.fullscreenElement === this.root) void d.exitFullscreen();
    else void this.root.requestFullscreen?.();
  }

  private toggleEngine(): void {
    this.engine = this.engine === "pls" ? "sem" : "pls";
    this.toolbar.showEngine(this.engine);
    this.pls.show(this.results, this.engine);
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
}
