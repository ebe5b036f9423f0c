/**
 * Synchronous ELK layered layout. elkjs wraps its layout engine in a (fake) worker that answers
 * through setTimeout; the engine itself is synchronous, so we call its dispatcher directly. That
 * works the same in the browser, in Node (vitest) and in an embedded V8 with no timers
 * (mini-racer, used for headless `to_svg`).
 */
import type { Worker as ElkWorker } from "elkjs/lib/elk-worker.min.js";
import type { ElkNode } from "elkjs/lib/elk-api";

// ELK's GWT code is most of the bundle: required (and so evaluated) on the first layout that
// needs it, not when the view's module loads (a measurement model never does). The bundler
// inlines the module behind this call; vitest provides `require` too.
declare const require: (id: string) => { Worker: typeof ElkWorker };

let worker: ElkWorker | null = null;
let reply: { data?: unknown; error?: unknown } | null = null;
let nextId = 0;

function call(msg: Record<string, unknown>): unknown {
  if (worker === null) {
    const { Worker } = require("elkjs/lib/elk-worker.min.js");
    worker = new Worker();
    worker.onmessage = (m) => {
      reply = m.data;
    };
    call({ cmd: "register", algorithms: ["layered"] });
  }
  reply = null;
  worker.dispatcher.saveDispatch({ data: { ...msg, id: nextId++ } });
  const r = reply as { data?: unknown; error?: unknown } | null;
  if (r === null) throw new Error("ELK did not answer.");
  if (r.error !== undefined) {
    const e = r.error as { message?: string };
    throw new Error(`ELK layout failed: ${e?.message ?? String(r.error)}`);
  }
  return r.data;
}

/** Lay out `graph` in place with ELK and return it (with x, y on every child). */
export function elkLayoutSync(graph: ElkNode, layoutOptions: Record<string, string>): ElkNode {
  return call({ cmd: "layout", graph, layoutOptions, options: {} }) as ElkNode;
}
