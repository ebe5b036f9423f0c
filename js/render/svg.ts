/**
 * The one renderer: state -> virtual SVG tree. The browser view mounts it (and patches node and
 * edge attributes while dragging); the headless export serialises it to a standalone SVG string.
 */
import { ghostDescription } from "../model/ghosts";
import type { DiagramState, Layout } from "../model/state";
import { edgeGeometry, sceneBounds } from "../layout/edges";
import { type Box, hexagonPoints } from "../layout/geometry";
import { placeLabels } from "../layout/labels";
import { mergeLayout } from "../layout/merge";
import { buildScene } from "../layout/scene";
import type { Scene, SceneEdge, SceneNode } from "../layout/scene-types";
import { fitItems, fitSummary } from "./fit";
import { OVERLAY_CSS, diffAttrs, diffClass, diffNote, renderOverlay } from "./overlay";
import { renderModeration } from "./moderation";
import { FONT_FAMILY, paint, themeCSS } from "./theme";
import { type VNode, h, toXML } from "./vdom";

export interface RenderOptions {
  /** Concrete colours and fonts as attributes (export) instead of theme classes (browser). */
  standalone: boolean;
  /** Add wide invisible strokes on edges for clicking (browser only). */
  interactive: boolean;
  /** Names of selected nodes / keys of selected edges (browser only). */
  selected?: ReadonlySet<string>;
  /** Names of nodes a warning points at (browser only). */
  flagged?: ReadonlySet<string>;
}

const NAME_DY = "0.35em";

function shapeOf(n: SceneNode, standalone: boolean): VNode {
  const attrs = paint(n.kind, standalone);
  if (n.kind === "latent") return h("ellipse", { ...attrs, cx: 0, cy: 0, rx: n.w / 2, ry: n.h / 2 });
  if (n.kind === "composite") {
    const pts = hexagonPoints(n.w, n.h).map((p) => `${p.x},${p.y}`).join(" ");
    return h("polygon", { ...attrs, points: pts });
  }
  return h("rect", { ...attrs, x: -n.w / 2, y: -n.h / 2, width: n.w, height: n.h, rx: 2 });
}

/** One node: `<g data-node data-kind transform>` with its shape, name and R². */
export function renderNode(n: SceneNode, o: RenderOptions): VNode {
  if (n.errorOf) {
    return h(
      "g",
      { class: `semw-error-node${n.flagged ? " semw-flagged" : ""}`, "data-error-node": n.errorOf, ...(n.flagged ? { "data-flagged": "true" } : {}), transform: `translate(${r(n.x)},${r(n.y)})`, "aria-label": `residual error ${n.text} of ${n.errorOf}`, role: "img" },
      h("ellipse", { ...paint("observed", o.standalone), cx: 0, cy: 0, rx: n.w / 2, ry: n.h / 2 }),
      h("text", { ...paint("label", o.standalone), x: 0, y: 0, dy: NAME_DY, "text-anchor": "middle", "font-style": "italic" }, n.text ?? ""),
      n.note
        ? h("text", { ...paint("r2", o.standalone), "data-role": "error-var", x: r(n.note.dx), y: r(n.note.dy), dy: NAME_DY, "text-anchor": n.note.anchor }, n.note.text)
        : null,
    );
  }
  const sel = (o.selected?.has(n.name) ? " semw-selected" : "") + (o.flagged?.has(n.name) ? " semw-flagged" : "");
  const kindWord = n.kind === "observed" ? "observed variable" : n.kind === "latent" ? "latent variable" : "composite";
  const ord = n.ordinal === undefined ? "" : `, ${ordinalText(n.ordinal)}`;
  return h(
    "g",
    {
      class: `semw-node${sel}`,
      "data-node": n.name,
      "data-kind": n.kind,
      transform: `translate(${r(n.x)},${r(n.y)})`,
      ...(n.text ? { "data-label": n.text } : {}),
      ...(n.ordinal !== undefined ? { "data-ordinal": n.ordinal } : {}),
      "aria-label": `${kindWord} ${n.name}${n.text ? ` (${n.text})` : ""}${ord}${n.r2 ? `, ${n.r2}` : ""}${o.flagged?.has(n.name) ? ", has a warning" : ""}`,
      // In the browser each node is a Tab stop (focus selects it; F2, Delete, arrows act on it).
      ...(o.interactive ? { tabindex: 0, role: "button" } : { role: "img" }),
    },
    n.ordinal !== undefined && o.interactive ? h("title", {}, `${n.name}: ${ordinalText(n.ordinal)}`) : null,
    shapeOf(n, o.standalone),
    n.ordinal !== undefined ? ordinalMark(n, o.standalone) : null,
    h(
      "text",
      { ...paint("name", o.standalone), x: 0, y: n.r2 ? -6 : 0, dy: NAME_DY, "text-anchor": "middle" },
      n.text ?? n.name,
    ),
    n.r2
      ? h(
          "text",
          { ...paint("r2", o.standalone), "data-role": "r2", x: 0, y: 10, dy: NAME_DY, "text-anchor": "middle" },
          n.r2,
        )
      : null,
  );
}

