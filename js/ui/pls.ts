/**
 * The PLS-SEM result tables one click from the toolbar: "MGA" lists the group differences of a
 * multigroup PLS fit (`results.mga`: each path's estimates per group, the difference and the
 * permutation, Henseler's PLS-MGA, parametric and Welch t-test p-values); "PLSpredict" asks the
 * kernel (`{"type": "pls_predict", "folds", "repetitions"}`) for cross-validated predictions and
 * lists `results.prediction` (Q²_predict, RMSE and MAE of PLS against the linear-model benchmark,
 * per indicator). Both buttons are hidden with the CB-SEM engine.
 */
import { fmt, fmtNoZero } from "../model/format";
import type { Engine, Results } from "../model/state";
import { button, el } from "./dom";

/** What PLSpredict is asked for: SmartPLS' defaults (10 folds, 10 repetitions). */
export const PREDICT_REQUEST = { type: "pls_predict", folds: 10, repetitions: 10 } as const;

export type PLSView = "" | "mga" | "predict";

export interface MGARow {
  path: string;
  groups: string;
  estA: string;
  estB: string;
  diff: string;
  /** p-values: permutation, PLS-MGA (two-sided), parametric t, Welch t ("" when not computed). */
  p: [string, string, string, string];
  /** Some test of this row has p < .05. */
  significant: boolean;
}

export interface PredictRow {
  construct: string;
  item: string;
  q2: string;
  plsRmse: string;
  plsMae: string;
  lmRmse: string;
  lmMae: string;
  /** PLS predicts this indicator better than the LM benchmark (lower RMSE). */
  plsBetter: boolean;
}

type Json = Record<string, unknown>;

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function records(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter((r): r is Json => typeof r === "object" && r !== null) : [];
}

function pText(p: number | null): string {
  if (p === null) return "";
  return p < 0.001 ? "< .001" : fmtNoZero(p, 3);
}

/** The MGA table of a multigroup PLS fit (empty without one). */
export function mgaRows(results: Results | null, digits = 3): MGARow[] {
  return records((results as Json | null)?.mga).map((r) => {
    const ps = ["p_permutation", "p_henseler_two_sided", "p_parametric", "p_welch"].map((k) => num(r[k]));
    return {
      path: `${String(r.rhs)} \u2192 ${String(r.lhs)}`,
      groups: `${String(r.group_a)} vs ${String(r.group_b)}`,
      estA: fmt(num(r.est_a), digits),
      estB: fmt(num(r.est_b), digits),
      diff: fmt(num(r.diff), digits),
      p: ps.map(pText) as MGARow["p"],
      significant: ps.some((p) => p !== null && p < 0.05),
    };
  });
}

/** The PLSpredict table (empty before the kernel answered). */
export function predictRows(results: Results | null, digits = 3): PredictRow[] {
  const pred = (results as Json | null)?.prediction as Json | undefined;
  return records(pred?.items).map((r) => {
    const pls = num(r.pls_rmse);
    const lm = num(r.lm_rmse);
    return {
      construct: String(r.construct), item: String(r.item), q2: fmt(num(r.q2_predict), digits),
      plsRmse: fmt(pls, digits), plsMae: fmt(num(r.pls_mae), digits),
      lmRmse: fmt(lm, digits), lmMae: fmt(num(r.lm_mae), digits),
      plsBetter: pls !== null && lm !== null && pls < lm,
    };
  });
}

/** One line under the PLSpredict table: the settings and how many indicators PLS wins. */
export function predictNote(results: Results | null): string {
  const pred = (results as Json | null)?.prediction as Json | undefined;
  const rows = predictRows(results);
  if (!pred || !rows.length) return "";
  const better = rows.filter((r) => r.plsBetter).length;
  return `${String(pred.folds)}-fold cross-validation \u00d7 ${String(pred.repetitions)} repetitions; ` +
    `PLS RMSE below the LM benchmark for ${better} of ${rows.length} indicators.`;
}

const MGA_HEAD = ["Path", "Groups", "\u03b2 (a)", "\u03b2 (b)", "Difference", "p permutation", "p PLS-MGA", "p t-test", "p Welch"];
const PREDICT_HEAD = ["Construct", "Indicator", "Q\u00b2predict", "PLS RMSE", "PLS MAE", "LM RMSE", "LM MAE"];

export class PLSPanels {
  readonly mgaButton: HTMLButtonElement;
  readonly predictButton: HTMLButtonElement;
  /** The table, placed under the diagram. */
  readonly el: HTMLElement;
  private view: PLSView = "";
  private waiting = false;
  private results: Results | null = null;
  private engine: Engine = "sem";

