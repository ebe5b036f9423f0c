import { describe, expect, it } from "vitest";
import { autoLayout } from "../layout/auto";
import { boxAround, boxesOverlap } from "../layout/geometry";
import { shownName, toLabels } from "../model/state";
import { layoutScene, renderSVG } from "../render/svg";
import { readDiagram } from "../ui/files";
import { HS_CFA, stateOf } from "./fixtures";

const LABELS = { visual: "Visual perception", x1: "Élan vital – item 1", x2: "Cubes (spatial)" };

describe("display labels", () => {
  it("shows the label, keeps the name as the node's key", () => {
    const { scene } = layoutScene(stateOf(HS_CFA, { labels: LABELS }));
    const v = scene.byName.get("visual")!;
    expect(v.text).toBe("Visual perception");
    expect(scene.byName.get("x3")!.text).toBeUndefined();
    const svg = renderSVG(stateOf(HS_CFA, { labels: LABELS }));
    expect(svg).toContain('data-node="visual"');
    expect(svg).toContain(">Visual perception</text>");
    expect(svg).toContain(">Élan vital – item 1</text>");
    expect(svg).not.toContain(">visual</text>");
  });

  it("sizes nodes by the label and lays indicators out without overlaps", () => {
    const st = stateOf(HS_CFA, { labels: LABELS });
    const plain = layoutScene(stateOf(HS_CFA)).scene;
    const { scene } = layoutScene(st);
    expect(scene.byName.get("x1")!.w).toBeGreaterThan(plain.byName.get("x1")!.w + 60);
    const lay = autoLayout(st);
    const obs = scene.nodes.filter((n) => n.kind === "observed");
    for (let i = 0; i < obs.length; i++) {
      for (let j = i + 1; j < obs.length; j++) {
        const a = obs[i]!;
        const b = obs[j]!;
        expect(boxesOverlap(boxAround(lay[a.name]!, a.w, a.h), boxAround(lay[b.name]!, b.w, b.h))).toBe(false);
      }
    }
  });

  it("falls back to the name for blank or missing labels", () => {
    expect(shownName("x1", { x1: "  " })).toBe("x1");
    expect(shownName("x1", undefined)).toBe("x1");
    expect(toLabels({ x1: "A", x2: 3, x3: "" })).toEqual({ x1: "A" });
    expect(toLabels(["x1"])).toEqual({});
  });

  it("reads labels from a diagram file (none in older files)", () => {
    const base = { format: "semwidget-diagram", version: 1, syntax: "f =~ a + b\n" };
    expect(readDiagram(JSON.stringify({ ...base, labels: { f: "Factor één" } }), "d.json").labels).toEqual({ f: "Factor één" });
    expect(readDiagram(JSON.stringify(base), "d.json").labels).toEqual({});
  });
});
