import { describe, expect, it } from "vitest";
import { labelRect } from "../layout/edges";
import { boxAround, boxesOverlap } from "../layout/geometry";
import { layoutScene } from "../render/svg";
import { HS_CFA, PLS_COMPOSITE, PLS_SEED, POLDEM, rows, stateOf, wideResults } from "./fixtures";

const cases: Array<[string, string]> = [
  ["HS CFA", HS_CFA],
  ["Political Democracy", POLDEM],
  ["PLS seed", PLS_SEED],
  ["PLS with a composite", PLS_COMPOSITE],
];

describe.each(cases)("label placement on %s", (_name, syntax) => {
  for (const opts of [{}, { se: true, ci: true, standardized: false }, { residuals: true }]) {
    it(`no label overlaps a node or another label (${JSON.stringify(opts)})`, () => {
      const st = stateOf(syntax);
      st.results = wideResults(st.table);
      // Residual variances come from the results, as after a real fit.
      if ("residuals" in opts) {
        for (const r of st.table) if (r.op === "=~") st.results.edges![`${r.rhs} ~~ ${r.rhs}`] = { est: 0.4, std: -0.44, pvalue: 0.001 };
      }
      st.options = { ...st.options, ...opts };
      const { scene } = layoutScene(st);
      const labels = scene.edges.filter((e) => e.label).map((e) => ({ key: e.key, box: labelRect(e.label!) }));
      expect(labels.length).toBe(scene.edges.length);
      for (const l of labels) {
        for (const n of scene.nodes) {
          const overlap = boxesOverlap(l.box, boxAround(n, n.w, n.h));
          expect(overlap, `${l.key} label over node ${n.name}`).toBe(false);
        }
      }
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) {
          expect(boxesOverlap(labels[i]!.box, labels[j]!.box), `${labels[i]!.key} / ${labels[j]!.key}`).toBe(false);
        }
      }
    });
  }
});

describe("layout", () => {
  it("puts exogenous constructs left of endogenous ones and indicators outside", () => {
    const { layout } = layoutScene(stateOf(POLDEM));
    expect(layout.ind60!.x).toBeLessThan(layout.dem60!.x);
    expect(layout.dem60!.x).toBeLessThan(layout.dem65!.x);
    for (const x of ["x1", "x2", "x3"]) expect(layout[x]!.x).toBeLessThan(layout.ind60!.x);
    for (const y of ["y1", "y2", "y3", "y4"]) expect(layout[y]!.y).toBeLessThan(layout.dem60!.y);
  });

  it("keeps survivors and places new nodes without overlap", async () => {
    const { layout } = layoutScene(stateOf(HS_CFA));
    layout.visual = { x: 1000, y: 700 };
    const st = stateOf(`${HS_CFA}visual =~ x10\nspeed ~ visual`);
    const { layout: merged, scene } = layoutScene(st, layout);
    expect(merged.visual).toEqual({ x: 1000, y: 700 });
    expect(merged.x1).toEqual(layout.x1);
    expect(merged.x10).toBeDefined();
    const boxes = scene.nodes.map((n) => ({ n: n.name, b: boxAround(n, n.w, n.h) }));
    const b10 = boxes.find((b) => b.n === "x10")!.b;
    for (const o of boxes) if (o.n !== "x10") expect(boxesOverlap(b10, o.b), o.n).toBe(false);
  });

  it("lays out a 100-node model quickly", () => {
    let syntax = "";
    for (let f = 1; f <= 20; f++) syntax += `f${f} =~ ${[1, 2, 3, 4].map((k) => `v${f}_${k}`).join(" + ")}\n`;
    for (let f = 2; f <= 20; f++) syntax += `f${f} ~ f${f - 1}\n`;
    const st = stateOf(syntax);
    expect(st.table.length).toBe(99);
    layoutScene(st); // warm up the engine
    const t0 = performance.now();
    const { scene } = layoutScene(st);
    const ms = performance.now() - t0;
    expect(scene.nodes.length).toBe(100);
    expect(ms).toBeLessThan(2000);
  });

  it("rows helper reads the fixtures", () => {
    expect(rows(POLDEM)).toHaveLength(3 + 4 + 4 + 1 + 2 + 6);
  });
});
