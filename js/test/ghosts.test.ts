import { describe, expect, it } from "vitest";
import { changeNote, ghostLabel, readChange, readGhosts } from "../model/ghosts";
import { labelRect } from "../layout/edges";
import { boxAround, boxesOverlap } from "../layout/geometry";
import { layoutScene, renderScene } from "../render/svg";
import { toXML } from "../render/vdom";
import { HS_CFA, stateOf, wideResults } from "./fixtures";

// The five largest modification indices of the HS CFA as lavaan 0.6.14 reports them.
const HS_GHOSTS = [
  { edge: "visual =~ x9", lhs: "visual", op: "=~", rhs: "x9", mi: 36.411, epc: 0.577, sepc_all: 0.515 },
  { edge: "x7 ~~ x8", lhs: "x7", op: "~~", rhs: "x8", mi: 34.145, epc: 0.536, sepc_all: 0.859 },
  { edge: "visual =~ x7", lhs: "visual", op: "=~", rhs: "x7", mi: 18.631, epc: -0.422, sepc_all: -0.349 },
  { edge: "x8 ~~ x9", lhs: "x8", op: "~~", rhs: "x9", mi: 14.946, epc: -0.423, sepc_all: -0.805 },
  { edge: "textual =~ x3", lhs: "textual", op: "=~", rhs: "x3", mi: 9.151, epc: -0.272, sepc_all: -0.238 },
];

function fittedHS(ghosts: unknown = HS_GHOSTS) {
  const st = stateOf(HS_CFA);
  st.results = { ...wideResults(st.table), ghosts };
  st.ghosts = readGhosts(st.results);
  return st;
}

describe("readGhosts", () => {
  it("keeps well-formed suggestions in order and drops the rest", () => {
    const got = readGhosts({
      ghosts: [
        ...HS_GHOSTS.slice(0, 2),
        { lhs: "a", op: "=~", rhs: "b" }, // no mi
        { lhs: "a", op: ":=", rhs: "b", mi: 3 }, // not an edge operator
        { lhs: "", op: "~", rhs: "b", mi: 3 },
        null,
        HS_GHOSTS[0], // duplicate
      ],
    });
    expect(got.map((g) => g.edge)).toEqual(["visual =~ x9", "x7 ~~ x8"]);
    expect(got[1]).toMatchObject({ lhs: "x7", op: "~~", rhs: "x8", mi: 34.145, sepc_all: 0.859 });
    expect(readGhosts({ ghosts: "nope" })).toEqual([]);
    expect(readGhosts(null)).toEqual([]);
  });

  it("labels a ghost with its modification index", () => {
    expect(ghostLabel(readGhosts({ ghosts: HS_GHOSTS })[0]!)).toBe("MI 36.4");
  });
});

