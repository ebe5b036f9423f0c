import { describe, expect, it } from "vitest";
import { emit } from "../model/emit";
import { nodesOf } from "../model/graph";
import { isProductTerm, productTerms } from "../model/interaction";
import { edgeGeometry } from "../layout/edges";
import { DOT_AT } from "../layout/moderation";
import { layoutScene, renderSVG } from "../render/svg";
import { mgaRows, predictNote, predictRows } from "../ui/pls";
import { PLS_SEED, rows, stateOf } from "./fixtures";

const MODERATED = PLS_SEED.replace("CLE ~ INT + INF + PSN", "CLE ~ INT + INF + PSN + INT:PSN");

function fitted() {
  const st = stateOf(MODERATED, { engine: "pls" });
  const edges: Record<string, { est: number; std: number; pvalue: number }> = {};
  for (const r of st.table) edges[`${r.lhs} ${r.op} ${r.rhs}`] = { est: 0.5, std: 0.5, pvalue: 0.2 };
  edges["CLE ~ INT:PSN"] = { est: -0.137, std: -0.137, pvalue: 0.004 };
  st.results = { engine: "pls", edges, r2: { CLE: 0.4, VCC: 0.3 }, fit: {} };
  return st;
}

describe("interaction terms (y ~ a:b)", () => {
  it("reads product terms from the table and keeps them out of the nodes", () => {
    const table = rows(MODERATED);
    expect(productTerms(table)).toEqual([{ key: "CLE ~ INT:PSN", dv: "CLE", iv: "INT", moderator: "PSN" }]);
    expect(isProductTerm("INT:PSN")).toBe(true);
    expect(isProductTerm("INT")).toBe(false);
    const names = nodesOf({ table, latents: [] }).map((n) => n.name);
    expect(names).toContain("PSN");
    expect(names.some((n) => n.includes(":"))).toBe(false);
  });

  it("emits the product term back into the syntax", () => {
    expect(emit(rows(MODERATED))).toContain("CLE ~ INT + INF + PSN + INT:PSN");
  });

  it("draws a dot on the moderated path with the interaction's coefficient", () => {
    const { scene } = layoutScene(fitted());
    expect(scene.byName.has("INT:PSN")).toBe(false);
    expect(scene.edges.some((e) => e.key === "CLE ~ INT:PSN")).toBe(false);
    const [m] = scene.moderations!;
    expect(m!.key).toBe("CLE ~ INT:PSN");
    const path = scene.edges.find((e) => e.key === "CLE ~ INT")!;
    const poly = edgeGeometry(path, scene.byName.get("INT")!, scene.byName.get("CLE")!).poly;
    // the dot lies on the drawn path INT -> CLE
    const dist = Math.min(...poly.slice(1).map((b, i) => segDist(m!.dot, poly[i]!, b)));
    expect(dist).toBeLessThan(0.5);
    expect(m!.label!.lines[0]).toBe("\u22120.14**");
    // the moderator's arrow starts on PSN's outline, not at its centre
    const psn = scene.byName.get("PSN")!;
    expect(Math.hypot(m!.from.x - psn.x, m!.from.y - psn.y)).toBeGreaterThan(10);
  });

  it("renders the mark in the standalone SVG, and no node for the product", () => {
    const svg = renderSVG(fitted());
    expect(svg).toContain('data-moderation="CLE ~ INT:PSN"');
    expect(svg).toContain('data-role="interaction-dot"');
    expect(svg).not.toContain('data-node="INT:PSN"');
  });

  it("draws the dot between the nodes when the model lacks the moderated path", () => {
    const st = stateOf(MODERATED.replace("CLE ~ INT + INF + PSN + INT:PSN", "CLE ~ INF + PSN + INT:PSN"), { engine: "pls" });
    const { scene } = layoutScene(st);
    const [m] = scene.moderations!;
    const a = scene.byName.get("INT")!;
    const b = scene.byName.get("CLE")!;
    expect(m!.dot.x).toBeCloseTo(a.x + (b.x - a.x) * DOT_AT, 6);
    expect(m!.label).toBeNull(); // not fitted: no coefficient
  });
});

function segDist(p: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

describe("PLS tables", () => {
  it("formats the MGA rows with their four p-values", () => {
    const res = {
      mga: [
        { group_a: "game", group_b: "shopping", lhs: "CLE", rhs: "INT", est_a: 0.4469, est_b: 0.1384, diff: 0.3085,
          p_permutation: 0.0004, p_henseler_two_sided: 0.000632, p_parametric: 0.012, p_welch: 0.0131 },
        { group_a: "game", group_b: "shopping", lhs: "VCC", rhs: "CLE", est_a: 0.5, est_b: 0.52, diff: -0.02,
          p_permutation: null, p_henseler_two_sided: 0.61, p_parametric: 0.7, p_welch: 0.71 },
      ],
    };
    const out = mgaRows(res as never);
    expect(out[0]).toEqual({ path: "INT \u2192 CLE", groups: "game vs shopping", estA: "0.447", estB: "0.138", diff: "0.308",
      p: ["< .001", "< .001", ".012", ".013"], significant: true });
    expect(out[1]!.p[0]).toBe("");
    expect(out[1]!.diff).toBe("\u22120.020");
    expect(out[1]!.significant).toBe(false);
    expect(mgaRows(null)).toEqual([]);
    expect(mgaRows({ mga: "nonsense" } as never)).toEqual([]);
  });

  it("formats PLSpredict rows and says where PLS beats the LM benchmark", () => {
    const res = { prediction: { folds: 10, repetitions: 10, technique: "DA", items: [
      { construct: "CLE", item: "CLE01", q2_predict: 0.31, pls_rmse: 0.9, pls_mae: 0.7, lm_rmse: 0.95, lm_mae: 0.72 },
      { construct: "CLE", item: "CLE02", q2_predict: -0.01, pls_rmse: 1.1, pls_mae: 0.9, lm_rmse: 1.0, lm_mae: 0.8 },
    ] } };
    const out = predictRows(res as never);
    expect(out.map((r) => r.plsBetter)).toEqual([true, false]);
    expect(out[1]!.q2).toBe("\u22120.010");
    expect(predictNote(res as never)).toBe("10-fold cross-validation \u00d7 10 repetitions; PLS RMSE below the LM benchmark for 1 of 2 indicators.");
    expect(predictNote(null)).toBe("");
  });
});
