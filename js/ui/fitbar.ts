/** The fit bar of the browser view: the fit measures of render/fit.ts as DOM text. */
import { type Status, fitItems } from "../render/fit";
import type { Engine, Results } from "../model/state";

const STATUS_WORD: Record<Status, string> = { good: "good", ok: "acceptable", poor: "poor", none: "" };

/**
 * Fill `el` with the fit bar (text only; status as a class and in the accessible name). With
 * `warned`, a warning is about the model as a whole: the bar says so.
 */
export function renderFitBar(el: HTMLElement, results: Results | null, engine: Engine, warned = false): void {
  el.replaceChildren();
  const items = fitItems(results, engine);
  el.hidden = items.length === 0 && !warned;
  el.toggleAttribute("data-warned", warned);
  if (warned) {
    const w = el.ownerDocument.createElement("span");
    w.className = "semw-fit-warning semw-warn";
    w.dataset.role = "model-warning";
    w.textContent = "\u26a0 model warning";
    w.title = "A warning is about the model as a whole (see the warnings above)";
    el.append(w);
  }
  for (const it of items) {
    const span = el.ownerDocument.createElement("span");
    span.className = `semw-fit-item semw-fit-${it.status}`;
    span.dataset.fit = it.key;
    const word = STATUS_WORD[it.status];
    span.title = word ? `${it.label}: ${word} by conventional cut-offs` : it.label;
    const b = el.ownerDocument.createElement("b");
    b.textContent = it.label;
    span.append(b, ` = ${it.value}`);
    el.append(span);
  }
}
