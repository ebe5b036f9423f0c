import { describe, expect, it } from "vitest";
import { counterView } from "../ui/counter";

describe("counterView", () => {
  it("counts free parameters, moments and df for CB-SEM and warns when df < 0", () => {
    const sem = { npar: 21, moments: 45, df: 24, identified: true, message: "" };
    expect(counterView(sem)).toEqual({ text: "21 free parameters \u00b7 45 moments \u00b7 df = 24", warning: "" });
    expect(counterView({ ...sem, df: -2 }).warning).toContain("df = -2");
  });

  it("counts constructs, indicators and paths for PLS-SEM, with no df or CB warning", () => {
    const pls = { npar: null, moments: null, df: null, identified: true, message: "",
                  engine: "pls" as const, constructs: 5, indicators: 22, paths: 1 };
    expect(counterView(pls)).toEqual({ text: "5 constructs \u00b7 22 indicators \u00b7 1 path", warning: "" });
  });

  it("is empty without counts", () => {
    expect(counterView({})).toEqual({ text: "", warning: "" });
  });
});
