import { describe, expect, it } from "vitest";
import { effectRows } from "../ui/effects";
import { finishPick, pickNode, regresses, startPick } from "../ui/indirect";
import type { TableRow } from "../model/state";
import { HS_CFA, rows } from "./fixtures";

const MEDIATION = rows(`${HS_CFA}textual ~ visual\nspeed ~ textual + visual\n`);

function defined(name: string, rhs: string): TableRow {
  return { id: 100, lhs: name, op: ":=", rhs, user: 1, free: 0, ustart: null, label: "", freed: 0 };
}

describe("effectRows", () => {
  it("lists defined effects with estimate, 95% CI and stars", () => {
    const table = [...MEDIATION, defined("ind_visual_speed", "a*b")];
    const got = effectRows(table, {
      edges: {
        "visual =~ x1": { est: 1, std: 0.77 },
        "ind_visual_speed := a*b": { est: 0.1234, std: 0.0975, se: 0.04, pvalue: 0.0021, ci_lower: 0.0451, ci_upper: 0.2017 },
      },
    });
    expect(got).toEqual([
      { name: "ind_visual_speed", expression: "a*b", estimate: "0.123", std: "0.098", ci: "[0.045, 0.202]", stars: "**" },
    ]);
  });

  it("shows a written effect before the refit, and effects only the results know", () => {
    const table = [...MEDIATION, defined("ind", "a * b")];
    const got = effectRows(table, { edges: { "total := c+ind": { est: -0.0004, pvalue: 0.9, ci_lower: -0.2, ci_upper: 0.2 } } });
    expect(got).toEqual([
      { name: "ind", expression: "a * b", estimate: "", std: "", ci: "", stars: "" },
      { name: "total", expression: "c+ind", estimate: "0.000", std: "", ci: "[\u22120.200, 0.200]", stars: "" },
    ]);
  });

  it("matches results by name whatever the spacing of the expression", () => {
    const got = effectRows([defined("ind", "a * b")], { edges: { "ind := a*b": { est: -0.5, pvalue: 0.0001 } } }, 2);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ expression: "a * b", estimate: "\u22120.50", stars: "***", ci: "" });
  });

  it("is empty without defined parameters", () => {
    expect(effectRows(MEDIATION, { edges: { "visual =~ x1": { est: 1 } } })).toEqual([]);
  });
});

describe("indirect-effect picking", () => {
  it("knows the regressions", () => {
    expect(regresses(MEDIATION, "visual", "textual")).toBe(true);
    expect(regresses(MEDIATION, "textual", "visual")).toBe(false);
    expect(regresses(MEDIATION, "visual", "x1")).toBe(false); // a loading is not a regression
  });

  it("click X, click Y sends the pair", () => {
    let s = startPick();
    expect(s).toMatchObject({ kind: "pending", picks: [] });
    s = pickNode(s.picks, "visual", false, MEDIATION);
    expect(s.kind).toBe("pending");
    if (s.kind !== "pending") throw new Error();
    expect(s.prompt).toContain("click the outcome Y");
    s = pickNode(s.picks, "speed", false, MEDIATION);
    expect(s).toEqual({ kind: "send", picks: [], msg: { type: "indirect", x: "visual", y: "speed" } });
  });

  it("clicking the same node again takes the pick back", () => {
    const s = pickNode(["visual"], "visual", false, MEDIATION);
    expect(s).toMatchObject({ kind: "pending", picks: [] });
  });

  it("shift-clicks build a chain along regressions; Enter sends it", () => {
    let s = pickNode([], "visual", true, MEDIATION);
    s = pickNode(s.picks, "textual", true, MEDIATION);
    s = pickNode(s.picks, "speed", true, MEDIATION);
    expect(s).toMatchObject({ kind: "pending", picks: ["visual", "textual", "speed"] });
    expect(finishPick(s.picks)).toEqual({ kind: "send", picks: [], msg: { type: "indirect", chain: ["visual", "textual", "speed"] } });
  });

  it("a plain click on the last variable ends a started chain", () => {
    const s = pickNode(["visual", "textual"], "speed", false, MEDIATION);
    expect(s).toEqual({ kind: "send", picks: [], msg: { type: "indirect", chain: ["visual", "textual", "speed"] } });
  });

  it("refuses a step against or off the regression arrows, and repeats", () => {
    const back = pickNode(["speed"], "textual", true, MEDIATION);
    expect(back).toMatchObject({ kind: "refused", picks: ["speed"] });
    if (back.kind !== "refused") throw new Error();
    expect(back.message).toContain('no "textual ~ speed"');
    expect(pickNode(["visual", "textual"], "x4", true, MEDIATION)).toMatchObject({ kind: "refused", picks: ["visual", "textual"] });
    expect(pickNode(["visual", "textual"], "visual", true, MEDIATION)).toMatchObject({ kind: "refused" });
  });

  it("Enter needs two picks at least; two picks send the pair", () => {
    expect(finishPick(["visual"])).toMatchObject({ kind: "refused", picks: ["visual"] });
    expect(finishPick([])).toMatchObject({ kind: "refused" });
    expect(finishPick(["visual", "speed"])).toEqual({ kind: "send", picks: [], msg: { type: "indirect", x: "visual", y: "speed" } });
  });
});
