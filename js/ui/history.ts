/**
 * The History panel: every fitted version of the model (`versions` trait) with its fit
 * measures, in a collapsible `<details>`. Ticking two versions and pressing Compare sends
 * `{"type": "compare", "i", "j"}`; Python answers with `results.diff`, which the panel shows as
 * the comparison table (nesting checked, Δχ², Δdf, p, ΔCFI, ΔRMSEA, AIC, BIC) and its sentence,
 * while the diagram marks the changed edges (render/overlay.ts). "Clear" hides the diff.
 */
import { type DiagramDiff, type VersionRow, readDiff, readVersions } from "../model/compare";
import { DIFF_COLOURS } from "../render/overlay";
import { button, el } from "./dom";

/** Columns of the versions table: [key in `fit`, header, digits]. */
const VERSION_COLUMNS: Array<[string, string, number]> = [
  ["chisq", "\u03c7\u00b2", 2], ["df", "df", 0], ["cfi", "CFI", 3], ["rmsea", "RMSEA", 3], ["aic", "AIC", 1],
];

/** Columns of the comparison table (`compare_models`): [key, header, digits]. */
const COMPARE_COLUMNS: Array<[string, string, number]> = [
  ["df", "df", 0], ["chisq", "\u03c7\u00b2", 2], ["chisq_diff", "\u0394\u03c7\u00b2", 2], ["df_diff", "\u0394df", 0],
  ["pvalue", "p", 3], ["delta_cfi", "\u0394CFI", 3], ["delta_rmsea", "\u0394RMSEA", 3], ["aic", "AIC", 1], ["bic", "BIC", 1],
];

/** A number for a table cell ("–" when missing; a p value below .001 as "< .001"). */
export function cell(v: unknown, digits: number, isP = false): string {
  if (typeof v === "string") return v;
  if (typeof v !== "number" || !Number.isFinite(v)) return "\u2013";
  if (isP && v < 0.001) return "< .001";
  return v.toFixed(digits).replace("-", "\u2212");
}

/** The clock time of an ISO timestamp ("" when unreadable). */
export function clock(iso: string): string {
  const m = /T(\d\d:\d\d:\d\d)/.exec(iso);
  return m ? m[1]! : "";
}

/** The picked pair after ticking (`on`) or unticking `n`: at most two, the oldest pick dropped. */
export function nextPicks(picks: number[], n: number, on: boolean): number[] {
  const rest = picks.filter((p) => p !== n);
  return on ? [...rest, n].slice(-2) : rest;
}

export class HistoryPanel {
  readonly el: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly compareButton: HTMLButtonElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly result: HTMLElement;
  private versions: VersionRow[] = [];
  private picks: number[] = [];
  private diff: DiagramDiff | null = null;
  private cleared = "";

  constructor(private readonly doc: Document, send: (msg: Record<string, unknown>) => void, private readonly changed: () => void) {
    const d = doc;
    this.summary = el(d, "summary", { text: "History", attrs: { "data-action": "history" } });
    const head = el(d, "tr", {}, el(d, "th", { text: "Pick" }), el(d, "th", { text: "Version" }), el(d, "th", { text: "Time" }),
      ...VERSION_COLUMNS.map(([, h]) => el(d, "th", { text: h })));
    this.body = el(d, "tbody");
    const table = el(d, "table", { className: "semw-history-table", attrs: { "data-role": "versions" } }, el(d, "thead", {}, head), this.body);
    this.compareButton = button(d, "compare", "Compare the two versions ticked", "Compare");
    this.compareButton.addEventListener("click", () => {
      if (this.picks.length !== 2) return;
      const [i, j] = [...this.picks].sort((a, b) => a - b) as [number, number];
      this.cleared = "";
      send({ type: "compare", i, j });
    });
    this.clearButton = button(d, "clear-diff", "Stop showing the comparison on the diagram", "Clear");
    this.clearButton.addEventListener("click", () => {
      this.cleared = this.key(this.diff);
      this.render();
      this.changed();
    });
    this.result = el(d, "div", { className: "semw-compare", attrs: { "data-role": "comparison", "aria-live": "polite" } });
    this.el = el(d, "details", { className: "semw-history", attrs: { "data-role": "history" } },
      this.summary, table, el(d, "div", { className: "semw-history-actions" }, this.compareButton, this.clearButton), this.result);
    this.el.hidden = true;
  }

