/**
 * The scene: every node box and edge of the diagram with its label text, side, nesting and bend,
 * computed from the state and the layout. Pure; the edge curves themselves are in edges.ts.
 */
import { formatNumber } from "../model/emit";
import { fmt, stars } from "../model/format";
import { ghostLabel } from "../model/ghosts";
import { nodesOf } from "../model/graph";
import type { DiagramState, EdgeResult, GhostSuggestion, Layout, TableRow } from "../model/state";
import { EDGE_OPS, edgeKey, shownName } from "../model/state";
import { type LoopInfo, chooseArcSides, loopTilt, planArcs } from "./arcs";
import { FONT_LABEL, FONT_SMALL, angleDiff, nodeSize, textWidth } from "./geometry";
import { moderationMarks } from "./moderation";
import { avoidNodes, spreadCovEnds } from "./routing";
import { type EdgeLabel, type EdgeShape, type Scene, type SceneEdge, type SceneNode, errorName } from "./scene-types";

const LINE_H = 13;

function resultValue(r: EdgeResult, standardized: boolean): number | null {
  const std = r.std ?? null;
  const est = r.est ?? null;
  return standardized ? (std ?? est) : (est ?? std);
}

function labelBox(lines: string[], role: EdgeLabel["role"]): EdgeLabel {
  const w = Math.max(...lines.map((l) => textWidth(l, FONT_LABEL))) + 6;
  return { lines, role, w, h: lines.length * LINE_H + 3, t: 0.5, off: 0, x: 0, y: 0 };
}

function edgeLabel(row: Pick<TableRow, "free" | "ustart" | "label" | "freed"> | null, res: EdgeResult | undefined, st: DiagramState): EdgeLabel | null {
  const o = st.options;
  if (res) {
    const v = resultValue(res, o.standardized);
    if (v === null) return null;
    const name = row?.label || res.label || "";
    // the "all groups" view of a multigroup fit lists every group's value: "0.34 | 0.52"
    const all = o.standardized ? res.values_std : res.values_est;
    let first = Array.isArray(all)
      ? all.map((x) => (x === null || x === undefined ? "\u2013" : fmt(x, o.digits))).join(" | ")
      : `${fmt(v, o.digits)}${o.stars ? stars(res.pvalue) : ""}`;
    if (res.equal) first += " (=)";
    if (name) first = `${name} = ${first}`;
    const lines = [first];
    // SE and CI belong to the unstandardized estimate; PLS estimates are standardized already.
    const pls = (st.results?.engine ?? st.engine) === "pls";
    if (!o.standardized || pls) {
      const se = res.se ?? null;
      const lo = res.ci_lower ?? null;
      const hi = res.ci_upper ?? null;
      if (o.se && se !== null && Number.isFinite(se) && se > 0) lines.push(`(${fmt(se, o.digits)})`);
      if (o.ci && lo !== null && hi !== null && Number.isFinite(lo) && Number.isFinite(hi) && lo !== hi) {
        lines.push(`[${fmt(lo, o.digits)}, ${fmt(hi, o.digits)}]`);
      }
    }
    return labelBox(lines, "coef");
  }
  if (!row) return null;
  const parts: string[] = [];
  if (row.label) parts.push(row.label);
  if (row.free === 0 && row.ustart !== null) parts.push(formatNumber(row.ustart));
  else if (row.freed === 1) parts.push("NA");
  if (parts.length === 0) return null;
  return labelBox([parts.join(" = ")], "modifier");
}

