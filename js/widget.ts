/**
 * anywidget entry point: a thin adapter from the anywidget model to the Editor. All behaviour
 * lives in the framework-free modules under model/, layout/, render/ and ui/.
 */
import type { AnyModel, RenderProps } from "@anywidget/types";
import css from "./widget.css";
import { Editor } from "./ui/editor";
import type { ModelPort } from "./ui/port";

const STYLE_ID = "semwidget-style";

function injectStyle(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const s = doc.createElement("style");
  s.id = STYLE_ID;
  s.textContent = css;
  doc.head.append(s);
}

function portOf(model: AnyModel): ModelPort {
  const m = model as unknown as {
    get(k: string): unknown;
    set(k: string, v: unknown): void;
    save_changes(): void;
    on(ev: string, cb: (...a: unknown[]) => void): void;
    off(ev?: string | null, cb?: ((...a: unknown[]) => void) | null): void;
    send(msg: unknown): void;
  };
  return {
    get: (k) => m.get(k),
    set: (k, v) => m.set(k, v),
    save: () => m.save_changes(),
    on: (ev, cb) => m.on(ev, cb),
    off: (ev, cb) => m.off(ev, cb),
    send: (msg) => m.send(msg),
    onMsg: (cb) => m.on("msg:custom", cb as (...a: unknown[]) => void),
    offMsg: (cb) => m.off("msg:custom", cb as (...a: unknown[]) => void),
  };
}

function render({ model, el }: RenderProps): () => void {
  injectStyle(el.ownerDocument);
  const editor = new Editor(el, portOf(model));
  return () => editor.destroy();
}

export default { render };
