/**
 * The toolbar's file buttons, all in the browser (no Python call needed): export the diagram as
 * SVG or PNG, copy the lavaan syntax, save the drawing as a diagram file (the format of
 * `SEMWidget.save`, see semwidget/widget/diagram_file.py) and load one back.
 */
import { type DiagramState, type Labels, type Layout, type Options, toLabels } from "../model/state";
import { renderSVG } from "../render/svg";

export const DIAGRAM_FORMAT = "semwidget-diagram";

/** What a loaded diagram file gives the editor (checked further by Python when applied). */
export interface DiagramFile {
  syntax: string;
  positions: Layout;
  latents: string[];
  options?: Partial<Options>;
  engine?: string;
  /** Display labels (files written before labels existed have none). */
  labels: Labels;
}

function download(doc: Document, name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function exportSVG(doc: Document, st: DiagramState): void {
  download(doc, "diagram.svg", new Blob([renderSVG(st)], { type: "image/svg+xml" }));
}

/** Rasterise the standalone SVG at twice its size. */
export function exportPNG(doc: Document, st: DiagramState): Promise<void> {
  const svg = renderSVG(st);
  const w = Number(/width="([\d.]+)"/.exec(svg)?.[1] ?? 800);
  const hgt = Number(/height="([\d.]+)"/.exec(svg)?.[1] ?? 600);
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  return new Promise((resolve, reject) => {
    img.onload = () => {
      const c = doc.createElement("canvas");
      c.width = Math.ceil(w * 2);
      c.height = Math.ceil(hgt * 2);
      const g = c.getContext("2d");
      if (!g) return reject(new Error("this browser cannot draw a PNG (no 2D canvas)"));
      g.scale(2, 2);
      g.drawImage(img, 0, 0, w, hgt);
      URL.revokeObjectURL(url);
      c.toBlob((blob) => {
        if (!blob) return reject(new Error("the PNG could not be encoded"));
        download(doc, "diagram.png", blob);
        resolve();
      }, "image/png");
    };
    img.onerror = () => reject(new Error("the diagram's SVG could not be drawn as an image"));
    img.src = url;
  });
}

export function saveDiagram(doc: Document, file: DiagramFile & { options: Options; engine: string }): void {
  const body = { format: DIAGRAM_FORMAT, version: 1, ...file };
  download(doc, "diagram.semwidget.json", new Blob([JSON.stringify(body, null, 2) + "\n"], { type: "application/json" }));
}

/** Read a diagram file's text; throws an Error naming what is wrong. */
export function readDiagram(text: string, name: string): DiagramFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}: not valid JSON (${(e as Error).message})`);
  }
  const o = (data ?? {}) as Record<string, unknown>;
  if (o.format !== DIAGRAM_FORMAT) throw new Error(`${name}: 'format' must be '${DIAGRAM_FORMAT}'`);
  if (typeof o.syntax !== "string") throw new Error(`${name}: the 'syntax' field is missing or not text`);
  const positions = (o.positions ?? o.layout ?? {}) as Layout; // older files say "layout"
  const latents = Array.isArray(o.latents) ? o.latents.filter((x): x is string => typeof x === "string") : [];
  return {
    syntax: o.syntax,
    positions,
    latents,
    labels: toLabels(o.labels),
    ...(o.options && typeof o.options === "object" ? { options: o.options as Partial<Options> } : {}),
    ...(typeof o.engine === "string" ? { engine: o.engine } : {}),
  };
}