/** Build the scene. `layout` must hold a position for every node (see merge.ts). */
export function buildScene(st: DiagramState, layout: Layout): Scene {
  const infos = nodesOf({ table: st.table, latents: st.latents, extras: st.extras ?? [] });
  const res = st.results && st.results.edges ? st.results : null;
  const fitted = res !== null && Object.keys(res.edges ?? {}).length > 0;
  const r2 = st.results?.r2 ?? {};
  const nodes: SceneNode[] = [];
  // Ordinal: listed in `ordered`, or fitted with thresholds (e.g. a pandas ordered categorical)
  // by a fit of the current model (after an edit, e.g. a variable taken out of `ordered`, the
  // older fit's thresholds no longer say what the model is).
  const thresholds = st.results?.thresholds ?? {};
  const fresh = st.results?.stale !== true;
  const ordinal = new Set([...(st.ordered ?? []), ...(fresh ? Object.keys(thresholds) : [])]);
  for (const n of infos) {
    const p = layout[n.name];
    if (!p) continue;
    const shown = shownName(n.name, st.labels);
    const s = nodeSize(shown, n.kind);
    const rv = r2[n.name];
    const showR2 = fitted && st.options.r2 && typeof rv === "number" && Number.isFinite(rv);
    nodes.push({
      name: n.name, kind: n.kind, x: p.x, y: p.y, w: s.w, h: s.h, r2: showR2 ? `R\u00b2 = ${fmt(rv, st.options.digits)}` : "",
      ...(shown !== n.name ? { text: shown } : {}),
      ...(n.kind === "observed" && ordinal.has(n.name) ? { ordinal: thresholds[n.name] ?? 0 } : {}),
    });
  }
  const byName = new Map(nodes.map((n) => [n.name, n] as const));
  const cx = nodes.reduce((a, n) => a + n.x, 0) / (nodes.length || 1);
  const cy = nodes.reduce((a, n) => a + n.y, 0) / (nodes.length || 1);

  const edges: SceneEdge[] = [];
  const seen = new Set<string>();
  const errorsOn = st.options.errors && st.engine === "sem";
  const endogenous = endogenousSet(st.table);
  const warned = new Set(st.flaggedEdges ?? []);
  const isWarned = (lhs: string, op: string, rhs: string): boolean =>
    warned.has(`${lhs} ${op} ${rhs}`) || (op === "~~" && warned.has(`${rhs} ~~ ${lhs}`));
  const addEdge = (lhs: string, op: string, rhs: string, row: TableRow | null, ghost?: GhostSuggestion, implied = false): void => {
    const key = edgeKey({ lhs, op: op as TableRow["op"], rhs });
    if (seen.has(key) || !byName.has(lhs) || !byName.has(rhs)) return;
    if (op === "~~" && seen.has(`${rhs} ~~ ${lhs}`)) return;
    seen.add(key);
    const r = fitted && !ghost ? res!.edges![key] ?? (op === "~~" ? res!.edges![`${rhs} ~~ ${lhs}`] : undefined) : undefined;
    let shape: EdgeShape = "arrow";
    let from = lhs;
    let to = rhs;
    const bend = 0;
    if (op === "~" || op === "<~") {
      from = rhs;
      to = lhs;
    } else if (op === "~~") {
      // Sides of arcs and loops are chosen once every edge is known (below).
      shape = lhs === rhs ? "var" : "cov";
    }
    const label = ghost ? labelBox([ghostLabel(ghost)], "mi") : edgeLabel(row, r, st);
    // Fixed: written so (`1*x1`), or fitted without a standard error (the marker loading).
    const fixed = (row !== null && row.free === 0 && row.ustart !== null) || (r !== undefined && r.est != null && !r.se && r.pvalue == null);
    edges.push({
      key, lhs, op, rhs, shape, from, to, bend, label,
      ...(ghost ? { ghost } : {}),
      ...(fixed && !ghost ? { fixed } : {}),
      ...(implied || (!row && !ghost) ? { implied: true } : {}),
      ...(r ? { result: r } : {}),
      ...(!ghost && isWarned(lhs, op, rhs) ? { flagged: true } : {}),
      ...(st.options.signs && r && !ghost && resultValue(r, st.options.standardized) !== null
        ? { tone: { positive: resultValue(r, st.options.standardized)! >= 0, size: Math.abs(resultValue(r, st.options.standardized)!) } }
        : {}),
    });
  };
  for (const row of st.table) {
    if (!EDGE_OPS.has(row.op)) continue;
    addEdge(row.lhs, row.op, row.rhs, row);
  }
  if (fitted) {
    // Covariances the defaults added (e.g. between latent factors) are part of the fitted model;
    // residual variances only when asked for.
    for (const key of Object.keys(res!.edges!)) {
      const [lhs, op, rhs] = key.split(" ");
      if (op !== "~~" || lhs === undefined || rhs === undefined) continue;
      // With error circles the residual variance belongs to the circle, not a loop. A variance
      // a warning points at (a Heywood case) is drawn even with "Residuals" off.
      const loop = st.options.residuals || isWarned(lhs, op, rhs);
      if (lhs !== rhs || (loop && !(errorsOn && endogenous.has(lhs)))) addEdge(lhs, op, rhs, null);
    }
  }
  if (!fitted && st.engine === "sem" && st.options.defaults) {
    // What the fit will add (lavaan's defaults), shown lighter before the fit: covariances
    // between exogenous latent variables.
    for (const [a, b] of defaultCovariances(st.table, nodes)) addEdge(a, "~~", b, null, undefined, true);
    // ... and, with "Residuals" on, the (residual) variances of endogenous variables and latents.
    if (st.options.residuals) {
      for (const n of nodes) {
        const free = endogenous.has(n.name) || n.kind === "latent";
        if (free && !(errorsOn && endogenous.has(n.name))) addEdge(n.name, "~~", n.name, null, undefined, true);
      }
    }
  }
  // Suggested parameters between drawn nodes that the model does not have yet; they take part
  // in arc sides, nesting and bending like real edges, so they are drawn where they would go.
  for (const g of st.ghosts ?? []) if (g.lhs !== g.rhs) addEdge(g.lhs, g.op, g.rhs, null, g);
  const ownerOf = new Map<string, string>();
  for (const r of st.table) {
    if ((r.op === "=~" || r.op === "<~") && byName.get(r.rhs)?.kind === "observed" && byName.has(r.lhs) && !ownerOf.has(r.rhs)) {
      ownerOf.set(r.rhs, r.lhs);
    }
  }
  chooseArcSides(edges, byName, ownerOf, { x: cx, y: cy });
  const arcSides = new Map<string, number[]>();
  for (const e of edges) {
    if (!e.route) continue;
    for (const n of [e.from, e.to]) arcSides.set(n, [...(arcSides.get(n) ?? []), Math.atan2(e.route.dy, e.route.dx)]);
  }
  const loops = new Map<string, LoopInfo>();
  let arcLabelH = 0;
  for (const e of edges) {
    if (e.shape === "var") {
      e.bend = loopAngle(e.from, byName, st, ownerOf, arcSides.get(e.from) ?? []);
      const side = { x: Math.round(Math.cos(e.bend)), y: Math.round(Math.sin(e.bend)) };
      e.bend += loopTilt(e.from, side, edges, byName);
      loops.set(e.from, { dir: { x: Math.cos(e.bend), y: Math.sin(e.bend) }, reach: 32 + (e.label ? e.label.h + 4 : 0) });
    } else if (e.route && e.label) {
      arcLabelH = Math.max(arcLabelH, e.label.h);
    }
  }
  if (errorsOn) addErrorCircles(st, nodes, byName, edges, ownerOf, arcSides, endogenous, res, warned);
  planArcs(edges, nodes, byName, loops, arcLabelH);
  avoidNodes(edges, byName);
  spreadCovEnds(edges, byName);
  // Two arrows between the same nodes in opposite directions (F1 -> x1 and x1 -> F1) would be
  // drawn on one line: bend both, after avoidNodes (which may flip one); the same bend bulges
  // to opposite sides for the two directions.
  const arrows = new Set(edges.filter((e) => e.shape === "arrow" && !e.ghost).map((e) => `${e.from}\u0000${e.to}`));
  for (const e of edges) if (e.shape === "arrow" && arrows.has(`${e.to}\u0000${e.from}`)) e.bend = 26;
  // Covariances under directed paths so arrows stay on top.
  edges.sort((p, q) => (p.shape === "arrow" ? 1 : 0) - (q.shape === "arrow" ? 1 : 0));
  const stale = fitted && st.results?.stale === true;
  const moderations = moderationMarks(st.table, byName, edges, (row) => edgeLabel(row, fitted ? res!.edges![edgeKey(row)] : undefined, st));
  return { nodes, byName, edges, fitted, stale, flagged: new Set(st.flagged ?? []), moderations };
}

