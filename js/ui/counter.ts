/** The live counter of free parameters, moments and degrees of freedom (`counts` trait). */
import type { Counts } from "../model/state";

export interface CounterView {
  text: string;
  warning: string;
}

function n(v: unknown): string {
  return typeof v === "number" && Number.isFinite(v) ? String(v) : "\u2013";
}

/** Text of the counter and the identification warning ("" when the model is identified). */
export function counterView(c: Partial<Counts> | null | undefined): CounterView {
  if (!c || Object.keys(c).length === 0) return { text: "", warning: "" };
  if (c.engine === "pls") {
    const plural = (v: unknown, word: string): string => `${n(v)} ${word}${v === 1 ? "" : "s"}`;
    return {
      text: `${plural(c.constructs, "construct")} \u00b7 ${plural(c.indicators, "indicator")} \u00b7 ${plural(c.paths, "path")}`,
      warning: "",
    };
  }
  const text = `${n(c.npar)} free parameters \u00b7 ${n(c.moments)} moments \u00b7 df = ${n(c.df)}`;
  let warning = "";
  if (c.identified === false) warning = c.message || "The model is not identified.";
  else if (typeof c.df === "number" && c.df < 0) warning = c.message || `df = ${c.df}: more free parameters than moments.`;
  return { text, warning };
}

export function renderCounter(el: HTMLElement, c: Partial<Counts> | null | undefined): void {
  const v = counterView(c);
  el.replaceChildren();
  const t = el.ownerDocument.createElement("span");
  t.textContent = v.text;
  el.append(t);
  if (v.warning) {
    const w = el.ownerDocument.createElement("span");
    w.className = "semw-warn";
    w.setAttribute("role", "status");
    w.textContent = `\u26a0 ${v.warning}`;
    el.append(w);
  }
}
