import { describe, expect, it } from "vitest";
import type { DiagramState, Point } from "../model/state";
import { edgeGeometry, labelRect } from "../layout/edges";
import { type Box, boxAround, boxesOverlap, segmentHitsBox } from "../layout/geometry";
import { interleavings } from "../layout/rows";
import type { Scene, SceneEdge } from "../layout/scene-types";
import { layoutScene } from "../render/svg";
import { HS_CFA, POLDEM, stateOf, wideResults } from "./fixtures";

/** The drawn curve of an edge, finely sampled (much finer than the placement's own polyline). */
function curve(scene: Scene, e: SceneEdge, samples = 400): Point[] {
  const g = edgeGeometry(e, scene.byName.get(e.from)!, scene.byName.get(e.to)!);
  if (e.shape === "arrow") return g.poly;
  const pts: Point[] = [];
  for (let k = 0; k <= samples; k++) pts.push(g.at(k / samples).p);
  return pts;
}

function hits(pts: Point[], b: Box): boolean {
  for (let i = 0; i + 1 < pts.length; i++) if (segmentHitsBox(pts[i]!, pts[i + 1]!, b)) return true;
  return false;
}

function segmentsCross(p: Point, q: Point, r: Point, s: Point): boolean {
  const d = (a: Point, b: Point, c: Point): number => (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  return d(p, q, r) * d(p, q, s) < 0 && d(r, s, p) * d(r, s, q) < 0;
}

function crossings(a: Point[], b: Point[]): number {
  let n = 0;
  for (let i = 0; i + 1 < a.length; i++) {
    for (let j = 0; j + 1 < b.length; j++) if (segmentsCross(a[i]!, a[i + 1]!, b[j]!, b[j + 1]!)) n++;
  }
  return n;
}

function fitted(syntax: string, opts: Partial<DiagramState["options"]> = {}, mixed = false): DiagramState {
  const st = stateOf(syntax);
  st.results = wideResults(st.table);
  if (mixed) {
    // Labels of mixed widths ("0.30", "0.36**", "0.11*"), as in a real fit.
    const p = [0.2, 0.004, 0.03, 0.0001, 0.6];
    Object.values(st.results.edges!).forEach((r, i) => {
      r.std = 0.11 + ((i * 37) % 80) / 100;
      r.pvalue = p[i % p.length]!;
    });
  }
  st.options = { ...st.options, ...opts };
  return st;
}

/** HS CFA after a fit: the three latent covariances come from the results. */
function hsFitted(opts: Partial<DiagramState["options"]> = {}): DiagramState {
  const st = fitted(HS_CFA, opts);
  for (const k of ["visual ~~ textual", "visual ~~ speed", "textual ~~ speed"]) {
    st.results!.edges![k] = { est: 0.41, std: -0.46, se: 0.07, pvalue: 0.0001, ci_lower: 0.2, ci_upper: 0.6 };
  }
  return st;
}

const OPTION_SETS: Array<Partial<DiagramState["options"]>> = [{}, { standardized: false, se: true, ci: true }];

describe.each([
  ["Political Democracy", () => fitted(POLDEM)],
  ["Political Democracy, mixed label widths", () => fitted(POLDEM, {}, true)],
  ["Political Democracy, SE and CI", () => fitted(POLDEM, OPTION_SETS[1])],
  ["HS CFA", () => hsFitted()],
  ["HS CFA, SE and CI", () => hsFitted(OPTION_SETS[1])],
])("covariance arcs of %s", (_name, make) => {
  const { scene } = layoutScene(make());
  const covs = scene.edges.filter((e) => e.shape === "cov");

  it("has arcs to check", () => {
    expect(covs.length).toBeGreaterThanOrEqual(3);
  });

  it("puts no label on another arc, a node or another label", () => {
    const curves = new Map(covs.map((e) => [e.key, curve(scene, e)] as const));
    const labelled = scene.edges.filter((e) => e.label);
    expect(labelled.length).toBe(scene.edges.length);
    for (const e of labelled) {
      const box = labelRect(e.label!);
      for (const [k, pts] of curves) {
        if (k !== e.key) expect(hits(pts, box), `label of ${e.key} on arc ${k}`).toBe(false);
      }
      for (const n of scene.nodes) {
        expect(boxesOverlap(box, boxAround(n, n.w, n.h)), `label of ${e.key} on node ${n.name}`).toBe(false);
      }
      for (const o of labelled) {
        if (o !== e) expect(boxesOverlap(box, labelRect(o.label!)), `${e.key} / ${o.key}`).toBe(false);
      }
    }
  });

  it("spreads the arc ends on one node at least 18 px apart", () => {
    const ends = new Map<string, Point[]>();
    for (const e of covs) {
      const pts = curve(scene, e);
      ends.set(e.from, [...(ends.get(e.from) ?? []), pts[0]!]);
      ends.set(e.to, [...(ends.get(e.to) ?? []), pts[pts.length - 1]!]);
    }
    let shared = 0;
    for (const [node, list] of ends) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          shared++;
          const gap = Math.hypot(list[i]!.x - list[j]!.x, list[i]!.y - list[j]!.y);
          expect(gap, `arc ends on ${node}`).toBeGreaterThanOrEqual(18);
        }
      }
    }
    expect(shared).toBeGreaterThan(0);
  });

  it("draws each arc outside its row, away from the constructs", () => {
    for (const e of covs) {
      const a = scene.byName.get(e.from)!;
      const b = scene.byName.get(e.to)!;
      const pts = curve(scene, e);
      const [s, t] = [pts[0]!, pts[pts.length - 1]!];
      // Both rows here have their constructs below (PolDem) or indicators below (HS): the arc
      // leaves from the upper part of each node and stays above its two ends.
      expect(s.y, e.key).toBeLessThanOrEqual(a.y - a.h / 4);
      expect(t.y, e.key).toBeLessThanOrEqual(b.y - b.h / 4);
      for (const p of pts) expect(p.y, e.key).toBeLessThanOrEqual(Math.max(s.y, t.y) + 0.01);
      for (const n of scene.nodes) {
        if (n === a || n === b) continue;
        expect(hits(curve(scene, e), boxAround(n, n.w + 4, n.h + 4)), `${e.key} through ${n.name}`).toBe(false);
      }
    }
  });

  it("nests arcs: an arc enclosing another one's span runs above it", () => {
    for (const p of covs) {
      for (const q of covs) {
        const [pa, pb] = [scene.byName.get(p.from)!.x, scene.byName.get(p.to)!.x].sort((x, y) => x - y);
        const [qa, qb] = [scene.byName.get(q.from)!.x, scene.byName.get(q.to)!.x].sort((x, y) => x - y);
        if (p === q || !(pa! <= qa! && qb! <= pb!)) continue;
        const apex = (e: SceneEdge): number => Math.min(...curve(scene, e).map((pt) => pt.y));
        expect(apex(p), `${p.key} above ${q.key}`).toBeLessThan(apex(q) - 12);
      }
    }
  });
});

