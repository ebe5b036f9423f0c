/**
 * What the browser view draws over the model: the diff of two compared versions (changed edges
 * marked, removed ones as ghosts) and the local-fit overlay (residual correlations above the
 * threshold as dashed links between observed variables, heat by size). Both come from
 * `scene.overlay`, which the editor sets; the standalone export leaves it out.
 */
import { type DiffKind, type LocalFitPair, diffKinds, heat, localFitTooltip } from "../model/compare";
import { boundaryPoint } from "../layout/geometry";
import type { Scene, SceneNode } from "../layout/scene-types";
import type { Point } from "../model/state";
import { type Attrs, type VNode, h } from "./vdom";

/** Okabe–Ito colours of the diff: added bluish green, freed sky blue, fixed reddish purple. */
export const DIFF_COLOURS: Record<DiffKind, string> = {
  added: "#009E73", freed: "#56B4E9", fixed: "#CC79A7", relabelled: "#E69F00",
};

const WORDS: Record<DiffKind, string> = {
  added: "added", freed: "freed", fixed: "fixed", relabelled: "relabelled",
};

const kindsCache = new WeakMap<object, Map<string, DiffKind>>();

function kindsOf(scene: Scene): Map<string, DiffKind> {
  const diff = scene.overlay?.diff;
  if (!diff) return new Map();
  let m = kindsCache.get(diff);
  if (!m) kindsCache.set(diff, (m = diffKinds(diff)));
  return m;
}

/** How edge `key` changed between the compared versions, or null. */
export function diffKindOf(scene: Scene, key: string): DiffKind | null {
  return kindsOf(scene).get(key) ?? null;
}

/** Attributes that mark an edge changed in the diff (`data-diff` and its colour). */
export function diffAttrs(scene: Scene, key: string): Attrs {
  const kind = diffKindOf(scene, key);
  return kind ? { "data-diff": kind, style: `--semw-diff:${DIFF_COLOURS[kind]}` } : {};
}

/** The class suffix of a changed edge ("" when unchanged). */
export function diffClass(scene: Scene, key: string): string {
  const kind = diffKindOf(scene, key);
  return kind ? ` semw-diff semw-diff-${kind}` : "";
}

/** The tooltip's note on a changed edge. */
export function diffNote(scene: Scene, key: string): string {
  const kind = diffKindOf(scene, key);
  const d = scene.overlay?.diff;
  return kind && d ? `\n${WORDS[kind]} from version ${d.versions[0]} to version ${d.versions[1]}` : "";
}

const r = (v: number): number => Math.round(v * 10) / 10;

/** The middle of the diagram's nodes. */
function centreOf(scene: Scene): Point {
  const n = Math.max(1, scene.nodes.length);
  return { x: scene.nodes.reduce((s, v) => s + v.x, 0) / n, y: scene.nodes.reduce((s, v) => s + v.y, 0) / n };
}

/**
 * A bent link between two nodes' outlines: the control point lies `bend` × the distance off the
 * midpoint, on the side away from `centre` (the diagram's middle), so links between indicators
 * of a row run outside the row instead of through its loadings.
 */
function link(a: SceneNode, b: SceneNode, bend: number, centre: Point, least = 0): { d: string; end: Point; dir: Point } {
  const mx = (a.x + b.x) / 2;
  const my = (a.y + b.y) / 2;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  let nx = -dy / len;
  let ny = dx / len;
  if (nx * (mx - centre.x) + ny * (my - centre.y) < 0) [nx, ny] = [-nx, -ny];
  const off = Math.max(bend * len, least);
  const c = { x: mx + nx * off, y: my + ny * off };
  const p = boundaryPoint({ x: a.x, y: a.y }, a.kind, a.w, a.h, c);
  const q = boundaryPoint({ x: b.x, y: b.y }, b.kind, b.w, b.h, c);
  const ex = q.x - c.x;
  const ey = q.y - c.y;
  const el = Math.hypot(ex, ey) || 1;
  return { d: `M${r(p.x)},${r(p.y)} Q${r(c.x)},${r(c.y)} ${r(q.x)},${r(q.y)}`, end: q, dir: { x: ex / el, y: ey / el } };
}

function arrowHead(end: Point, dir: Point): string {
  const s = 8;
  const w = 4;
  const bx = end.x - dir.x * s;
  const by = end.y - dir.y * s;
  return `M${r(end.x)},${r(end.y)} L${r(bx - dir.y * w)},${r(by + dir.x * w)} L${r(bx + dir.y * w)},${r(by - dir.x * w)} Z`;
}

