/**
 * The SVG canvas of the browser view: mounts the rendered diagram, keeps the view box (pan and
 * zoom), and patches only the moved nodes and their edges while dragging, so a drag frame costs
 * O(moved nodes + their edges), not a re-render.
 */
import type { Point } from "../model/state";
import { edgeGeometry, sceneBounds } from "../layout/edges";
import type { Box } from "../layout/geometry";
import { labelPosition } from "../layout/labels";
import { type Scene, type SceneEdge, errorName } from "../layout/scene-types";
import { renderScene } from "../render/svg";
import { Patcher, mountParsed } from "../render/vdom";

const SVG_NS = "http://www.w3.org/2000/svg";

interface EdgeEls {
  g: SVGGElement;
  line: SVGPathElement | null;
  head: SVGPathElement | null;
  hit: SVGPathElement | null;
  label: SVGGElement | null;
}

/** Smallest zoom fit-to-view uses: 11 px labels stay at least ~9 px on screen. */
export const MIN_SCALE = 0.8;

export class Canvas {
  readonly svg: SVGSVGElement;
  private diagram: SVGGElement | null = null;
  private overlay: SVGGElement;
  private nodeEls = new Map<string, SVGGElement>();
  private edgeEls = new Map<string, EdgeEls>();
  private edgesOf = new Map<string, SceneEdge[]>();
  scene: Scene | null = null;
  view: Box = { x: 0, y: 0, w: 800, h: 480 };
  private fitted = false;
  /** The node an edge drawn from the keyboard would go to (outlined). */
  private target: string | null = null;
  /** The first fit-to-view waits for the canvas's first size (see `watchSize`). */
  private fitPending = false;
  private size: { width: number; height: number } | null = null;
  /** Until the user first touches the widget, the view follows the canvas's size. */
  private following = true;
  private readonly resizeObserver: ResizeObserver | null;
  private readonly patcher: Patcher;

  constructor(private readonly doc: Document, host: HTMLElement) {
    this.svg = doc.createElementNS(SVG_NS, "svg") as SVGSVGElement;
    this.patcher = new Patcher(doc);
    this.svg.setAttribute("class", "semw-svg");
    this.svg.setAttribute("role", "application");
    this.svg.setAttribute("aria-label", "Path diagram editor");
    // The canvas around it is the Tab stop; Tab from there goes straight to the first node.
    this.svg.setAttribute("tabindex", "-1");
    this.svg.setAttribute("aria-description", "Tab moves between nodes; F2 renames, Shift+F2 labels, P or C draws a path or covariance from the selected node (arrows or Tab choose the other node, Enter draws), Delete removes, arrows nudge.");
    this.overlay = doc.createElementNS(SVG_NS, "g") as SVGGElement;
    this.overlay.setAttribute("class", "semw-overlay");
    this.svg.append(this.overlay);
    host.append(this.svg);
    this.applyView();
    this.resizeObserver = this.watchSize();
  }

  /**
   * Learn the canvas's size from a ResizeObserver, which reports it after the browser's own
   * layout: the first fit-to-view of a freshly mounted diagram then costs no forced (synchronous)
   * layout of the whole page, about a third of a 100-node mount.
   */
  private watchSize(): ResizeObserver | null {
    const RO = this.doc.defaultView?.ResizeObserver;
    if (!RO) return null;
    const ro = new RO((entries) => {
      const r = entries[entries.length - 1]?.contentRect;
      if (!r || r.width <= 0 || r.height <= 0) return;
      const grew = !this.size || this.size.width !== r.width || this.size.height !== r.height;
      this.size = { width: r.width, height: r.height };
      // The canvas reaches its final size only as the page settles (panels, the notebook's
      // own layout): keep the diagram fitted to it until the user first acts on the widget.
      if (this.fitPending || (grew && this.following && this.fitted)) {
        this.fitPending = false;
        this.fitView(this.size, true);
      }
    });
    ro.observe(this.svg);
    return ro;
  }

  destroy(): void {
    this.resizeObserver?.disconnect();
  }