describe("Political Democracy arcs", () => {
  it("orders the dem65 indicators so the repeated-measure arcs nest (few crossings)", () => {
    const { scene, layout } = layoutScene(fitted(POLDEM));
    // Mirror order: y1 y2 y3 y4 | y8 y7 y6 y5, the four same-item arcs enclose each other.
    const row = ["y1", "y2", "y3", "y4", "y8", "y7", "y6", "y5"];
    for (let i = 0; i + 1 < row.length; i++) expect(layout[row[i]!]!.x).toBeLessThan(layout[row[i + 1]!]!.x);
    const covs = scene.edges.filter((e) => e.shape === "cov");
    let pairs = 0;
    for (let i = 0; i < covs.length; i++) {
      for (let j = i + 1; j < covs.length; j++) if (crossings(curve(scene, covs[i]!, 200), curve(scene, covs[j]!, 200)) > 0) pairs++;
    }
    // y2~~y4 with y3~~y7 and y3~~y7 with y6~~y8 interleave in any order of their rows.
    expect(pairs).toBeLessThanOrEqual(2);
  });

  it("keeps the arcs attached to the nodes' sides while a node is dragged", () => {
    const { scene } = layoutScene(fitted(POLDEM));
    const y1 = scene.byName.get("y1")!;
    y1.x += 40;
    y1.y += 25;
    const e = scene.edges.find((x) => x.key === "y1 ~~ y5")!;
    const start = curve(scene, e)[0]!;
    expect(start.y).toBeCloseTo(y1.y - y1.h / 2, 6);
    expect(Math.abs(start.x - y1.x)).toBeLessThanOrEqual(y1.w / 2);
  });
});

