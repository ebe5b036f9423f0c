import { describe, expect, it } from "vitest";
import { fitItems } from "../render/fit";
import { layoutScene, renderSVG } from "../render/svg";
import { toggleOrdered } from "../ui/estimator";
import { HS_CFA, stateOf, wideResults } from "./fixtures";

describe("the fit bar with a robust estimator", () => {
  const base = wideResults([]).fit!;
  const robust = {
    ...base, chisq_scaled: 87.13, df_scaled: 24, pvalue_scaled: 1e-9, cfi_scaled: 0.925, cfi_robust: 0.93,
    tli_scaled: 0.888, tli_robust: null, rmsea_scaled: 0.093, rmsea_robust: 0.091, rmsea_ci_lower_robust: 0.07, rmsea_ci_upper_robust: 0.113,
  };

  it("shows the scaled chi-square and the robust indices (scaled where no robust value)", () => {
    const items = fitItems({ engine: "sem", estimator: "MLR", fit: robust, edges: { a: {} } }, "sem");
    const by = Object.fromEntries(items.map((i) => [i.key, `${i.label} = ${i.value}`]));
    expect(by.estimator).toBe("Estimator = MLR");
    expect(by.chisq).toBe("\u03c7\u00b2(24) scaled = 87.13, p < .001");
    expect(by.cfi).toBe("CFI (robust) = .930");
    expect(by.tli).toBe("TLI (scaled) = .888");
    expect(by.rmsea).toBe("RMSEA (robust) = .091 [.070, .113]");
  });

  it("shows the standard measures for ML", () => {
    const items = fitItems({ engine: "sem", estimator: "ML", fit: base, edges: { a: {} } }, "sem");
    expect(items.map((i) => i.label)).toEqual(["\u03c7\u00b2(24)", "CFI", "TLI", "RMSEA", "SRMR"]);
  });
});

describe("ordinal indicators on the diagram", () => {
  it("marks an ordered observed variable, with one bar segment per category after the fit", () => {
    const before = layoutScene(stateOf(HS_CFA, { ordered: ["x1", "visual"] })).scene;
    expect(before.byName.get("x1")!.ordinal).toBe(0);
    expect(before.byName.get("visual")!.ordinal).toBeUndefined(); // a latent is never ordinal
    expect(before.byName.get("x2")!.ordinal).toBeUndefined();
    const st = stateOf(HS_CFA, { ordered: ["x1"] });
    st.results = { ...wideResults(st.table), thresholds: { x1: 3, x2: 1 } };
    const svg = renderSVG(st);
    expect(svg).toMatch(/data-node="x1"[^>]*data-ordinal="3"[^>]*aria-label="observed variable x1, ordinal, 3 thresholds/);
    // x2 is ordinal without being listed (a pandas ordered categorical): found in the fit
    expect(svg).toMatch(/data-node="x2"[^>]*data-ordinal="1"[^>]*aria-label="observed variable x2, ordinal, 1 threshold,/);
    const mark = /data-node="x1"[^]*?data-role="ordinal-mark" data-categories="4">((?:<rect[^>]*\/>)+)/.exec(svg);
    expect(mark).not.toBeNull();
    expect(mark![1]!.match(/<rect/g)!.length).toBe(4);
    expect(svg).not.toMatch(/data-node="x3"[^>]*data-ordinal/);
    // once the model changed, only `ordered` says which variables are ordinal
    st.results = { ...st.results, stale: true };
    const stale = layoutScene(st).scene;
    expect(stale.byName.get("x1")!.ordinal).toBe(3);
    expect(stale.byName.get("x2")!.ordinal).toBeUndefined();
  });

  it("toggles the selection in and out of `ordered`", () => {
    expect(toggleOrdered([], ["x1", "x2"])).toEqual(["x1", "x2"]);
    expect(toggleOrdered(["x1"], ["x1", "x2"])).toEqual(["x1", "x2"]);
    expect(toggleOrdered(["x1", "x2", "x3"], ["x1", "x2"])).toEqual(["x3"]);
  });
});
