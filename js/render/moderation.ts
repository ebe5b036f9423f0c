/**
 * Product terms as SmartPLS draws them: a small dot on the moderated path, a dashed arrow from
 * the moderator to it, the interaction's coefficient beside it (`<g data-moderation="y ~ a:b">`).
 */
import { DOT_R } from "../layout/moderation";
import type { ModerationMark } from "../layout/scene-types";
import { paint } from "./theme";
import { type VNode, h } from "./vdom";

/** One mark; `label` is its coefficient box (drawn by svg.ts' edge-label renderer). */
export function renderModeration(m: ModerationMark, standalone: boolean, label: VNode | null): VNode {
  return h(
    "g",
    { class: "semw-moderation", "data-moderation": m.key, "data-moderator": m.moderator },
    standalone ? null : h("title", {}, `Interaction ${m.iv} \u00d7 ${m.moderator} on ${m.iv} \u2192 ${m.dv}`),
    h("path", { ...paint("edge", standalone), d: m.d, fill: "none", "stroke-dasharray": "4 3" }),
    h("path", { ...paint("head", standalone), d: m.heads }),
    h("circle", { ...paint("head", standalone), "data-role": "interaction-dot", cx: m.dot.x, cy: m.dot.y, r: DOT_R }),
    label,
  );
}