/** "ordinal, 3 thresholds" (or just "ordinal" before a fit tells how many). */
export function ordinalText(k: number): string {
  return k > 0 ? `ordinal, ${k} threshold${k === 1 ? "" : "s"}` : "ordinal";
}

/**
 * The mark of an ordinal indicator: a thin stacked bar along the rectangle's left side, one
 * segment per category (k thresholds cut it into k + 1); a plain bar before the fit.
 */
function ordinalMark(n: SceneNode, standalone: boolean): VNode {
  const k = n.ordinal ?? 0;
  const top = -n.h / 2 + 4;
  const len = n.h - 8;
  const cats = Math.max(1, k + 1);
  const gap = cats > 1 ? 1.5 : 0;
  const seg = (len - gap * (cats - 1)) / cats;
  const parts: VNode[] = [];
  for (let i = 0; i < cats; i++) {
    parts.push(h("rect", { ...paint("head", standalone), x: -n.w / 2 + 3, y: r(top + i * (seg + gap)), width: 3, height: r(seg), opacity: 0.35 + (0.5 * i) / cats }));
  }
  return h("g", { "data-role": "ordinal-mark", "data-categories": k > 0 ? cats : undefined }, ...parts);
}

function r(v: number): number {
  return Math.round(v * 100) / 100;
}

/** The label of an edge: a backing box and one text line per row. */
export function renderLabel(e: Pick<SceneEdge, "label">, o: RenderOptions): VNode | null {
  const l = e.label;
  if (!l) return null;
  const top = -l.h / 2 + 1.5;
  return h(
    "g",
    { class: "semw-edge-label", transform: `translate(${r(l.x)},${r(l.y)})` },
    h("rect", { ...paint("label-bg", o.standalone), x: -l.w / 2, y: -l.h / 2, width: l.w, height: l.h, rx: 2 }),
    ...l.lines.map((line, i) =>
      h(
        "text",
        {
          ...paint(l.role === "mi" ? "ghost-label" : "label", o.standalone),
          "data-role": i === 0 ? l.role : `${l.role}-detail`,
          x: 0,
          y: top + 6.5 + i * 13,
          dy: NAME_DY,
          "text-anchor": "middle",
        },
        line,
      ),
    ),
  );
}

/** One edge: `<g data-edge="lhs op rhs">` with its line, arrowhead(s) and label. */
export function renderEdge(e: SceneEdge, scene: Scene, o: RenderOptions): VNode | null {
  const a = scene.byName.get(e.from);
  const b = scene.byName.get(e.to);
  if (!a || !b) return null;
  const g = edgeGeometry(e, a, b);
  if (e.ghost) return renderGhost(e, g.d, g.heads, o);
  const sel = (o.selected?.has(e.key) ? " semw-selected" : "") + (e.flagged ? " semw-flagged" : "");
  const lineRole = e.shape === "arrow" ? "edge" : "cov";
  // Before a fit, what the fit adds by default is drawn lighter; fixed parameters are dashed.
  const implied = e.implied && !scene.fitted;
  return h(
    "g",
    {
      class: `semw-edge-g${sel}${diffClass(scene, e.key)}`, ...(e.op === "->" ? { "data-error": e.rhs } : { "data-edge": e.key }), "data-shape": e.shape,
      ...diffAttrs(scene, e.key),
      ...(implied ? { "data-implied": "true", opacity: 0.45 } : {}),
      ...(e.fixed ? { "data-fixed": "true" } : {}),
      ...(e.flagged ? { "data-flagged": "true" } : {}),
    },
    o.interactive ? h("title", {}, edgeTooltip(e) + diffNote(scene, e.key)) : null,
    o.interactive ? h("path", { ...paint("hit", o.standalone), d: g.d }) : null,
    h("path", { ...paint(lineRole, o.standalone), d: g.d, fill: "none", ...(e.fixed || implied ? { "stroke-dasharray": e.fixed ? "6 3" : "3 3" } : {}), ...toneStyle(e, "line") }),
    h("path", { ...paint("head", o.standalone), d: g.heads, ...toneStyle(e, "head") }),
    renderLabel(e, o),
  );
}

/** Okabe–Ito blue and vermillion: told apart with every common colour-vision deficiency. */
export const SIGN_COLOURS = { positive: "#0072B2", negative: "#D55E00" };

/** Inline style (it beats the theme's class rules) for an edge coloured by sign, sized by |estimate|. */
function toneStyle(e: SceneEdge, part: "line" | "head"): Record<string, string> {
  if (!e.tone) return {};
  const c = e.tone.positive ? SIGN_COLOURS.positive : SIGN_COLOURS.negative;
  if (part === "head") return { style: `fill:${c}`, "data-sign": e.tone.positive ? "positive" : "negative" };
  const w = 0.8 + 2.6 * Math.min(1, e.tone.size);
  return { style: `stroke:${c};stroke-width:${Math.round(w * 100) / 100}` };
}

function num(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "\u2013" : v.toFixed(digits).replace("-", "\u2212");
}

