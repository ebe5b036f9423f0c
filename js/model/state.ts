/**
 * Types mirroring the widget's synced traits (see docs/architecture.md, "Widget state").
 * Every module of the front end speaks these shapes; `widget.ts` only copies them in and out
 * of the anywidget model.
 */

import type { Overlay } from "./compare";

/** Operators of the user table. */
export type Op = "=~" | "~" | "~~" | "~1" | ":=" | "==" | "<" | ">" | "<~" | "|" | "~*~";

/** One row of the user parameter table (`table` trait). NaN arrives as `null`. */
export interface TableRow {
  id: number;
  lhs: string;
  op: Op;
  rhs: string;
  user: number;
  free: number;
  ustart: number | null;
  label: string;
  freed: number;
  /** `c(...)` modifiers, one entry per group, as the parser wrote them (e.g. `c(a1,a2)`). */
  by_group?: string;
}

export interface Point {
  x: number;
  y: number;
}

/** Node name -> centre of the node, in diagram units (`layout` trait). */
export type Layout = Record<string, Point>;

/** What the diagram shows for one edge after a fit (`results.edges[key]`). */
export interface EdgeResult {
  est?: number | null;
  std?: number | null;
  se?: number | null;
  pvalue?: number | null;
  ci_lower?: number | null;
  ci_upper?: number | null;
  label?: string | null;
  /** Multigroup fits: held equal across groups; the "all groups" view's values per group. */
  equal?: boolean;
  values_est?: Array<number | null>;
  values_std?: Array<number | null>;
}

/** One suggested parameter (`results.ghosts[i]`), from the modification indices. */
export interface GhostSuggestion {
  edge: string;
  lhs: string;
  op: "=~" | "~" | "~~";
  rhs: string;
  mi: number;
  epc: number | null;
  sepc_all: number | null;
}

/** The effect of adding a suggested parameter (`results.change`). */
export interface FitChange {
  edge: string;
  chisq_before: number | null;
  chisq_after: number | null;
  delta_chisq: number | null;
  cfi_before: number | null;
  cfi_after: number | null;
  delta_cfi: number | null;
}

/** `results` trait; empty object (or null) before a fit. */
export interface Results {
  engine?: string;
  edges?: Record<string, EdgeResult>;
  r2?: Record<string, number | null>;
  fit?: Record<string, number | null>;
  /** Top modification indices, after a `{"type": "modindices"}` request (loosely typed JSON). */
  ghosts?: unknown;
  /** After a `{"type": "add_ghost"}` request (loosely typed JSON). */
  change?: unknown;
  /** The model was edited since this fit: the numbers are of the previous model. */
  stale?: boolean;
  /** A multigroup fit: the group labels, the group drawn, edge keys held equal across groups. */
  groups?: string[];
  group?: string;
  equal?: string[];
  /** The estimator used ("ML", "MLR", "WLSMV", ...). */
  estimator?: string;
  /** Ordinal indicators: number of thresholds of each. */
  thresholds?: Record<string, number>;
}

/** `options` trait. */
export interface Options {
  standardized: boolean;
  stars: boolean;
  r2: boolean;
  se: boolean;
  ci: boolean;
  residuals: boolean;
  /** Before a fit, draw (lighter) what the fit adds by default: covariances of exogenous latents. */
  defaults: boolean;
  /** After a fit, colour edges by the sign of the estimate and set their width by its size. */
  signs: boolean;
  /** AMOS-style residual error circles (e1, e2, ...) on endogenous variables (CB-SEM). */
  errors: boolean;
  digits: number;
}

/** `counts` trait. */
export interface Counts {
  npar: number | null;
  moments: number | null;
  df: number | null;
  identified: boolean | null;
  message: string;
  /** With engine "pls": what a PLS-SEM model counts instead (no df, no CB identification). */
  engine?: Engine;
  constructs?: number;
  indicators?: number;
  paths?: number;
}

export type Engine = "sem" | "pls";

