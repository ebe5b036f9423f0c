/**
 * The "Effects" list under the diagram: every defined parameter (`name := expression`) of the
 * model with its estimate, 95% CI and significance stars once fitted. The rows come from the
 * table (so a just-written effect shows before the refit) and take their numbers from
 * `results.edges["name := expression"]`.
 */
import { fmt, stars } from "../model/format";
import type { EdgeResult, Results, TableRow } from "../model/state";
import { el } from "./dom";

export interface EffectRow {
  name: string;
  expression: string;
  /** "" until fitted. */
  estimate: string;
  /** Standardized estimate ("" when not available). */
  std: string;
  /** "[lo, hi]" or "". */
  ci: string;
  stars: string;
}

const DEFINE = " := ";

function value(r: EdgeResult | undefined, k: keyof EdgeResult): number | null {
  const v = r?.[k];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The defined effects of `table`, with numbers from `results` (3 decimals by default). */
export function effectRows(table: TableRow[], results: Results | null, digits = 3): EffectRow[] {
  // Results keyed by the defined name (the expression's spacing may differ from the table's).
  const byName = new Map<string, { expression: string; r: EdgeResult }>();
  for (const [key, r] of Object.entries(results?.edges ?? {})) {
    const i = key.indexOf(DEFINE);
    if (i > 0) byName.set(key.slice(0, i), { expression: key.slice(i + DEFINE.length), r });
  }
  const defined: Array<[string, string]> = table.filter((r) => r.op === ":=").map((r) => [r.lhs, r.rhs]);
  const names = new Set(defined.map(([n]) => n));
  for (const [n, v] of byName) if (!names.has(n)) defined.push([n, v.expression]);
  return defined.map(([name, expression]) => {
    const r = byName.get(name)?.r;
    const est = value(r, "est");
    const lo = value(r, "ci_lower");
    const hi = value(r, "ci_upper");
    return {
      name,
      expression,
      estimate: fmt(est, digits),
      std: fmt(value(r, "std"), digits),
      ci: lo !== null && hi !== null ? `[${fmt(lo, digits)}, ${fmt(hi, digits)}]` : "",
      stars: est === null ? "" : stars(value(r, "pvalue")),
    };
  });
}

const HEAD: Array<[string, string]> = [
  ["Effect", ""], ["Definition", ""], ["Estimate", "semw-num"], ["95% CI", "semw-num"], ["", ""], ["\u03b2", "semw-num"],
];

/** Fill `host` with the list (hidden when the model defines no effect). */
export function renderEffects(host: HTMLElement, rows: EffectRow[]): void {
  const d = host.ownerDocument;
  host.replaceChildren();
  host.hidden = rows.length === 0;
  if (!rows.length) return;
  const head = el(d, "tr", {}, ...HEAD.map(([t, cls]) => el(d, "th", { className: cls, text: t, attrs: { scope: "col" } })));
  const body = rows.map((r) =>
    el(d, "tr", { attrs: { "data-role": "effect", "data-effect": r.name } },
      el(d, "th", { className: "semw-effect-name", text: r.name, attrs: { scope: "row" } }),
      el(d, "td", { className: "semw-effect-expr", text: r.expression }),
      el(d, "td", { className: "semw-num", text: r.estimate || "\u2013", attrs: r.estimate ? {} : { title: "Fit the model to estimate it" } }),
      el(d, "td", { className: "semw-num", text: r.ci }),
      el(d, "td", { className: "semw-stars", text: r.stars }),
      el(d, "td", { className: "semw-num", text: r.std, attrs: { title: "Standardized estimate" } })),
  );
  host.append(
    el(d, "div", { className: "semw-panel-title", text: "Effects" }),
    el(d, "table", { className: "semw-effects-table", attrs: { "aria-label": "Defined effects" } },
      el(d, "thead", {}, head), el(d, "tbody", {}, ...body)),
  );
}
