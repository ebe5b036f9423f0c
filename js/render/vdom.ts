/**
 * A tiny virtual SVG tree: the renderer builds it once, then it is either serialised to a string
 * (headless export) or mounted as DOM nodes (browser view). Text is always inserted as text:
 * escaped when serialised, a Text node when mounted, never parsed as markup.
 */
export type Attrs = Record<string, string | number | undefined>;

export interface VNode {
  tag: string;
  attrs: Attrs;
  children: Array<VNode | string>;
}

export function h(tag: string, attrs: Attrs = {}, ...children: Array<VNode | string | null | false>): VNode {
  return { tag, attrs, children: children.filter((c): c is VNode | string => c !== null && c !== false) };
}

export function escapeText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function attrValue(v: string | number): string {
  // Round coordinates so output is compact and deterministic.
  return typeof v === "number" ? String(Math.round(v * 100) / 100) : v;
}

/** Serialise to XML text. */
export function toXML(v: VNode | string): string {
  if (typeof v === "string") return escapeText(v);
  let s = `<${v.tag}`;
  for (const [k, val] of Object.entries(v.attrs)) {
    if (val === undefined) continue;
    s += ` ${k}="${escapeAttr(attrValue(val))}"`;
  }
  if (v.children.length === 0) return `${s}/>`;
  // <style> content is ours (no user text); keep it readable for CSS parsers.
  const inner = v.children.map((c) => (v.tag === "style" && typeof c === "string" ? c : toXML(c)));
  return `${s}>${inner.join("")}</${v.tag}>`;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Create real DOM nodes for `v` in `doc` (SVG namespace). */
export function mount(v: VNode | string, doc: Document): Node {
  if (typeof v === "string") return doc.createTextNode(v);
  const el = doc.createElementNS(SVG_NS, v.tag);
  for (const [k, val] of Object.entries(v.attrs)) {
    if (val !== undefined) el.setAttribute(k, attrValue(val));
  }
  for (const c of v.children) el.appendChild(mount(c, doc));
  return el;
}

/**
 * The same DOM as `mount`, built by the browser's parser from the serialised tree: one
 * `innerHTML` of an SVG element instead of a `createElementNS` and a `setAttribute` per node and
 * attribute (about twice as fast for a 100-node diagram). Text is escaped by `toXML`.
 */
export function mountParsed(v: VNode, doc: Document): Element {
  const holder = doc.createElementNS(SVG_NS, "svg");
  holder.innerHTML = toXML(v);
  const el = holder.firstElementChild;
  if (!el) throw new Error(`could not parse the <${v.tag}> element`);
  return el;
}

/**
 * Make the mounted element `el` equal to `v` with as few DOM changes as it takes, and return it
 * (or what replaced it). New results change a coefficient's text and the place of its label,
 * not the 100 nodes around it: patching in place skips serialising, parsing and replacing the
 * whole diagram. It compares against the DOM itself, not the previous tree, so anything the
 * view changed in place (a drag moves nodes and edges directly) is put right too (`Patcher`
 * remembers the tree and reads the DOM only where it changed). Children named by KEYS (nodes,
 * edges) are matched by name; another subtree whose shape differs is built anew.
 */
export function patch(el: Element, v: VNode, doc: Document): Element {
  return patchNode(el, v, doc, null);
}

/** The tree each element was last made equal to (only while no one else changed it). */
type Drawn = WeakMap<Node, VNode>;

function sameAttrs(a: Attrs, b: Attrs): boolean {
  let n = 0;
  for (const k in b) {
    const vb = b[k];
    if (vb === undefined) continue;
    n++;
    const va = a[k];
    if (va === undefined || (va !== vb && attrValue(va) !== attrValue(vb))) return false;
  }
  for (const k in a) if (a[k] !== undefined) n--;
  return n === 0;
}

function sameShape(a: Array<VNode | string>, b: Array<VNode | string>): boolean {
  return a.length === b.length && b.every((c, i) => {
    const o = a[i]!;
    return typeof c === "string" ? typeof o === "string" : typeof o !== "string" && o.tag === c.tag;
  });
}

function patchNode(el: Element, v: VNode, doc: Document, drawn: Drawn | null): Element {
  if (el.tagName !== v.tag) {
    const fresh = mountParsed(v, doc);
    el.replaceWith(fresh);
    return fresh;
  }
  const last = drawn?.get(el);
  if (!last || !sameAttrs(last.attrs, v.attrs)) {
    const wanted = new Set<string>();
    for (const [k, val] of Object.entries(v.attrs)) {
      if (val === undefined) continue;
      wanted.add(k);
      const text = attrValue(val);
      if (el.getAttribute(k) !== text) el.setAttribute(k, text);
    }
    for (const name of el.getAttributeNames()) if (!wanted.has(name)) el.removeAttribute(name);
  }
  const nodes = el.childNodes;
  const same = last && sameShape(last.children, v.children) ? true :
    nodes.length === v.children.length && v.children.every((c, i) => {
      const n = nodes[i]!;
      return typeof c === "string" ? n.nodeType === 3 : n.nodeType === 1 && (n as Element).tagName === c.tag;
    });
  if (!same) {
    if (!patchKeyed(el, v, doc, drawn)) {
      el.replaceChildren(...v.children.map((c) => (typeof c === "string" ? doc.createTextNode(c) : mountParsed(c, doc))));
    }
    drawn?.set(el, v);
    return el;
  }
  v.children.forEach((c, i) => {
    const n = nodes[i]!;
    if (typeof c === "string") {
      if (last ? last.children[i] !== c : n.nodeValue !== c) n.nodeValue = c;
    } else patchNode(n as Element, c, doc, drawn);
  });
  drawn?.set(el, v);
  return el;
}

/**
 * `patch` with a memory of what it drew: an element whose tree is unchanged since the last
 * patch is compared in JavaScript, not read back from the DOM (reading every attribute of a
 * 100-node diagram was most of a re-render's patch). A MutationObserver forgets any element
 * someone else changed since (a drag moves nodes and edges in place, the selection sets
 * classes), so those are compared against the DOM as `patch` does.
 */
export class Patcher {
  private readonly drawn: Drawn = new WeakMap();
  private readonly watch: MutationObserver | null;

  constructor(private readonly doc: Document) {
    const MO = doc.defaultView?.MutationObserver;
    this.watch = MO ? new MO((records) => this.forget(records)) : null;
  }

  patch(el: Element, v: VNode): Element {
    if (!this.watch) return patch(el, v, this.doc);
    this.forget(this.watch.takeRecords());
    const out = patchNode(el, v, this.doc, this.drawn);
    this.watch.takeRecords(); // our own changes
    this.watch.disconnect();
    this.watch.observe(out, { subtree: true, attributes: true, childList: true, characterData: true });
    return out;
  }

  private forget(records: MutationRecord[]): void {
    for (const r of records) {
      const t = r.target;
      this.drawn.delete(t.nodeType === 1 ? t : (t.parentNode ?? t));
    }
  }
}

/** Attributes that name a diagram item: children keyed by them are matched by name. */
const KEYS = ["data-node", "data-edge", "data-error", "data-error-node", "data-ghost", "data-moderation"];

function keyOf(get: (name: string) => unknown): string | null {
  for (const k of KEYS) {
    const val = get(k);
    if (val !== undefined && val !== null) return `${k}=${String(val)}`;
  }
  return null;
}

/**
 * Children that all carry a name (nodes, edges: see KEYS) are matched by it: an edit that adds
 * or removes one edge patches the other edges in place and builds only the new one, instead of
 * rebuilding every edge of the diagram (the browser then restyles and lays out only what
 * changed). Returns false, changing nothing, when `v`'s children are not all uniquely named.
 */
function patchKeyed(el: Element, v: VNode, doc: Document, drawn: Drawn | null): boolean {
  const keys = new Set<string>();
  for (const c of v.children) {
    const k = typeof c === "string" ? null : keyOf((name) => c.attrs[name]);
    if (k === null || keys.has(k)) return false;
    keys.add(k);
  }
  // What is no longer wanted goes first, so the survivors need no moving around it.
  const old = new Map<string, Element>();
  for (const n of Array.from(el.childNodes)) {
    const k = n.nodeType === 1 ? keyOf((name) => (n as Element).getAttribute(name)) : null;
    if (k === null || !keys.has(k) || old.has(k)) n.remove();
    else old.set(k, n as Element);
  }
  // Children before `cursor` are the ones placed, in order; what is left after it goes.
  let cursor: ChildNode | null = el.firstChild;
  for (const c of v.children as VNode[]) {
    const k = keyOf((name) => c.attrs[name])!;
    const was = old.get(k);
    old.delete(k);
    const n = was && was.tagName === c.tag ? patchNode(was, c, doc, drawn) : mountParsed(c, doc);
    if (n === cursor) cursor = cursor.nextSibling;
    else el.insertBefore(n, cursor);
  }
  while (cursor) {
    const next: ChildNode | null = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
  return true;
}
