import { describe, expect, it } from "vitest";
import { renderSVG } from "../render/svg";
import { normalizeState } from "../model/state";
import { HS_CFA, PLS_COMPOSITE, POLDEM, rows, stateOf, wideResults } from "./fixtures";

function attrs(svg: string, name: string): string[] {
  const unescape = (v: string): string =>
    v.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  return [...svg.matchAll(new RegExp(`${name}="([^"]*)"`, "g"))].map((m) => unescape(m[1]!));
}

describe("renderSVG", () => {
  it("has stable hooks for nodes and edges", () => {
    const svg = renderSVG(stateOf(POLDEM));
    expect(svg.startsWith("<?xml")).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(new Set(attrs(svg, "data-node"))).toEqual(
      new Set(["ind60", "x1", "x2", "x3", "dem60", "y1", "y2", "y3", "y4", "dem65", "y5", "y6", "y7", "y8"]),
    );
    expect(svg).toContain('data-node="ind60" data-kind="latent"');
    expect(svg).toContain('data-node="y1" data-kind="observed"');
    const edges = attrs(svg, "data-edge");
    expect(edges).toContain("dem65 ~ dem60");
    expect(edges).toContain("ind60 =~ x1");
    expect(edges).toContain("y1 ~~ y5");
    expect(edges).toHaveLength(rows(POLDEM).length);
    expect(svg).not.toContain('data-role="coef"');
  });

  it("draws coefficients, stars and R² after a fit", () => {
    const st = stateOf(HS_CFA);
    st.results = wideResults(st.table);
    st.results.edges!["visual ~~ textual"] = { est: 0.41, std: 0.46, pvalue: 0.0004 };
    const svg = renderSVG(st);
    const coefs = [...svg.matchAll(/data-role="coef"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(coefs).toHaveLength(10);
    expect(coefs).toContain("\u22120.77***");
    expect(coefs).toContain("0.46***");
    expect(attrs(svg, "data-edge")).toContain("visual ~~ textual");
    expect([...svg.matchAll(/data-role="r2"/g)]).toHaveLength(9);
    expect(svg).toContain("R\u00b2 = 0.60");
    expect(svg).toContain('data-role="fit"');
    expect(svg).toContain("CFI = .930");
  });

  it("follows the options", () => {
    const st = stateOf(HS_CFA);
    st.results = wideResults(st.table);
    st.results.edges!["visual =~ x2"] = { est: 1.5, std: 0.42, se: 0.1, pvalue: 0.2, ci_lower: 1.3, ci_upper: 1.7 };
    st.options = { ...st.options, standardized: false, stars: false, r2: false, se: true, ci: true, digits: 3 };
    const svg = renderSVG(st);
    expect(svg).toContain(">1.500<");
    expect(svg).toContain(">(0.100)<");
    expect(svg).toContain(">[1.300, 1.700]<");
    expect(svg).not.toContain("***");
    expect(svg).not.toContain('data-role="r2"');
  });

  it("draws fixed values and labels before a fit", () => {
    const st = stateOf(HS_CFA);
    st.table[0] = { ...st.table[0]!, free: 0, ustart: 1 };
    st.table[1] = { ...st.table[1]!, label: "a" };
    const svg = renderSVG(st);
    const mods = [...svg.matchAll(/data-role="modifier"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(mods).toEqual(["1", "a"]);
  });

  it("draws composites as hexagons", () => {
    const svg = renderSVG(stateOf(PLS_COMPOSITE, { engine: "pls" }));
    expect(svg).toMatch(/data-node="PSN" data-kind="composite"[^>]*>\s*<polygon/);
    expect(attrs(svg, "data-edge")).toContain("PSN <~ PSN01");
  });

  it("escapes user text (labels, values, names) and never emits raw markup", () => {
    const st = stateOf("f =~ x1 + x2");
    st.table[0] = { ...st.table[0]!, label: "<script>alert(1)</script>" };
    st.results = { edges: { "f =~ x2": { est: 1, std: 0.5, label: "\"><img src=x onerror=alert(1)>" } } };
    st.results.edges!["f =~ x1"] = { est: 1, std: 0.7, label: "" };
    // A name that could never pass validation still cannot break out of the markup.
    st.latents = ["a<b&\"c"];
    const svg = renderSVG(st);
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<img");
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).toContain('data-node="a&lt;b&amp;&quot;c"');
    expect(attrs(svg, "data-node")).toContain('a<b&"c');
  });

  it("renders from loose JSON state (missing keys, nulls)", () => {
    const st = normalizeState({ table: [{ lhs: "f", op: "=~", rhs: "x1", ustart: null }], layout: { f: { x: "bad" } } });
    expect(st.options.standardized).toBe(true);
    const svg = renderSVG(st);
    expect(attrs(svg, "data-node")).toEqual(["f", "x1"]);
  });

  it("renders a 100-node model within budget", () => {
    let syntax = "";
    for (let f = 1; f <= 20; f++) syntax += `f${f} =~ ${[1, 2, 3, 4].map((k) => `v${f}_${k}`).join(" + ")}\n`;
    for (let f = 2; f <= 20; f++) syntax += `f${f} ~ f${f - 1}\n`;
    const st = stateOf(syntax);
    st.results = wideResults(st.table);
    st.layout = {};
    renderSVG(st);
    // With positions known (as in the widget), rendering alone is what is timed.
    const withLayout = { ...st };
    const t0 = performance.now();
    const svg = renderSVG(withLayout);
    expect(attrs(svg, "data-node")).toHaveLength(100);
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

describe("opposite arrows", () => {
  it("bends F1 -> x1 and x1 -> F1 to opposite sides instead of drawing one line", () => {
    const svg = renderSVG(stateOf("F1 =~ x1 + x2 + x3\nF1 ~ x1"));
    const d = (key: string): string => {
      const m = new RegExp(`data-edge="${key}"[^>]*>(?:<path[^>]*class="semw-hit"[^>]*/>)?<path[^>]* d="([^"]*)"`).exec(svg);
      return m ? m[1]! : "";
    };
    const there = d("F1 =~ x1");
    const back = d("F1 ~ x1");
    expect(there).toMatch(/Q/);
    expect(back).toMatch(/Q/);
    const apex = (p: string): number[] => p.split(/[MQ ,]/).filter(Boolean).map(Number).slice(2, 4);
    const [ax, ay] = apex(there);
    const [bx, by] = apex(back);
    expect(Math.hypot(ax! - bx!, ay! - by!)).toBeGreaterThan(40);
  });
});
