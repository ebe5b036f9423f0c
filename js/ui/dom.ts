/** Small helpers to build the widget's HTML chrome. Text is always set as textContent. */

export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  props: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A real <button> with an accessible name and a `data-action` hook. */
export function button(doc: Document, action: string, label: string, text: string, title = label): HTMLButtonElement {
  const b = el(doc, "button", { className: "semw-btn", text, attrs: { type: "button", "data-action": action, "aria-label": label, title } });
  return b;
}

/** A debounced call: `flush` runs a pending call now, `cancel` drops it. */
export interface Debounced<A extends unknown[]> {
  (...a: A): void;
  flush(): void;
  cancel(): void;
}

/** Calls `fn` once `ms` after the last call; `flush` runs a pending call now. */
export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last: A | null = null;
  const call = (...a: A): void => {
    last = a;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const args = last!;
      last = null;
      fn(...args);
    }, ms);
  };
  call.flush = (): void => {
    if (timer === null) return;
    clearTimeout(timer);
    timer = null;
    const args = last!;
    last = null;
    fn(...args);
  };
  call.cancel = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    last = null;
  };
  return call;
}
