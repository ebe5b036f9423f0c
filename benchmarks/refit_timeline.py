"""Where the time of one edit -> coefficients goes: a timeline of the page and the kernel.

Used by ``python benchmarks/bench_widget.py --timeline [MODEL]``. In a real JupyterLab, each Undo
/ Redo of measure (4)/(6) is followed from the click to the fresh coefficients in the DOM, with
stamps on one clock (the page's ``performance.timeOrigin + now()`` and the kernel's
``time.time()`` are both wall-clock milliseconds on this machine):

- page: every kernel WebSocket message sent or received (its type, the widget method and the
  state keys it carries, its size), and every animation frame's work (``requestAnimationFrame``
  callbacks are wrapped, style and layout flushed inside the timed frame);
- kernel: ``set_state`` (the view's update), the refit's ``compute`` and ``publish``, and each
  comm message the widget sends (method and keys).

The printout is one row per event, in ms from the click, for each edit; the summary gives the
median time from the click to each kind of event.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from typing import Any

# Installed before JupyterLab's own scripts: wraps WebSocket and requestAnimationFrame.
PAGE_HOOKS = """
(() => {
  const T = (window.__tl = { ev: [] });
  const now = () => performance.timeOrigin + performance.now();
  const text = new TextDecoder();
  const describe = (data) => {
    let header, content;
    try {
      if (typeof data === "string") {
        const m = JSON.parse(data); header = m.header; content = m.content;
      } else if (data instanceof ArrayBuffer) {
        const dv = new DataView(data);
        const n = Number(dv.getBigUint64(0, true));
        const off = [];
        for (let i = 0; i < n; i++) off.push(Number(dv.getBigUint64(8 * (i + 1), true)));
        const part = (i) =>
          JSON.parse(text.decode(new Uint8Array(data, off[i], off[i + 1] - off[i])));
        header = part(1); content = part(4);
      } else return { what: "?", bytes: data.size || 0 };
    } catch (e) { return { what: "unparsed", bytes: data.byteLength || data.length || 0 }; }
    const d = (content && content.data) || {};
    let what = header ? header.msg_type : "?";
    if (what === "comm_msg") {
      what = d.method || "comm";
      if (d.state) what += " " + Object.keys(d.state).join(",");
      if (d.method === "custom" && d.content) what += " " + (d.content.type || "");
    } else if (what === "status") what += " " + (content.execution_state || "");
    return { what, bytes: data.byteLength || data.length || 0 };
  };
  const Native = window.WebSocket;
  class Traced extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        const t = now(); T.ev.push({ t, side: "page", kind: "recv", ...describe(e.data) });
      });
    }
    send(data) {
      T.ev.push({ t: now(), side: "page", kind: "send", ...describe(data) });
      super.send(data);
    }
  }
  window.WebSocket = Traced;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((ts) => {
    const t0 = now();
    cb(ts);
    document.body.offsetHeight;
    const dt = now() - t0;
    if (dt > 1) T.ev.push({ t: t0, side: "page", kind: "frame", what: "frame", ms: dt });
  });
  window.__tlMark = (what) => T.ev.push({ t: now(), side: "page", kind: "mark", what });
})();
"""

# Kernel side, run in the notebook after the widget ``w{k}`` exists.
KERNEL_HOOKS = """
import time as _t
_TL = []
def _tl_wrap(obj, name, label):
    inner = getattr(obj, name)
    def wrapped(*a, **k):
        _TL.append({"t": _t.time() * 1000, "side": "kernel", "kind": "start", "what": label})
        try:
            return inner(*a, **k)
        finally:
            _TL.append({"t": _t.time() * 1000, "side": "kernel", "kind": "end", "what": label})
    setattr(obj, name, wrapped)
def _tl_send(w):
    inner = w._send
    def send(msg, buffers=None):
        keys = ",".join(msg.get("state", {})) or str(msg.get("content", {}).get("type", ""))
        _TL.append({"t": _t.time() * 1000, "side": "kernel", "kind": "send",
                    "what": f"{msg.get('method')} {keys}"})
        return inner(msg, buffers)
    w._send = send
def tl_install(w):
    _tl_wrap(w, "set_state", "set_state")
    _tl_wrap(w._refit, "_compute", "compute (fit)")
    _tl_wrap(w._refit, "_publish", "publish")
    _tl_send(w)