/** What the renderer needs: the state handed to `semwidgetRenderSVG`. */
export interface DiagramState {
  table: TableRow[];
  latents: string[];
  layout: Layout;
  results: Results | null;
  options: Options;
  engine: Engine;
  /** Front-end only: observed nodes drawn but not yet in any row (never sent to Python). */
  extras?: string[];
  /** Front-end only: suggested parameters drawn as dashed "ghost" edges (browser view). */
  ghosts?: GhostSuggestion[];
  /** Front-end only: variables a warning points at, drawn flagged (browser view). */
  flagged?: string[];
  /** Front-end only: parameters (edge keys) a warning points at, drawn flagged (browser view). */
  flaggedEdges?: string[];
  /** Display labels (`labels` trait): text drawn in a node instead of its variable name. */
  labels?: Labels;
  /** Observed variables treated as ordinal (`ordered` trait). */
  ordered?: string[];
  /** Front-end only: the version diff and local-fit links drawn over the model (browser view). */
  overlay?: Overlay;
}

/** Variable name -> display label (spaces and accents allowed; the syntax keeps the name). */
export type Labels = Record<string, string>;

/** The text a node shows: its label, or its name. */
export function shownName(name: string, labels: Labels | undefined): string {
  const l = labels?.[name];
  return typeof l === "string" && l.trim() !== "" ? l : name;
}

/** Coerce the loosely typed `labels` trait (non-text values are dropped). */
export function toLabels(raw: unknown): Labels {
  const out: Labels = {};
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === "string" && v.trim()) out[k] = v;
  }
  return out;
}

export const DEFAULT_OPTIONS: Options = {
  standardized: true,
  stars: true,
  r2: true,
  se: false,
  ci: false,
  residuals: false,
  defaults: true,
  signs: false,
  errors: false,
  digits: 2,
};

/** Operators that are drawn as edges between two variables. */
export const EDGE_OPS: ReadonlySet<string> = new Set(["=~", "~", "~~", "<~"]);

/** The stable key of an edge: `"<lhs> <op> <rhs>"`, e.g. `"visual =~ x1"`. */
export function edgeKey(row: Pick<TableRow, "lhs" | "op" | "rhs">): string {
  return `${row.lhs} ${row.op} ${row.rhs}`;
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** Coerce one loosely typed row (from JSON) into a TableRow. */
export function toRow(raw: unknown, index: number): TableRow {
  const r = (raw ?? {}) as Record<string, unknown>;
  return {
    id: num(r.id) ?? index + 1,
    lhs: str(r.lhs),
    op: str(r.op) as Op,
    rhs: str(r.rhs),
    user: num(r.user) ?? 1,
    free: num(r.free) ?? 0,
    ustart: num(r.ustart),
    label: str(r.label),
    freed: num(r.freed) ?? 0,
    ...(typeof r.by_group === "string" && r.by_group !== "" ? { by_group: r.by_group } : {}),
  };
}

function toLayout(raw: unknown): Layout {
  const out: Layout = {};
  if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const p = v as Record<string, unknown> | null;
      const x = num(p?.x);
      const y = num(p?.y);
      if (x !== null && y !== null) out[k] = { x, y };
    }
  }
  return out;
}

/** Normalise a state object from JSON (missing keys get defaults, bad values are dropped). */
export function normalizeState(raw: unknown): DiagramState {
  const s = (raw ?? {}) as Record<string, unknown>;
  const table = Array.isArray(s.table) ? s.table.map(toRow) : [];
  const latents = Array.isArray(s.latents) ? s.latents.filter((x) => typeof x === "string") : [];
  const extras = Array.isArray(s.extras) ? s.extras.filter((x) => typeof x === "string") : [];
  const options = { ...DEFAULT_OPTIONS, ...((s.options ?? {}) as Partial<Options>) };
  const results =
    s.results && typeof s.results === "object" ? (s.results as Results) : null;
  const engine: Engine = s.engine === "pls" ? "pls" : "sem";
  // `positions` is the trait (`layout` would shadow ipywidgets' own); `layout` is still read from
  // older callers of the headless renderer.
  const ordered = Array.isArray(s.ordered) ? s.ordered.filter((x): x is string => typeof x === "string") : [];
  return { table, latents, layout: toLayout(s.positions ?? s.layout), results, options, engine, extras, labels: toLabels(s.labels), ordered };
}
