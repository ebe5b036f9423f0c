/**
 * Test fixtures: the standard example models as user tables. `rows` reads the plain subset of
 * lavaan syntax these examples use (no modifiers); Python's parser is the real one.
 */
import type { DiagramState, Op, Results, TableRow } from "../model/state";
import { DEFAULT_OPTIONS, EDGE_OPS, edgeKey } from "../model/state";

export function rows(syntax: string): TableRow[] {
  const out: TableRow[] = [];
  for (const line of syntax.split("\n")) {
    const m = /^\s*([\w.]+)\s*(=~|<~|~~|~)\s*(.+)$/.exec(line);
    if (!m) continue;
    for (const rhs of m[3]!.split("+")) {
      out.push({
        id: out.length + 1,
        lhs: m[1]!,
        op: m[2] as Op,
        rhs: rhs.trim(),
        user: 1,
        free: out.length + 1,
        ustart: null,
        label: "",
        freed: 0,
      });
    }
  }
  return out;
}

export const HS_CFA = `
visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
`;

export const POLDEM = `
ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ ind60
dem65 ~ ind60 + dem60
y1 ~~ y5
y2 ~~ y4 + y6
y3 ~~ y7
y4 ~~ y8
y6 ~~ y8
`;

/** The PLS-SEM model of the second seed paper (live-streaming commerce). */
export const PLS_SEED = `
INT =~ INT01 + INT02 + INT03 + INT04
INF =~ INF01 + INF02 + INF03 + INF04
PSN =~ PSN01 + PSN02 + PSN03 + PSN04 + PSN05
CLE =~ CLE01 + CLE02 + CLE03 + CLE04
VCC =~ VCC01 + VCC02 + VCC03 + VCC04 + VCC05
CLE ~ INT + INF + PSN
VCC ~ CLE
`;

/** The same model with a formative (Mode B) construct. */
export const PLS_COMPOSITE = PLS_SEED.replace("PSN =~", "PSN <~");

export function stateOf(syntax: string, extra: Partial<DiagramState> = {}): DiagramState {
  return {
    table: rows(syntax),
    latents: [],
    layout: {},
    results: null,
    options: { ...DEFAULT_OPTIONS },
    engine: "sem",
    ...extra,
  };
}

/**
 * Worst-case results for label geometry: every edge shows "−0.77***" (the widest two-digit
 * coefficient), every endogenous variable an R².
 */
export function wideResults(table: TableRow[], withCovariances = true): Results {
  const edges: Results["edges"] = {};
  const r2: Record<string, number> = {};
  for (const r of table) {
    if (!EDGE_OPS.has(r.op)) continue;
    if (r.op === "~~" && !withCovariances) continue;
    edges[edgeKey(r)] = { est: -0.77, std: -0.77, se: 0.05, pvalue: 0.0001, ci_lower: -0.87, ci_upper: -0.67 };
    if (r.op === "=~") r2[r.rhs] = 0.6;
    if (r.op === "~" || r.op === "<~") r2[r.lhs] = 0.5;
  }
  return { engine: "sem", edges, r2, fit: { chisq: 85.3, df: 24, pvalue: 1e-8, cfi: 0.93, tli: 0.9, rmsea: 0.092, rmsea_ci_lower: 0.071, rmsea_ci_upper: 0.114, srmr: 0.065 } };
}
