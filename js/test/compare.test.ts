import { describe, expect, it } from "vitest";
import { HEAT, diffKinds, heat, localFitTooltip, readDiff, readLocalFit, readUnidentified, readVersions } from "../model/compare";
import { renderScene, layoutScene, renderSVG } from "../render/svg";
import { toXML } from "../render/vdom";
import { cell, clock, nextPicks } from "../ui/history";
import { identificationWarning } from "../ui/overlays";
import { HS_CFA, stateOf, wideResults } from "./fixtures";

const DIFF = {
  versions: [1, 2], added: ["visual =~ x9"], removed: ["textual =~ x4"], freed: [],
  fixed: ["speed ~~ visual"], relabelled: [],
  table: [{ model: "version 1", df: 24, chisq: 85.3, chisq_diff: null, nested: "" },
    { model: "version 2", df: 24, chisq: 80.1, chisq_diff: Number.NaN, nested: "not nested" }],
  sentence: "Version 2 fits better by AIC.",
};
const LOCAL = {
  threshold: 0.1, max: 0.29,
  pairs: [{ lhs: "x7", rhs: "x8", cor: 0.29, z: 5.1 }, { lhs: "x1", rhs: "x9", cor: -0.12, z: null },
    { lhs: "visual", rhs: "x1", cor: 0.5, z: 1 }, { lhs: "x1", cor: 0.2 }],
};

function html(extra: Parameters<typeof stateOf>[1] = {}, syntax = HS_CFA): string {
  const st = stateOf(syntax, extra);
  st.results = wideResults(st.table);
  const { scene } = layoutScene(st);
  return toXML(renderScene(scene, { standalone: false, interactive: true }));
}

describe("reading the comparison, identification and local-fit results", () => {
  it("reads versions and skips malformed ones", () => {
    const v = readVersions([{ number: 1, time: "2026-12-01T15:02:03+00:00", syntax: "a =~ b", fit: { chisq: 85.3, cfi: null, x: "y" } }, { time: "t" }, 3]);
    expect(v).toEqual([{ number: 1, time: "2026-12-01T15:02:03+00:00", syntax: "a =~ b", fit: { chisq: 85.3, cfi: null, x: null } }]);
    expect(readVersions(null)).toEqual([]);
  });

  it("reads a diff, NaN and non-numbers as null", () => {
    const d = readDiff({ diff: DIFF })!;
    expect(d.versions).toEqual([1, 2]);
    expect(d.table[1]).toEqual({ model: "version 2", df: 24, chisq: 80.1, chisq_diff: null, nested: "not nested" });
    expect(readDiff({ diff: { ...DIFF, versions: [1] } })).toBeNull();
    expect(readDiff({})).toBeNull();
    expect(readDiff(null)).toBeNull();
  });

  it("matches changed covariances in either order", () => {
    const k = diffKinds(readDiff({ diff: DIFF }));
    expect(k.get("visual =~ x9")).toBe("added");
    expect(k.get("visual ~~ speed")).toBe("fixed");
    expect(k.get("speed ~~ visual")).toBe("fixed");
    expect(k.has("textual =~ x4")).toBe(false); // removed edges are drawn as ghosts instead
  });

  it("reads local fit, dropping rows without names or a correlation", () => {
    const lf = readLocalFit({ local_fit: LOCAL })!;
    expect(lf.pairs.map((p) => `${p.lhs}-${p.rhs}`)).toEqual(["x7-x8", "x1-x9", "visual-x1"]);
    expect(readLocalFit({ local_fit: { pairs: [] } })).toBeNull();
    expect(lf.deferred).toBe(false);
    // a fit whose pairs the kernel computes only while the overlay is shown
    const later = readLocalFit({ local_fit: { threshold: 0.1, pairs: [], max: null, deferred: true } })!;
    expect([later.deferred, later.pairs.length]).toEqual([true, 0]);
    expect(readUnidentified({ unidentified: ["dv2 ~~ dv2", 4] })).toEqual(["dv2 ~~ dv2"]);
  });

  it("grades the heat by |r| from the threshold to .3", () => {
    expect(heat(0.1, 0.1)).toEqual({ colour: HEAT[0], width: 1.2, level: 0 });
    expect(heat(-0.2, 0.1).level).toBe(1);
    expect(heat(0.45, 0.1)).toEqual({ colour: HEAT[2], width: 4.2, level: 2 });
    expect(heat(0.2, 0.1).width).toBeLessThan(heat(-0.25, 0.1).width);
    expect(localFitTooltip({ lhs: "x7", rhs: "x8", cor: -0.291, z: 5.1 })).toBe(
      "residual correlation x7 \u2194 x8: \u22120.291 (standardized residual z = 5.10)");
    expect(localFitTooltip({ lhs: "x7", rhs: "x8", cor: 0.2, z: null })).toMatch(/z = \u2013\)$/);
  });
});

