/**
 * Colours and type. The browser view uses JupyterLab CSS variables (with fallbacks) so light and
 * dark themes work; the standalone SVG gets the fallbacks (light theme) as concrete attributes,
 * which every SVG viewer and rasterizer understands.
 */
import type { Attrs } from "./vdom";

export const FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

export type Role =
  | "latent"
  | "observed"
  | "composite"
  | "edge"
  | "cov"
  | "head"
  | "name"
  | "r2"
  | "label-bg"
  | "label"
  | "hit"
  | "fit"
  | "ghost"
  | "ghost-head"
  | "ghost-label";

interface Paint {
  fill?: [string, string]; // [css var expression, concrete light value]
  stroke?: [string, string];
  width?: number;
  extra?: Record<string, string>;
}

const FG = ["var(--jp-ui-font-color1, #1f2328)", "#1f2328"] as [string, string];
const FG2 = ["var(--jp-ui-font-color2, #57606a)", "#57606a"] as [string, string];
const BG = ["var(--jp-layout-color1, #ffffff)", "#ffffff"] as [string, string];
const LINE = ["var(--jp-ui-font-color1, #3b3f45)", "#3b3f45"] as [string, string];
const mix = (c: string, light: string): [string, string] => [
  `color-mix(in srgb, ${c} 16%, var(--jp-layout-color1, #ffffff))`,
  light,
];

const PAINT: Record<Role, Paint> = {
  latent: { fill: mix("var(--jp-brand-color1, #1976d2)", "#e3edf9"), stroke: FG, width: 1.6 },
  observed: { fill: BG, stroke: FG, width: 1.4 },
  composite: { fill: mix("var(--jp-warn-color1, #f57c00)", "#fdefdf"), stroke: FG, width: 1.6 },
  edge: { fill: ["none", "none"], stroke: LINE, width: 1.3 },
  cov: { fill: ["none", "none"], stroke: LINE, width: 1.1 },
  head: { fill: LINE, stroke: ["none", "none"] },
  name: { fill: FG, extra: { "font-size": "13px", "font-weight": "600" } },
  r2: { fill: FG2, extra: { "font-size": "10.5px" } },
  "label-bg": { fill: BG, stroke: ["none", "none"], extra: { "fill-opacity": "0.92" } },
  label: { fill: FG, extra: { "font-size": "11px" } },
  hit: { fill: ["none", "none"], stroke: ["transparent", "transparent"], width: 10 },
  fit: { fill: FG2, extra: { "font-size": "11.5px" } },
  // Suggestions: the secondary text colour (muted in both themes), dashed.
  ghost: { fill: ["none", "none"], stroke: FG2, width: 1.3, extra: { "stroke-dasharray": "6 4" } },
  "ghost-head": { fill: FG2, stroke: ["none", "none"] },
  "ghost-label": { fill: FG2, extra: { "font-size": "10.5px", "font-style": "italic" } },
};

/** Attributes for an element of the given role: a class, plus concrete paint when standalone. */
export function paint(role: Role, standalone: boolean): Attrs {
  const attrs: Attrs = { class: `semw-${role}` };
  if (!standalone) return attrs;
  const p = PAINT[role];
  if (p.fill) attrs.fill = p.fill[1];
  if (p.stroke) attrs.stroke = p.stroke[1];
  if (p.width !== undefined) attrs["stroke-width"] = p.width;
  Object.assign(attrs, p.extra ?? {});
  return attrs;
}

/** The stylesheet of the browser view's SVG (themeable through JupyterLab variables). */
export function themeCSS(): string {
  const rules: string[] = [
    `.semw-svg{font-family:var(--jp-ui-font-family, ${FONT_FAMILY});}`,
  ];
  for (const [role, p] of Object.entries(PAINT) as Array<[Role, Paint]>) {
    const decl: string[] = [];
    if (p.fill) decl.push(`fill:${p.fill[0]}`);
    if (p.stroke) decl.push(`stroke:${p.stroke[0]}`);
    if (p.width !== undefined) decl.push(`stroke-width:${p.width}`);
    for (const [k, v] of Object.entries(p.extra ?? {})) decl.push(`${k}:${v}`);
    rules.push(`.semw-svg .semw-${role}{${decl.join(";")}}`);
  }
  rules.push(
    ".semw-svg .semw-hit{pointer-events:stroke;cursor:pointer}",
    ".semw-svg [data-node]{cursor:move}",
    ".semw-svg .semw-selected>.semw-latent,.semw-svg .semw-selected>.semw-observed," +
      ".semw-svg .semw-selected>.semw-composite{stroke:var(--jp-brand-color1, #1976d2);stroke-width:3}",
    ".semw-svg .semw-selected>.semw-edge,.semw-svg .semw-selected>.semw-cov" +
      "{stroke:var(--jp-brand-color1, #1976d2);stroke-width:2.6}",
    ".semw-svg .semw-selected>.semw-head{fill:var(--jp-brand-color1, #1976d2)}",
    ".semw-svg .semw-name,.semw-svg .semw-r2,.semw-svg .semw-label,.semw-svg .semw-ghost-label" +
      "{pointer-events:none;user-select:none}",
    ".semw-svg [data-ghost]{cursor:pointer;outline:none}",
    // The other end of an edge being drawn from the keyboard.
    ".semw-svg .semw-target>.semw-latent,.semw-svg .semw-target>.semw-observed," +
      ".semw-svg .semw-target>.semw-composite{stroke:var(--jp-brand-color1, #1976d2);stroke-width:3;stroke-dasharray:3 2}",
    // Estimates of the model before the last edit, until the refit replaces them.
    ".semw-svg .semw-stale [data-role=coef],.semw-svg .semw-stale [data-role=coef-detail]," +
      ".semw-svg .semw-stale [data-role=r2]{opacity:0.4}",
    ".semw-svg .semw-flagged>.semw-latent,.semw-svg .semw-flagged>.semw-observed," +
      ".semw-svg .semw-flagged>.semw-composite{stroke:var(--jp-warn-color0, #b45309);stroke-width:3;stroke-dasharray:6 3}",
    ".semw-svg .semw-flagged>.semw-edge,.semw-svg .semw-flagged>.semw-cov" +
      "{stroke:var(--jp-warn-color0, #b45309);stroke-width:2.6}",
    ".semw-svg .semw-flagged>.semw-head{fill:var(--jp-warn-color0, #b45309)}",
    ".semw-svg .semw-error-node.semw-flagged>ellipse{stroke:var(--jp-warn-color0, #b45309);stroke-width:3;stroke-dasharray:6 3}",
    ".semw-svg [data-ghost]:hover>.semw-ghost,.semw-svg [data-ghost]:focus-visible>.semw-ghost" +
      "{stroke:var(--jp-brand-color1, #1976d2);stroke-width:2.2}",
    ".semw-svg [data-ghost]:hover>.semw-ghost-head,.semw-svg [data-ghost]:focus-visible>.semw-ghost-head" +
      "{fill:var(--jp-brand-color1, #1976d2)}",
    ".semw-svg [data-ghost]:hover .semw-ghost-label,.semw-svg [data-ghost]:focus-visible .semw-ghost-label" +
      "{fill:var(--jp-brand-color1, #1976d2);font-weight:600}",
  );
  return rules.join("\n");
}