  private key(d: DiagramDiff | null): string {
    return d ? JSON.stringify(d) : "";
  }

  /** The diff to draw on the diagram (none after Clear). */
  shownDiff(): DiagramDiff | null {
    return this.diff && this.key(this.diff) !== this.cleared ? this.diff : null;
  }

  /** New `versions` trait. */
  setVersions(raw: unknown): void {
    this.versions = readVersions(raw);
    const have = new Set(this.versions.map((v) => v.number));
    this.picks = this.picks.filter((p) => have.has(p));
    this.render();
  }

  /** New `results` (its `diff`, if any). */
  setResults(results: unknown): void {
    this.diff = readDiff(results);
    this.render();
  }

  private render(): void {
    const d = this.doc;
    this.el.hidden = this.versions.length === 0;
    this.summary.textContent = `History (${this.versions.length} version${this.versions.length === 1 ? "" : "s"})`;
    this.body.replaceChildren(...this.versions.map((v) => {
      const box = el(d, "input", { attrs: { type: "checkbox", "data-version": String(v.number), "aria-label": `Pick version ${v.number}` } });
      box.checked = this.picks.includes(v.number);
      box.addEventListener("change", () => {
        this.picks = nextPicks(this.picks, v.number, box.checked);
        this.render();
      });
      return el(d, "tr", { attrs: { "data-role": "version", "data-number": String(v.number), title: v.syntax } },
        el(d, "td", {}, box), el(d, "td", { text: String(v.number) }), el(d, "td", { text: clock(v.time) }),
        ...VERSION_COLUMNS.map(([k, , digits]) => el(d, "td", { text: cell(v.fit[k], digits) })));
    }));
    this.compareButton.disabled = this.picks.length !== 2;
    const shown = this.shownDiff();
    this.clearButton.disabled = shown === null;
    this.result.replaceChildren();
    if (shown) this.renderDiff(shown);
  }

  private renderDiff(diff: DiagramDiff): void {
    const d = this.doc;
    const [i, j] = diff.versions;
    const title = el(d, "div", { className: "semw-compare-title", text: `Version ${i} \u2192 version ${j}` });
    const legend = el(d, "div", { className: "semw-diff-legend" }, ...(["added", "freed", "fixed"] as const).map((k) =>
      el(d, "span", { className: "semw-diff-key", attrs: { "data-diff-count": k, style: `border-color:${DIFF_COLOURS[k]}` }, text: `${k} ${diff[k].length}` })),
    el(d, "span", { className: "semw-diff-key semw-diff-key-removed", attrs: { "data-diff-count": "removed" }, text: `removed ${diff.removed.length}` }));
    this.result.append(title, legend);
    if (diff.table.length) {
      const head = el(d, "tr", {}, el(d, "th", { text: "" }), ...COMPARE_COLUMNS.map(([, h]) => el(d, "th", { text: h })));
      const rows = diff.table.map((row) => el(d, "tr", { attrs: { "data-role": "compare-row" } },
        el(d, "th", { text: String(row.model ?? "") }), ...COMPARE_COLUMNS.map(([k, , digits]) => el(d, "td", { text: cell(row[k], digits, k === "pvalue") }))));
      this.result.append(el(d, "table", { className: "semw-compare-table" }, el(d, "thead", {}, head), el(d, "tbody", {}, ...rows)));
    }
    if (diff.sentence) this.result.append(el(d, "p", { className: "semw-compare-sentence", attrs: { "data-role": "compare-sentence" }, text: diff.sentence }));
  }
}