/** Variables with a residual: indicators and regressed variables (CB-SEM). */
function endogenousSet(table: TableRow[]): Set<string> {
  return new Set(table.filter((r) => r.op === "=~" || r.op === "~").map((r) => (r.op === "~" ? r.lhs : r.rhs)));
}

/**
 * AMOS-style residuals: a small circle e1, e2, ... outside each endogenous variable (where its
 * variance loop would go) with a path fixed to 1 into it; the residual variance is in the tooltip.
 */
function addErrorCircles(
  st: DiagramState,
  nodes: SceneNode[],
  byName: Map<string, SceneNode>,
  edges: SceneEdge[],
  ownerOf: Map<string, string>,
  arcSides: Map<string, number[]>,
  endogenous: Set<string>,
  res: DiagramState["results"],
  warned: ReadonlySet<string>,
): void {
  let k = 0;
  for (const n of [...nodes]) {
    if (!endogenous.has(n.name) || n.errorOf) continue;
    k += 1;
    const ang = loopAngle(n.name, byName, st, ownerOf, arcSides.get(n.name) ?? []);
    const dir = { x: Math.cos(ang), y: Math.sin(ang) };
    const reach = Math.abs(dir.x) * (n.w / 2) + Math.abs(dir.y) * (n.h / 2) + 34;
    const e: SceneNode = {
      name: errorName(n.name), kind: "latent", x: n.x + dir.x * reach, y: n.y + dir.y * reach,
      w: 26, h: 26, r2: "", errorOf: n.name, text: `e${k}`,
      ...(warned.has(`${n.name} ~~ ${n.name}`) ? { flagged: true } : {}),
    };
    nodes.push(e);
    byName.set(e.name, e);
    const variance = res?.edges?.[`${n.name} ~~ ${n.name}`];
    const value = variance ? resultValue(variance, st.options.standardized) : null;
    if (value !== null) e.note = varianceNote(fmt(value, st.options.digits), dir, e.w / 2);
    edges.push({
      key: `${e.name} -> ${n.name}`, lhs: e.name, op: "->", rhs: n.name, shape: "arrow",
      from: e.name, to: n.name, bend: 0, label: labelBox(["1"], "modifier"), fixed: true,
      ...(variance ? { result: variance } : {}),
    });
  }
}

