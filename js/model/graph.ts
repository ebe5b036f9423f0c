/**
 * Pure edits of the model drawn in the widget: the user table plus the latents that have no
 * indicators yet. Every function returns a new Model and never mutates its input; invalid edits
 * throw a GraphError whose message names the offending name or value.
 */
import { isProductTerm } from "./interaction";
import type { Engine, Op, TableRow } from "./state";
import { EDGE_OPS, edgeKey } from "./state";

export interface Model {
  table: TableRow[];
  latents: string[];
  /** Observed nodes drawn but not yet in any row (front end only). */
  extras: string[];
}

export class GraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraphError";
  }
}

/** How a node is drawn: ellipse, rectangle or hexagon. */
export type NodeKind = "latent" | "observed" | "composite";

export interface NodeInfo {
  name: string;
  kind: NodeKind;
}

// As lavaan (and the Python parser): any Unicode letter or "." (not before a digit) first, then
// letters, digits, "_" and "." — so "élan" is a name.
const NAME_RE = /^(?:\p{L}|\.(?![0-9]))[\p{L}\p{N}_.]*$/u;

/** Check a variable or label name; returns an error sentence or "" when fine. */
export function nameProblem(name: string): string {
  if (name === "") return "A name cannot be empty.";
  if (/^[0-9]/.test(name)) return `"${name}" starts with a digit; names must start with a letter or ".".`;
  if (!NAME_RE.test(name)) {
    return `"${name}" is not a valid name: start with a letter, then use letters, digits, "_" and "." only.`;
  }
  return "";
}

function checkName(name: string): void {
  const p = nameProblem(name);
  if (p) throw new GraphError(p);
}

/** Variables drawn as edges' endpoints, in first-seen order. */
function edgeRows(table: TableRow[]): TableRow[] {
  return table.filter((r) => EDGE_OPS.has(r.op) && r.lhs !== "" && r.rhs !== "");
}

/** Names of latent constructs: `=~`/`<~` left-hand sides and declared latents. */
export function latentSet(m: Pick<Model, "table" | "latents">): Set<string> {
  const s = new Set(m.latents);
  for (const r of m.table) if (r.op === "=~" || r.op === "<~") s.add(r.lhs);
  return s;
}

/** Constructs formed as composites (`<~`), drawn as hexagons. */
export function compositeSet(table: TableRow[]): Set<string> {
  const s = new Set<string>();
  for (const r of table) if (r.op === "<~") s.add(r.lhs);
  for (const r of table) if (r.op === "=~") s.delete(r.lhs);
  return s;
}

/** Every node of the diagram with its kind, in a stable order (first appearance). */
export function nodesOf(m: Pick<Model, "table" | "latents"> & { extras?: string[] }): NodeInfo[] {
  const lat = latentSet(m);
  const comp = compositeSet(m.table);
  const seen = new Set<string>();
  const out: NodeInfo[] = [];
  const add = (n: string): void => {
    if (n === "" || seen.has(n) || isProductTerm(n)) return; // drawn as a dot (interaction.ts)
    seen.add(n);
    out.push({ name: n, kind: comp.has(n) ? "composite" : lat.has(n) ? "latent" : "observed" });
  };
  for (const r of m.table) {
    if (EDGE_OPS.has(r.op)) {
      add(r.lhs);
      add(r.rhs);
    } else if (r.op === "~1") add(r.lhs);
  }
  for (const l of m.latents) add(l);
  for (const e of m.extras ?? []) add(e);
  return out;
}

function nextId(table: TableRow[]): number {
  return table.reduce((mx, r) => Math.max(mx, r.id), 0) + 1;
}

function nextFree(table: TableRow[]): number {
  return table.reduce((mx, r) => Math.max(mx, r.free), 0) + 1;
}

function newRow(table: TableRow[], lhs: string, op: Op, rhs: string): TableRow {
  return { id: nextId(table), lhs, op, rhs, user: 1, free: nextFree(table), ustart: null, label: "", freed: 0 };
}

/** Insert after the last row with the same lhs and op, so the emitted syntax stays grouped. */
function insertRow(table: TableRow[], row: TableRow): TableRow[] {
  let at = -1;
  for (let i = 0; i < table.length; i++) {
    const r = table[i]!;
    if (r.lhs === row.lhs && r.op === row.op) at = i;
  }
  if (at < 0) {
    // Keep measurement rows before structural ones and `:=`-style rows last, as people write them.
    const rank = (op: string): number => (op === "=~" || op === "<~" ? 0 : EDGE_OPS.has(op) || op === "~1" ? 1 : 2);
    at = table.length - 1;
    while (at >= 0 && rank(table[at]!.op) > rank(row.op)) at--;
  }
  return [...table.slice(0, at + 1), row, ...table.slice(at + 1)];
}