"""

# Marks the click (capture phase) and the moment fresh coefficients are in the DOM.
WATCH = """
(root) => {
  window.__edits = []; window.__fresh = [];
  root.addEventListener('click', (e) => {
    if (e.target.closest('[data-action=undo],[data-action=redo]')) {
      window.__edits.push(performance.timeOrigin + performance.now()); window.__tlMark('click');
    }
  }, true);
  document.addEventListener('click', (e) => {
    if (e.target.closest('[data-action=undo],[data-action=redo]')) window.__tlMark('click handled');
  });
  new MutationObserver(() => {
    const d = root.querySelector('.semw-diagram');
    if (d && !d.hasAttribute('data-stale') && d.querySelector('[data-role=coef]')
        && window.__fresh.length < window.__edits.length) {
      window.__fresh.push(performance.timeOrigin + performance.now()); window.__tlMark('fresh');
    }
    if (d && d.hasAttribute('data-stale') && !window.__staleSeen) {
      window.__staleSeen = true; window.__tlMark('stale drawn');
    }
  }).observe(root, { subtree: true, childList: true, attributes: true });
}
"""


def split_edits(events: list[dict[str, Any]], clicks: list[float]) -> list[list[dict[str, Any]]]:
    """The events of each edit: from its click to the next click, times relative to the click."""
    out = []
    bounds = [*clicks, float("inf")]
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        rows = [{**e, "dt": e["t"] - start} for e in events if start - 1 <= e["t"] < stop]
        out.append(sorted(rows, key=lambda e: e["t"]))
    return out


def _label(e: dict[str, Any]) -> str:
    extra = f" {e['bytes'] / 1000:.1f} kB" if e.get("bytes") else ""
    extra += f" ({e['ms']:.1f} ms)" if "ms" in e else ""
    return f"{e['side']:6s} {e['kind']:5s} {e['what']}{extra}"


def report(edits: list[list[dict[str, Any]]], show: int = 3) -> None:
    """Print the first ``show`` edits' timelines and the median time to each kind of event."""
    for index, rows in enumerate(edits[:show]):
        print(f"--- edit {index + 1}")
        for e in rows:
            if e["kind"] == "recv" and e["what"].startswith("status"):
                continue
            print(f"{e['dt']:8.1f}  {_label(e)}")
    first: dict[str, list[float]] = defaultdict(list)
    for rows in edits:
        seen: set[str] = set()
        for e in rows:
            key = f"{e['side']:6s} {e['kind']:5s} {e['what']}"
            if key not in seen:
                seen.add(key)
                first[key].append(e["dt"] + e.get("ms", 0.0))
    print("--- median ms from the click to the first end of each event (n edits)")
    for key, values in sorted(first.items(), key=lambda kv: statistics.median(kv[1])):
        if len(values) >= len(edits) // 2:
            print(f"{statistics.median(values):8.1f}  {key}  (n {len(values)})")
    frames = [sum(e["ms"] for e in rows if e["kind"] == "frame") for rows in edits]
    print(f"frame work per edit, median {statistics.median(frames):.1f} ms")


def parse_kernel(text: str) -> list[dict[str, Any]]:
    """The kernel's stamps printed by the notebook cell (``TL`` + JSON)."""
    return json.loads(text.split("TL", 1)[1].strip().splitlines()[0])


def report_profile(profile: dict[str, Any], edits: int, top: int = 25) -> None:
    """The page's CPU profile over the edits: self and total time per function, per edit."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", [])}
    stamps, deltas = profile["samples"], profile["timeDeltas"]
    self_ms: dict[str, float] = defaultdict(float)
    total_ms: dict[str, float] = defaultdict(float)
    chains: dict[str, float] = defaultdict(float)  # a native leaf's three callers
    for sample, dt in zip(stamps, [*deltas[1:], 0], strict=True):
        seen: set[str] = set()
        node_id: int | None = sample
        path: list[str] = []
        while node_id is not None:
            frame = nodes[node_id]["callFrame"]
            url = frame["url"].rsplit("/", 1)[-1][:24]
            key = f"{frame['functionName'] or '(anon)'} {url}:{frame['lineNumber']}"
            if not path:
                self_ms[key] += dt / 1000
            path.append(key)
            if key not in seen:
                total_ms[key] += dt / 1000
                seen.add(key)
            node_id = parent.get(node_id)
        if path[0].endswith(":-1") and not path[0].startswith("("):
            chains[" < ".join(path[:4])] += dt / 1000
    print(f"--- page CPU profile, ms per edit (self / total), top {top} by total")
    for key, value in sorted(total_ms.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{self_ms[key] / edits:7.1f} {value / edits:7.1f}  {key}")
    print(f"--- top {top} by self time")
    for key, value in sorted(self_ms.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{value / edits:7.1f} {total_ms[key] / edits:7.1f}  {key}")
    print("--- native calls and their callers, ms per edit")
    for key, value in sorted(chains.items(), key=lambda kv: -kv[1])[:12]:
        print(f"{value / edits:7.1f}  {key}")


def report_trace(trace: dict[str, Any], edits: int) -> None:
    """Chromium's own work over the edits (a devtools.timeline trace): time per kind of event
    on the page's main thread, and the elements restyled and objects laid out, per edit."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    main = [e for e in events if e.get("ph") == "M" and e.get("name") == "thread_name"
            and e.get("args", {}).get("name") == "CrRendererMain"]
    threads = {(e["pid"], e["tid"]) for e in main}
    ms: dict[str, float] = defaultdict(float)
    count: dict[str, float] = defaultdict(float)
    for e in events:
        if (e.get("pid"), e.get("tid")) not in threads or e.get("ph") != "X":
            continue
        name = e["name"]
        if name in ("UpdateLayoutTree", "Layout", "Paint", "PrePaint", "Layerize",
                    "RecalculateStyles", "HitTest", "ParseHTML", "ParseAuthorStyleSheet"):
            ms[name] += e.get("dur", 0) / 1000
            args = e.get("args", {})
            data = args.get("data") or args.get("beginData") or {}
            if name == "UpdateLayoutTree":
                count["elements restyled"] += args.get("elementCount", 0) or \
                    data.get("elementCount", 0)
            if name == "Layout":
                count["objects laid out"] += data.get("dirtyObjects", 0)
    print("--- Chromium main thread, ms per edit")
    for name, value in sorted(ms.items(), key=lambda kv: -kv[1]):
        print(f"{value / edits:7.1f}  {name}")
    for name, value in count.items():
        print(f"{value / edits:9.0f}  {name} per edit")