/** A removed parameter drawn as a ghost: `<g data-diff="removed" data-removed="lhs op rhs">`. */
function removedEdge(scene: Scene, key: string, interactive: boolean): VNode | null {
  const [lhs, op, rhs] = key.split(" ");
  if (!lhs || !op || !rhs || lhs === rhs) return null;
  // Regressions point from the predictor (rhs) to the outcome; loadings from the construct.
  const [from, to] = op === "~" ? [rhs, lhs] : [lhs, rhs];
  const a = scene.byName.get(from);
  const b = scene.byName.get(to);
  if (!a || !b) return null;
  const g = link(a, b, op === "~~" ? 0.15 : 0.04, centreOf(scene));
  const d = scene.overlay!.diff!;
  return h("g", { class: "semw-removed-g", "data-diff": "removed", "data-removed": key },
    interactive ? h("title", {}, `${key}\nremoved from version ${d.versions[0]} to version ${d.versions[1]}`) : null,
    h("path", { class: "semw-removed", d: g.d, fill: "none" }),
    op === "~~" ? null : h("path", { class: "semw-removed-head", d: arrowHead(g.end, g.dir) }));
}

/** A residual correlation: `<g data-local-fit="a ~~ b" data-cor data-z>`, dashed, heat by size. */
function residualLink(scene: Scene, p: LocalFitPair, threshold: number, interactive: boolean, i: number): VNode | null {
  const a = scene.byName.get(p.lhs);
  const b = scene.byName.get(p.rhs);
  if (!a || !b || a.kind !== "observed" || b.kind !== "observed") return null;
  // Each further link bends a little more, so links sharing a node do not lie on each other; the
  // least offset takes the curve's apex (half the offset) clear of the nodes of a row.
  const g = link(a, b, 0.12 + 0.03 * i, centreOf(scene), Math.max(a.h, b.h) + 16 + 8 * i);
  const hv = heat(p.cor, threshold);
  const tip = localFitTooltip(p);
  return h("g", {
    class: "semw-local-g", "data-local-fit": `${p.lhs} ~~ ${p.rhs}`, "data-cor": p.cor, "data-z": p.z ?? "",
    "data-heat": hv.level, ...(interactive ? { tabindex: 0, role: "img", "aria-label": tip } : {}),
  },
  interactive ? h("title", {}, tip) : null,
  interactive ? h("path", { class: "semw-hit", d: g.d, fill: "none", stroke: "transparent", "stroke-width": 10 }) : null,
  h("path", { class: "semw-local", d: g.d, fill: "none", stroke: hv.colour, "stroke-width": hv.width, "stroke-dasharray": "5 3" }));
}

/** The overlay group: removed edges of the diff and the residual-correlation links. */
export function renderOverlay(scene: Scene, interactive: boolean): VNode | null {
  const o = scene.overlay;
  if (!o || (!o.diff?.removed.length && !o.localFit?.pairs.length)) return null;
  const lf = o.localFit;
  return h("g", { class: "semw-overlay" },
    ...(o.diff?.removed ?? []).map((k) => removedEdge(scene, k, interactive)),
    ...(lf ? lf.pairs.map((p, i) => residualLink(scene, p, lf.threshold, interactive, i)) : []));
}

/** The overlay's stylesheet rules (added to the theme's). */
export const OVERLAY_CSS = [
  ".semw-svg .semw-diff>.semw-edge,.semw-svg .semw-diff>.semw-cov{stroke:var(--semw-diff);stroke-width:3}",
  ".semw-svg .semw-diff>.semw-head{fill:var(--semw-diff)}",
  ".semw-svg .semw-diff-fixed>.semw-edge,.semw-svg .semw-diff-fixed>.semw-cov{stroke-dasharray:2 3}",
  ".semw-svg .semw-removed{stroke:var(--jp-ui-font-color2, #57606a);stroke-width:1.6;stroke-dasharray:2 4;opacity:.7}",
  ".semw-svg .semw-removed-head{fill:var(--jp-ui-font-color2, #57606a);opacity:.7}",
  ".semw-svg .semw-local-g:hover>.semw-local,.semw-svg .semw-local-g:focus-visible>.semw-local{stroke-dasharray:none;filter:drop-shadow(0 0 2px currentColor)}",
].join("");
