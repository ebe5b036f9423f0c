/** The fit bar of the browser view: the fit measures of render/fit.ts as DOM text. */
import { type Status, fitItems } from "../render/fit";
import type { Engine, Results } from "../model/state";

const STATUS_WORD: Record<Status, string> = { good: "good", ok: "acceptable", poor: "poor", none: "" };

/** Fill `el` with the fit bar (text only; status as a class and in the accessible name). */
export function renderFitBar(el: HTMLElement, results: Results | null, engine: Engine): void {
  el.replaceChildren();
  const items = fitItems(results, engine);
  el.hidden = items.length === 0;
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