/**
 * Where an error circle's variance goes, as AMOS draws it: beside the circle on the side away
 * from its variable; to the right of a circle above or below its variable, over a circle to its
 * left or right (beside it there, the text would run into the variable or off its row).
 */
function varianceNote(text: string, dir: { x: number; y: number }, r: number): NonNullable<SceneNode["note"]> {
  const w = textWidth(text, FONT_SMALL);
  const h = 12;
  if (Math.abs(dir.y) >= Math.abs(dir.x)) return { text, dx: r + 3, dy: dir.y > 0 ? r - 2 : -r + 2, anchor: "start", w, h };
  return { text, dx: 0, dy: -r - 7, anchor: "middle", w, h };
}

/** Pairs of exogenous latents (measured, not regressed on anything, not indicators). */
function defaultCovariances(table: TableRow[], nodes: SceneNode[]): Array<[string, string]> {
  const measured = new Set(table.filter((r) => r.op === "=~").map((r) => r.lhs));
  const endogenous = new Set(table.filter((r) => r.op === "~" || r.op === "=~" || r.op === "<~").map((r) => (r.op === "~" ? r.lhs : r.rhs)));
  const exo = nodes.filter((n) => n.kind === "latent" && measured.has(n.name) && !endogenous.has(n.name)).map((n) => n.name);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < exo.length; i++) for (let j = i + 1; j < exo.length; j++) out.push([exo[i]!, exo[j]!]);
  return out;
}

/**
 * Outward angle of a variance loop, on an axis so loops sit squarely above/below/beside nodes:
 * an indicator's loop points away from its construct; any other node's loop goes where its edges
 * (and the covariance arcs routed on its sides, at angles `arcSides`) leave the most room.
 */
function loopAngle(
  name: string,
  byName: Map<string, SceneNode>,
  st: DiagramState,
  ownerOf: Map<string, string>,
  arcSides: number[],
): number {
  const n = byName.get(name)!;
  const axes = [-Math.PI / 2, Math.PI / 2, 0, Math.PI];
  const snap = (ang: number): number => Math.round(ang / (Math.PI / 2)) * (Math.PI / 2);
  const owner = ownerOf.get(name);
  if (owner) {
    const c = byName.get(owner)!;
    return snap(Math.atan2(n.y - c.y, n.x - c.x));
  }
  const dirs: number[] = [...arcSides];
  for (const r of st.table) {
    if (!EDGE_OPS.has(r.op) || r.lhs === r.rhs) continue;
    const other = r.lhs === name ? r.rhs : r.rhs === name ? r.lhs : null;
    const o = other ? byName.get(other) : undefined;
    if (o) dirs.push(Math.atan2(o.y - n.y, o.x - n.x));
  }
  let best = axes[0]!;
  let room = -1;
  for (const ax of axes) {
    const clear = dirs.length ? Math.min(...dirs.map((d) => Math.abs(angleDiff(ax, d)))) : Math.PI;
    if (clear > room + 1e-6) {
      room = clear;
      best = ax;
    }
  }
  return best;
}
