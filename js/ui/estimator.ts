/**
 * The toolbar's estimation controls (CB-SEM): the estimator (`estimator` trait; "" is lavaan's
 * default, ML or WLSMV with ordinal indicators) and an "Ordinal" toggle that marks the selected
 * observed variables as ordered categorical (`ordered` trait). Python refits on each change.
 * Hidden for PLS-SEM.
 */
import { button, el } from "./dom";

/** The choices, as `semwidget.widget.estimation.ESTIMATOR_CHOICES` lists them. */
export const ESTIMATORS = ["", "ML", "MLR", "MLM", "MLMV", "GLS", "ULS", "WLSMV", "DWLS", "ULSMV", "WLS"];

const TITLES: Record<string, string> = {
  "": "lavaan's default: ML, or WLSMV with ordinal indicators",
  MLR: "ML with robust (Huber-White) SEs and the Yuan-Bentler scaled test",
  MLM: "ML with robust SEs and the Satorra-Bentler scaled test",
  MLMV: "ML with robust SEs and a mean-and-variance adjusted test",
  WLSMV: "diagonally weighted least squares, robust SEs, mean-and-variance adjusted test (ordinal data)",
};

/** `ordered` with each of `names` added, or all removed when every one is ordered already. */
export function toggleOrdered(ordered: string[], names: string[]): string[] {
  const all = names.length > 0 && names.every((n) => ordered.includes(n));
  return all ? ordered.filter((n) => !names.includes(n)) : [...ordered, ...names.filter((n) => !ordered.includes(n))];
}

export class EstimatorControl {
  readonly el: HTMLElement;
  readonly ordinalButton: HTMLButtonElement;
  private readonly select: HTMLSelectElement;

  constructor(doc: Document, choose: (estimator: string) => void, toggleOrdinal: () => void) {
    this.select = el(doc, "select", { className: "semw-estimator", attrs: { "data-control": "estimator", "aria-label": "Estimator" } });
    for (const e of ESTIMATORS) {
      const o = el(doc, "option", { text: e || "Default", attrs: { value: e, title: TITLES[e] ?? e } });
      this.select.append(o);
    }
    this.select.addEventListener("change", () => choose(this.select.value));
    this.ordinalButton = button(doc, "ordinal", "Treat the selected observed variables as ordinal", "\u2261 Ordinal",
      "Ordinal: treat the selected observed variables as ordered categories (thresholds; WLSMV by default)");
    this.ordinalButton.addEventListener("click", toggleOrdinal);
    this.el = el(doc, "span", { className: "semw-estimation" }, el(doc, "label", { className: "semw-group", text: "Estimator " }, this.select), this.ordinalButton);
  }

  /** Follow the traits; `selectedObserved` are the observed variables selected now. */
  show(estimator: string, ordered: string[], selectedObserved: string[], engine: string): void {
    this.el.hidden = engine === "pls";
    if (this.select.value !== estimator) this.select.value = ESTIMATORS.includes(estimator) ? estimator : "";
    this.ordinalButton.disabled = selectedObserved.length === 0;
    const on = selectedObserved.length > 0 && selectedObserved.every((n) => ordered.includes(n));
    this.ordinalButton.setAttribute("aria-pressed", String(on));
  }
}
