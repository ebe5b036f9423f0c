/**
 * Pointer input on the canvas: moving nodes (patched once per animation frame), drawing an edge
 * from node to node, panning, box select, wheel zoom, double-click rename, clicks on edges and
 * suggestions, and data columns dropped from the palette.
 */
import { type EdgeMode, addEdge } from "../model/graph";
import type { Point } from "../model/state";
import type { Snapshot } from "../model/undo";
import { dropColumn } from "./actions";
import { openEdgeEditor } from "./edge-editor";
import type { EditorHost } from "./host";
import { COLUMN_TYPE } from "./panels";
import { startRename } from "./rename";
import { boxOf, clickEdge, clickNode, dragOrigin, selectInBox } from "./selection";

interface Drag {
  kind: "move" | "edge" | "pan" | "box";
  start: Point;
  startClient: Point;
  origin: Map<string, Point>;
  from?: string;
  moved: boolean;
  last: Point;
  before?: Snapshot;
}

export class PointerInput {
  private drag: Drag | null = null;
  private frame = 0;
  private pendingMove: Map<string, Point> | null = null;

  constructor(private readonly host: EditorHost) {
    const svg = host.canvas.svg;
    svg.addEventListener("pointerdown", (e) => host.guard(() => this.onDown(e)));
    svg.addEventListener("pointermove", (e) => this.onMove(e));
    svg.addEventListener("pointerup", (e) => host.guard(() => this.onUp(e)));
    svg.addEventListener("pointercancel", () => this.endDrag());
    svg.addEventListener("dblclick", (e) => {
      // Pointer capture (taken on pointerdown for drags) retargets the dblclick to the <svg>:
      // find the node under the pointer instead of trusting the event's target.
      const node = (e.target as Element).closest?.("[data-node]")?.getAttribute("data-node") ?? host.canvas.nodeAt(e.clientX, e.clientY);
      if (node && host.mode === "select") startRename(host, node);
    });
    svg.addEventListener("focusin", (e) => {
      // A node reached with Tab becomes the selection (keyboard use without a mouse).
      const node = (e.target as Element).closest?.("[data-node]")?.getAttribute("data-node");
      if (node && !host.selected.has(node) && !this.drag) {
        host.selected = new Set([node]);
        host.canvas.setSelected(host.selected);
        host.updateButtons();
      }
    });
    svg.addEventListener("wheel", (e) => {
      e.preventDefault();
      const at = host.canvas.toDiagram(e.clientX, e.clientY);
      host.canvas.zoomAt(at, Math.exp(-e.deltaY * 0.0015));
    }, { passive: false });
    host.canvasHost.addEventListener("dragover", (e) => {
      if (e.dataTransfer?.types.includes(COLUMN_TYPE)) e.preventDefault();
    });
    host.canvasHost.addEventListener("drop", (e) => {
      const col = e.dataTransfer?.getData(COLUMN_TYPE);
      if (!col) return;
      e.preventDefault();
      const target = host.canvas.nodeAt(e.clientX, e.clientY);
      const p = host.canvas.toDiagram(e.clientX, e.clientY);
      host.guard(() => dropColumn(host, col, p, target));
    });
  }

