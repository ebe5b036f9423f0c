import { describe, expect, it } from "vitest";
import { type Model, addEdge, deleteEdge, deleteNode, nameProblem, nodesOf, renameNode } from "../model/graph";
import { autoLayout } from "../layout/auto";
import { buildScene } from "../layout/scene";
import { MAX_ROW_WIDTH } from "../layout/fold";
import { readDiagram } from "../ui/files";
import { spotInView } from "../ui/actions";
import { HS_CFA, rows, stateOf } from "./fixtures";

const hs = (): Model => ({ table: rows(HS_CFA), latents: ["visual", "textual", "speed"], extras: [] });

describe("a latent that loses its indicators", () => {
  it("stays a latent when its indicators are deleted", () => {
    let m = hs();
    for (const x of ["x7", "x8", "x9"]) m = deleteNode(m, x);
    expect(nodesOf(m).find((n) => n.name === "speed")?.kind).toBe("latent");
  });
  it("stays a latent when its loadings are deleted, also if it was not declared", () => {
    let m: Model = { ...hs(), latents: [] };
    for (const x of ["x7", "x8", "x9"]) m = deleteEdge(m, `speed =~ ${x}`);
    expect(m.latents).toEqual(["speed"]);
  });
  it("goes when the latent itself is deleted", () => {
    expect(nodesOf(deleteNode(hs(), "speed")).some((n) => n.name === "speed")).toBe(false);
  });
});

describe("names and self-loops", () => {
  it("accepts accented names as lavaan does and refuses what lavaan refuses", () => {
    expect(nameProblem("élan")).toBe("");
    expect(renameNode(hs(), "visual", "Größe").latents).toContain("Größe");
    expect(nameProblem("1x")).toMatch(/starts with a digit/);
    expect(nameProblem("_x")).toMatch(/not a valid name/);
  });
  it("refuses a path from a node to itself with a sentence", () => {
    expect(() => addEdge(hs(), "x1", "x1", "path")).toThrow(/to itself is not allowed/);
  });
});

describe("new nodes and big models", () => {
  it("puts a new node inside the visible area, clear of the others", () => {
    const view = { x: 0, y: 0, w: 600, h: 400 };
    const taken = [{ x: 300, y: 200 }];
    const p = spotInView(view, taken);
    expect(p.x - 75).toBeGreaterThanOrEqual(0);
    expect(p.x + 75).toBeLessThanOrEqual(600);
    expect(p.y - 45).toBeGreaterThanOrEqual(0);
    expect(p.y + 45).toBeLessThanOrEqual(400);
    expect(Math.abs(p.x - 300) > 110 || Math.abs(p.y - 200) > 66).toBe(true);
  });
  it("folds a 6 x 5 measurement model into rows near a screen's aspect ratio", () => {
    const syntax = [1, 2, 3, 4, 5, 6].map((j) => `F${j} =~ ${[1, 2, 3, 4, 5].map((i) => `i${j}_${i}`).join(" + ")}`).join("\n");
    const lay = autoLayout({ table: rows(syntax), latents: [] });
    const xs = Object.values(lay).map((p) => p.x);
    const ys = Object.values(lay).map((p) => p.y);
    const w = Math.max(...xs) - Math.min(...xs);
    const h = Math.max(...ys) - Math.min(...ys);
    expect(w).toBeLessThan(MAX_ROW_WIDTH);
    expect(w / h).toBeGreaterThan(1.2);
    expect(w / h).toBeLessThan(2.8);
    // the first row's indicators above their constructs, the second row's below
    expect(lay["i1_1"]!.y).toBeLessThan(lay["F1"]!.y);
    expect(lay["i6_1"]!.y).toBeGreaterThan(lay["F6"]!.y);
  });
  it("keeps the HS CFA (9 indicators) in one row", () => {
    const lay = autoLayout({ table: rows(HS_CFA), latents: [] });
    expect(new Set(["visual", "textual", "speed"].map((n) => lay[n]!.y)).size).toBe(1);
  });
});

describe("what the fit adds, before the fit", () => {
  it("draws the covariances of exogenous latents, marked implied, unless hidden", () => {
    const st = stateOf(HS_CFA);
    const lay = autoLayout(st);
    const implied = buildScene(st, lay).edges.filter((e) => e.implied).map((e) => e.key);
    expect(implied.sort()).toEqual(["textual ~~ speed", "visual ~~ speed", "visual ~~ textual"]);
    const hidden = stateOf(HS_CFA, { options: { ...st.options, defaults: false } });
    expect(buildScene(hidden, lay).edges.some((e) => e.implied)).toBe(false);
  });
});

describe("diagram files", () => {
  it("reads the saved format, also with the old 'layout' key, and names what is wrong", () => {
    const file = readDiagram(JSON.stringify({ format: "semwidget-diagram", version: 1, syntax: "f =~ a", layout: { f: { x: 1, y: 2 } } }), "d.json");
    expect(file.positions).toEqual({ f: { x: 1, y: 2 } });
    expect(() => readDiagram("{", "d.json")).toThrow(/d.json: not valid JSON/);
    expect(() => readDiagram("{}", "d.json")).toThrow(/'format' must be/);
  });
});

describe("colour by sign", () => {
  it("colours positive and negative estimates apart and widens the larger", async () => {
    const { renderSVG } = await import("../render/svg");
    const st = stateOf("f =~ a + b + c");
    st.options = { ...st.options, signs: true };
    st.results = { edges: { "f =~ a": { est: 1, std: 0.9, pvalue: 0.001 }, "f =~ b": { est: -0.2, std: -0.2, pvalue: 0.04 }, "f =~ c": { est: 0.3, std: 0.3, pvalue: 0.01 } } };
    const svg = renderSVG(st);
    expect(svg).toMatch(/data-edge="f =~ a"[^]*?stroke:#0072B2;stroke-width:3.14/);
    expect(svg).toMatch(/data-edge="f =~ b"[^]*?stroke:#D55E00;stroke-width:1.32/);
  });
});

describe("error circles", () => {
  it("draws e1, e2, ... with a path fixed to 1 on each endogenous variable, outside the model's edges", async () => {
    const { renderSVG } = await import("../render/svg");
    const st = stateOf(HS_CFA);
    st.options = { ...st.options, errors: true };
    const svg = renderSVG(st);
    expect([...svg.matchAll(/data-error-node="/g)]).toHaveLength(9);
    expect([...svg.matchAll(/data-error="/g)]).toHaveLength(9);
    expect([...svg.matchAll(/data-edge="/g)]).toHaveLength(9 + 3);  // loadings and the implied covariances
    expect(svg).toContain(">e9<");
    const lay = autoLayout(st);
    const scene = buildScene(st, lay);
    const e1 = scene.byName.get("\u03b5:x1")!;
    expect(e1.y).toBeGreaterThan(lay["x1"]!.y);  // below an indicator that sits below its factor
  });
});

describe("residual variances before the fit", () => {
  it("are drawn as implied loops when Residuals is on", () => {
    const st = stateOf(HS_CFA);
    st.options = { ...st.options, residuals: true };
    const loops = buildScene(st, autoLayout(st)).edges.filter((e) => e.shape === "var");
    expect(loops).toHaveLength(12);  // 9 residual variances and 3 factor variances
    expect(loops.every((e) => e.implied)).toBe(true);
  });
});