  /** Replace the drawing with `scene`. */
  show(scene: Scene, selected: ReadonlySet<string>): void {
    this.scene = scene;
    // Keep keyboard focus on a node across the redraw (its element is replaced).
    const active = this.doc.activeElement;
    const focused = active && this.svg.contains(active) ? active.getAttribute("data-node") : null;
    const v = renderScene(scene, { standalone: false, interactive: true, selected });
    // New results or an edit: patch the drawn diagram in place (see vdom.patch).
    const g = (this.diagram ? this.patcher.patch(this.diagram, v) : mountParsed(v, this.doc)) as SVGGElement;
    if (!this.diagram) this.svg.insertBefore(g, this.overlay);
    this.diagram = g;
    this.nodeEls.clear();
    this.edgeEls.clear();
    this.edgesOf.clear();
    for (const n of Array.from(g.querySelectorAll<SVGGElement>("[data-node]"))) {
      this.nodeEls.set(n.getAttribute("data-node")!, n);
    }
    for (const n of Array.from(g.querySelectorAll<SVGGElement>("[data-error-node]"))) {
      this.nodeEls.set(errorName(n.getAttribute("data-error-node")!), n);
    }
    if (focused) this.nodeEls.get(focused)?.focus({ preventScroll: true });
    if (this.target) this.setTarget(this.target);
    // Suggested (ghost) edges move with their nodes too.
    for (const e of Array.from(g.querySelectorAll<SVGGElement>("[data-edge], [data-ghost], [data-error]"))) {
      const err = e.getAttribute("data-error");
      this.edgeEls.set(err !== null ? `${errorName(err)} -> ${err}` : e.getAttribute("data-edge") ?? e.getAttribute("data-ghost")!, {
        g: e,
        line: e.querySelector(".semw-edge, .semw-cov, .semw-ghost"),
        head: e.querySelector(".semw-head, .semw-ghost-head"),
        hit: e.querySelector(".semw-hit"),
        label: e.querySelector(".semw-edge-label"),
      });
    }
    for (const e of scene.edges) {
      for (const n of new Set([e.from, e.to])) {
        const list = this.edgesOf.get(n) ?? [];
        list.push(e);
        this.edgesOf.set(n, list);
      }
    }
    if (!this.fitted && scene.nodes.length > 0) {
      this.fitted = true;
      if (this.resizeObserver && !this.size) {
        // Size unknown yet: the whole diagram at the default aspect ratio, refitted (without a
        // forced layout) when the observer reports the canvas's size.
        this.fitPending = true;
        this.fitView({ width: 0, height: 0 }, true);
      } else {
        this.fitView(this.size ?? undefined);
      }
    }
  }

  /** Outline `name` as the target of an edge drawn from the keyboard (null: none). */
  setTarget(name: string | null): void {
    if (this.target && this.target !== name) {
      const old = this.nodeEls.get(this.target);
      old?.classList.remove("semw-target");
      old?.removeAttribute("aria-current");
    }
    this.target = name;
    const g = name ? this.nodeEls.get(name) : undefined;
    g?.classList.add("semw-target");
    g?.setAttribute("aria-current", "true");
  }

  /** Toggle selection classes without re-rendering. */
  setSelected(selected: ReadonlySet<string>): void {
    for (const [name, g] of this.nodeEls) g.classList.toggle("semw-selected", selected.has(name));
    for (const [key, els] of this.edgeEls) els.g.classList.toggle("semw-selected", selected.has(key));
  }

  /** Move nodes to new centres, updating only them and the edges that touch them. */
  moveNodes(moved: Map<string, Point>): void {
    const scene = this.scene;
    if (!scene) return;
    // Error circles travel with their variables.
    const pos = new Map(moved);
    for (const [name, p] of moved) {
      const n = scene.byName.get(name);
      const e = scene.byName.get(errorName(name));
      if (n && e) pos.set(e.name, { x: e.x + p.x - n.x, y: e.y + p.y - n.y });
    }
    const touched = new Set<SceneEdge>();
    for (const [name, p] of pos) {
      const n = scene.byName.get(name);
      if (!n) continue;
      n.x = p.x;
      n.y = p.y;
      this.nodeEls.get(name)?.setAttribute("transform", `translate(${round(p.x)},${round(p.y)})`);
      for (const e of this.edgesOf.get(name) ?? []) touched.add(e);
    }
    for (const e of touched) {
      const a = scene.byName.get(e.from);
      const b = scene.byName.get(e.to);
      const els = this.edgeEls.get(e.key);
      if (!a || !b || !els) continue;
      const g = edgeGeometry(e, a, b);
      els.line?.setAttribute("d", g.d);
      els.hit?.setAttribute("d", g.d);
      els.head?.setAttribute("d", g.heads);
      if (e.label && els.label) {
        const c = labelPosition(g, e, e.label.t, e.label.off);
        e.label.x = c.x;
        e.label.y = c.y;
        els.label.setAttribute("transform", `translate(${round(c.x)},${round(c.y)})`);
      }
    }
  }

  /** Diagram coordinates of a client (screen) point. */
  toDiagram(clientX: number, clientY: number): Point {
    const m = this.svg.getScreenCTM();
    if (!m) return { x: clientX, y: clientY };
    const inv = m.inverse();
    return { x: inv.a * clientX + inv.c * clientY + inv.e, y: inv.b * clientX + inv.d * clientY + inv.f };
  }

