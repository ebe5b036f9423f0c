import { describe, expect, it } from "vitest";
import { buildScene } from "../layout/scene";
import { layoutScene, renderSVG } from "../render/svg";
import { isGeneral, toWarnings } from "../ui/warnings";
import { HS_CFA, stateOf, wideResults } from "./fixtures";

function heywood(extra: Partial<ReturnType<typeof stateOf>> = {}) {
  const st = stateOf(HS_CFA, extra);
  st.results = wideResults(st.table);
  st.results.edges!["x1 ~~ x1"] = { est: -0.2, std: -0.25, se: 0.1, pvalue: 0.04 };
  return st;
}

describe("warnings on the diagram", () => {
  it("reads parameters and tells a warning about the whole model", () => {
    const ws = toWarnings([
      { message: "Heywood case", variables: ["x1"], parameters: ["x1 ~~ x1"], source: "fit" },
      { message: "not positive definite", variables: [], source: "fit" },
      { message: 3 },
    ]);
    expect(ws.map((w) => w.parameters)).toEqual([["x1 ~~ x1"], []]);
    expect(ws.map(isGeneral)).toEqual([false, true]);
  });

  it("draws a variance a warning points at, flagged, even with residuals hidden", () => {
    const plain = layoutScene(heywood()).scene;
    expect(plain.edges.some((e) => e.key === "x1 ~~ x1")).toBe(false);
    const { scene } = layoutScene(heywood({ flaggedEdges: ["x1 ~~ x1", "visual =~ x2"] }));
    const loop = scene.edges.find((e) => e.key === "x1 ~~ x1")!;
    expect(loop.shape).toBe("var");
    expect(loop.flagged).toBe(true);
    expect(scene.edges.find((e) => e.key === "visual =~ x2")!.flagged).toBe(true);
    expect(scene.edges.filter((e) => e.flagged).length).toBe(2);
  });

  it("flags a covariance named in the other order, and the error circle of a variance", () => {
    const st = heywood({ flaggedEdges: ["textual ~~ visual", "x1 ~~ x1"] });
    st.results!.edges!["visual ~~ textual"] = { est: 0.4, std: 0.45, se: 0.1, pvalue: 0.001 };
    st.options = { ...st.options, errors: true };
    const layout = layoutScene(st).layout;
    const scene = buildScene(st, layout);
    expect(scene.edges.find((e) => e.key === "visual ~~ textual")!.flagged).toBe(true);
    expect(scene.nodes.find((n) => n.errorOf === "x1")!.flagged).toBe(true);
    expect(scene.nodes.find((n) => n.errorOf === "x2")!.flagged).toBeUndefined();
  });

  it("marks flagged edges in the SVG", () => {
    const svg = renderSVG(heywood({ flaggedEdges: ["visual =~ x2"] }));
    expect(svg).toMatch(/data-edge="visual =~ x2"[^>]*data-flagged="true"/);
    expect(svg.match(/data-flagged="true"/g)!.length).toBe(1);
  });
});
