import { describe, expect, it } from "vitest";
import { fitItems } from "../render/fit";
import type { Results } from "../model/state";

function results(fit: Record<string, number>): Results {
  return { engine: "sem", edges: {}, r2: {}, fit } as unknown as Results;
}

describe("fit bar items", () => {
  it("shows the Bollen-Stine p-value when the fit has one", () => {
    const items = fitItems(results({ chisq: 24.4, df: 8, pvalue: 0.002, bollen_stine_pvalue: 0.12 }), "sem");
    const bs = items.find((i) => i.key === "bollen_stine");
    expect(bs?.label).toBe("Bollen\u2013Stine");
    expect(bs?.value).toContain("p");
    expect(bs?.status).toBe("good");
  });

  it("leaves it out for a standard test", () => {
    const items = fitItems(results({ chisq: 24.4, df: 8, pvalue: 0.002 }), "sem");
    expect(items.some((i) => i.key === "bollen_stine")).toBe(false);
  });
});