  /** Client coordinates of a diagram point. */
  toClient(p: Point): Point {
    const m = this.svg.getScreenCTM();
    if (!m) return p;
    return { x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f };
  }

  /** The node under a client point, if any. */
  nodeAt(clientX: number, clientY: number): string | null {
    const hit = this.doc.elementFromPoint(clientX, clientY);
    const g = hit?.closest?.("[data-node]");
    return g && this.svg.contains(g) ? g.getAttribute("data-node") : null;
  }

  nodeElement(name: string): SVGGElement | undefined {
    return this.nodeEls.get(name);
  }

  /** The centre of the visible area (diagram units). */
  viewCentre(): Point {
    return { x: this.view.x + this.view.w / 2, y: this.view.y + this.view.h / 2 };
  }

  applyView(): void {
    const v = this.view;
    this.svg.setAttribute("viewBox", `${round(v.x)} ${round(v.y)} ${round(v.w)} ${round(v.h)}`);
  }

  /** The user acted on the widget: the view no longer follows the canvas's size by itself. */
  stopFollowing(): void {
    this.following = false;
  }

  /**
   * Show the whole diagram (in a canvas of `size`; measured when not given; a zero size fits it
   * at the default aspect ratio). `auto`: the observer's fit, not the user's.
   */
  fitView(size?: { width: number; height: number }, auto = false): void {
    if (!auto) this.following = false;
    if (!this.scene || this.scene.nodes.length === 0) return;
    const b = sceneBounds(this.scene);
    const rect = size ?? this.svg.getBoundingClientRect();
    const aspect = rect.width > 0 && rect.height > 0 ? rect.width / rect.height : 800 / 480;
    const pad = 24;
    let w = b.w + 2 * pad;
    let h = b.h + 2 * pad;
    if (w / h > aspect) h = w / aspect;
    else w = h * aspect;
    // Never magnify small diagrams beyond 1.4x: a two-node model should not fill the screen.
    const minW = rect.width > 0 ? rect.width / 1.4 : 0;
    if (w < minW) {
      h *= minW / w;
      w = minW;
    }
    // Never shrink text below a readable size: a big model is shown from its top-left corner at
    // MIN_SCALE, and the user pans (drag the background) or makes the canvas larger.
    const maxW = rect.width > 0 ? rect.width / MIN_SCALE : Infinity;
    if (w > maxW) {
      h *= maxW / w;
      w = maxW;
      const x = b.w + 2 * pad > w ? b.x - pad : b.x + b.w / 2 - w / 2;
      const y = b.h + 2 * pad > h ? b.y - pad : b.y + b.h / 2 - h / 2;
      this.view = { x, y, w, h };
      this.applyView();
      return;
    }
    this.view = { x: b.x + b.w / 2 - w / 2, y: b.y + b.h / 2 - h / 2, w, h };
    this.applyView();
  }

  /** Zoom by `factor` (>1 zooms in) keeping the diagram point `at` under the pointer. */
  zoomAt(at: Point, factor: number): void {
    const v = this.view;
    this.following = false;
    const w = Math.min(20000, Math.max(60, v.w / factor));
    const k = w / v.w;
    this.view = { x: at.x - (at.x - v.x) * k, y: at.y - (at.y - v.y) * k, w, h: v.h * k };
    this.applyView();
  }

  panBy(dx: number, dy: number): void {
    this.following = false;
    this.view = { ...this.view, x: this.view.x - dx, y: this.view.y - dy };
    this.applyView();
  }

  /** A temporary line (edge being drawn) or box (selection) in the overlay; null clears. */
  rubberLine(a: Point | null, b?: Point): void {
    this.overlay.replaceChildren();
    if (!a || !b) return;
    const l = this.doc.createElementNS(SVG_NS, "line");
    l.setAttribute("class", "semw-rubber");
    l.setAttribute("x1", String(a.x));
    l.setAttribute("y1", String(a.y));
    l.setAttribute("x2", String(b.x));
    l.setAttribute("y2", String(b.y));
    this.overlay.append(l);
  }

  rubberBox(b: Box | null): void {
    this.overlay.replaceChildren();
    if (!b) return;
    const r = this.doc.createElementNS(SVG_NS, "rect");
    r.setAttribute("class", "semw-rubber");
    r.setAttribute("x", String(b.x));
    r.setAttribute("y", String(b.y));
    r.setAttribute("width", String(b.w));
    r.setAttribute("height", String(b.h));
    this.overlay.append(r);
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
