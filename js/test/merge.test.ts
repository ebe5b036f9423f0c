import { describe, expect, it } from "vitest";
import { autoLayout } from "../layout/auto";
import { boxAround, boxesOverlap, nodeSize } from "../layout/geometry";
import { mergeLayout } from "../layout/merge";
import { HS_CFA, rows } from "./fixtures";

const model = (syntax: string) => ({ table: rows(syntax), latents: [] as string[] });

describe("placing new nodes among placed ones", () => {
  const before = model(HS_CFA);
  const placed = autoLayout(before);

  it("continues an indicator row by its step, keeping every other node where it was", () => {
    const after = model(`${HS_CFA}\nvisual =~ x10`);
    const out = mergeLayout(placed, after);
    for (const [name, p] of Object.entries(placed)) expect(out[name]).toEqual(p);
    const step = { x: placed.x3!.x - placed.x2!.x, y: placed.x3!.y - placed.x2!.y };
    const x10 = out.x10!;
    // on the row of x1..x3 (collinear), past x3, and on no node
    expect(Math.abs((x10.x - placed.x3!.x) * step.y - (x10.y - placed.x3!.y) * step.x)).toBeLessThan(1e-6);
    expect((x10.x - placed.x3!.x) * step.x + (x10.y - placed.x3!.y) * step.y).toBeGreaterThan(0);
    const size = nodeSize("x10", "observed");
    for (const [name, p] of Object.entries(placed)) {
      const s = nodeSize(name, name.startsWith("x") ? "observed" : "latent");
      expect(boxesOverlap(boxAround(x10, size.w, size.h), boxAround(p, s.w, s.h), 0)).toBe(false);
    }
  });

  it("a node that is not such an indicator is placed by the automatic layout", () => {
    const after = model(`${HS_CFA}\nextra =~ y1 + y2 + y3`);
    const out = mergeLayout(placed, after);
    for (const [name, p] of Object.entries(placed)) expect(out[name]).toEqual(p);
    expect(["extra", "y1", "y2", "y3"].every((n) => out[n] !== undefined)).toBe(true);
  });
});