describe("drawing the overlay", () => {
  it("marks added and fixed edges and draws removed ones as ghosts", () => {
    const out = html({ overlay: { diff: readDiff({ diff: DIFF }), localFit: null } }, `${HS_CFA}\nvisual =~ x9\nvisual ~~ speed`);
    expect(out).toMatch(/class="semw-edge-g semw-diff semw-diff-added" data-edge="visual =~ x9"[^>]*data-diff="added"/);
    expect(out).toMatch(/data-edge="visual ~~ speed"[^>]*data-diff="fixed"/);
    expect(out).toMatch(/data-diff="removed" data-removed="textual =~ x4"/);
    expect(out).toContain("added from version 1 to version 2");
    expect(out.match(/data-diff="/g)!.length).toBe(3);
  });

  it("draws residual correlations between observed variables only, with z in the tooltip", () => {
    const out = html({ overlay: { diff: null, localFit: readLocalFit({ local_fit: LOCAL }) } });
    expect(out.match(/data-local-fit="/g)!.length).toBe(2);
    expect(out).toMatch(/data-local-fit="x7 ~~ x8" data-cor="0.29" data-z="5.1" data-heat="2"/);
    expect(out).toContain("residual correlation x7 \u2194 x8: 0.290 (standardized residual z = 5.10)");
    expect(out).toMatch(/stroke="#800026"[^>]*stroke-dasharray="5 3"/);
    expect(out).not.toContain("visual ~~ x1\"");
  });

  it("leaves the overlay out of the standalone SVG", () => {
    const st = stateOf(HS_CFA, { overlay: { diff: null, localFit: readLocalFit({ local_fit: LOCAL }) } });
    st.results = wideResults(st.table);
    expect(renderSVG(st)).not.toContain("data-local-fit");
    expect(html()).not.toContain("semw-overlay\"");
  });
});

describe("the history panel's logic", () => {
  it("keeps at most two picks, dropping the oldest", () => {
    expect(nextPicks([], 3, true)).toEqual([3]);
    expect(nextPicks([3, 1], 2, true)).toEqual([1, 2]);
    expect(nextPicks([3, 1], 3, false)).toEqual([1]);
  });

  it("formats cells and times", () => {
    expect(cell(-0.01234, 3)).toBe("\u22120.012");
    expect(cell(null, 2)).toBe("\u2013");
    expect(cell("nested", 2)).toBe("nested");
    expect(cell(0.0004, 3, true)).toBe("< .001");
    expect(cell(0.0004, 3)).toBe("0.000");
    expect(clock("2026-12-01T15:02:03.5+00:00")).toBe("15:02:03");
    expect(clock("")).toBe("");
  });

  it("turns an identification failure into a warning naming its parameters", () => {
    const w = identificationWarning({ unidentified: ["dv2 ~~ dv2", "dv3 ~~ dv3"] }, "the variances of dv2 and dv3 are identified only as their sum");
    expect(w).toEqual({ message: "the variances of dv2 and dv3 are identified only as their sum", variables: [], parameters: ["dv2 ~~ dv2", "dv3 ~~ dv3"], source: "identification" });
    expect(identificationWarning({ unidentified: ["a ~ b"] }, "")!.message).toContain("a ~ b");
    expect(identificationWarning({}, "some error")).toBeNull();
  });
});
