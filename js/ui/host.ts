/**
 * The editor as its parts (pointer input, keys, inline editors, edit actions) see it. A type-only
 * module so those parts depend on this interface, not on editor.ts, which imports them.
 */
import type { Model } from "../model/graph";
import type { Engine, Labels, Layout } from "../model/state";
import type { Snapshot, UndoStack } from "../model/undo";
import type { Canvas } from "./canvas";
import type { Debounced } from "./dom";
import type { EdgeDraft } from "./keyedges";
import type { Popup } from "./popup";
import type { ModelTools } from "./tools";

export type Mode = "select" | "path" | "covariance" | "indirect";

export interface EditorHost {
  readonly doc: Document;
  readonly canvas: Canvas;
  /** The focusable element around the SVG; inline editors are placed in it. */
  readonly canvasHost: HTMLElement;
  readonly popup: Popup;
  readonly tools: ModelTools;
  readonly undoStack: UndoStack<Snapshot>;
  /** Sends the layout to Python at most every ~100 ms; `flush()` sends it now. */
  readonly saveLayout: Debounced<[]>;
  model: Model;
  layout: Layout;
  /** Display labels of nodes (the `labels` trait). */
  labels: Labels;
  /** Set (or, with "", remove) a node's display label: one undo step, sent to Python. */
  setLabel(name: string, label: string): void;
  /** An edge being drawn from the keyboard (see keyedges.ts), or null. */
  draft: EdgeDraft | null;
  /** Say `msg` in the status line (an aria-live region). */
  announce(msg: string): void;
  /** Node names and edge keys. */
  selected: Set<string>;
  readonly mode: Mode;
  readonly engine: Engine;
  readonly columns: string[];
  /** Run `fn`, showing a refused edit (GraphError) to the user instead of throwing. */
  guard(fn: () => void): void;
  /** Apply an edit: record undo, redraw, send syntax/latents/layout to Python. */
  commit(next: Model, layout?: Layout, before?: Snapshot): void;
  snapshot(): Snapshot;
  renderNow(): void;
  updateButtons(): void;
  showError(msg: string): void;
  setMode(mode: Mode): void;
  undo(): void;
  redo(): void;
}
