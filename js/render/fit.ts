/**
 * Fit measures for display, with status cues for conventional cut-offs (Hu & Bentler 1999;
 * Browne & Cudeck 1993): CFI/TLI >= .95 good, >= .90 acceptable; RMSEA <= .06 good, <= .08
 * acceptable; SRMR <= .08 good. For PLS-SEM: R² of each endogenous construct and the SRMR. With
 * a robust estimator: the scaled chi-square and the robust CFI, TLI and RMSEA.
 * Shared by the standalone SVG's fit line and the browser's fit bar (ui/fitbar.ts).
 */
import { fmt, fmtNoZero, fmtP } from "../model/format";
import type { Engine, Results } from "../model/state";

export type Status = "good" | "ok" | "poor" | "none";

export interface FitItem {
  key: string;
  label: string;
  value: string;
  status: Status;
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function atLeast(v: number, good: number, ok: number): Status {
  return v >= good ? "good" : v >= ok ? "ok" : "poor";
}

function atMost(v: number, good: number, ok: number): Status {
  return v <= good ? "good" : v <= ok ? "ok" : "poor";
}

/** The items to show for `results` (empty before a fit). */
export function fitItems(results: Results | null, engine: Engine): FitItem[] {
  const fit = results?.fit ?? {};
  const items: FitItem[] = [];
  const eng = results?.engine === "pls" || results?.engine === "sem" ? results.engine : engine;
  if (eng === "pls") {
    const r2 = results?.r2 ?? {};
    for (const [name, v] of Object.entries(r2)) {
      const x = num(v);
      if (x !== null) items.push({ key: `r2:${name}`, label: `R\u00b2 ${name}`, value: fmtNoZero(x, 3), status: "none" });
    }
    const srmr = num(fit.srmr);
    if (srmr !== null) items.push({ key: "srmr", label: "SRMR", value: fmtNoZero(srmr, 3), status: atMost(srmr, 0.08, 0.1) });
    return items;
  }
  // A robust estimator (MLR, MLM, WLSMV, ...): the scaled chi-square and the robust indices
  // (the scaled ones where lavaan gives no robust value), as reviewers ask for them.
  const scaled = num(fit.chisq_scaled) !== null;
  const est = typeof results?.estimator === "string" ? results.estimator : "";
  if (est && est !== "ML") items.push({ key: "estimator", label: "Estimator", value: est, status: "none" });
  const pick = (name: string): { v: number | null; tag: string; sfx: string } => {
    if (!scaled) return { v: num(fit[name]), tag: "", sfx: "" };
    const robust = num(fit[`${name}_robust`]);
    if (robust !== null) return { v: robust, tag: " (robust)", sfx: "_robust" };
    return { v: num(fit[`${name}_scaled`]), tag: " (scaled)", sfx: "_scaled" };
  };
  const chisq = num(scaled ? fit.chisq_scaled : fit.chisq);
  const df = num(scaled ? fit.df_scaled ?? fit.df : fit.df);
  const p = num(scaled ? fit.pvalue_scaled : fit.pvalue);
  if (chisq !== null) {
    const dfText = df !== null ? `(${Number.isInteger(df) ? df : fmt(df, 2)})` : "";
    items.push({
      key: "chisq",
      label: `\u03c7\u00b2${dfText}${scaled ? " scaled" : ""}`,
      value: `${fmt(chisq, 2)}${p !== null ? `, p ${fmtP(p)}` : ""}`,
      status: p === null ? "none" : p >= 0.05 ? "good" : "none",
    });
  }
  // the Bollen-Stine bootstrap p-value, when the fit asked for it (test = "bootstrap")
  const bs = num(fit.bollen_stine_pvalue);
  if (bs !== null) {
    items.push({ key: "bollen_stine", label: "Bollen\u2013Stine", value: `p ${fmtP(bs)}`, status: bs >= 0.05 ? "good" : "none" });
  }
  const cfi = pick("cfi");
  if (cfi.v !== null) items.push({ key: "cfi", label: `CFI${cfi.tag}`, value: fmtNoZero(cfi.v, 3), status: atLeast(cfi.v, 0.95, 0.9) });
  const tli = pick("tli");
  if (tli.v !== null) items.push({ key: "tli", label: `TLI${tli.tag}`, value: fmtNoZero(tli.v, 3), status: atLeast(tli.v, 0.95, 0.9) });
  const rmsea = pick("rmsea");
  if (rmsea.v !== null) {
    const lo = num(fit[`rmsea_ci_lower${rmsea.sfx}`]);
    const hi = num(fit[`rmsea_ci_upper${rmsea.sfx}`]);
    const ci = lo !== null && hi !== null ? ` [${fmtNoZero(lo, 3)}, ${fmtNoZero(hi, 3)}]` : "";
    items.push({ key: "rmsea", label: `RMSEA${rmsea.tag}`, value: `${fmtNoZero(rmsea.v, 3)}${ci}`, status: atMost(rmsea.v, 0.06, 0.08) });
  }
  const srmr = num(fit.srmr);
  if (srmr !== null) items.push({ key: "srmr", label: "SRMR", value: fmtNoZero(srmr, 3), status: atMost(srmr, 0.08, 0.1) });
  return items;
}

/** One line of text, e.g. "χ²(24) = 85.31, p < .001 · CFI = .931 · ...". */
export function fitSummary(items: FitItem[]): string {
  return items.map((i) => `${i.label} = ${i.value}`).join("  \u00b7  ");
}
