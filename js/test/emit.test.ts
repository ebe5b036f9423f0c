import { describe, expect, it } from "vitest";
import { emit, modifierPrefix } from "../model/emit";
import type { TableRow } from "../model/state";
import { POLDEM, rows } from "./fixtures";

function row(p: Partial<TableRow>): TableRow {
  return { id: 1, lhs: "f", op: "=~", rhs: "x", user: 1, free: 1, ustart: null, label: "", freed: 0, ...p };
}

describe("emit", () => {
  it("joins consecutive rows with the same lhs and op", () => {
    expect(emit(rows(POLDEM))).toBe(
      [
        "ind60 =~ x1 + x2 + x3",
        "dem60 =~ y1 + y2 + y3 + y4",
        "dem65 =~ y5 + y6 + y7 + y8",
        "dem60 ~ ind60",
        "dem65 ~ ind60 + dem60",
        "y1 ~~ y5",
        "y2 ~~ y4 + y6",
        "y3 ~~ y7",
        "y4 ~~ y8",
        "y6 ~~ y8",
        "",
      ].join("\n"),
    );
  });

  it("writes modifiers before the variable", () => {
    expect(modifierPrefix(row({ free: 0, ustart: 1 }))).toBe("1*");
    expect(modifierPrefix(row({ freed: 1 }))).toBe("NA*");
    expect(modifierPrefix(row({ ustart: 0.5 }))).toBe("start(0.5)*");
    expect(modifierPrefix(row({ label: "a" }))).toBe("a*");
    expect(modifierPrefix(row({ freed: 1, label: "a" }))).toBe("NA*a*");
    expect(modifierPrefix(row({ free: 0, ustart: -0.25, label: "b" }))).toBe("-0.25*b*");
    expect(modifierPrefix(row({}))).toBe("");
  });

  it("keeps c(...) per-group modifiers after the others", () => {
    expect(modifierPrefix(row({ by_group: "c(a1,a2)" }))).toBe("c(a1,a2)*");
    expect(modifierPrefix(row({ freed: 1, by_group: "c(b,c)" }))).toBe("NA*c(b,c)*");
    expect(emit([row({ rhs: "x1" }), row({ id: 2, rhs: "x2", by_group: "c(1,NA)" })])).toBe(
      "f =~ x1 + c(1,NA)*x2\n");
  });

  it("handles intercepts, defined parameters and constraints, skips default rows", () => {
    const t: TableRow[] = [
      row({ id: 1, lhs: "y", op: "~", rhs: "x", label: "a" }),
      row({ id: 2, lhs: "y", op: "~1", rhs: "" }),
      row({ id: 3, lhs: "z", op: "~1", rhs: "", free: 0, ustart: 0 }),
      row({ id: 4, lhs: "y", op: "~~", rhs: "y", user: 0 }),
      row({ id: 5, lhs: "ab", op: ":=", rhs: "a*b", free: 0 }),
      row({ id: 6, lhs: "a", op: "==", rhs: "b", free: 0 }),
      row({ id: 7, lhs: "y", op: "~", rhs: "w" }),
    ];
    expect(emit(t)).toBe("y ~ a*x\ny ~ 1\nz ~ 0*1\nab := a*b\na == b\ny ~ w\n");
  });

  it("does not join rows separated by another statement", () => {
    const t = [row({ id: 1, rhs: "x1" }), row({ id: 2, lhs: "g", rhs: "x2" }), row({ id: 3, rhs: "x3" })];
    expect(emit(t)).toBe("f =~ x1\ng =~ x2\nf =~ x3\n");
  });

  it("is empty for an empty table", () => {
    expect(emit([])).toBe("");
  });
});
