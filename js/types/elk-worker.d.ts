// The GWT-compiled ELK core that elkjs runs inside its (fake) worker. We drive its dispatcher
// directly to get a synchronous layout in the browser and in an embedded V8 without timers.
declare module "elkjs/lib/elk-worker.min.js" {
  interface ElkMessage {
    id: number;
    data?: unknown;
    error?: unknown;
  }
  export class Worker {
    constructor();
    onmessage: (msg: { data: ElkMessage }) => void;
    dispatcher: { saveDispatch(msg: { data: Record<string, unknown> }): void };
  }
  const _default: typeof Worker;
  export default _default;
}
