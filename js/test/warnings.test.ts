import { describe, expect, it } from "vitest";
import { labelRect, noteBox } from "../layout/edges";
import { boxAround, boxesOverlap } from "../layout/geometry";
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

describe("AMOS-style error circles", () => {
  const st = heywood();
  st.results!.edges!["x2 ~~ x2"] = { est: 1.13, std: 0.81, se: 0.1, pvalue: 0.001 };
  st.options = { ...st.options, errors: true };

  it("draw the residual variance beside the circle (standardized or not)", () => {
    const { scene } = layoutScene(st);
    const e2 = scene.nodes.find((n) => n.errorOf === "x2")!;
    expect(e2.note?.text).toBe("0.81");
    const raw = layoutScene({ ...st, options: { ...st.options, standardized: false } }).scene;
    expect(raw.nodes.find((n) => n.errorOf === "x2")!.note?.text).toBe("1.13");
    // no fitted variance, no text
    expect(scene.nodes.find((n) => n.errorOf === "x3")!.note).toBeUndefined();
    expect(renderSVG(st)).toMatch(/data-error-node="x2"[^]*?data-role="error-var"[^>]*>0.81</);
  });

  it("keep the variance text clear of every edge label and node", () => {
    const { scene } = layoutScene(st);
    const notes = scene.nodes.filter((n) => n.note);
    expect(notes.length).toBe(2);
    for (const n of notes) {
      const t = noteBox(n);
      for (const e of scene.edges) if (e.label) expect(boxesOverlap(t, labelRect(e.label))).toBe(false);
      for (const m of scene.nodes) if (m !== n) expect(boxesOverlap(t, boxAround(m, m.w, m.h))).toBe(false);
    }
  });
});
