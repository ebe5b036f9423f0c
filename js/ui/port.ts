/**
 * The editor's link to the anywidget model: the port it talks through, the traits it follows,
 * and the layout it writes back (Python stores positions of model nodes only).
 */
import { type Model, nodesOf } from "../model/graph";
import type { Layout } from "../model/state";

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

/** Traits the editor reads (and redraws on). */
export const TRAITS = ["syntax", "table", "latents", "positions", "results", "stale", "options", "counts", "error", "engine", "columns", "warnings", "labels", "estimator", "ordered", "versions"];

/** The layout Python stores: only nodes of the model (extras live in the front end). */
export function pythonLayout(model: Model, layout: Layout): Layout {
  const names = new Set(nodesOf({ table: model.table, latents: model.latents }).map((n) => n.name));
  const out: Layout = {};
  for (const [k, p] of Object.entries(layout)) {
    if (names.has(k)) out[k] = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
  }
  return out;
}