/** Hover text of an edge: its estimate, SE, z, p, 95% CI and standardized value. */
export function edgeTooltip(e: SceneEdge): string {
  const r = e.result;
  const head = e.op === "->"
    ? `residual error of ${e.rhs} (path fixed to 1); its variance:`
    : `${e.key}${e.fixed ? " (fixed)" : ""}${e.implied ? " (added by the defaults)" : ""}${e.flagged ? " \u2014 has a warning" : ""}`;
  if (!r) return head;
  const z = r.est != null && r.se ? r.est / r.se : null;
  const p = r.pvalue == null ? "\u2013" : r.pvalue < 0.001 ? "< .001" : r.pvalue.toFixed(3).replace(/^0/, "");
  return `${head}\nestimate ${num(r.est)}   SE ${num(r.se)}   z ${num(z, 2)}   p ${p}\n` +
    `95% CI [${num(r.ci_lower)}, ${num(r.ci_upper)}]   standardized ${num(r.std)}`;
}

/**
 * A suggested parameter: `<g data-ghost="lhs op rhs" data-role="ghost">`, dashed and muted, with
 * its "MI 36.4" label; focusable and announced as a button in the browser (the editor adds it on
 * click, Enter or Space).
 */
function renderGhost(e: SceneEdge, d: string, heads: string, o: RenderOptions): VNode {
  const focus = o.interactive ? { tabindex: 0, role: "button", "aria-label": ghostDescription(e.ghost!) } : {};
  return h(
    "g",
    { class: "semw-ghost-g", "data-ghost": e.key, "data-role": "ghost", "data-shape": e.shape, ...focus },
    o.interactive ? h("title", {}, ghostDescription(e.ghost!)) : null,
    o.interactive ? h("path", { ...paint("hit", o.standalone), d }) : null,
    h("path", { ...paint("ghost", o.standalone), d, fill: "none" }),
    h("path", { ...paint("ghost-head", o.standalone), d: heads }),
    renderLabel(e, o),
  );
}

/** Scene -> `<g class="semw-diagram">` (plus the theme stylesheet in the browser). */
export function renderScene(scene: Scene, o: RenderOptions): VNode {
  return h(
    "g",
    { class: `semw-diagram${scene.stale ? " semw-stale" : ""}`, ...(scene.stale ? { "data-stale": "true" } : {}) },
    o.standalone ? null : h("style", {}, themeCSS() + OVERLAY_CSS),
    h("g", { class: "semw-edges" }, ...scene.edges.map((e) => renderEdge(e, scene, o))),
    o.standalone ? null : renderOverlay(scene, o.interactive),
    h("g", { class: "semw-moderations" }, ...(scene.moderations ?? []).map((m) => renderModeration(m, o.standalone, renderLabel(m, o)))),
    h("g", { class: "semw-nodes" }, ...scene.nodes.map((n) => renderNode(n, { ...o, flagged: o.flagged ?? scene.flagged }))),
  );
}

/** Positions for every node (existing ones kept) and the scene with its labels placed. */
export function layoutScene(st: DiagramState, layout?: Layout): { scene: Scene; layout: Layout } {
  const o = st.options;
  const detail = !o.standardized || (st.results?.engine ?? st.engine) === "pls";
  const labelLines = 1 + (detail && o.se ? 1 : 0) + (detail && o.ci ? 1 : 0);
  const lay = mergeLayout(layout ?? st.layout, { ...st, labelLines });
  const scene = buildScene(st, lay);
  if (st.overlay) scene.overlay = st.overlay;
  placeLabels(scene);
  return { scene, layout: lay };
}

/** The standalone SVG document of the diagram (light theme, inline paint, fit line if fitted). */
export function renderSVG(st: DiagramState): string {
  const { scene } = layoutScene(st);
  const o: RenderOptions = { standalone: true, interactive: false };
  const b: Box = sceneBounds(scene);
  const pad = 16;
  const items = fitItems(st.results, st.engine);
  const fitLine = scene.fitted && items.length ? fitSummary(items) : "";
  const fitH = fitLine ? 26 : 0;
  const x0 = b.x - pad;
  const y0 = b.y - pad;
  const w = b.w + 2 * pad;
  const hgt = b.h + 2 * pad + fitH;
  const root = h(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      version: "1.1",
      class: "semw-svg",
      width: Math.ceil(w),
      height: Math.ceil(hgt),
      viewBox: `${r(x0)} ${r(y0)} ${Math.ceil(w)} ${Math.ceil(hgt)}`,
      "font-family": FONT_FAMILY,
      role: "img",
      "aria-label": "Path diagram",
    },
    h("rect", { x: r(x0), y: r(y0), width: Math.ceil(w), height: Math.ceil(hgt), fill: "#ffffff" }),
    renderScene(scene, o),
    fitLine
      ? h(
          "text",
          { ...paint("fit", true), "data-role": "fit", x: r(x0 + pad), y: r(y0 + hgt - pad / 2 - 6) },
          fitLine,
        )
      : null,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toXML(root)}\n`;
}
