/**
 * The editor's diagram overlays, kept out of editor.ts: the toolbar's "Local fit" toggle (draws
 * `results.local_fit` residual correlations as dashed links), the History panel's diff, and the
 * identification marks of a failed fit (`results.unidentified`, drawn flagged like a warning's
 * parameters, with the error sentence as a warning row naming them).
 */
import { type Overlay, readLocalFit, readUnidentified } from "../model/compare";
import { button } from "./dom";
import { HistoryPanel } from "./history";
import type { WidgetWarning } from "./warnings";

/** The warning row of a model that is not identified, or null. */
export function identificationWarning(results: unknown, error: string): WidgetWarning | null {
  const parameters = readUnidentified(results);
  if (!parameters.length) return null;
  const message = error || `The model is not identified: ${parameters.join(", ")}`;
  return { message, variables: [], parameters, source: "identification" };
}

export class Overlays {
  readonly localFitButton: HTMLButtonElement;
  readonly history: HistoryPanel;
  private results: unknown = null;
  private localOn = false;

  constructor(doc: Document, private readonly send: (msg: Record<string, unknown>) => void, private readonly redraw: () => void) {
    this.localFitButton = button(doc, "local-fit", "Show local fit: residual correlations above the threshold", "\u2248 Local fit",
      "Local fit: draw residual correlations above the threshold as dashed links (hover for the residual and z)");
    this.localFitButton.setAttribute("aria-pressed", "false");
    this.localFitButton.addEventListener("click", () => {
      this.localOn = !this.localOn;
      // The kernel computes the residuals only while the overlay is shown (they cost the most
      // of a big model's refit); switching it off spares every later refit that work.
      send({ type: "local_fit", on: this.localOn });
      this.update();
      this.redraw();
    });
    this.history = new HistoryPanel(doc, send, redraw);
    this.update();
  }

  /** New `results` from the kernel. */
  setResults(results: unknown): void {
    this.results = results;
    this.history.setResults(results);
    // Shown here but deferred by the kernel (another view switched it off): ask again.
    if (this.localOn && readLocalFit(results)?.deferred) this.send({ type: "local_fit", on: true });
    this.update();
  }

  private update(): void {
    const lf = readLocalFit(this.results);
    this.localFitButton.disabled = lf === null;
    this.localFitButton.setAttribute("aria-pressed", String(this.localOn && lf !== null));
    this.localFitButton.title = lf === null
      ? "Local fit: available after a single-group CB-SEM fit"
      : lf.deferred
        ? `Local fit: residual correlations above ${lf.threshold} (computed when shown)`
        : `Local fit: ${lf.pairs.length} residual correlation${lf.pairs.length === 1 ? "" : "s"} above ${lf.threshold} (largest |r| ${lf.max === null ? "\u2013" : lf.max.toFixed(3)})`;
  }

  /** What to draw over the model now. */
  overlay(): Overlay {
    return { diff: this.history.shownDiff(), localFit: this.localOn ? readLocalFit(this.results) : null };
  }

  /** Edge keys to draw flagged: the parameters a failed fit found not identified. */
  unidentified(): string[] {
    return readUnidentified(this.results);
  }
}