  constructor(private readonly doc: Document, private readonly send: (msg: Record<string, unknown>) => void,
    private readonly status: (msg: string) => void) {
    this.mgaButton = button(doc, "mga", "Multigroup analysis table", "MGA",
      "Group differences of every path: permutation, PLS-MGA and t-test p-values");
    this.predictButton = button(doc, "pls-predict", "Run PLSpredict", "PLSpredict",
      "Cross-validated predictions (10 folds \u00d7 10 repetitions): Q\u00b2predict, RMSE and MAE against the LM benchmark");
    for (const b of [this.mgaButton, this.predictButton]) b.setAttribute("aria-pressed", "false");
    this.mgaButton.addEventListener("click", () => this.toggle("mga"));
    this.predictButton.addEventListener("click", () => this.predict());
    this.el = el(doc, "div", { className: "semw-pls-panel", attrs: { role: "region", "aria-label": "PLS results" } });
    this.show(null, "sem");
  }

  /** New results or engine: refresh the buttons and the open table. */
  show(results: Results | null, engine: Engine): void {
    this.results = results;
    this.engine = engine;
    const pls = engine === "pls";
    this.mgaButton.hidden = !pls;
    this.predictButton.hidden = !pls;
    this.mgaButton.disabled = mgaRows(results).length === 0;
    if (this.waiting && predictRows(results).length) {
      this.waiting = false;
      this.status("PLSpredict done");
    }
    if (!pls || (this.view === "mga" && this.mgaButton.disabled)) this.view = "";
    this.draw();
  }

  /** The kernel refused the request (the error line says why). */
  kernelError(): void {
    if (!this.waiting) return;
    this.waiting = false;
    this.draw();
  }

  private toggle(view: PLSView): void {
    this.view = this.view === view ? "" : view;
    this.draw();
  }

  private predict(): void {
    if (this.view === "predict" && !this.waiting) {
      this.toggle("predict"); // a second click closes the table
      return;
    }
    this.view = "predict";
    this.waiting = true;
    this.status("Running PLSpredict\u2026");
    this.send({ ...PREDICT_REQUEST });
    this.draw();
  }

  private draw(): void {
    const d = this.doc;
    this.mgaButton.setAttribute("aria-pressed", String(this.view === "mga"));
    this.predictButton.setAttribute("aria-pressed", String(this.view === "predict"));
    this.el.replaceChildren();
    this.el.hidden = this.view === "" || this.engine !== "pls";
    if (this.el.hidden) return;
    if (this.view === "mga") {
      const rows = mgaRows(this.results);
      this.el.append(title(d, "Multigroup analysis"), table(d, "Multigroup analysis", MGA_HEAD, rows.map((r) =>
        row(d, [r.path, r.groups, r.estA, r.estB, r.diff, ...r.p], r.significant ? { "data-significant": "true" } : {}))));
      return;
    }
    const rows = predictRows(this.results);
    this.el.append(title(d, "PLSpredict"));
    if (this.waiting || !rows.length) {
      this.el.append(el(d, "div", { className: "semw-pls-note", text: this.waiting ? "Running PLSpredict\u2026" : "No prediction yet." }));
      return;
    }
    this.el.append(
      table(d, "PLSpredict", PREDICT_HEAD, rows.map((r) =>
        row(d, [r.construct, r.item, r.q2, r.plsRmse, r.plsMae, r.lmRmse, r.lmMae], r.plsBetter ? { "data-pls-better": "true" } : {}))),
      el(d, "div", { className: "semw-pls-note", text: predictNote(this.results) }),
    );
  }
}

function title(d: Document, text: string): HTMLElement {
  return el(d, "div", { className: "semw-panel-title", text });
}

function row(d: Document, cells: string[], attrs: Record<string, string>): HTMLElement {
  return el(d, "tr", { attrs: { "data-role": "pls-row", ...attrs } },
    el(d, "th", { text: cells[0]!, attrs: { scope: "row" } }),
    ...cells.slice(1).map((c, i) => el(d, "td", { className: i === 0 ? "" : "semw-num", text: c || "\u2013" })));
}

function table(d: Document, label: string, head: string[], rows: HTMLElement[]): HTMLElement {
  return el(d, "table", { className: "semw-effects-table semw-pls-table", attrs: { "aria-label": label } },
    el(d, "thead", {}, el(d, "tr", {}, ...head.map((t) => el(d, "th", { text: t, attrs: { scope: "col" } })))),
    el(d, "tbody", {}, ...rows));
}