  /** Stop a pending frame (the view is going away). */
  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
  }

  private onDown(e: PointerEvent): void {
    const ed = this.host;
    if (e.button !== 0) return;
    ed.canvasHost.focus({ preventScroll: true });
    const target = e.target as Element;
    const nodeG = target.closest?.("[data-node]");
    const edgeG = target.closest?.("[data-edge]");
    const ghostG = target.closest?.("[data-ghost]");
    const p = ed.canvas.toDiagram(e.clientX, e.clientY);
    const base = { start: p, startClient: { x: e.clientX, y: e.clientY }, origin: new Map<string, Point>(), moved: false, last: p };
    ed.popup.close();
    if (ghostG && !nodeG) {
      this.drag = null;
      ed.tools.addGhost(ghostG.getAttribute("data-ghost")!);
      return;
    }
    if (nodeG && ed.mode === "indirect") {
      this.drag = null;
      ed.tools.pick(nodeG.getAttribute("data-node")!, e.shiftKey, ed.model.table);
      return;
    }
    if (nodeG) {
      const name = nodeG.getAttribute("data-node")!;
      if (ed.mode !== "select") {
        this.drag = { ...base, kind: "edge", from: name };
      } else {
        ed.selected = clickNode(ed.selected, name, e.shiftKey);
        this.drag = { ...base, kind: "move", origin: dragOrigin(ed.selected, ed.layout), before: ed.snapshot() };
      }
    } else if (edgeG) {
      const key = edgeG.getAttribute("data-edge")!;
      ed.selected = clickEdge(ed.selected, key, e.shiftKey);
      this.drag = null;
      ed.canvas.setSelected(ed.selected);
      ed.updateButtons();
      if (ed.model.table.some((r) => `${r.lhs} ${r.op} ${r.rhs}` === key)) openEdgeEditor(ed, key, e.clientX, e.clientY);
      return;
    } else {
      this.drag = { ...base, kind: e.shiftKey ? "box" : "pan" };
    }
    ed.canvas.svg.setPointerCapture?.(e.pointerId);
    ed.canvas.setSelected(ed.selected);
    ed.updateButtons();
  }

  private onMove(e: PointerEvent): void {
    const ed = this.host;
    const d = this.drag;
    if (!d) return;
    const p = ed.canvas.toDiagram(e.clientX, e.clientY);
    if (!d.moved && Math.hypot(e.clientX - d.startClient.x, e.clientY - d.startClient.y) < 3) return;
    d.moved = true;
    if (d.kind === "pan") {
      // Pan in client pixels converted to diagram units; the view moves under the pointer.
      const scale = ed.canvas.view.w / (ed.canvas.svg.getBoundingClientRect().width || ed.canvas.view.w);
      ed.canvas.panBy((e.clientX - d.startClient.x) * scale, (e.clientY - d.startClient.y) * scale);
      d.startClient = { x: e.clientX, y: e.clientY };
      return;
    }
    d.last = p;
    if (d.kind === "move") {
      const dx = p.x - d.start.x;
      const dy = p.y - d.start.y;
      const pos = new Map<string, Point>();
      for (const [n, o] of d.origin) pos.set(n, { x: o.x + dx, y: o.y + dy });
      this.pendingMove = pos;
      if (!this.frame) {
        this.frame = requestAnimationFrame(() => {
          this.frame = 0;
          this.flushMove();
        });
      }
    } else if (d.kind === "edge") {
      const from = ed.layout[d.from!];
      ed.canvas.rubberLine(from ?? d.start, p);
    } else if (d.kind === "box") {
      ed.canvas.rubberBox(boxOf(d.start, p));
    }
  }

  private flushMove(): void {
    const ed = this.host;
    const pos = this.pendingMove;
    this.pendingMove = null;
    if (!pos) return;
    for (const [n, q] of pos) ed.layout[n] = q;
    ed.canvas.moveNodes(pos);
    // Positions reach Python at most every ~100 ms while dragging, and at the end.
    ed.saveLayout();
  }

  private onUp(e: PointerEvent): void {
    const ed = this.host;
    const d = this.drag;
    this.drag = null;
    ed.canvas.svg.releasePointerCapture?.(e.pointerId);
    if (!d) return;
    if (d.kind === "move") {
      if (this.frame) {
        cancelAnimationFrame(this.frame);
        this.frame = 0;
      }
      this.flushMove();
      if (d.moved && d.before) {
        ed.undoStack.push(d.before);
        ed.saveLayout.flush();
        ed.renderNow(); // re-place labels once, at the end of the drag
      }
    } else if (d.kind === "edge") {
      ed.canvas.rubberLine(null);
      const to = ed.canvas.nodeAt(e.clientX, e.clientY);
      // Only a drag draws an edge: a click on a node in covariance mode is not a variance, and a
      // path dragged back onto its own node is refused with a sentence (addEdge throws).
      if (to && d.from && d.moved) {
        const next = addEdge(ed.model, d.from, to, ed.mode as EdgeMode, ed.engine);
        if (next !== ed.model) ed.commit(next);
      }
    } else if (d.kind === "box") {
      ed.canvas.rubberBox(null);
      if (d.moved) selectInBox(ed.selected, ed.layout, boxOf(d.start, d.last));
    } else if (d.kind === "pan" && !d.moved && ed.mode !== "indirect") {
      ed.selected.clear();
    }
    ed.canvas.setSelected(ed.selected);
    ed.updateButtons();
  }

  private endDrag(): void {
    this.drag = null;
    this.host.canvas.rubberLine(null);
  }
}