describe("interleavings", () => {
  it("counts crossing pairs of spans, not shared ends or nested ones", () => {
    expect(interleavings([[1, 5], [2, 6]])).toBe(1);
    expect(interleavings([[1, 8], [2, 7], [3, 6]])).toBe(0);
    expect(interleavings([[2, 4], [4, 8], [2, 6]])).toBe(1);
    expect(interleavings([[1, 5], [2, 4], [2, 6], [3, 7], [4, 8], [6, 8]])).toBe(8);
  });
});

describe("merging a layout with new indicators", () => {
  it("puts a new indicator into the next slot of its siblings' row", () => {
    const { layout } = layoutScene(stateOf(HS_CFA));
    const st = stateOf(HS_CFA.replace("x7 + x8 + x9", "x7 + x8 + x9 + x10"));
    const { layout: merged } = layoutScene(st, layout);
    expect(merged.x10!.y).toBeCloseTo(layout.x9!.y, 6);
    expect(merged.x10!.x).toBeCloseTo(layout.x9!.x + (layout.x9!.x - layout.x8!.x), 6);
  });

  it("continues a column without a gap", () => {
    const base = "F1 =~ x4 + x5 + x6\nF1 ~ x1\n";
    const { layout } = layoutScene(stateOf(base));
    // Indicators of the last layer stand in a column right of their construct.
    expect(layout.x4!.x).toBeCloseTo(layout.x6!.x, 6);
    const { layout: merged } = layoutScene(stateOf(base.replace("x6", "x6 + x7")), layout);
    const step = layout.x6!.y - layout.x5!.y;
    expect(merged.x7!.x).toBeCloseTo(layout.x6!.x, 6);
    expect(merged.x7!.y).toBeCloseTo(layout.x6!.y + step, 6);
  });

  it("follows the user's arrangement and skips a taken slot", () => {
    const { layout } = layoutScene(stateOf(HS_CFA));
    // The user moved the speed row and parked x1 where x10 would go.
    for (const n of ["speed", "x7", "x8", "x9"]) layout[n] = { x: layout[n]!.x + 100, y: layout[n]!.y + 50 };
    const slot = { x: layout.x9!.x + (layout.x9!.x - layout.x8!.x), y: layout.x9!.y };
    layout.x1 = { ...slot };
    const st = stateOf(HS_CFA.replace("x7 + x8 + x9", "x7 + x8 + x9 + x10"));
    const { layout: merged, scene } = layoutScene(st, layout);
    expect(merged.x1).toEqual(slot);
    expect(merged.x10!.y).toBeCloseTo(slot.y, 6);
    expect(merged.x10!.x).toBeCloseTo(slot.x + (layout.x9!.x - layout.x8!.x), 6);
    const b10 = boxAround(merged.x10!, 52, 36);
    for (const n of scene.nodes) if (n.name !== "x10") expect(boxesOverlap(b10, boxAround(n, n.w, n.h)), n.name).toBe(false);
  });
});

describe("covariances of the folded 6-factor, 30-indicator CFA", () => {
  const syntax = [1, 2, 3, 4, 5, 6].map((j) => `F${j} =~ ${[1, 2, 3, 4, 5].map((i) => `i${j}_${i}`).join(" + ")}`).join("\n");
  const st = fitted(syntax);
  const names = [1, 2, 3, 4, 5, 6].map((j) => `F${j}`);
  for (let a = 0; a < 6; a++) {
    for (let b = a + 1; b < 6; b++) st.results!.edges![`${names[a]} ~~ ${names[b]}`] = { est: 0.4, std: 0.4, se: 0.05, pvalue: 0.001 };
  }
  const { scene } = layoutScene(st);
  const factors = names.map((n) => scene.byName.get(n)!);
  const rowsY = [...new Set(factors.map((f) => Math.round(f.y)))].sort((p, q) => p - q);
  const indicators = scene.nodes.filter((n) => n.kind === "observed");

  it("is folded into two facing rows of constructs", () => {
    expect(rowsY.length).toBe(2);
  });

  it("keeps every covariance in the band between the rows (never over the indicators)", () => {
    const top = Math.min(...factors.map((f) => f.y - f.h / 2));
    const bottom = Math.max(...factors.map((f) => f.y + f.h / 2));
    const covs = scene.edges.filter((e) => e.shape === "cov");
    expect(covs.length).toBe(15);
    for (const e of covs) {
      const pts = curve(scene, e);
      for (const p of pts) {
        expect(p.y).toBeGreaterThanOrEqual(top - 1);
        expect(p.y).toBeLessThanOrEqual(bottom + 1);
      }
      for (const n of indicators) expect(hits(pts, boxAround(n, n.w, n.h))).toBe(false);
    }
  });
});
