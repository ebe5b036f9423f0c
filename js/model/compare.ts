/**
 * Reading the model-comparison, identification and local-fit parts of `results` (loosely typed
 * JSON from Python) and the `versions` trait, into the shapes the overlay and the history panel
 * draw: the diagram diff of two versions (`results.diff`), the parameters of a non-identified
 * model (`results.unidentified`), and the residual correlations above a threshold
 * (`results.local_fit`).
 */
/** One fitted version of the model (`versions` trait), as the history panel lists it. */
export interface VersionRow {
  number: number;
  time: string;
  syntax: string;
  fit: Record<string, number | null>;
}

/** The diagram diff of two versions: edge keys by change, the comparison rows and sentence. */
export interface DiagramDiff {
  versions: [number, number];
  added: string[];
  removed: string[];
  freed: string[];
  fixed: string[];
  relabelled: string[];
  table: Array<Record<string, string | number | null>>;
  sentence: string;
}

/** A residual correlation drawn by the local-fit overlay. */
export interface LocalFitPair {
  lhs: string;
  rhs: string;
  cor: number;
  z: number | null;
}

export interface LocalFit {
  threshold: number;
  pairs: LocalFitPair[];
  max: number | null;
  /** The kernel has not computed the pairs (it does while the overlay is shown). */
  deferred: boolean;
}

const finite = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const record = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The `versions` trait as rows (malformed entries are skipped). */
export function readVersions(raw: unknown): VersionRow[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((v) => {
    const o = record(v);
    const number = finite(o.number);
    if (number === null) return [];
    const fit: Record<string, number | null> = {};
    for (const [k, x] of Object.entries(record(o.fit))) fit[k] = finite(x);
    return [{ number, time: typeof o.time === "string" ? o.time : "", syntax: typeof o.syntax === "string" ? o.syntax : "", fit }];
  });
}

/** `results.diff`, or null when no comparison is shown. */
export function readDiff(results: unknown): DiagramDiff | null {
  const d = record(record(results).diff);
  const vs = Array.isArray(d.versions) ? d.versions.map(finite) : [];
  const [i, j] = vs;
  if (vs.length !== 2 || i == null || j == null) return null;
  const table = Array.isArray(d.table)
    ? d.table.map((row) => {
        const out: Record<string, string | number | null> = {};
        for (const [k, x] of Object.entries(record(row))) out[k] = typeof x === "string" ? x : finite(x);
        return out;
      })
    : [];
  return {
    versions: [i, j], added: strings(d.added), removed: strings(d.removed), freed: strings(d.freed),
    fixed: strings(d.fixed), relabelled: strings(d.relabelled), table, sentence: typeof d.sentence === "string" ? d.sentence : "",
  };
}

/** Edge keys of the parameters a failed fit found not identified (`results.unidentified`). */
export function readUnidentified(results: unknown): string[] {
  return strings(record(results).unidentified);
}

/** `results.local_fit`, or null (no CB-SEM single-group fit). */
export function readLocalFit(results: unknown): LocalFit | null {
  const lf = record(results).local_fit;
  if (!lf || typeof lf !== "object") return null;
  const o = record(lf);
  const threshold = finite(o.threshold);
  if (threshold === null) return null;
  const pairs = Array.isArray(o.pairs)
    ? o.pairs.flatMap((p) => {
        const q = record(p);
        const cor = finite(q.cor);
        if (typeof q.lhs !== "string" || typeof q.rhs !== "string" || cor === null) return [];
        return [{ lhs: q.lhs, rhs: q.rhs, cor, z: finite(q.z) }];
      })
    : [];
  return { threshold, pairs, max: finite(o.max), deferred: o.deferred === true };
}

/** What the diagram draws on top of the model (browser view; set by the editor). */
export interface Overlay {
  /** The comparison of two versions, or null. */
  diff: DiagramDiff | null;
  /** Residual correlations to draw (empty when the toggle is off). */
  localFit: LocalFit | null;
}

export type DiffKind = "added" | "freed" | "fixed" | "relabelled";

/** The other spelling of a covariance key (`a ~~ b` is `b ~~ a`). */
export function swapCov(key: string): string | null {
  const p = key.split(" ");
  return p.length === 3 && p[1] === "~~" ? `${p[2]} ~~ ${p[0]}` : null;
}

/** Edge key -> how it changed in the diff (covariances matched in either order). */
export function diffKinds(diff: DiagramDiff | null): Map<string, DiffKind> {
  const out = new Map<string, DiffKind>();
  if (!diff) return out;
  for (const kind of ["relabelled", "fixed", "freed", "added"] as const) {
    for (const key of diff[kind]) {
      out.set(key, kind);
      const other = swapCov(key);
      if (other) out.set(other, kind);
    }
  }
  return out;
}

/**
 * Colour and width of a residual correlation's link, by |cor| from the threshold (light) to
 * 0.3 and above (dark): ColorBrewer YlOrRd, a sequential scheme safe for colour-blind readers.
 */
export const HEAT = ["#fd8d3c", "#e31a1c", "#800026"] as const;

export function heat(cor: number, threshold: number): { colour: string; width: number; level: number } {
  const top = Math.max(0.3, threshold + 1e-9);
  const t = Math.min(1, Math.max(0, (Math.abs(cor) - threshold) / (top - threshold)));
  const level = t < 1 / 3 ? 0 : t < 2 / 3 ? 1 : 2;
  return { colour: HEAT[level], width: Math.round((1.2 + 3 * t) * 100) / 100, level };
}

const fmt = (v: number | null, digits: number): string =>
  v === null ? "\u2013" : v.toFixed(digits).replace("-", "\u2212");

/** Hover text of a residual correlation. */
export function localFitTooltip(p: LocalFitPair): string {
  return `residual correlation ${p.lhs} \u2194 ${p.rhs}: ${fmt(p.cor, 3)} (standardized residual z = ${fmt(p.z, 2)})`;
}