function hasNode(m: Model, name: string): boolean {
  return nodesOf(m).some((n) => n.name === name);
}

export const emptyModel = (): Model => ({ table: [], latents: [], extras: [] });

/** Add a latent with no indicators yet (it lives in `latents`). */
export function addLatent(m: Model, name: string): Model {
  checkName(name);
  if (hasNode(m, name)) throw new GraphError(`There is already a node named "${name}".`);
  return { ...m, latents: [...m.latents, name] };
}

/** Add an observed node that is not in any row yet (kept in `extras` until connected). */
export function addObserved(m: Model, name: string): Model {
  checkName(name);
  if (hasNode(m, name)) throw new GraphError(`There is already a node named "${name}".`);
  return { ...m, extras: [...m.extras, name] };
}

/** A fresh name `prefix1`, `prefix2`, ... not used by any node. */
export function freshName(m: Model, prefix: string): string {
  const used = new Set(nodesOf(m).map((n) => n.name));
  for (let i = 1; ; i++) if (!used.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

export type EdgeMode = "path" | "covariance";

/**
 * The row a drag from `from` to `to` creates.
 *
 * path: latent -> observed is a loading (`from =~ to`); observed -> composite is a composite
 * indicator (`to <~ from`), as is observed -> latent when `composite` is asked for (PLS Mode B);
 * anything else is a regression (`to ~ from`). covariance: `from ~~ to`.
 */
export function edgeFor(
  m: Model,
  from: string,
  to: string,
  mode: EdgeMode,
  composite = false,
): { lhs: string; op: Op; rhs: string } {
  if (mode === "covariance") return { lhs: from, op: "~~", rhs: to };
  const lat = latentSet(m);
  const comp = compositeSet(m.table);
  const fromLatent = lat.has(from);
  const toLatent = lat.has(to);
  if (!fromLatent && toLatent && (comp.has(to) || composite)) return { lhs: to, op: "<~", rhs: from };
  if (fromLatent && !toLatent) return { lhs: from, op: "=~", rhs: to };
  return { lhs: to, op: "~", rhs: from };
}

function sameEdge(r: TableRow, lhs: string, op: string, rhs: string): boolean {
  if (r.op !== op) return false;
  if (r.lhs === lhs && r.rhs === rhs) return true;
  return op === "~~" && r.lhs === rhs && r.rhs === lhs;
}

/** Add an edge drawn from `from` to `to`; an existing identical edge leaves the model as is. */
export function addEdge(
  m: Model,
  from: string,
  to: string,
  mode: EdgeMode,
  engine: Engine = "sem",
  composite = false,
): Model {
  for (const n of [from, to]) if (!hasNode(m, n)) throw new GraphError(`There is no node named "${n}".`);
  if (from === to && mode === "path") {
    throw new GraphError(`A path from "${from}" to itself is not allowed; a variance is a covariance of "${from}" with itself (drag from it back onto it in covariance mode).`);
  }
  const e = edgeFor(m, from, to, mode, composite && engine === "pls");
  if (m.table.some((r) => sameEdge(r, e.lhs, e.op, e.rhs))) return m;
  if (e.op === "~" || e.op === "=~" || e.op === "<~") {
    const back = m.table.some((r) => r.op === e.op && r.lhs === e.rhs && r.rhs === e.lhs);
    if (back && e.op !== "~") {
      throw new GraphError(`"${from}" and "${to}" are already connected the other way.`);
    }
  }
  const table = insertRow(m.table, newRow(m.table, e.lhs, e.op, e.rhs));
  const inRows = new Set(table.flatMap((r) => [r.lhs, r.rhs]));
  // A latent that gets indicators moves from `latents` into the table's left-hand sides, but it
  // stays declared so Python keeps drawing it as latent even if the row is later removed.
  return { table, latents: m.latents, extras: m.extras.filter((x) => !inRows.has(x)) };
}

/** Parse `"<lhs> <op> <rhs>"` back into its parts. */
export function parseEdgeKey(key: string): { lhs: string; op: Op; rhs: string } {
  const parts = key.split(" ");
  if (parts.length !== 3) throw new GraphError(`"${key}" is not an edge key of the form "lhs op rhs".`);
  return { lhs: parts[0]!, op: parts[1] as Op, rhs: parts[2]! };
}

/**
 * Latents of `before` that `next` no longer measures stay declared latents: a construct that
 * loses its last indicator is still an ellipse (not demoted to an observed box, nor dropped).
 */
function keepLatents(before: Model, next: Model, removed: ReadonlySet<string> = new Set()): Model {
  const now = latentSet(next);
  const kept = [...latentSet(before)].filter((l) => !now.has(l) && !removed.has(l));
  return kept.length ? { ...next, latents: [...next.latents, ...kept] } : next;
}

/** Delete one edge given its key (`"y1 ~~ y5"` also matches a row written `y5 ~~ y1`). */
export function deleteEdge(m: Model, key: string): Model {
  const { lhs, op, rhs } = parseEdgeKey(key);
  const table = m.table.filter((r) => !sameEdge(r, lhs, op, rhs));
  if (table.length === m.table.length) throw new GraphError(`There is no edge "${key}".`);
  return keepLatents(m, { ...m, table });
}

/** Rows that belong to one variable (its intercept, thresholds, scale): they follow it. */
const OWN_OPS: ReadonlySet<string> = new Set(["~1", "|", "~*~"]);

/** Delete a node and every edge touching it. */
export function deleteNode(m: Model, name: string): Model {
  if (!hasNode(m, name)) throw new GraphError(`There is no node named "${name}".`);
  const table = m.table.filter(
    (r) =>
      !((EDGE_OPS.has(r.op) && (r.lhs === name || r.rhs === name)) || (OWN_OPS.has(r.op) && r.lhs === name)),
  );
  const next = {
    table,
    latents: m.latents.filter((l) => l !== name),
    extras: m.extras.filter((x) => x !== name),
  };
  return keepLatents(m, next, new Set([name]));
}

/** Rename a node everywhere it occurs. */
export function renameNode(m: Model, from: string, to: string, columns: string[] = []): Model {
  if (from === to) return m;
  if (!hasNode(m, from)) throw new GraphError(`There is no node named "${from}".`);
  checkName(to);
  if (hasNode(m, to)) throw new GraphError(`There is already a node named "${to}".`);
  if (latentSet(m).has(from) && columns.includes(to)) {
    throw new GraphError(`"${to}" is a column of the data; a latent variable needs another name.`);
  }
  const swap = (s: string): string => (s === from ? to : s);
  const table = m.table.map((r) => {
    if (EDGE_OPS.has(r.op)) return { ...r, lhs: swap(r.lhs), rhs: swap(r.rhs) };
    if (r.op === "~*~") return { ...r, lhs: swap(r.lhs), rhs: swap(r.rhs) };
    return OWN_OPS.has(r.op) ? { ...r, lhs: swap(r.lhs) } : r;
  });
  return { table, latents: m.latents.map(swap), extras: m.extras.map(swap) };
}

export type Modifier =
  | { kind: "fix"; value: number }
  | { kind: "free" }
  | { kind: "start"; value: number }
  | { kind: "label"; label: string }
  | { kind: "default" };

/** Set the modifier of the edge `key`: fix to a value, free (NA), start value, label, or reset. */
export function setModifier(m: Model, key: string, mod: Modifier): Model {
  const { lhs, op, rhs } = parseEdgeKey(key);
  let found = false;
  const table = m.table.map((r) => {
    if (!sameEdge(r, lhs, op, rhs)) return r;
    found = true;
    const free = r.free > 0 ? r.free : nextFree(m.table);
    switch (mod.kind) {
      case "fix":
        if (!Number.isFinite(mod.value)) throw new GraphError(`"${mod.value}" is not a number.`);
        return { ...r, free: 0, ustart: mod.value, freed: 0 };
      case "free":
        return { ...r, free, ustart: null, freed: 1 };
      case "start":
        if (!Number.isFinite(mod.value)) throw new GraphError(`"${mod.value}" is not a number.`);
        return { ...r, free, ustart: mod.value, freed: 0 };
      case "label":
        if (mod.label !== "") checkName(mod.label);
        return { ...r, label: mod.label };
      case "default":
        return { ...r, free, ustart: null, freed: 0 };
    }
  });
  if (!found) throw new GraphError(`There is no edge "${key}".`);
  return { ...m, table };
}

/** Keys of the edges touching `name`. */
export function edgesOfNode(table: TableRow[], name: string): string[] {
  return edgeRows(table)
    .filter((r) => r.lhs === name || r.rhs === name)
    .map(edgeKey);
}

/**
 * Switch a construct between reflective (`=~`, PLS Mode A) and composite (`<~`, Mode B)
 * measurement: its indicator rows change operator, everything else stays.
 */
export function setMeasurement(m: Model, construct: string, mode: "reflective" | "composite"): Model {
  const from = mode === "composite" ? "=~" : "<~";
  const to: Op = mode === "composite" ? "<~" : "=~";
  if (!m.table.some((r) => r.lhs === construct && r.op === from)) {
    throw new GraphError(`"${construct}" has no ${from} indicators to switch.`);
  }
  const table = m.table.map((r) => (r.lhs === construct && r.op === from ? { ...r, op: to } : r));
  return { ...m, table };
}
