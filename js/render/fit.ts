/**
 * Fit measures for display, with status cues for conventional cut-offs (Hu & Bentler 1999;
 * Browne & Cudeck 1993): CFI/TLI >= .95 good, >= .90 acceptable; RMSEA <= .06 good, <= .08
 * acceptable; SRMR <= .08 good. For PLS-SEM: R² of each endogenous construct and the SRMR.
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
  const chisq = num(fit.chisq);
  const df = num(fit.df);
  const p = num(fit.pvalue);
  if (chisq !== null) {
    const dfText = df !== null ? `(${Number.isInteger(df) ? df : fmt(df, 2)})` : "";
    items.push({
      key: "chisq",
      label: `\u03c7\u00b2${dfText}`,
      value: `${fmt(chisq, 2)}${p !== null ? `, p ${fmtP(p)}` : ""}`,
      status: p === null ? "none" : p >= 0.05 ? "good" : "none",
    });
  }
  // the Bollen-Stine bootstrap p-value, when the fit asked for it (test = "bootstrap")
  const bs = num(fit.bollen_stine_pvalue);
  if (bs !== null) {
    items.push({ key: "bollen_stine", label: "Bollen\u2013Stine", value: `p ${fmtP(bs)}`, status: bs >= 0.05 ? "good" : "none" });
  }
  const cfi = num(fit.cfi);
  if (cfi !== null) items.push({ key: "cfi", label: "CFI", value: fmtNoZero(cfi, 3), status: atLeast(cfi, 0.95, 0.9) });
  const tli = num(fit.tli);
  if (tli !== null) items.push({ key: "tli", label: "TLI", value: fmtNoZero(tli, 3), status: atLeast(tli, 0.95, 0.9) });
  const rmsea = num(fit.rmsea);
  if (rmsea !== null) {
    const lo = num(fit.rmsea_ci_lower);
    const hi = num(fit.rmsea_ci_upper);
    const ci = lo !== null && hi !== null ? ` [${fmtNoZero(lo, 3)}, ${fmtNoZero(hi, 3)}]` : "";
    items.push({ key: "rmsea", label: "RMSEA", value: `${fmtNoZero(rmsea, 3)}${ci}`, status: atMost(rmsea, 0.06, 0.08) });
  }
  const srmr = num(fit.srmr);
  if (srmr !== null) items.push({ key: "srmr", label: "SRMR", value: fmtNoZero(srmr, 3), status: atMost(srmr, 0.08, 0.1) });
  return items;
}

/** One line of text, e.g. "χ²(24) = 85.31, p < .001 · CFI = .931 · ...". */
export function fitSummary(items: FitItem[]): string {
  return items.map((i) => `${i.label} = ${i.value}`).join("  \u00b7  ");
}