describe("ghost edges in the scene", () => {
  it("draws each suggestion with the data-ghost / data-role hooks and its MI label", () => {
    const { scene } = layoutScene(fittedHS());
    const xml = toXML(renderScene(scene, { standalone: false, interactive: true }));
    const keys = [...xml.matchAll(/data-ghost="([^"]*)"/g)].map((m) => m[1]);
    expect(keys).toEqual(expect.arrayContaining(HS_GHOSTS.map((g) => g.edge)));
    expect(keys).toHaveLength(5);
    expect([...xml.matchAll(/data-role="ghost"/g)]).toHaveLength(5);
    expect(xml).toContain(">MI 36.4<");
    expect(xml).toContain('class="semw-ghost"');
    // focusable and named for keyboard users
    expect(xml).toMatch(/data-ghost="x7 ~~ x8"[^>]*tabindex="0" role="button" aria-label="Add x7 ~~ x8 to the model/);
    // the ghosts are not model edges
    expect([...xml.matchAll(/data-edge="/g)]).toHaveLength(9);
  });

  it("uses the edge machinery: loadings are arrows from the factor, ~~ curved with two heads", () => {
    const { scene } = layoutScene(fittedHS());
    const byKey = new Map(scene.edges.map((e) => [e.key, e]));
    const load = byKey.get("visual =~ x9")!;
    expect(load.ghost?.mi).toBeCloseTo(36.411);
    expect([load.shape, load.from, load.to]).toEqual(["arrow", "visual", "x9"]);
    const cov = byKey.get("x7 ~~ x8")!;
    expect(cov.shape).toBe("cov");
    expect(cov.label?.role).toBe("mi");
  });

  it("skips suggestions whose nodes are not drawn, or that the model already has", () => {
    const st = fittedHS([
      ...HS_GHOSTS,
      { edge: "visual =~ x10", lhs: "visual", op: "=~", rhs: "x10", mi: 50, epc: 1, sepc_all: 0.5 },
      { edge: "visual =~ x1", lhs: "visual", op: "=~", rhs: "x1", mi: 50, epc: 1, sepc_all: 0.5 },
      { edge: "x2 ~~ x1", lhs: "x2", op: "~~", rhs: "x1", mi: 20, epc: 1, sepc_all: 0.5 },
    ]);
    st.table.push({ id: 99, lhs: "x1", op: "~~", rhs: "x2", user: 1, free: 99, ustart: null, label: "", freed: 0 });
    const { scene } = layoutScene(st);
    const ghosts = scene.edges.filter((e) => e.ghost).map((e) => e.key);
    expect(ghosts).toHaveLength(5);
    expect(ghosts).not.toContain("visual =~ x10");
    expect(scene.byName.has("x10")).toBe(false);
    expect(scene.edges.filter((e) => e.key === "visual =~ x1")).toHaveLength(1);
    expect(scene.edges.find((e) => e.key === "visual =~ x1")!.ghost).toBeUndefined();
  });

  it("places ghost labels off nodes and off every other label", () => {
    const { scene } = layoutScene(fittedHS());
    const labels = scene.edges.filter((e) => e.label).map((e) => ({ key: e.key, box: labelRect(e.label!) }));
    expect(labels).toHaveLength(14); // 9 loadings + 5 suggestions
    for (const l of labels) {
      for (const n of scene.nodes) expect(boxesOverlap(l.box, boxAround(n, n.w, n.h)), `${l.key} on ${n.name}`).toBe(false);
    }
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        expect(boxesOverlap(labels[i]!.box, labels[j]!.box), `${labels[i]!.key} / ${labels[j]!.key}`).toBe(false);
      }
    }
  });

  it("leaves loading and regression coefficients where they were without ghosts", () => {
    const plain = fittedHS();
    plain.ghosts = [];
    const before = new Map(layoutScene(plain).scene.edges.map((e) => [e.key, e.label]));
    const { scene } = layoutScene(fittedHS());
    for (const e of scene.edges) {
      if (e.ghost || e.shape !== "arrow") continue;
      expect({ x: e.label!.x, y: e.label!.y }, e.key).toEqual({ x: before.get(e.key)!.x, y: before.get(e.key)!.y });
    }
  });

  it("is not part of the standalone export unless asked for", () => {
    const st = fittedHS();
    delete st.ghosts;
    const { scene } = layoutScene(st);
    expect(scene.edges.some((e) => e.ghost)).toBe(false);
  });
});

describe("changeNote", () => {
  it("reports chi-square and CFI before and after", () => {
    const c = readChange({
      change: {
        edge: "visual =~ x9", chisq_before: 85.306, chisq_after: 52.382, delta_chisq: -32.924,
        cfi_before: 0.93101, cfi_after: 0.96694, delta_cfi: 0.03593,
      },
    });
    expect(changeNote(c!)).toBe("Added visual =~ x9: \u03c7\u00b2 85.31 \u2192 52.38 (\u0394 \u221232.92), CFI .931 \u2192 .967");
  });

  it("copes with missing numbers and rejects a change without an edge", () => {
    const c = readChange({ change: { edge: "x7 ~~ x8", chisq_before: null, chisq_after: 53.27, delta_chisq: null, cfi_after: 0.966 } });
    expect(changeNote(c!)).toBe("Added x7 ~~ x8: \u03c7\u00b2 53.27, CFI .966");
    expect(changeNote(readChange({ change: { edge: "a ~ b" } })!)).toBe("Added a ~ b");
    expect(readChange({ change: { chisq_after: 3 } })).toBeNull();
    expect(readChange({ change: 5 })).toBeNull();
    expect(readChange(null)).toBeNull();
  });

  it("signs an increase", () => {
    const c = readChange({ change: { edge: "a ~ b", chisq_before: 10, chisq_after: 12.5, delta_chisq: 2.5 } });
    expect(changeNote(c!)).toBe("Added a ~ b: \u03c7\u00b2 10.00 \u2192 12.50 (\u0394 +2.50)");
  });
});
